/** The pump's bounded event log: oldest entries dropped beyond LOG_CAPACITY, seq never reused. */
import { LOG_CAPACITY } from './profiles';
import type { PumpState } from './state';
import type { LogKind, LogPage } from './types';

/** Appends an entry (detail trimmed to 64 printable ASCII characters). Mutates the draft `s`. */
export function appendLog(s: PumpState, kind: LogKind, detail: string): void {
  const clean = detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
  const entry = { seq: s.nextLogSeq, time: s.now, kind, detail: clean };
  const kept = s.log.length >= LOG_CAPACITY ? s.log.slice(s.log.length - LOG_CAPACITY + 1) : s.log.slice();
  kept.push(entry);
  s.log = kept;
  s.nextLogSeq += 1;
}

/**
 * Paged reading, newest first: offset 0 is the most recent entry, so a programmer reading page after page
 * sees the latest events first (the way a clinician reviews an event log).
 */
export function readLog(s: PumpState, offset: number, count: number): LogPage {
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new RangeError('offset must be a non-negative integer');
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const total = s.log.length;
  const entries = [];
  for (let i = total - 1 - offset; i >= 0 && entries.length < count; i -= 1) {
    const e = s.log[i];
    if (e) entries.push({ ...e });
  }
  return { entries, total };
}
