/**
 * The link-fault injector: sits between the serial port and the protocol endpoint, one `LinkDirection`
 * per direction, and makes the line as bad as the bench asks (seeded, so a run can be reproduced).
 *
 * Frame-level faults (drop, duplicate) need frame boundaries: frames end with the protocol's 0x00
 * delimiter (around the FEC line coding), so bytes are held until a delimiter when those faults are on. With no faults at all
 * bytes pass straight through, untouched and without a timer, so a clean link costs nothing.
 */
import { createPrng, type Prng } from './prng';
import { NO_LINK_FAULTS, type LinkFaults } from './bench-schema';

export const FRAME_DELIMITER = 0x00;

/**
 * Bounds (a flood must not grow the sim's memory). A run between delimiters longer than the longest frame's
 * line coding cannot be a frame: held for frame-level faults, it is cut at this length (the rest is
 * discarded until the next delimiter, as the protocol's receiver does). Bytes delayed by latency or line
 * pacing are held up to MAX_DELAYED_BYTES per direction; beyond it new bytes are dropped (an overrun).
 */
export const MAX_HELD_RUN_BYTES = 4476 + 2;
export const MAX_DELAYED_BYTES = 256 * 1024;

export interface LinkDirectionStats {
  bytesIn: number;
  bytesOut: number;
  framesDropped: number;
  framesDuplicated: number;
  bytesCorrupted: number;
  bytesDiscarded: number;
  /** Bytes dropped because the delay queue was full (MAX_DELAYED_BYTES): a counted overrun. */
  bytesOverrun: number;
  /** Bytes of a run longer than any frame, discarded while held (MAX_HELD_RUN_BYTES). */
  bytesOverlong: number;
  /** Bytes now held or delayed. */
  bytesQueued: number;
}

export interface LinkDirection {
  push(chunk: Uint8Array): void;
  /** Drop anything held or queued (on disconnect, or shutdown). */
  flush(): void;
  /** The settings changed: what is already delayed is paced again under the new latency and baud. */
  retime(): void;
  stats(): LinkDirectionStats;
}

export interface LinkFaultInjector {
  /** Bytes from the serial port towards the endpoint. */
  readonly inbound: LinkDirection;
  /** Bytes from the endpoint towards the serial port. */
  readonly outbound: LinkDirection;
  get(): LinkFaults;
  /** Replace the settings (already validated); takes effect for the next bytes. */
  set(faults: LinkFaults): void;
  close(): void;
}

interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function isClean(f: LinkFaults): boolean {
  return (
    !f.disconnected &&
    f.corruptionRate === 0 &&
    f.dropRate === 0 &&
    f.duplicateRate === 0 &&
    f.latencyMs === 0 &&
    f.baud === 0
  );
}

function createDirection(
  deliver: (bytes: Uint8Array) => void,
  settings: () => LinkFaults,
  prng: Prng,
  timers: Timers,
): LinkDirection {
  // Bytes of an incomplete frame, held for frame-level faults (at most MAX_HELD_RUN_BYTES).
  const pending = new Uint8Array(MAX_HELD_RUN_BYTES);
  let pendingLen = 0;
  let overlong = false; // the held run passed the bound: discard until the next delimiter
  const scratch = new Uint8Array(8192);
  // Views of `scratch` by length, made once: a view is an allocation, and a frame is corrupted by length
  // (an interrogation's command and answer are always the same two lengths).
  const scratchViews = new Map<number, Uint8Array>();
  const scratchView = (n: number): Uint8Array => {
    let v = scratchViews.get(n);
    if (!v) scratchViews.set(n, (v = scratch.subarray(0, n)));
    return v;
  };
  const queue: { bytes: Uint8Array; dueAt: number }[] = [];
  let queuedBytes = 0;
  let timer: unknown = null;
  let lineFreeAt = 0; // when the emulated line finishes sending what is already queued
  const st: LinkDirectionStats = {
    bytesIn: 0,
    bytesOut: 0,
    framesDropped: 0,
    framesDuplicated: 0,
    bytesCorrupted: 0,
    bytesDiscarded: 0,
    bytesOverrun: 0,
    bytesOverlong: 0,
    bytesQueued: 0,
  };

  // Each byte is corrupted independently with probability r. Instead of one draw per byte, the number of
  // clean bytes before the next corrupted one is drawn (geometric: floor(ln U / ln(1 - r))), the same
  // distribution at one draw per corrupted byte; the count carries over from one chunk to the next.
  let gapRate = 0;
  let logKeep = 0; // ln(1 - gapRate)
  let gap = Infinity;
  const drawGap = (): number => (gapRate >= 1 ? 0 : Math.floor(Math.log(1 - prng.next()) / logKeep));
  /**
   * `bytes` with its corrupted bytes changed: a copy when any is (the caller's bytes are never changed),
   * in the scratch buffer when `inScratch` and it is large enough (for bytes delivered before this returns).
   */
  const corrupt = (bytes: Uint8Array, r: number, inScratch = false): Uint8Array => {
    if (r === 0) return bytes;
    if (r !== gapRate) {
      gapRate = r;
      logKeep = Math.log(1 - r);
      gap = drawGap();
    }
    if (gap >= bytes.length) {
      gap -= bytes.length;
      return bytes;
    }
    let out: Uint8Array;
    if (inScratch && bytes.length <= scratch.length) {
      out = scratchView(bytes.length);
      out.set(bytes);
    } else out = Uint8Array.from(bytes);
    let i = gap;
    while (i < out.length) {
      out[i] = out[i]! ^ (1 + prng.int(255)); // never XOR with 0: always a real change
      st.bytesCorrupted++;
      i += 1 + drawGap();
    }
    gap = i - out.length;
    return out;
  };

  const pump = (): void => {
    timer = null;
    const now = timers.now();
    while (queue.length > 0 && (queue[0]?.dueAt ?? Infinity) <= now) {
      const item = queue.shift()!;
      queuedBytes -= item.bytes.length;
      st.bytesOut += item.bytes.length;
      deliver(item.bytes);
    }
    const head = queue[0];
    if (head) timer = timers.setTimeout(pump, Math.max(0, head.dueAt - now));
  };

  const emit = (bytes: Uint8Array, f: LinkFaults): void => {
    if (bytes.length === 0) return;
    if (f.latencyMs === 0 && f.baud === 0 && queue.length === 0) {
      st.bytesOut += bytes.length;
      deliver(bytes);
      return;
    }
    if (queuedBytes + bytes.length > MAX_DELAYED_BYTES) {
      st.bytesOverrun += bytes.length;
      return;
    }
    const now = timers.now();
    const dueAt = dueTime(now, bytes.length, f, queue[queue.length - 1]?.dueAt ?? 0);
    // Delivered later: a copy, as the caller's bytes may be a scratch buffer.
    queue.push({ bytes: bytes.slice(), dueAt });
    queuedBytes += bytes.length;
    if (timer === null) timer = timers.setTimeout(pump, Math.max(0, dueAt - now));
  };

  /** When `length` bytes queued now leave: after the line is free (baud) plus latency, never reordered. */
  const dueTime = (now: number, length: number, f: LinkFaults, lastDue: number): number => {
    let dueAt = now + f.latencyMs;
    if (f.baud > 0) {
      // The line sends baud/10 bytes per second (8N1: 10 bit times per byte), one chunk after another.
      const start = Math.max(now, lineFreeAt);
      lineFreeAt = start + (length * 10_000) / f.baud;
      dueAt = lineFreeAt + f.latencyMs;
    }
    return Math.max(dueAt, lastDue);
  };

  const frameFaults = (frame: Uint8Array, f: LinkFaults): void => {
    // A lone delimiter (frames are sent as 0x00, line coding, 0x00) carries no frame: only byte faults apply.
    if (frame.length === 1) return emit(corrupt(frame, f.corruptionRate), f);
    if (f.dropRate > 0 && prng.next() < f.dropRate) {
      st.framesDropped++;
      st.bytesDiscarded += frame.length;
      return;
    }
    emit(corrupt(frame, f.corruptionRate), f);
    if (f.duplicateRate > 0 && prng.next() < f.duplicateRate) {
      st.framesDuplicated++;
      emit(corrupt(frame, f.corruptionRate), f);
    }
  };

  return {
    push(chunk) {
      st.bytesIn += chunk.length;
      const f = settings();
      if (f.disconnected) {
        st.bytesDiscarded += chunk.length;
        return;
      }
      if (f.dropRate === 0 && f.duplicateRate === 0 && pendingLen === 0 && !overlong) {
        // Delivered at once (no latency, no line speed, nothing queued): the corrupted copy can live in a
        // scratch buffer, as `deliver` does not keep the bytes it is given (port and endpoint both copy).
        const now = f.latencyMs === 0 && f.baud === 0 && queue.length === 0;
        emit(corrupt(chunk, f.corruptionRate, now), f);
        return;
      }
      for (const b of chunk) {
        if (b === FRAME_DELIMITER) {
          if (overlong) {
            // The end of a run too long to be a frame: it is garbage, and garbage is what arrives.
            overlong = false;
            pendingLen = 0;
            emit(Uint8Array.of(FRAME_DELIMITER), f);
            continue;
          }
          pending[pendingLen++] = b;
          const frame = pending.slice(0, pendingLen);
          pendingLen = 0;
          frameFaults(frame, f);
        } else if (overlong) {
          st.bytesOverlong++;
          st.bytesDiscarded++;
        } else if (pendingLen === MAX_HELD_RUN_BYTES - 1) {
          // No frame is this long: stop holding it (the protocol's receiver discards it too).
          st.bytesOverlong += pendingLen + 1;
          st.bytesDiscarded += pendingLen + 1;
          pendingLen = 0;
          overlong = true;
        } else pending[pendingLen++] = b;
      }
      // Held bytes of an unfinished frame are released at the next delimiter.
    },
    flush() {
      st.bytesDiscarded += pendingLen + queuedBytes;
      pendingLen = 0;
      overlong = false;
      queue.length = 0;
      queuedBytes = 0;
      lineFreeAt = 0;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    retime() {
      const f = settings();
      const now = timers.now();
      lineFreeAt = 0;
      let last = 0;
      for (const item of queue) last = item.dueAt = dueTime(now, item.bytes.length, f, last);
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      const head = queue[0];
      if (head) timer = timers.setTimeout(pump, Math.max(0, head.dueAt - now));
    },
    stats: () => ({ ...st, bytesQueued: pendingLen + queuedBytes }),
  };
}

export function createLinkFaultInjector(opts: {
  seed: number;
  /** Deliver bytes to the endpoint. Must not keep `bytes` after returning (they may be a scratch buffer). */
  toEndpoint: (bytes: Uint8Array) => void;
  /** Deliver bytes to the serial port. Must not keep `bytes` after returning (copy what is queued). */
  toPort: (bytes: Uint8Array) => void;
  initial?: LinkFaults;
  timers?: Timers;
}): LinkFaultInjector {
  let faults: LinkFaults = { ...(opts.initial ?? NO_LINK_FAULTS) };
  const timers = opts.timers ?? realTimers;
  // Separate streams per direction so the faults on one side do not shift the other's sequence.
  const inbound = createDirection(opts.toEndpoint, () => faults, createPrng(opts.seed), timers);
  const outbound = createDirection(opts.toPort, () => faults, createPrng(opts.seed ^ 0x5bd1e995), timers);
  return {
    inbound,
    outbound,
    get: () => ({ ...faults }),
    set(next) {
      const wasDisconnected = faults.disconnected;
      faults = { ...next };
      if (next.disconnected && !wasDisconnected) {
        inbound.flush();
        outbound.flush();
      } else {
        // A new line speed or latency applies to what is already waiting, not only to what comes next.
        inbound.retime();
        outbound.retime();
      }
    },
    close() {
      inbound.flush();
      outbound.flush();
    },
  };
}
