/**
 * The patient facade the host drives, and its snapshot: the state is plain JSON-safe data, restored with
 * its shape checked (a damaged state is refused with a clear message, never half-restored).
 */
import {
  advancePatient,
  applyIntervention,
  assessPatient,
  checkIntervention,
  createPatientState,
  historyRows,
  HISTORY_STRIDE,
  type CreatePatientOptions,
  type HistoryRow,
} from './model';
import { patientParams, PROFILE_IDS } from './profiles';
import {
  X_COUNT,
  type Intervention,
  type PatientParams,
  type PatientEvent,
  type PatientFindings,
  type PatientState,
} from './types';

export interface PatientSnapshot {
  version: 1;
  state: PatientState;
}

export class VirtualPatient {
  private s: PatientState;

  constructor(state: PatientState) {
    this.s = state;
  }

  get now(): number {
    return this.s.now;
  }

  get profile(): string {
    return this.s.params.profile;
  }

  get seed(): number {
    return this.s.params.seed;
  }

  /** Advance to `to` with `deliveredMcg` reaching the CSF evenly over the interval. */
  advance(to: number, deliveredMcg: number): void {
    advancePatient(this.s, to, deliveredMcg);
  }

  /** Throws (nothing changed) when the intervention is malformed. */
  intervene(iv: Intervention): void {
    checkIntervention(iv);
    applyIntervention(this.s, structuredClone(iv));
  }

  findings(): PatientFindings {
    return assessPatient(this.s);
  }

  history(from: number, to: number): HistoryRow[] {
    return historyRows(this.s, from, to);
  }

  events(from = -Infinity, to = Infinity): PatientEvent[] {
    return this.s.events.filter((e) => e.time >= from && e.time <= to).map((e) => structuredClone(e));
  }

  /** The raw state (plain data; do not mutate). */
  state(): PatientState {
    return this.s;
  }

  snapshot(): PatientSnapshot {
    return toPatientSnapshot(this.s);
  }
}

export function createPatient(o: CreatePatientOptions): VirtualPatient {
  return new VirtualPatient(createPatientState(o));
}

export function restorePatient(snapshot: PatientSnapshot): VirtualPatient {
  return new VirtualPatient(fromPatientSnapshot(snapshot));
}

export function toPatientSnapshot(s: PatientState): PatientSnapshot {
  return { version: 1, state: JSON.parse(JSON.stringify(s)) as PatientState };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a snapshot's shape; throws a clear error rather than restoring garbage. */
export function fromPatientSnapshot(snapshot: PatientSnapshot): PatientState {
  if (typeof snapshot !== 'object' || snapshot === null)
    throw new TypeError('patient snapshot must be an object');
  if (snapshot.version !== 1)
    throw new RangeError(`unsupported patient snapshot version ${String(snapshot.version)} (expected 1)`);
  const s = snapshot.state as Partial<PatientState> | null;
  if (typeof s !== 'object' || s === null) throw new TypeError('patient snapshot.state must be an object');
  const p = s.params;
  if (typeof p !== 'object' || p === null || !(PROFILE_IDS as readonly string[]).includes(p.profile))
    throw new RangeError('patient snapshot: unknown profile');
  if (!Number.isSafeInteger(p.seed)) throw new TypeError('patient snapshot: seed must be an integer');
  // The parameters are those of (profile, seed) when it was created; a snapshot keeps them as they were.
  const reference = patientParams(p.profile, p.seed);
  // Saved before non-responders existed: every patient then responded (and keeps its EC50 as saved).
  if ((p as Partial<PatientParams>).responder === undefined) s.params = { ...p, responder: true };
  for (const [k, v] of Object.entries(reference)) {
    const got = (s.params as unknown as Record<string, unknown>)[k];
    if (typeof got !== typeof v || (typeof v === 'number' && !finite(got)))
      throw new TypeError(`patient snapshot: params.${k} missing or malformed`);
  }
  if (!Number.isSafeInteger(s.now) || (s.now as number) < 0)
    throw new TypeError('patient snapshot: now must be an integer');
  if (!Array.isArray(s.x) || s.x.length !== X_COUNT || !s.x.every(finite))
    throw new TypeError(`patient snapshot: x must be ${X_COUNT} finite numbers`);
  if (typeof s.ventilated !== 'boolean')
    throw new TypeError('patient snapshot: ventilated must be a boolean');
  for (const f of ['seizureAccumulator', 'seizureCount', 'receivedIntrathecalMcg'] as const)
    if (!finite(s[f])) throw new TypeError(`patient snapshot: ${f} must be a number`);
  if (!Array.isArray(s.history) || s.history.length % HISTORY_STRIDE !== 0 || !s.history.every(finite))
    throw new TypeError(`patient snapshot: history must be samples of ${HISTORY_STRIDE} numbers`);
  if (!Array.isArray(s.events)) throw new TypeError('patient snapshot: events must be an array');
  if (typeof s.withdrawalStage !== 'string' || typeof s.overdoseStage !== 'string')
    throw new TypeError('patient snapshot: stages missing');
  return JSON.parse(JSON.stringify(s)) as PatientState;
}
