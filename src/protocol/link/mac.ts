/**
 * The frame's MAC field (protocol version 3): an 8-byte truncated HMAC-SHA256 over the frame's header and
 * payload, which contain the session id and sequence number, so a MAC cannot be replayed into another
 * session or at another sequence. It lives with the frame format because the frame carries it (the AUTH
 * flag and the field after the payload); the session layer (session/auth.ts) owns the keys.
 */
import { createHmac } from 'node:crypto';

export const MAC_BYTES = 8;

/** HMAC-SHA256(sessionKey, input[0..len)) from node:crypto (the protocol runs in Node at both ends). */
function hmac(sessionKey: Uint8Array, input: Uint8Array, len: number): Buffer {
  return createHmac('sha256', sessionKey).update(input.subarray(0, len)).digest();
}

/** The first 8 bytes of HMAC-SHA256(sessionKey, input). */
export function computeMac(sessionKey: Uint8Array, input: Uint8Array): Uint8Array {
  return new Uint8Array(hmac(sessionKey, input, input.length).subarray(0, MAC_BYTES));
}

/** The MAC of `buf[0..len)` written to `buf[len..len + 8)` (a frame being built). */
export function writeMac(sessionKey: Uint8Array, buf: Uint8Array, len: number): void {
  buf.set(hmac(sessionKey, buf, len).subarray(0, MAC_BYTES), len);
}

/** Whether `mac` is the MAC of `input`, compared in constant time. */
export function macMatches(sessionKey: Uint8Array, input: Uint8Array, mac: Uint8Array): boolean {
  if (mac.length !== MAC_BYTES) return false;
  return macEquals(mac, hmac(sessionKey, input, input.length).subarray(0, MAC_BYTES));
}

/**
 * Constant-time comparison (every byte is looked at, no early exit), as timingSafeEqual but without a
 * native call for 8 bytes.
 */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
