/**
 * Authentication (protocol version 3): a per-session key derived from the configured key and both nonces,
 * and an 8-byte truncated HMAC-SHA256 over the frame's header and payload (which contain the session id and
 * sequence number, so a MAC cannot be replayed into another session or at another sequence). Every frame
 * of a session carries one, in both directions; COMMIT also carries a digest of the prepared change.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The bench's demonstration key. NOT SECRET: it is published in the source and in docs/protocol.md so
 * that every bench and test talks to every simulated pump out of the box. Configure your own key for
 * anything that must resist a third party on the link.
 */
export const DEFAULT_DEMO_KEY: Uint8Array = new TextEncoder().encode('ITB-BENCH-DEMO-KEY-NOT-SECRET-01');

export const NONCE_BYTES = 8;
export const MAC_BYTES = 8;
export const CHANGE_DIGEST_BYTES = 16;
const CHANGE_LABEL = new TextEncoder().encode('ITB-PUMP-CHANGE-V1');

/**
 * The digest COMMIT carries: the first 16 bytes of SHA-256("ITB-PUMP-CHANGE-V1" | the PREPARE payload), the
 * label being those 18 ASCII bytes. The pump compares it with the change it holds under the token, so a
 * COMMIT applies only the change its sender prepared and reviewed.
 */
export function changeDigest(preparePayload: Uint8Array): Uint8Array {
  const h = createHash('sha256');
  h.update(CHANGE_LABEL);
  h.update(preparePayload);
  return new Uint8Array(h.digest().subarray(0, CHANGE_DIGEST_BYTES));
}
const SESSION_LABEL = new TextEncoder().encode('ITB-PUMP-SESSION-V1');

/** sessionKey = HMAC-SHA256(key, "ITB-PUMP-SESSION-V1" | sessionId u16 BE | pumpNonce | programmerNonce). */
export function deriveSessionKey(
  key: Uint8Array,
  sessionId: number,
  pumpNonce: Uint8Array,
  programmerNonce: Uint8Array,
): Uint8Array {
  const h = createHmac('sha256', key);
  h.update(SESSION_LABEL);
  h.update(Uint8Array.of(sessionId >>> 8, sessionId & 0xff));
  h.update(pumpNonce);
  h.update(programmerNonce);
  return new Uint8Array(h.digest());
}

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

/** `n` bytes from the operating system's CSPRNG: every nonce's default source, at both ends. */
export function secureRandom(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}
