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

/** The codeword for `data`: data followed by `parity` check symbols. */
export function rsEncode(data: Uint8Array, parity: number): Uint8Array {
  checkParams(data.length + parity, parity);
  const g = rsGenerator(parity);
  const out = new Uint8Array(data.length + parity);
  out.set(data);
  // Polynomial long division by the monic g (an LFSR); the remainder lands in the parity positions.
  const rem = new Uint8Array(parity + 1);
  for (let i = 0; i < data.length; i++) {
    const coef = data[i]! ^ rem[0]!;
    for (let j = 0; j < parity; j++) rem[j] = rem[j + 1]! ^ MUL[(g[j + 1]! << 8) | coef]!;
  }
  out.set(rem.subarray(0, parity), data.length);
  return out;
}

function syndromes(word: Uint8Array, parity: number): { s: Uint8Array; zero: boolean } {
  const s = new Uint8Array(parity);
  let zero = true;
  for (let j = 0; j < parity; j++) {
    // Horner's rule at α^(j+fcr), multiplications through the log tables (the hot loop of every frame).
    const row = gfPow2(j + RS_FCR) << 8;
    let acc = 0;
    for (let i = 0; i < word.length; i++) acc = MUL[row | acc]! ^ word[i]!;
    s[j] = acc;
    if (acc !== 0) zero = false;
  }
  return { s, zero };
}

/** p(x) with coefficients lowest power first. */
function evalLow(p: Uint8Array | number[], x: number): number {
  if (x === 0) return p[0] ?? 0;
  const lx = LOG[x]!;
  let acc = 0;
  for (let i = p.length - 1; i >= 0; i--) acc = (acc === 0 ? 0 : EXP[LOG[acc]! + lx]!) ^ p[i]!;
  return acc;
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
  const n = received.length;
  checkParams(n, parity);
  const erased = [...new Set(erasures)];
  if (erased.some((e) => !Number.isInteger(e) || e < 0 || e >= n))
    throw new RangeError('erasure out of range');
  if (n <= parity) return null;
  const { s, zero } = syndromes(received, parity);
  if (zero) return { codeword: received.slice(), corrected: 0 };
  const rho = erased.length;
  if (rho > parity) return null;

  // Erasure locator Γ(x) = Π (1 - X_i x), X_i = α^(n-1-index); lowest power first.
  let lambda: number[] = [1];
  for (const e of erased) {
    const x = gfPow2(n - 1 - e);
    const next = new Array<number>(lambda.length + 1).fill(0);
    for (let i = 0; i < lambda.length; i++) {
      next[i] = next[i]! ^ lambda[i]!;
      next[i + 1] = next[i + 1]! ^ gfMul(lambda[i]!, x);
    }
    lambda = next;
  }

  // Berlekamp-Massey, seeded with Γ so that it finds the errata locator (errors and erasures).
  let b = lambda.slice();
  let l = rho;
  for (let r = rho + 1; r <= parity; r++) {
    let delta = 0;
    for (let j = 0; j < lambda.length && j <= r - 1; j++) delta ^= gfMul(lambda[j]!, s[r - 1 - j]!);
    b = [0, ...b]; // x·B(x)
    if (delta === 0) continue;
    const t = lambda.slice();
    while (t.length < b.length) t.push(0);
    for (let j = 0; j < b.length; j++) t[j] = t[j]! ^ gfMul(delta, b[j]!);
    if (2 * l <= r + rho - 1) {
      l = r + rho - l;
      const inv = gfDiv(1, delta);
      b = lambda.map((c) => gfMul(c, inv));
    }
    lambda = t;
  }
  while (lambda.length > 1 && lambda[lambda.length - 1] === 0) lambda.pop();
  const degree = lambda.length - 1;
  if (degree !== l || 2 * (l - rho) + rho > parity) return null;

  // Chien search over the n positions that exist (roots elsewhere mean a wrong locator).
  const positions: number[] = [];
  for (let i = 0; i < n; i++) {
    if (evalLow(lambda, gfPow2(-(n - 1 - i))) === 0) positions.push(i);
  }
  if (positions.length !== degree) return null;

  // Forney: Ω(x) = S(x)Λ(x) mod x^2t; e = X^(1-fcr) Ω(X^-1) / Λ'(X^-1).
  const omega = new Array<number>(parity).fill(0);
  for (let i = 0; i < parity; i++)
    for (let j = 0; j < lambda.length && j <= i; j++) omega[i] = omega[i]! ^ gfMul(s[i - j]!, lambda[j]!);
  const deriv = lambda.map((c, i) => (i % 2 === 1 ? c : 0)).slice(1);
  const out = received.slice();
  let corrected = 0;
  for (const i of positions) {
    const x = gfPow2(n - 1 - i);
    const xInv = gfDiv(1, x);
    const den = evalLow(deriv, xInv);
    if (den === 0) return null;
    const mag = gfMul(gfMul(gfPow2((1 - RS_FCR) * (n - 1 - i)), evalLow(omega, xInv)), gfDiv(1, den));
    if (mag !== 0) corrected++;
    out[i] = out[i]! ^ mag;
  }
  // The result must be a codeword; anything else is an uncorrectable pattern.
  if (!syndromes(out, parity).zero) return null;
  return { codeword: out, corrected };
}
