/** The pump's bounded event log: oldest entries dropped beyond LOG_CAPACITY, seq never reused. */
import { LOG_CAPACITY } from '../shared/device-facts/profiles';
import { doseForRate, flexDailyTotals } from '../shared/device-facts/dose';
import type { PumpState, StoredTherapy } from './state';
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

/**
 * The PROGRAM entry written when a therapy is applied. Its format is part of the telemetry contract: the
 * programmer reads the daily dose back from it (`dailyDoseOfTherapyEntry`) to know past dose increases.
 */
export function therapyLogDetail(therapy: StoredTherapy, concentration: number): string {
  if (therapy.mode === 'continuous') {
    return `continuous ${doseForRate(therapy.rate, concentration)} ng/d ${therapy.rate} uL/d`;
  }
  if (therapy.mode === 'flex') {
    const { dailyDose } = flexDailyTotals(therapy.steps, concentration);
    return `flex ${therapy.steps.length} steps ${dailyDose} ng/d`;
  }
  return 'therapy stopped';
}

/** The daily dose (ng/day) of a therapy PROGRAM entry: 0 for stopped, null for any other entry. */
export function dailyDoseOfTherapyEntry(entry: { kind: LogKind; detail: string }): number | null {
  if (entry.kind !== 'PROGRAM') return null;
  if (entry.detail === 'therapy stopped') return 0;
  const m = /^(?:continuous (\d+) ng\/d \d+ uL\/d|flex \d+ steps (\d+) ng\/d)$/.exec(entry.detail);
  const dose = m?.[1] ?? m?.[2];
  return dose === undefined ? null : Number(dose);
}
