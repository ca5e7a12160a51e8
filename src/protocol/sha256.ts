/**
 * HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256) for the per-frame MAC, in plain TypeScript.
 *
 * Why not node:crypto: a MAC covers ~50 bytes, and createHmac's per-call cost (a native object, the key
 * imported again, buffers) was about a fifth of an interrogation's round trip over the pty. Here the key's
 * inner and outer pad blocks are compressed once per session (`macKey`), so each MAC is two or three
 * compressions of 64 bytes and no allocation beyond the result. The test suite checks it against
 * node:crypto on random keys and messages, and against the RFC 4231 vectors.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
const W = new Int32Array(64);

/** One compression of the 64 bytes at `block[at..]` into `h` (eight 32-bit words). */
function compress(h: Int32Array, block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4)
    W[i] = (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

const tail = new Uint8Array(2 * BLOCK);

/**
 * Finish a hash whose state `h` has absorbed `prefix` bytes (a multiple of 64): absorb `msg[0..len)`, pad,
 * and write the 32-byte digest to `out`.
 */
function finish(h: Int32Array, prefix: number, msg: Uint8Array, len: number, out: Uint8Array): void {
  let at = 0;
  for (; at + BLOCK <= len; at += BLOCK) compress(h, msg, at);
  const rest = len - at;
  const blocks = rest + 9 <= BLOCK ? 1 : 2;
  const end = blocks * BLOCK;
  // Plain loops over the bytes in use (fill/set/subarray are builtin calls, dearer than ~60 bytes).
  for (let i = 0; i < rest; i++) tail[i] = msg[at + i]!;
  tail[rest] = 0x80;
  for (let i = rest + 1; i < end - 5; i++) tail[i] = 0;
  // Message length in bits, big-endian u64 (our messages are far below 2^32 bits).
  const bits = (prefix + len) * 8;
  tail[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = (bits >>> 16) & 0xff;
  tail[end - 2] = (bits >>> 8) & 0xff;
  tail[end - 1] = bits & 0xff;
  compress(h, tail, 0);
  if (blocks === 2) compress(h, tail, BLOCK);
  for (let i = 0; i < 8; i++) {
    const v = h[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
}

/** SHA-256 of `msg`. */
export function sha256(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  finish(IV.slice(), 0, msg, msg.length, out);
  return out;
}

/** A key prepared for HMAC-SHA256: the states after its inner and outer pad blocks. */
export interface MacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

export function macKey(key: Uint8Array): MacKey {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? sha256(key) : key);
  const pad = new Uint8Array(BLOCK);
  const inner = IV.slice();
  const outer = IV.slice();
  for (let i = 0; i < BLOCK; i++) pad[i] = k[i]! ^ 0x36;
  compress(inner, pad, 0);
  for (let i = 0; i < BLOCK; i++) pad[i] = k[i]! ^ 0x5c;
  compress(outer, pad, 0);
  return { inner, outer };
}

const state = new Int32Array(8);
const innerDigest = new Uint8Array(32);

/** HMAC-SHA256(key, msg), 32 bytes. */
export function hmacSha256(key: MacKey, msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  hmacSha256Into(key, msg, msg.length, out);
  return out;
}

/** HMAC-SHA256(key, msg[0..len)) into `out` (32 bytes): no allocation. */
export function hmacSha256Into(key: MacKey, msg: Uint8Array, len: number, out: Uint8Array): void {
  for (let i = 0; i < 8; i++) state[i] = key.inner[i]!;
  finish(state, BLOCK, msg, len, innerDigest);
  for (let i = 0; i < 8; i++) state[i] = key.outer[i]!;
  finish(state, BLOCK, innerDigest, 32, out);
}
