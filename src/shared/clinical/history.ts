/**
 * What the pump's own event log says about the therapy, for the rules that look back in time: the dose in
 * force at any moment (the therapy PROGRAM entries carry the daily dose), the start of therapy, the last
 * increase, the concentration before the last refill, and the bolus running now with what is left of it.
 *
 * The log is the single source, across sessions and programmers: the service reads it and hands the same
 * `ClinicalHistory` to the review and to the edit screens (operation `clinicalContext`), so both evaluate
 * a change with the same inputs. Pure: no I/O, no clock.
 */
import type {
  InfusionMode,
  LogEntry,
  McgPerMl,
  NanogramsPerDay,
  Nanolitres,
  PumpInstant,
} from '../../device/types';
import { SECONDS_PER_DAY, TITRATION_PHASE_LENGTH } from './constants';

/** A therapy applied at `time` with this daily dose (0: stopped). */
export interface DoseEvent {
  time: PumpInstant;
  dose: NanogramsPerDay;
}

export type RunningBolusKind = 'single' | 'bridge' | 'priming' | 'patient';

export interface RunningBolus {
  kind: RunningBolusKind;
  startTime: PumpInstant;
  /** null when the log page does not show the bolus start (only its kind is known, from the status). */
  endTime: PumpInstant | null;
  volume: Nanolitres | null;
  /** What is left to deliver at `pumpTime`, nL (linear over the bolus duration, as the pump delivers it). */
  remaining: Nanolitres | null;
}

export interface ClinicalHistory {
  /** Pump time the history was read at. */
  pumpTime: PumpInstant;
  /** Therapy changes, oldest first. */
  doseEvents: DoseEvent[];
  /** True when the log read reaches the pump's first entry: before the first PROGRAM nothing was delivered. */
  complete: boolean;
  lastRefillAt: PumpInstant | null;
  /** The concentration before the last refill (from the refill before it), when the log shows it. */
  previousConcentration: McgPerMl | null;
  runningBolus: RunningBolus | null;
}

/** The daily dose of a therapy PROGRAM entry (same format as src/device/log.ts writes): 0 for stopped. */
export function dailyDoseOfEntry(entry: { kind: string; detail: string }): NanogramsPerDay | null {
  if (entry.kind !== 'PROGRAM') return null;
  if (entry.detail === 'therapy stopped') return 0;
  const m = /^(?:continuous (\d+) ng\/d \d+ uL\/d|flex \d+ steps (\d+) ng\/d)$/.exec(entry.detail);
  const dose = m?.[1] ?? m?.[2];
  return dose === undefined ? null : Number(dose);
}

const BOLUS_MODES: Partial<Record<InfusionMode, RunningBolusKind>> = {
  singleBolus: 'single',
  bridgeBolus: 'bridge',
  primingBolus: 'priming',
  patientBolus: 'patient',
};

/**
 * Build the history from log entries (any order; duplicates by seq are ignored), the total the pump
 * retains, and the status read at the same time (its mode tells whether a bolus runs now).
 */
export function historyFromLog(
  entries: readonly LogEntry[],
  total: number,
  status: { pumpTime: PumpInstant; mode: InfusionMode },
): ClinicalHistory {
  const bySeq = new Map<number, LogEntry>();
  for (const e of entries) bySeq.set(e.seq, e);
  const chrono = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const doseEvents: DoseEvent[] = [];
  const refills: { time: PumpInstant; concentration: McgPerMl | null }[] = [];
  let lastBolusStart: LogEntry | null = null;
  for (const e of chrono) {
    const dose = dailyDoseOfEntry(e);
    if (dose !== null) doseEvents.push({ time: e.time, dose });
    if (e.kind === 'REFILL') {
      const m = / (\d+) mcg\/mL$/.exec(e.detail);
      refills.push({ time: e.time, concentration: m ? Number(m[1]) : null });
    }
    // A patient bolus is logged as PATIENT_BOLUS without its duration: what is left of it stays unknown.
    if (e.kind === 'BOLUS_START') lastBolusStart = e;
  }
  const kind = BOLUS_MODES[status.mode];
  let runningBolus: RunningBolus | null = null;
  if (kind) {
    const m = lastBolusStart ? /^(\w+) (\d+) nL over (\d+) s$/.exec(lastBolusStart.detail) : null;
    if (m && lastBolusStart && m[1] === kind) {
      const volume = Number(m[2]);
      const duration = Number(m[3]);
      const start = lastBolusStart.time;
      const elapsed = Math.min(Math.max(status.pumpTime - start, 0), duration);
      const delivered = duration > 0 ? Math.floor((volume * elapsed) / duration) : volume;
      runningBolus = {
        kind,
        startTime: start,
        endTime: start + duration,
        volume,
        remaining: volume - delivered,
      };
    } else {
      runningBolus = { kind, startTime: status.pumpTime, endTime: null, volume: null, remaining: null };
    }
  }
  const last = refills[refills.length - 1];
  const before = refills[refills.length - 2];
  return {
    pumpTime: status.pumpTime,
    doseEvents,
    complete: bySeq.size >= total,
    lastRefillAt: last?.time ?? null,
    previousConcentration: before?.concentration ?? null,
    runningBolus,
  };
}

/** The daily dose in force at time `t`; null when the log does not reach back that far. */
export function doseAt(h: ClinicalHistory, t: PumpInstant): NanogramsPerDay | null {
  let dose: NanogramsPerDay | null = h.complete ? 0 : null;
  for (const e of h.doseEvents) {
    if (e.time > t) break;
    dose = e.dose;
  }
  return dose;
}

/** The most recent start of therapy: a dose above 0 after 0 (the first program, or a restart after a stop). */
export function therapyStartedAt(h: ClinicalHistory): PumpInstant | null {
  let prev: NanogramsPerDay | null = h.complete ? 0 : null;
  let start: PumpInstant | null = null;
  for (const e of h.doseEvents) {
    if (prev === 0 && e.dose > 0) start = e.time;
    prev = e.dose;
  }
  return start;
}

/** The newest increase (a start from 0 included) and the dose before it. */
export function lastIncrease(h: ClinicalHistory): { at: PumpInstant; doseBefore: NanogramsPerDay } | null {
  let prev: NanogramsPerDay | null = h.complete ? 0 : null;
  let found: { at: PumpInstant; doseBefore: NanogramsPerDay } | null = null;
  for (const e of h.doseEvents) {
    if (prev !== null && e.dose > prev) found = { at: e.time, doseBefore: prev };
    prev = e.dose;
  }
  return found;
}

/**
 * The label's phase at `now`: post-implant titration within TITRATION_PHASE_LENGTH of the therapy start,
 * maintenance otherwise (also when the log does not show the start: a long-running pump).
 */
export function phaseAt(h: ClinicalHistory, now: PumpInstant): 'titration' | 'maintenance' {
  const start = therapyStartedAt(h);
  return start !== null && now - start < TITRATION_PHASE_LENGTH ? 'titration' : 'maintenance';
}

/** An empty history (no log read yet): nothing is known about the past. */
export function emptyHistory(pumpTime: PumpInstant): ClinicalHistory {
  return {
    pumpTime,
    doseEvents: [],
    complete: false,
    lastRefillAt: null,
    previousConcentration: null,
    runningBolus: null,
  };
}

export const HISTORY_DAYS_NEEDED = 29 * SECONDS_PER_DAY;
