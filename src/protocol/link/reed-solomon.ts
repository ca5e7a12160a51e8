/**
 * Reed-Solomon codes over GF(2^8), the textbook way (docs/protocol.md section 1.1).
 *
 * Field: GF(2^8) with primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), primitive element α = 2.
 * Generator: g(x) = (x - α^0)(x - α^1)…(x - α^(2t-1)), i.e. first consecutive root 0 (fcr = 0).
 * Codewords are systematic: the k data symbols, then the 2t parity symbols (the remainder of
 * data(x)·x^2t mod g(x)); symbol 0 is the coefficient of the highest power. Any length n <= 255 works
 * (a shortened code: the missing leading symbols are zeros).
 *
 * Decoding corrects ν errors and ρ erasures (known bad positions) whenever 2ν + ρ <= 2t: syndromes,
 * Berlekamp-Massey seeded with the erasure locator, Chien search, Forney. Beyond that it either returns
 * failure (detected) or, rarely, another valid codeword: callers keep an end-to-end check (the frame
 * CRC-32) for that case.
 */

export const RS_PRIMITIVE_POLY = 0x11d;
export const RS_FCR = 0;

/** EXP[i] = α^i (doubled, so that EXP[LOG[a] + LOG[b]] needs no modulo); LOG is its inverse. */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= RS_PRIMITIVE_POLY;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
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
  let g = Uint8Array.of(1);
  for (let i = 0; i < parity; i++) {
    // g · (x - α^(i+fcr)); minus is plus in characteristic 2.
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
  const out = new Uint8Array(data.length + parity);
  out.set(data);
  rsParityInto(data, parity, out, data.length);
  return out;
}

/**
 * The `parity` check symbols of `data` into `out[at..]`: the remainder of data(x)·x^2t divided by g(x), by
 * polynomial long division (a shift register: one step per data symbol).
 */
export function rsParityInto(data: Uint8Array, parity: number, out: Uint8Array, at: number): void {
  checkParams(data.length + parity, parity);
  const g = rsGenerator(parity);
  const rem = new Uint8Array(parity);
  for (const d of data) {
    // Shift the register one symbol, adding coef·g(x): g is monic, so its leading term cancels rem[0].
    const coef = d ^ rem[0]!;
    for (let j = 0; j < parity - 1; j++) rem[j] = rem[j + 1]! ^ gfMul(g[j + 1]!, coef);
    rem[parity - 1] = gfMul(g[parity]!, coef);
  }
  out.set(rem, at);
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
 * S_j = r(α^(j+fcr)), j = 0..parity-1, for the word r = word[0..n) (highest power first), by Horner's rule,
 * all 2t of them in one pass over the word. In logarithms: multiplying by α^(j+fcr) adds j+fcr to the
 * logarithm (no call, no modulo: EXP is doubled).
 */
function syndromes(word: Uint8Array, n: number, parity: number): Uint8Array {
  const s = new Uint8Array(parity);
  for (let i = 0; i < n; i++) {
    const r = word[i]!;
    for (let j = 0; j < parity; j++) {
      const acc = s[j]!;
      s[j] = (acc === 0 ? 0 : EXP[LOG[acc]! + j + RS_FCR]!) ^ r;
    }
  }
  return s;
}

/**
 * p(x) for p = p[0..length) lowest power first, at x = α^logX (0 <= logX <= 255), by Horner's rule in
 * logarithms.
 */
function evaluateAt(p: Uint8Array, length: number, logX: number): number {
  let acc = 0;
  for (let i = length - 1; i >= 0; i--) acc = (acc === 0 ? 0 : EXP[LOG[acc]! + logX]!) ^ p[i]!;
  return acc;
}

/**
 * rsDecode on `received[0..n)` in place (for a caller with a scratch buffer longer than the word): the number
 * of symbols changed, or -1 when the errors are uncorrectable (the word's contents are then meaningless).
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

  // 1. Syndromes: all zero exactly when the word is a codeword.
  const s = syndromes(received, n, parity);
  if (s.every((v) => v === 0)) return 0;
  const rho = erased.length;
  if (rho > parity) return -1;

  // Polynomials are arrays of 2t + 1 coefficients, lowest power first (no locator here has a higher degree).
  // Position i holds the coefficient of x^(n-1-i): its locator is X_i = α^(n-1-i), X_i^-1 = α^(255-(n-1-i)).
  const size = parity + 1;

  // 2. Erasure locator Γ(x) = Π (1 - X_i·x) over the erased positions (times (1 + X·x), term by term).
  const gamma = new Uint8Array(size);
  gamma[0] = 1;
  for (let d = 0; d < rho; d++) {
    const x = EXP[n - 1 - erased[d]!]!;
    for (let k = d + 1; k > 0; k--) gamma[k] = gamma[k]! ^ gfMul(gamma[k - 1]!, x);
  }

  // 3. Berlekamp-Massey seeded with Γ: Λ(x) becomes the errata locator (errors and erasures), of length L.
  const lambda = gamma.slice();
  const b = gamma.slice();
  const previous = new Uint8Array(size);
  let l = rho;
  for (let r = rho + 1; r <= parity; r++) {
    // The discrepancy: how far Λ is from generating S_(r-1) from the syndromes before it.
    let delta = 0;
    for (let j = 0; j <= r - 1; j++) delta ^= gfMul(lambda[j]!, s[r - 1 - j]!);
    b.copyWithin(1, 0, parity); // B(x) = x·B(x)
    b[0] = 0;
    if (delta === 0) continue;
    previous.set(lambda);
    for (let k = 0; k < size; k++) lambda[k] = lambda[k]! ^ gfMul(delta, b[k]!); // Λ = Λ + Δ·x·B
    if (2 * l <= r + rho - 1) {
      l = r + rho - l;
      for (let k = 0; k < size; k++) b[k] = gfDiv(previous[k]!, delta); // B = Λ_before / Δ
    }
  }
  let degree = parity;
  while (degree > 0 && lambda[degree] === 0) degree--;
  if (degree !== l || 2 * (l - rho) + rho > parity) return -1;

  // 4. Chien search: the errata are at the positions i whose X_i^-1 is a root of Λ; every root must be a
  // position of this (possibly shortened) word.
  const positions: number[] = [];
  for (let i = 0; i < n && positions.length < degree; i++)
    if (evaluateAt(lambda, degree + 1, 255 - (n - 1 - i)) === 0) positions.push(i);
  if (positions.length !== degree) return -1;

  // 5. Forney: Ω(x) = S(x)·Λ(x) mod x^2t; the value at X is X^(1-fcr)·Ω(X^-1) / Λ'(X^-1).
  const omega = new Uint8Array(parity);
  for (let k = 0; k < parity; k++)
    for (let j = 0; j <= k && j <= degree; j++) omega[k] = omega[k]! ^ gfMul(lambda[j]!, s[k - j]!);
  // Λ'(x): in characteristic 2 only the odd powers survive, each shifted down by one.
  const derivative = new Uint8Array(degree);
  for (let j = 1; j <= degree; j += 2) derivative[j - 1] = lambda[j]!;
  let corrected = 0;
  for (const i of positions) {
    const logX = n - 1 - i; // log X_i
    const den = evaluateAt(derivative, degree, 255 - logX);
    if (den === 0) return -1;
    const value = gfDiv(gfMul(gfPow2((1 - RS_FCR) * logX), evaluateAt(omega, parity, 255 - logX)), den);
    if (value === 0) continue; // an erasure that was right after all
    received[i] = received[i]! ^ value;
    corrected++;
    // Step 6 needs the corrected word's syndromes: S is linear in the word, so S_j changes by
    // value·X^(j+fcr) (rather than computing them again from all n symbols).
    for (let j = 0; j < parity; j++) s[j] = s[j]! ^ gfMul(value, gfPow2(logX * (j + RS_FCR)));
  }

  // 6. The result must be a codeword (its syndromes all zero); anything else is an uncorrectable pattern.
  return s.every((v) => v === 0) ? corrected : -1;
}
