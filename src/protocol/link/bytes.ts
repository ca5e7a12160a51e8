/**
 * Byte buffers for frames and payloads. V8 keeps a typed array of more than 64 bytes outside its heap: each
 * costs 0.5-1.3 us to create and is released later by a background sweeper (a status answer is 81 bytes on
 * the wire, so that was one per round trip). A shorter one lives on the heap until something asks for its
 * ArrayBuffer: the first `subarray` of a received frame (payload, MAC) moved it out at the same cost.
 * Buffers here are views into a shared slab instead (about 50 ns). A slab is never reused, only replaced
 * when full, so every view owns its bytes for as long as it lives; a slab is freed when no view of it is
 * left. Users must go through byteOffset/byteLength, never `.buffer` alone, and must not transfer the
 * underlying ArrayBuffer.
 */

const SLAB_BYTES = 16 * 1024;
/** Larger buffers get their own store: a slab is for many small ones. */
const MAX_SLAB_ALLOC = SLAB_BYTES / 4;

let slab = new ArrayBuffer(SLAB_BYTES);
let slabAt = 0;

/** `n` zeroed bytes. */
export function allocBytes(n: number): Uint8Array {
  if (n === 0 || n > MAX_SLAB_ALLOC) return new Uint8Array(n);
  if (slabAt + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabAt = 0;
  }
  const v = new Uint8Array(slab, slabAt, n);
  slabAt += (n + 7) & ~7; // 8-byte aligned starts
  return v;
}

/** A copy of `src[from..to)` (like `slice`, from allocBytes). */
export function copyBytes(src: Uint8Array, from: number, to: number): Uint8Array {
  const n = to - from;
  const v = allocBytes(n);
  // A loop for a frame-sized copy; `set` (a builtin call and a view, then memcpy) for a log page.
  if (n <= 256) for (let i = 0; i < n; i++) v[i] = src[from + i]!;
  else v.set(src.subarray(from, to));
  return v;
}
