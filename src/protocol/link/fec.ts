/**
 * Forward error correction and line coding of a frame (protocol version 2, docs/protocol.md section 1).
 *
 * The frame (header..CRC, m bytes) is cut into b = ceil(m / 200) blocks of as-equal-as-possible size (the
 * first m mod b blocks one byte longer). Each block becomes a Reed-Solomon codeword with 16 parity symbols
 * (RS(k + 16, k), t = 8, see reed-solomon.ts). Each codeword is then made zero-free by XOR with a mask byte
 * K, the smallest value in 1..255 that does not occur in the codeword (one exists: a codeword has at most
 * 216 < 255 symbols). On the line a block is K, K, codeword XOR K. So 0x00 never occurs inside a frame and
 * stays the delimiter, and a corrupted line byte is a corrupted symbol at the same position: errors stay
 * substitutions that RS repairs (COBS would turn one corrupted code byte into a shifted, unrepairable tail).
 * K is sent twice: if the copies differ, the decoder tries both.
 *
 * Line length: m + 18b, strictly increasing in m, so the receiver knows m (and the block layout) from the
 * length of what it received between delimiters.
 */
import { rsDecodeInPlace, rsParityInto } from './reed-solomon';

export const FEC_PARITY = 16;
/** Most frame bytes per Reed-Solomon block. */
export const FEC_BLOCK_DATA = 200;
/** Mask byte copies before each block's codeword. */
export const FEC_MASK_BYTES = 2;
const BLOCK_OVERHEAD = FEC_PARITY + FEC_MASK_BYTES;

function blockCount(m: number): number {
  return Math.ceil(m / FEC_BLOCK_DATA);
}

/** Data bytes of each block of an m-byte frame. */
export function blockSizes(m: number): number[] {
  const b = blockCount(m);
  if (b === 1) return [m]; // most frames: one block
  const base = Math.floor(m / b);
  return Array.from({ length: b }, (_, i) => base + (i < m % b ? 1 : 0));
}

/** Bytes on the line (between delimiters) for an m-byte frame. */
export function lineLength(m: number): number {
  return m + blockCount(m) * BLOCK_OVERHEAD;
}

/** The frame length whose line coding is `line` bytes long, or null when no frame has that length. */
export function frameLengthOfLine(line: number): number | null {
  for (let b = 1; ; b++) {
    const m = line - b * BLOCK_OVERHEAD;
    if (m < 1) return null;
    if (blockCount(m) === b) return m;
  }
}

/** Line coding of a frame: every byte non-zero. */
export function fecEncode(frame: Uint8Array): Uint8Array {
  if (frame.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(lineLength(frame.length));
  fecEncodeInto(frame, out, 0);
  return out;
}

const parityScratch = new Uint8Array(FEC_PARITY);

/** fecEncode written into `out` from `at` (lineLength(frame.length) bytes), with no intermediate buffers. */
export function fecEncodeInto(frame: Uint8Array, out: Uint8Array, at: number): void {
  const m = frame.length;
  if (m <= FEC_BLOCK_DATA) {
    encodeBlock(frame, out, at); // most frames: one block, no list of sizes, no view
    return;
  }
  let src = 0;
  let o = at;
  for (const k of blockSizes(m)) {
    encodeBlock(frame.subarray(src, src + k), out, o);
    src += k;
    o += k + BLOCK_OVERHEAD;
  }
}

/** One block: K, K, then the codeword (data, parity) XOR K, into `out` from `o`. */
function encodeBlock(data: Uint8Array, out: Uint8Array, o: number): void {
  const k = data.length;
  rsParityInto(data, FEC_PARITY, parityScratch, 0);
  const mask = maskOf(data, parityScratch);
  out[o++] = mask;
  out[o++] = mask;
  for (let i = 0; i < k; i++) out[o++] = data[i]! ^ mask;
  for (let i = 0; i < FEC_PARITY; i++) out[o++] = parityScratch[i]! ^ mask;
}

export interface FecDecoded {
  frame: Uint8Array;
  /** Symbols repaired. */
  corrected: number;
}

/**
 * The frame bytes of `line` read as if nothing were damaged: each block's data unmasked with its K, no RS.
 * Null when the length is not a line length or a block's mask copies disagree. The caller checks the CRC:
 * a good one means the frame arrived intact (parity bytes, if damaged, do not matter).
 */
export function fecUnmask(line: Uint8Array): Uint8Array | null {
  const m = frameLengthOfLine(line.length);
  if (m === null) return null;
  const frame = new Uint8Array(m);
  let at = 0;
  let dst = 0;
  for (const k of blockSizes(m)) {
    const mask = line[at]!;
    if (mask === 0 || line[at + 1] !== mask) return null;
    const body = at + FEC_MASK_BYTES;
    for (let i = 0; i < k; i++) frame[dst++] = line[body + i]! ^ mask;
    at = body + k + FEC_PARITY;
  }
  return frame;
}

/**
 * Frame byte `i` (within the first block's data) of `line` as received, unmasked with the first block's K,
 * with no repair; -1 when the mask copies disagree or the line is too short to hold that byte. With
 * `lostFront`, `line` is taken to have lost its first byte (the first copy of K): K is its first byte.
 */
export function fecPeek(line: Uint8Array, i: number, lostFront = false): number {
  const mask = line[0]!;
  const at = FEC_MASK_BYTES + i - (lostFront ? 1 : 0);
  if (line.length <= at || mask === 0 || (!lostFront && line[1] !== mask)) return -1;
  return line[at]! ^ mask;
}

/**
 * Undo the line coding and repair what RS can. `erasures` are indices into `line` known to be wrong (a
 * byte that arrived as 0x00 inside the frame). `leading` lists the values the frame's first bytes can take
 * (the frame layer knows the version byte and the flags): when both mask copies of the first block are
 * damaged, K is recovered from those bytes instead (K = received symbol XOR known value). Null when `line`
 * has no valid length or a block is beyond repair. A non-null result is a set of valid codewords, not yet a
 * valid frame: check the CRC.
 */
export function fecDecode(
  line: Uint8Array,
  erasures: readonly number[] = [],
  leading: readonly (readonly number[])[] = [],
): FecDecoded | null {
  const m = frameLengthOfLine(line.length);
  if (m === null) return null;
  const frame = new Uint8Array(m);
  const erased = erasures.length === 0 ? null : new Set(erasures);
  let corrected = 0;
  let at = 0;
  let dst = 0;
  const sizes = blockSizes(m);
  for (let blk = 0; blk < sizes.length; blk++) {
    const k = sizes[blk]!;
    const n = k + FEC_PARITY;
    const body = at + FEC_MASK_BYTES;
    const copy0 = erased?.has(at) ? 0 : line[at]!;
    const copy1 = erased?.has(at + 1) ? 0 : line[at + 1]!;
    const blockErasures: number[] = [];
    if (erased) for (let i = 0; i < n; i++) if (erased.has(body + i)) blockErasures.push(i);
    // Repairs of the best candidate so far (its data is already in `frame`), -1 while none decoded.
    let best = -1;
    let maskRepairs = 0;
    // The usual case: both copies agree (one RS decode). If they differ, each is tried, first the one that
    // fits the received block (K is the smallest value absent from the codeword, so every smaller value
    // occurs in it), and the one needing fewer repairs wins; a repair whose codeword has exactly that K is
    // taken at once (the other copy, a wrong K, leaves every symbol off by the same value: its decode would
    // fail, at the price of a full Berlekamp-Massey run and Chien search).
    // Every candidate K, a copy or not, must nearly fit the block: each value below the right K occurs in
    // the codeword, and damage can remove only one value per damaged symbol, so a K missing more values
    // than RS can repair symbols cannot be right and is not tried (on garbage, almost none is).
    const st = markLine(line, body, n);
    const repairable = blockErasures.length + Math.floor((FEC_PARITY - blockErasures.length) / 2);
    const swap = copy0 !== copy1 && missingBelow(copy0, st) > 0 && missingBelow(copy1, st) === 0;
    for (let c = 0; c < 2; c++) {
      const mask = (c === 0) !== swap ? copy0 : copy1;
      if (mask === 0 || (c === 1 && copy1 === copy0)) continue;
      if (missingBelow(mask, st) > repairable) continue;
      const d = decodeBlock(line, body, n, mask, blockErasures);
      if (d >= 0 && (best < 0 || d < best)) {
        best = d;
        maskRepairs = copy0 === copy1 ? 0 : 1;
        frame.set(word.subarray(0, k), dst);
        if (copy0 !== copy1 && maskOf(word.subarray(0, n)) === mask) break;
      }
    }
    if (best < 0 && blk === 0) {
      // Both copies damaged: candidates from the known leading bytes, each accepted only if K is then what
      // the sender would have chosen (the smallest value absent from the codeword). Those that fit the block
      // as received go first, but the others are tried too: damage can remove the only occurrence of a
      // value below the right K (the version byte, say), and then the right K does not fit. Each value
      // below K missing from the block needs a damaged symbol of its own, so a K missing more values than
      // RS can repair symbols is not tried (on garbage, most are).
      const tried = new Set([copy0, copy1, 0]);
      const candidates: number[] = [];
      for (let i = 0; i < leading.length && i < n; i++) {
        if (blockErasures.includes(i)) continue;
        for (const v of leading[i]!) {
          const mask = line[body + i]! ^ v;
          if (tried.has(mask)) continue;
          tried.add(mask);
          candidates.push(mask);
        }
      }
      const missing = candidates.map((mask) => missingBelow(mask, st));
      const order = [
        ...candidates.filter((_, c) => missing[c] === 0),
        ...candidates.filter((_, c) => missing[c]! > 0 && missing[c]! <= repairable),
      ];
      for (const mask of order) {
        const d = decodeBlock(line, body, n, mask, blockErasures);
        if (d >= 0 && maskOf(word.subarray(0, n)) === mask) {
          best = d;
          maskRepairs = 2;
          frame.set(word.subarray(0, k), dst);
          break;
        }
      }
    }
    if (best < 0 && blk > 0) {
      // Both copies of a later block's K damaged: no byte of it is known in advance, but K is the
      // smallest value absent from the codeword, and a wrong K leaves every symbol off by the same value
      // (RS cannot repair that). So every K that could fit the block is tried, those that fit it as
      // received first. Reached only once block 0 decoded (so this is a real frame's layout), and the
      // frame CRC still has the last word.
      const fits: number[] = [];
      const near: number[] = [];
      for (let mask = 1; mask < 256; mask++) {
        if (mask === copy0 || mask === copy1) continue;
        const missing = missingBelow(mask, st);
        if (missing === 0) fits.push(mask);
        else if (missing <= repairable) near.push(mask);
      }
      for (const mask of fits.concat(near)) {
        const d = decodeBlock(line, body, n, mask, blockErasures);
        if (d >= 0 && maskOf(word.subarray(0, n)) === mask) {
          best = d;
          maskRepairs = 2;
          frame.set(word.subarray(0, k), dst);
          break;
        }
      }
    }
    if (best < 0) return null;
    corrected += maskRepairs + best;
    dst += k;
    at = body + n;
  }
  return { frame, corrected };
}

/** Scratch for one block's codeword (at most 255 symbols; decoding is synchronous and never nested). */
const word = new Uint8Array(255);

/** Unmask the block at `line[body..body+n)` with `mask` into `word` and repair it there: repairs, or -1. */
function decodeBlock(
  line: Uint8Array,
  body: number,
  n: number,
  mask: number,
  erasures: readonly number[],
): number {
  for (let i = 0; i < n; i++) word[i] = line[body + i]! ^ mask;
  return rsDecodeInPlace(word, FEC_PARITY, erasures, n);
}

/** onLine[v] === its stamp: v occurs in the line block being decoded (a new stamp per block, no clearing). */
const onLine = new Int32Array(256);
let lineStamp = 0;

/** Mark the values of `line[body..body+n)`; returns the stamp for missingBelow. */
function markLine(line: Uint8Array, body: number, n: number): number {
  if (++lineStamp === 0x7fffffff) {
    onLine.fill(0);
    lineStamp = 1;
  }
  const st = lineStamp;
  for (let i = 0; i < n; i++) onLine[line[body + i]!] = st;
  return st;
}

/**
 * How many values below K = `mask` are missing from the marked block as received, that is, do not occur as
 * that value XOR K on the line. 0 when K fits (the sender's K fits the undamaged block); damage can make the
 * right K miss a value, but only one per damaged symbol.
 */
function missingBelow(mask: number, st: number): number {
  let missing = 0;
  for (let u = 1; u < mask; u++) if (onLine[u ^ mask] !== st) missing++;
  return missing;
}

/** seen[v] === stamp: v occurs in the codeword being masked (a new stamp per call, so no clearing). */
const seen = new Int32Array(256);
let stamp = 0;

/** The mask K of a codeword (`cw`, or `cw` then `more`): the smallest value in 1..255 absent from it. */
function maskOf(cw: Uint8Array, more?: Uint8Array): number {
  if (++stamp === 0x7fffffff) {
    seen.fill(0);
    stamp = 1;
  }
  const st = stamp;
  for (let i = 0; i < cw.length; i++) seen[cw[i]!] = st;
  if (more) for (let i = 0; i < more.length; i++) seen[more[i]!] = st;
  let k = 1;
  while (seen[k] === st) k++;
  return k;
}
