/**
 * Reed-Solomon codes over GF(2^8), pure TypeScript.
 *
 * Field: GF(2^8) with primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), primitive element α = 2.
 * Generator: g(x) = (x - α^0)(x - α^1)…(x - α^(2t-1)), i.e. first consecutive root 0 (fcr = 0).
 * Codewords are systematic: the k data symbols, then the 2t parity symbols (the remainder of
 * data(x)·x^2t mod g(x)); symbol 0 is the coefficient of the highest power. Any length n <= 255 works
 * (a shortened code: the missing leading symbols are zeros).
 *
 * Decoding corrects ν errors and ρ erasures (known bad positions) whenever 2ν + ρ <= 2t:
 * syndromes, Berlekamp-Massey seeded with the erasure locator, Chien search, Forney. Beyond that it either
 * returns null (detected) or, rarely, another valid codeword: callers keep an end-to-end check (the frame
 * CRC-32) for that case.
 */

export const RS_PRIMITIVE_POLY = 0x11d;
export const RS_FCR = 0;

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
(() => {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= RS_PRIMITIVE_POLY;
  }
  // Doubled so that EXP[LOG[a] + LOG[b]] needs no modulo.
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
})();

/** Full product table, MUL[a << 8 | b] = a·b (64 KiB): one lookup in the per-byte loops. */
const MUL = new Uint8Array(65536);
for (let a = 1; a < 256; a++) for (let b = 1; b < 256; b++) MUL[(a << 8) | b] = EXP[LOG[a]! + LOG[b]!]!;

export function gfMul(a: number, b: number): number {
  return MUL[((a & 0xff) << 8) | (b & 0xff)]!;
}

export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero in GF(256)');
  return a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!;
}

/** α^e for any integer e. */
export function gfPow2(e: number): number {
  return EXP[((e % 255) + 255) % 255]!;
}

const generators = new Map<number, Uint8Array>();

/** g(x) for `parity` = 2t symbols, highest power first (monic: element 0 is 1). */
export function rsGenerator(parity: number): Uint8Array {
  const cached = generators.get(parity);
  if (cached) return cached;
  let g: Uint8Array = Uint8Array.of(1);
  for (let i = 0; i < parity; i++) {
    const root = gfPow2(i + RS_FCR);
    const next = new Uint8Array(g.length + 1);
    for (let j = 0; j < g.length; j++) {
      next[j] = next[j]! ^ g[j]!;
      next[j + 1] = next[j + 1]! ^ gfMul(g[j]!, root);
    }
    g = next;
  }
  generators.set(parity, g);
  return g;
}

function checkParams(n: number, parity: number): void {
  if (!Number.isInteger(parity) || parity < 2 || parity % 2 !== 0 || parity > 254)
    throw new RangeError(`parity ${parity}: must be even, 2..254`);
  if (n > 255) throw new RangeError(`codeword of ${n} symbols: at most 255 in GF(256)`);
}

/**
 * For 16 parity symbols (the protocol's code): the LFSR below steps four remainder symbols per 32-bit
 * operation, from the products g[1..16]·coef packed big-endian in four words. coef·g = lo·g + hi·g for its
 * low nibble lo and high nibble hi (multiplication distributes over XOR), so G16 holds the words for the
 * sixteen values of each nibble: G16[lo * 4 + w] and G16[64 + hi * 4 + w]. 512 bytes instead of the 4 KiB
 * of a full table: a frame's LFSR runs once per frame, usually right after the process wakes, when a
 * lookup into a table that is out of the CPU cache costs more than the second lookup and XOR.
 */
const PACKED_PARITY = 16;
let G16: Int32Array | null = null;
function packedGenerator(): Int32Array {
  if (G16) return G16;
  const g = rsGenerator(PACKED_PARITY);
  const t = new Int32Array(128);
  for (let v = 0; v < 16; v++)
    for (let w = 0; w < 4; w++) {
      let lo = 0;
      let hi = 0;
      for (let b = 0; b < 4; b++) {
        const gb = g[4 * w + b + 1]! << 8;
        lo = (lo << 8) | MUL[gb | v]!;
        hi = (hi << 8) | MUL[gb | (v << 4)]!;
      }
      t[v * 4 + w] = lo;
      t[64 + v * 4 + w] = hi;
    }
  return (G16 = t);
}

function putWord(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}

/** The remainder of data(x)·x^parity divided by g(x) (the parity of `data[0..len)`), into `out[at..at+parity)`. */
function remainder(data: Uint8Array, parity: number, out: Uint8Array, at: number, len = data.length): void {
  if (parity === PACKED_PARITY) {
    // Polynomial long division by the monic g (an LFSR), four remainder symbols per 32-bit word.
    const t = packedGenerator();
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    for (let i = 0; i < len; i++) {
      const c = data[i]! ^ (r0 >>> 24);
      const lo = (c & 15) << 2;
      const hi = 64 + ((c >>> 4) << 2);
      r0 = ((r0 << 8) | (r1 >>> 24)) ^ t[lo]! ^ t[hi]!;
      r1 = ((r1 << 8) | (r2 >>> 24)) ^ t[lo + 1]! ^ t[hi + 1]!;
      r2 = ((r2 << 8) | (r3 >>> 24)) ^ t[lo + 2]! ^ t[hi + 2]!;
      r3 = (r3 << 8) ^ t[lo + 3]! ^ t[hi + 3]!;
    }
    putWord(out, at, r0);
    putWord(out, at + 4, r1);
    putWord(out, at + 8, r2);
    putWord(out, at + 12, r3);
    return;
  }
  const g = rsGenerator(parity);
  const rem = new Uint8Array(parity + 1);
  for (let i = 0; i < len; i++) {
    const coef = data[i]! ^ rem[0]!;
    for (let j = 0; j < parity; j++) rem[j] = rem[j + 1]! ^ MUL[(g[j + 1]! << 8) | coef]!;
  }
  out.set(rem.subarray(0, parity), at);
}

/** The codeword for `data`: data followed by `parity` check symbols. */
export function rsEncode(data: Uint8Array, parity: number): Uint8Array {
  const out = new Uint8Array(data.length + parity);
  out.set(data);
  rsParityInto(data, parity, out, data.length);
  return out;
}

/** The `parity` check symbols of `data` (the remainder of data(x)·x^2t mod g(x)), into `out[at..]`. */
export function rsParityInto(data: Uint8Array, parity: number, out: Uint8Array, at: number): void {
  checkParams(data.length + parity, parity);
  remainder(data, parity, out, at);
}

/** Scratch for a remainder (decoding is synchronous and never nested). */
const remScratch = new Uint8Array(254);

/**
 * R(x) = word(x) mod g(x), highest power first, in one LFSR pass: the data part's encoding XOR the received
 * parity, into `r` (`parity` symbols). All zero (returns true) exactly when `word` is a codeword; otherwise
 * the syndromes are R at the roots of g (word(α^j) = R(α^j) because g(α^j) = 0), a 2t-symbol evaluation
 * instead of one over the whole word.
 */
function wordRemainder(word: Uint8Array, n: number, parity: number, r: Uint8Array): boolean {
  const k = n - parity;
  remainder(word, parity, r, 0, k);
  let zero = true;
  for (let j = 0; j < parity; j++) {
    r[j] = r[j]! ^ word[k + j]!;
    if (r[j] !== 0) zero = false;
  }
  return zero;
}

/**
 * For the protocol's 16 parity symbols: XD[16·d .. 16·d + 16) = x^d mod g(x), d = 0..254, highest power
 * first. One wrong symbol of value e at power d leaves exactly the remainder e·(x^d mod g).
 */
let XD: Uint8Array | null = null;
function powerRemainders(): Uint8Array {
  if (XD) return XD;
  const t = new Uint8Array(255 * PACKED_PARITY);
  const one = new Uint8Array(256);
  for (let d = 0; d < 255; d++) {
    // x^d as a word of d + 1 symbols (1 then d zeros): its remainder without the parity part.
    if (d < PACKED_PARITY) t[d * PACKED_PARITY + PACKED_PARITY - 1 - d] = 1;
    else {
      one.fill(0);
      one[0] = 1;
      remainder(one.subarray(0, d + 1 - PACKED_PARITY), PACKED_PARITY, t, d * PACKED_PARITY);
    }
  }
  return (XD = t);
}

/**
 * S_j = R(α^(j+fcr)), j < parity, for R = word mod g (`r`, highest power first, `parity` symbols): the sum
 * of r_i·α^((j+fcr)(parity-1-i)) through the log/antilog tables (small, so they stay in the CPU cache on
 * this path, which runs only for damaged blocks).
 */
function syndromes(r: Uint8Array, parity: number): Uint8Array {
  const s = new Uint8Array(parity);
  for (let i = 0; i < parity; i++) {
    const c = r[i]!;
    if (c === 0) continue;
    const lc = LOG[c]!;
    const power = parity - 1 - i;
    // Exponent (j + fcr)·power mod 255, stepped by `power`: EXP is doubled, so lc + ex needs no modulo.
    let ex = (RS_FCR * power) % 255;
    for (let j = 0; j < parity; j++) {
      s[j] = s[j]! ^ EXP[lc + ex]!;
      ex += power;
      if (ex >= 255) ex -= 255;
    }
  }
  return s;
}

/** p(x) with coefficients lowest power first. */
function evalLow(p: Uint8Array | number[], x: number): number {
  if (x === 0) return p[0] ?? 0;
  const lx = LOG[x]!;
  let acc = 0;
  for (let i = p.length - 1; i >= 0; i--) acc = (acc === 0 ? 0 : EXP[LOG[acc]! + lx]!) ^ p[i]!;
  return acc;
}

/**
 * a·b through the 768 bytes of log/antilog tables, for the repair shortcuts: they run for damaged frames
 * only, when a row of the 64 KiB product table is likely out of the CPU cache.
 */
const mulLog = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** v·α: a shift and a conditional reduction. */
const xt = (v: number): number => (v << 1) ^ (v & 0x80 ? RS_PRIMITIVE_POLY : 0);

/**
 * The most common repair, one wrong symbol, from the remainder alone (16 parity symbols): with fcr 0 a
 * single error of value e at X = α^d gives S_0 = e and S_1 = e·X, and S_0 = R(1), S_1 = R(α) take 16 steps
 * each with no table (multiplying by α is a shift and a conditional XOR). The candidate is then exact: it
 * is the error if and only if R = e·(x^d mod g), i.e. the word minus e·x^d is a codeword. False when R is
 * not that of one error (the general decoder takes over).
 */
function singleErrorFromRemainder(word: Uint8Array, n: number, r: Uint8Array): boolean {
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < PACKED_PARITY; i++) {
    const c = r[i]!;
    s0 ^= c;
    s1 = xt(s1) ^ c;
  }
  if (s0 === 0 || s1 === 0) return false;
  const d = (LOG[s1]! + 255 - LOG[s0]!) % 255;
  const pos = n - 1 - d;
  if (pos < 0) return false; // the error would lie outside this (shortened) codeword
  const t = powerRemainders();
  for (let i = 0, at = d * PACKED_PARITY; i < PACKED_PARITY; i++, at++)
    if (r[i] !== mulLog(s0, t[at]!)) return false;
  word[pos] = word[pos]! ^ s0;
  return true;
}

/** QSOL[c] = a y with y² + y = c, or -1 when there is none (then y² + y + c has no root in the field). */
const QSOL = (() => {
  const t = new Int16Array(256).fill(-1);
  for (let y = 0; y < 256; y++) t[MUL[(y << 8) | y]! ^ y] = y;
  return t;
})();

/**
 * Two wrong symbols, also from the remainder alone (16 parity symbols; Peterson's method): S_0..S_3 from R
 * without tables, then the locator z² + σ1·z + σ2 whose roots X1, X2 satisfy S_(j+2) = σ1·S_(j+1) + σ2·S_j,
 * its roots by the table of solutions of y² + y = c (z = σ1·y), the values from S_0 and S_1. The candidate
 * is exact: it is the error pattern if and only if R = e1·(x^d1 mod g) + e2·(x^d2 mod g). False otherwise
 * (the general decoder takes over).
 */
function doubleErrorFromRemainder(word: Uint8Array, n: number, r: Uint8Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < PACKED_PARITY; i++) {
    const c = r[i]!;
    s0 ^= c;
    s1 = xt(s1) ^ c;
    s2 = xt(xt(s2)) ^ c;
    s3 = xt(xt(xt(s3))) ^ c;
  }
  // Products through log/antilog (mulLog), as in the one-error check: the product table is cold here.
  const det = mulLog(s1, s1) ^ mulLog(s0, s2);
  if (det === 0) return false;
  const sigma1 = gfDiv(mulLog(s1, s2) ^ mulLog(s0, s3), det);
  const sigma2 = gfDiv(mulLog(s1, s3) ^ mulLog(s2, s2), det);
  if (sigma1 === 0 || sigma2 === 0) return false;
  const y = QSOL[gfDiv(sigma2, mulLog(sigma1, sigma1))]!;
  if (y <= 0) return false; // no root in the field (y = 0 would make X1 = 0: not a locator)
  const x1 = mulLog(sigma1, y);
  const x2 = x1 ^ sigma1;
  if (x2 === 0) return false;
  const d1 = LOG[x1]!;
  const d2 = LOG[x2]!;
  if (d1 > n - 1 || d2 > n - 1) return false; // a root outside this (shortened) codeword
  const e1 = gfDiv(s1 ^ mulLog(s0, x2), sigma1);
  const e2 = s0 ^ e1;
  if (e1 === 0 || e2 === 0) return false;
  const t = powerRemainders();
  for (let i = 0, a1 = d1 * PACKED_PARITY, a2 = d2 * PACKED_PARITY; i < PACKED_PARITY; i++, a1++, a2++)
    if (r[i] !== (mulLog(e1, t[a1]!) ^ mulLog(e2, t[a2]!))) return false;
  word[n - 1 - d1] = word[n - 1 - d1]! ^ e1;
  word[n - 1 - d2] = word[n - 1 - d2]! ^ e2;
  return true;
}

/** 3x3 determinant over GF(2^8) (char 2: every sign is +). */
function det3(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
  i: number,
) {
  return (
    mulLog(a, mulLog(e, i) ^ mulLog(f, h)) ^
    mulLog(b, mulLog(d, i) ^ mulLog(f, g)) ^
    mulLog(c, mulLog(d, h) ^ mulLog(e, g))
  );
}

/**
 * Roots of the two cubics the three-error shortcut reduces to, four slots per value c (count, then up to
 * three roots): z³ + z = c from offset 0, y³ = c from offset 1024. Built on first use (4 KiB).
 */
let CUBIC: Int16Array | null = null;
function cubicRoots(): Int16Array {
  if (CUBIC) return CUBIC;
  const t = new Int16Array(2 * 256 * 4);
  const add = (at: number, root: number): void => {
    t[at + 1 + t[at]!] = root;
    t[at] = t[at]! + 1;
  };
  for (let z = 0; z < 256; z++) {
    const z3 = mulLog(mulLog(z, z), z);
    add((z3 ^ z) * 4, z);
    if (z !== 0) add(1024 + z3 * 4, z);
  }
  return (CUBIC = t);
}

/**
 * Three wrong symbols from the remainder (16 parity symbols; Peterson's method, like the two-error
 * shortcut): S_0..S_5 from R, the locator x³ + σ1·x² + σ2·x + σ3 from S_(j+3) = σ1·S_(j+2) + σ2·S_(j+1) +
 * σ3·S_j (Cramer's rule), its roots X1..X3 by reducing it to z³ + z = c or y³ = c and a table of their
 * roots (no Chien search), the values from S_0..S_2. The candidate is exact: it is the error pattern if and
 * only if R = Σ e_k·(x^d_k mod g). False otherwise (Berlekamp-Massey takes over).
 */
function tripleErrorFromRemainder(word: Uint8Array, n: number, r: Uint8Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  // S_j = R(α^j) by Horner, multiplying by α^j as an exponent step.
  const step = (v: number, j: number): number => (v === 0 ? 0 : EXP[LOG[v]! + j]!);
  for (let i = 0; i < PACKED_PARITY; i++) {
    const c = r[i]!;
    s0 ^= c;
    s1 = step(s1, 1) ^ c;
    s2 = step(s2, 2) ^ c;
    s3 = step(s3, 3) ^ c;
    s4 = step(s4, 4) ^ c;
    s5 = step(s5, 5) ^ c;
  }
  const det = det3(s2, s1, s0, s3, s2, s1, s4, s3, s2);
  if (det === 0) return false;
  const sigma1 = gfDiv(det3(s3, s1, s0, s4, s2, s1, s5, s3, s2), det);
  const sigma2 = gfDiv(det3(s2, s3, s0, s3, s4, s1, s4, s5, s2), det);
  const sigma3 = gfDiv(det3(s2, s1, s3, s3, s2, s4, s4, s3, s5), det);
  if (sigma3 === 0) return false; // a root at 0 is not a locator
  // x = y + σ1 gives y³ + p·y + q; with p ≠ 0, y = √p·z gives z³ + z = q / √p³.
  const p = mulLog(sigma1, sigma1) ^ sigma2;
  const q = mulLog(sigma1, sigma2) ^ sigma3;
  const t = cubicRoots();
  let at: number;
  let scale = 1;
  if (p === 0) {
    if (q === 0) return false;
    at = 1024 + q * 4;
  } else {
    scale = EXP[(LOG[p]! * 128) % 255]!; // √p: squaring is a bijection, and 2·128 ≡ 1 mod 255
    at = gfDiv(q, mulLog(mulLog(scale, scale), scale)) * 4;
  }
  if (t[at] !== 3) return false;
  const x1 = mulLog(scale, t[at + 1]!) ^ sigma1;
  const x2 = mulLog(scale, t[at + 2]!) ^ sigma1;
  const x3 = mulLog(scale, t[at + 3]!) ^ sigma1;
  if (x1 === 0 || x2 === 0 || x3 === 0) return false;
  const d1 = LOG[x1]!;
  const d2 = LOG[x2]!;
  const d3 = LOG[x3]!;
  if (d1 > n - 1 || d2 > n - 1 || d3 > n - 1) return false; // a root outside this (shortened) codeword
  // e_k = (S_2 + (X_l + X_m)·S_1 + X_l·X_m·S_0) / ((X_k + X_l)(X_k + X_m)), {k, l, m} = {1, 2, 3}.
  const value = (xk: number, xl: number, xm: number): number =>
    gfDiv(s2 ^ mulLog(xl ^ xm, s1) ^ mulLog(mulLog(xl, xm), s0), mulLog(xk ^ xl, xk ^ xm));
  const e1 = value(x1, x2, x3);
  const e2 = value(x2, x1, x3);
  const e3 = value(x3, x1, x2);
  if (e1 === 0 || e2 === 0 || e3 === 0) return false;
  const xd = powerRemainders();
  for (let i = 0; i < PACKED_PARITY; i++) {
    const v =
      mulLog(e1, xd[d1 * PACKED_PARITY + i]!) ^
      mulLog(e2, xd[d2 * PACKED_PARITY + i]!) ^
      mulLog(e3, xd[d3 * PACKED_PARITY + i]!);
    if (r[i] !== v) return false;
  }
  word[n - 1 - d1] = word[n - 1 - d1]! ^ e1;
  word[n - 1 - d2] = word[n - 1 - d2]! ^ e2;
  word[n - 1 - d3] = word[n - 1 - d3]! ^ e3;
  return true;
}

/**
 * The one-error shortcut on its own (16 parity symbols; exported for its tests): repairs `word` in place and
 * returns true when it is a codeword with exactly one wrong symbol, else false and `word` is unchanged.
 */
export function rsRepairSingleError(word: Uint8Array): boolean {
  checkParams(word.length, PACKED_PARITY);
  if (word.length <= PACKED_PARITY) return false;
  const n = word.length;
  return !wordRemainder(word, n, PACKED_PARITY, remScratch) && singleErrorFromRemainder(word, n, remScratch);
}

/** The two-error shortcut on its own (exported for its tests), like rsRepairSingleError. */
export function rsRepairDoubleError(word: Uint8Array): boolean {
  checkParams(word.length, PACKED_PARITY);
  if (word.length <= PACKED_PARITY) return false;
  const n = word.length;
  return !wordRemainder(word, n, PACKED_PARITY, remScratch) && doubleErrorFromRemainder(word, n, remScratch);
}

/** The three-error shortcut on its own (exported for its tests), like rsRepairSingleError. */
export function rsRepairTripleError(word: Uint8Array): boolean {
  checkParams(word.length, PACKED_PARITY);
  if (word.length <= PACKED_PARITY) return false;
  const n = word.length;
  return !wordRemainder(word, n, PACKED_PARITY, remScratch) && tripleErrorFromRemainder(word, n, remScratch);
}

/**
 * One wrong symbol from the syndromes (any parity): S_j = e·X^j, so e = S_0 and X = S_1 / S_0, and every
 * later syndrome must follow. False when the syndromes are not those of one error.
 */
function singleError(word: Uint8Array, n: number, s: Uint8Array, parity: number): boolean {
  const e = s[0]!;
  if (e === 0 || s[1] === 0) return false;
  // Through the 768-byte log/antilog tables, not the 64 KiB product table: this runs on some frames only,
  // when the product table is mostly out of the CPU cache.
  const lx = (LOG[s[1]!]! + 255 - LOG[e]!) % 255;
  for (let j = 1; j + 1 < parity; j++) {
    const sj = s[j]!;
    if (sj === 0 || s[j + 1] !== EXP[LOG[sj]! + lx]) return false;
  }
  const pos = n - 1 - lx;
  if (pos < 0) return false; // the error would lie outside this (shortened) codeword
  word[pos] = word[pos]! ^ e;
  return true;
}

export interface RsDecoded {
  /** The corrected codeword (a copy; data then parity). */
  codeword: Uint8Array;
  /** Symbols changed (errors and erasures that were actually wrong). */
  corrected: number;
}

/**
 * Decode a received codeword of `parity` check symbols. `erasures` are indices (0-based, into `received`)
 * known to be unreliable. Returns null when the errors are detected as uncorrectable.
 */
export function rsDecode(
  received: Uint8Array,
  parity: number,
  erasures: readonly number[] = [],
): RsDecoded | null {
  const codeword = received.slice();
  const corrected = rsDecodeInPlace(codeword, parity, erasures);
  return corrected < 0 ? null : { codeword, corrected };
}

/**
 * rsDecode on `received[0..n)` itself, without a copy (for callers with a scratch buffer, which pass the
 * word's length rather than a view: a view is an allocation): the number of symbols changed, or -1 when the
 * errors are uncorrectable (the word's contents are then meaningless).
 */
export function rsDecodeInPlace(
  received: Uint8Array,
  parity: number,
  erasures: readonly number[] = [],
  n = received.length,
): number {
  if (!Number.isInteger(n) || n < 0 || n > received.length)
    throw new RangeError(`word length ${n} out of range`);
  checkParams(n, parity);
  const erased = erasures.length === 0 ? erasures : [...new Set(erasures)];
  for (const e of erased)
    if (!Number.isInteger(e) || e < 0 || e >= n) throw new RangeError('erasure out of range');
  if (n <= parity) return -1;
  // A clean block (almost every block): its remainder is zero, nothing more to compute.
  const r = remScratch;
  if (wordRemainder(received, n, parity, r)) return 0;
  const rho = erased.length;
  if (rho > parity) return -1;
  if (rho === 0 && parity === PACKED_PARITY) {
    if (singleErrorFromRemainder(received, n, r)) return 1;
    if (doubleErrorFromRemainder(received, n, r)) return 2;
    if (tripleErrorFromRemainder(received, n, r)) return 3;
  }
  const s = syndromes(r, parity);
  if (rho === 0 && parity !== PACKED_PARITY && singleError(received, n, s, parity)) return 1;

  // Polynomials below are lowest power first, in fixed-size arrays (degree < SIZE), no allocation per step.
  // Products through log/antilog (mulLog): this runs for badly damaged blocks only, and a lookup in a cold
  // 64 KiB product table costs more than the two extra lookups in the warm 768 bytes.
  const SIZE = parity + 2;
  // Erasure locator Γ(x) = Π (1 - X_i x), X_i = α^(n-1-index).
  let lambda = new Uint8Array(SIZE);
  lambda[0] = 1;
  for (let e = 0; e < rho; e++) {
    const x = gfPow2(n - 1 - erased[e]!);
    for (let i = e + 1; i > 0; i--) lambda[i] = lambda[i]! ^ mulLog(lambda[i - 1]!, x);
  }

  // Berlekamp-Massey, seeded with Γ so that it finds the errata locator (errors and erasures). Plain loops
  // and swapped buffers rather than copyWithin/set: each of those is a builtin call, dearer than 18 bytes.
  const b = lambda.slice();
  let t = new Uint8Array(SIZE);
  let l = rho;
  for (let r = rho + 1; r <= parity; r++) {
    // After step r neither Λ nor B has a degree above r (each step raises them by at most one, from
    // Γ's degree rho at step rho): the loops stop there, and the terms beyond stay zero.
    const top = Math.min(SIZE - 1, r);
    let delta = 0;
    for (let j = 0; j <= r - 1 && j < SIZE; j++) delta ^= mulLog(lambda[j]!, s[r - 1 - j]!);
    // x·B(x): B's degree stays below SIZE (it is at most parity)
    for (let j = top; j > 0; j--) b[j] = b[j - 1]!;
    b[0] = 0;
    if (delta === 0) continue;
    for (let j = 0; j <= top; j++) t[j] = lambda[j]! ^ mulLog(delta, b[j]!);
    if (2 * l <= r + rho - 1) {
      l = r + rho - l;
      // B = Λ / delta, from the old Λ: written into B's own buffer.
      const inv = EXP[255 - LOG[delta]!]!;
      for (let j = 0; j <= top; j++) b[j] = mulLog(lambda[j]!, inv);
    }
    const old = lambda;
    lambda = t;
    t = old;
  }
  let degree = SIZE - 1;
  while (degree > 0 && lambda[degree] === 0) degree--;
  if (degree !== l || 2 * (l - rho) + rho > parity) return -1;

  // Chien search over the n positions that exist (roots elsewhere mean a wrong locator): Λ(X^-1) = 0 with
  // X^-1 = α^-(n-1-i).
  // Term j of Λ(X^-1) is λ_j·α^(j·e) with e = -(n-1-i) mod 255, which grows by 1 per position: each term's
  // exponent steps by j (no modulo per term).
  const positions: number[] = [];
  const termLog = new Int32Array(degree + 1);
  const e0 = (255 - ((n - 1) % 255)) % 255;
  for (let j = 1; j <= degree; j++) termLog[j] = lambda[j] === 0 ? -1 : (LOG[lambda[j]!]! + j * e0) % 255;
  for (let i = 0; i < n; i++) {
    let acc = lambda[0]!;
    for (let j = 1; j <= degree; j++) {
      const l = termLog[j]!;
      if (l < 0) continue;
      acc ^= EXP[l]!;
      termLog[j] = l + j >= 255 ? l + j - 255 : l + j;
    }
    if (acc === 0) positions.push(i);
  }
  if (positions.length !== degree) return -1;

  // Forney: Ω(x) = S(x)Λ(x) mod x^2t; e = X^(1-fcr) Ω(X^-1) / Λ'(X^-1).
  const omega = new Uint8Array(parity);
  for (let i = 0; i < parity; i++) {
    let acc = 0;
    for (let j = 0; j <= degree && j <= i; j++) acc ^= mulLog(s[i - j]!, lambda[j]!);
    omega[i] = acc;
  }
  const deriv = new Uint8Array(degree); // Λ'(x): odd-power terms shifted down (characteristic 2)
  for (let i = 1; i <= degree; i += 2) deriv[i - 1] = lambda[i]!;
  const out = received;
  let corrected = 0;
  // The result must be a codeword; anything else is an uncorrectable pattern. Its syndromes are the
  // received ones minus those of the correction, so it is one exactly when Σ e_k·X_k^(j+fcr) = S_j for
  // every j: 2t·ν steps instead of another pass over the word.
  const check = new Uint8Array(parity);
  for (const i of positions) {
    const power = (n - 1 - i) % 255;
    const x = EXP[power]!;
    const xInv = gfDiv(1, x);
    const den = evalLow(deriv, xInv);
    if (den === 0) return -1;
    const mag = mulLog(mulLog(gfPow2((1 - RS_FCR) * (n - 1 - i)), evalLow(omega, xInv)), gfDiv(1, den));
    if (mag === 0) continue;
    corrected++;
    out[i] = out[i]! ^ mag;
    let e = (LOG[mag]! + RS_FCR * power) % 255;
    for (let j = 0; j < parity; j++) {
      check[j] = check[j]! ^ EXP[e]!;
      e += power;
      if (e >= 255) e -= 255;
    }
  }
  for (let j = 0; j < parity; j++) if (check[j] !== s[j]) return -1;
  return corrected;
}
