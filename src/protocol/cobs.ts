/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker 1999): removes every 0x00 from a frame so that 0x00
 * can delimit frames unambiguously. Overhead: 1 byte per 254 bytes of input, plus 1.
 */

/** Encode `data` (may contain zeros); the result contains no 0x00 and no delimiter. */
export function cobsEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + Math.ceil(data.length / 254) + 1);
  let codeIndex = 0;
  let code = 1;
  let o = 1;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b !== 0) {
      out[o++] = b;
      code++;
    }
    if (b === 0 || code === 0xff) {
      out[codeIndex] = code;
      code = 1;
      codeIndex = o++;
      // A full 254-byte block at the very end needs no trailing empty block.
      if (b !== 0 && i === data.length - 1) {
        return out.subarray(0, codeIndex);
      }
    }
  }
  out[codeIndex] = code;
  return out.subarray(0, o);
}

/** Decode one COBS block (without its delimiter); null when it is not valid COBS. */
export function cobsDecode(enc: Uint8Array): Uint8Array | null {
  if (enc.length === 0) return null;
  const out = new Uint8Array(enc.length);
  let o = 0;
  let i = 0;
  while (i < enc.length) {
    const code = enc[i]!;
    if (code === 0) return null;
    i++;
    const end = i + code - 1;
    if (end > enc.length) return null;
    for (; i < end; i++) {
      const b = enc[i]!;
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code !== 0xff && i < enc.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
