/**
 * Authentication (protocol version 3): a per-session key derived from the configured key and both nonces;
 * every frame of a session carries a MAC under it, in both directions (the MAC itself: link/mac.ts); COMMIT
 * also carries a digest of the prepared change.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { CHANGE_DIGEST_BYTES } from '../messages/messages';

/**
 * The bench's demonstration key. NOT SECRET: it is published in the source and in docs/protocol.md so
 * that every bench and test talks to every simulated pump out of the box. Configure your own key for
 * anything that must resist a third party on the link.
 */
export const DEFAULT_DEMO_KEY: Uint8Array = new TextEncoder().encode('ITB-BENCH-DEMO-KEY-NOT-SECRET-01');

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

/** `n` bytes from the operating system's CSPRNG: every nonce's default source, at both ends. */
export function secureRandom(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}
