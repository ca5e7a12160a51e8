/**
 * CRC-32/ISO-HDLC (the CRC of Ethernet, zlib and PNG): width 32, poly 0x04C11DB7, init 0xFFFFFFFF,
 * refin true, refout true, xorout 0xFFFFFFFF, check 0xCBF43926 over ASCII "123456789".
 * Chosen over a 16-bit CRC because frames reach 4 KiB and the fuzz tests mutate thousands of frames.
 */
export const CRC32_CHECK = 0xcbf43926;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    // 0xEDB88320 is 0x04C11DB7 bit-reversed (refin/refout).
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
