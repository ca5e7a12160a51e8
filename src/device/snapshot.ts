/** Versioned snapshots: the pump's non-volatile memory as plain JSON-safe data. */
import { clockRuleProblem, UTC_RULE } from '../shared/device-facts/local-clock';
import { PROFILES } from '../shared/device-facts/profiles';
import type { PumpSnapshot } from './pump-api';
import type { PumpState } from './state';
import { defaultTrueDrug } from './truth';

export const SNAPSHOT_VERSION = 1 as const;

export function toSnapshot(s: PumpState): PumpSnapshot {
  return { version: SNAPSHOT_VERSION, state: JSON.parse(JSON.stringify(s)) as PumpState };
}

const NUMBER_FIELDS = [
  'manufacturedAt',
  'now',
  'concentration',
  'lowReservoirAlarmVolume',
  'programmedAt',
  'programVersion',
  'patientBolusLockoutUntil',
  'calculatedNl',
  'trueNl',
  'overInfusionPpm',
  'pocketFillPpm',
  'batteryUsed',
  'nextLogSeq',
] as const;

/** Checks a snapshot's shape before restoring it; throws a clear error rather than restoring garbage. */
export function fromSnapshot(snapshot: PumpSnapshot): PumpState {
  if (typeof snapshot !== 'object' || snapshot === null) throw new TypeError('snapshot must be an object');
  if (snapshot.version !== SNAPSHOT_VERSION) {
    throw new RangeError(
      `unsupported snapshot version ${String(snapshot.version)} (expected ${SNAPSHOT_VERSION})`,
    );
  }
  const s = snapshot.state as Partial<PumpState> | null;
  if (typeof s !== 'object' || s === null) throw new TypeError('snapshot.state must be an object');
  if (typeof s.model !== 'string' || !(s.model in PROFILES))
    throw new RangeError('snapshot.state.model is unknown');
  if (typeof s.serial !== 'string') throw new TypeError('snapshot.state.serial must be a string');
  for (const f of NUMBER_FIELDS) {
    if (!Number.isSafeInteger(s[f])) throw new TypeError(`snapshot.state.${f} must be an integer`);
  }
  for (const f of ['alarms', 'log', 'patientBolusHistory'] as const) {
    if (!Array.isArray(s[f])) throw new TypeError(`snapshot.state.${f} must be an array`);
  }
  if (typeof s.therapy !== 'object' || s.therapy === null)
    throw new TypeError('snapshot.state.therapy must be an object');
  if (typeof s.ledger !== 'object' || s.ledger === null || typeof s.carry !== 'object' || s.carry === null) {
    throw new TypeError('snapshot.state ledger and carry must be objects');
  }
  if (s.clock !== undefined) {
    const problem = clockRuleProblem(s.clock);
    if (problem !== null) throw new RangeError(`snapshot.state.clock: ${problem}`);
  }
  const state = JSON.parse(JSON.stringify(s)) as PumpState;
  // A state saved before the pump had a clock rule kept UTC.
  if (state.clock === undefined) state.clock = UTC_RULE;
  // A state saved before the drug truth existed: the reservoir truly held the entered concentration.
  defaultTrueDrug(state);
  return state;
}
