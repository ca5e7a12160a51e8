/**
 * CRC-32/ISO-HDLC (the CRC of Ethernet, zlib and PNG): width 32, poly 0x04C11DB7, init 0xFFFFFFFF,
 * refin true, refout true, xorout 0xFFFFFFFF, check 0xCBF43926 over ASCII "123456789".
 * Chosen over a 16-bit CRC because frames reach 4 KiB and the fuzz tests mutate thousands of frames.
 */
export const CRC32_CHECK = 0xcbf43926;

/**
 * Slicing-by-4 tables: T0 is the classic byte table (0xEDB88320 is 0x04C11DB7 bit-reversed, for refin/refout);
 * Tk[n] is T0 applied k more times, so four bytes are folded in per step. Every frame is checked once or
 * twice at each end, and this halves the cost of the byte-at-a-time loop. Int32Array: the CRC stays a
 * 32-bit integer in V8 (no unsigned values above 2^31 to box).
 */
const [T0, T1, T2, T3] = (() => {
  const t = [new Int32Array(256), new Int32Array(256), new Int32Array(256), new Int32Array(256)] as const;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0][n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0][n]!;
    for (let k = 1; k < 4; k++) {
      c = t[0][c & 0xff]! ^ (c >>> 8);
      t[k]![n] = c;
    }
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
  }
  for (; i < end; i++) c = T0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
