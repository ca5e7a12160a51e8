/**
 * The link statistics the programmer shows: counted by the protocol client, shown through the programmer
 * contract. A pure module (no zod) so that the protocol can use it without loading the contract's schemas.
 */
export interface LinkStats {
  framesSent: number;
  framesReceived: number;
  /** Retransmissions. */
  retries: number;
  /** Frames dropped for link damage (beyond FEC repair, CRC, length). */
  crcErrors: number;
  /** Frames accepted after forward error correction repaired them (not counted in crcErrors). */
  fecCorrected: number;
  /** Answer waits that expired (each one leads to a retry, or to LinkTimeoutError after the last). */
  timeouts: number;
  naks: number;
  /**
   * Frames from the pump refused for a missing or wrong MAC (protocol version 3): a wrong key, or someone
   * tampering with the line. Never counted as answers.
   */
  authFailures: number;
}

/** Link statistics before the first frame. */
export function emptyLinkStats(): LinkStats {
  return {
    framesSent: 0,
    framesReceived: 0,
    retries: 0,
    crcErrors: 0,
    fecCorrected: 0,
    timeouts: 0,
    naks: 0,
    authFailures: 0,
  };
}

/** Two links' counts added: a session's statistics across the links its reconnects replaced. */
export function addLinkStats(a: LinkStats, b: LinkStats): LinkStats {
  return {
    framesSent: a.framesSent + b.framesSent,
    framesReceived: a.framesReceived + b.framesReceived,
    retries: a.retries + b.retries,
    crcErrors: a.crcErrors + b.crcErrors,
    fecCorrected: a.fecCorrected + b.fecCorrected,
    timeouts: a.timeouts + b.timeouts,
    naks: a.naks + b.naks,
    authFailures: a.authFailures + b.authFailures,
  };
}
