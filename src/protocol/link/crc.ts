/**
 * CRC-32/ISO-HDLC (the CRC of Ethernet, zlib and PNG): width 32, poly 0x04C11DB7, init 0xFFFFFFFF,
 * refin true, refout true, xorout 0xFFFFFFFF, check 0xCBF43926 over ASCII "123456789".
 * Chosen over a 16-bit CRC because frames reach 4 KiB and the fuzz tests mutate thousands of frames.
 */
export const CRC32_CHECK = 0xcbf43926;

/**
 * The classic byte table (0xEDB88320 is 0x04C11DB7 bit-reversed, for refin/refout), 1 KiB. Slicing-by-4
 * (four tables, 4 KiB) is faster in a loop over many frames, but a frame is checked once, usually right
 * after the process wakes with the tables out of the CPU cache, and there the smaller table wins.
 * Int32Array: the CRC stays a 32-bit integer in V8 (no unsigned values above 2^31 to box).
 */
const T = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = T[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
