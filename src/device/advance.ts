/**
 * Time: `advance(state, to)` jumps from event to event (nextEventTime), integrating delivery exactly over
 * each interval and handling every threshold at the second it is crossed.
 */
import { clearAlarm, hasAlarm, raiseAlarm, soundDueTones, type Notes } from './alarms';
import { integrate } from './delivery';
import { appendLog } from './log';
import { nextEventTime } from './next-event';
import { getProfile } from './profiles';
import { draft, suspendReason, type PumpState } from './state';

/** Longest single integration step; any partition gives the same result, this only bounds integer sizes. */
const MAX_CHUNK = 30 * 86_400;

export function cancelBolus(s: PumpState, why: string): void {
  if (!s.bolus) return;
  appendLog(s, 'BOLUS_END', `${s.bolus.kind} cancelled: ${why}`);
  s.bolus = null;
}

/** Raises or clears the reservoir alarms from the calculated volume (the pump's belief). */
export function evaluateReservoir(s: PumpState, notes: Notes): void {
  if (!s.everFilled) return;
  const p = getProfile(s.model);
  if (s.calculatedNl <= p.emptyThreshold * 1000) {
    if (!hasAlarm(s, 'EMPTY_RESERVOIR')) {
      raiseAlarm(s, notes, 'EMPTY_RESERVOIR');
      appendLog(s, 'STOPPED', 'reservoir empty');
    }
  } else clearAlarm(s, notes, 'EMPTY_RESERVOIR');
  if (s.calculatedNl <= s.lowReservoirAlarmVolume * 1000) raiseAlarm(s, notes, 'LOW_RESERVOIR');
  else clearAlarm(s, notes, 'LOW_RESERVOIR');
}

/** Handles everything due at `s.now` (mutates the draft). Idempotent: a settled state is unchanged. */
export function processDue(s: PumpState, notes: Notes): void {
  const p = getProfile(s.model);
  if (s.bolus && s.now >= s.bolus.endTime) {
    appendLog(s, 'BOLUS_END', `${s.bolus.kind} ${s.bolus.volumeNl} nL`);
    s.bolus = null;
  }
  evaluateReservoir(s, notes);
  if (
    s.eriTime === null &&
    (s.batteryUsed >= p.batteryEriUsed || s.now >= s.manufacturedAt + p.serviceLife - p.eosAfterEri)
  ) {
    s.eriTime = s.now;
    s.eosTime = s.now + p.eosAfterEri;
    raiseAlarm(s, notes, 'ERI');
  }
  if (!s.endOfService && s.eosTime !== null && s.now >= s.eosTime) {
    s.endOfService = true;
    raiseAlarm(s, notes, 'END_OF_SERVICE');
    appendLog(s, 'STOPPED', 'end of service');
  }
  if (s.stallUntil !== null && s.now >= s.stallUntil) {
    s.stallUntil = null;
    appendLog(s, 'MOTOR_STALL_RECOVERY', 'motor running');
    clearAlarm(s, notes, 'MOTOR_STALL');
  }
  if (s.catheter === 'partialOcclusion' || s.catheter === 'fullOcclusion') {
    if (
      p.occlusionSensorDebounce !== null &&
      s.occludedSince !== null &&
      s.now >= s.occludedSince + p.occlusionSensorDebounce
    ) {
      raiseAlarm(s, notes, 'CATHETER_OCCLUSION');
    }
  } else clearAlarm(s, notes, 'CATHETER_OCCLUSION');
  // A bolus does not survive a suspension: therapy resumes without it once the fault is gone.
  const reason = suspendReason(s);
  if (s.bolus && reason !== null) cancelBolus(s, reason);
  soundDueTones(s, notes);
}

/** Advances pump time to `to` (pure: returns a new state and the notifications emitted on the way). */
export function advance(state: PumpState, to: number): { state: PumpState; notes: Notes } {
  if (!Number.isSafeInteger(to)) throw new RangeError(`time must be an integer number of seconds: ${to}`);
  if (to < state.now) throw new RangeError(`time cannot go backwards (now ${state.now}, requested ${to})`);
  const s = draft(state);
  const notes: Notes = [];
  processDue(s, notes);
  while (s.now < to) {
    const next = nextEventTime(s);
    let t = next === null || next > to ? to : next;
    if (t > s.now + MAX_CHUNK) t = s.now + MAX_CHUNK;
    integrate(s, t);
    processDue(s, notes);
  }
  return { state: s, notes };
}

/** Runs `fn` on a working copy, then settles it (anything due now is handled). */
export function reduce(
  state: PumpState,
  fn: (s: PumpState, notes: Notes) => void,
): { state: PumpState; notes: Notes } {
  const s = draft(state);
  const notes: Notes = [];
  fn(s, notes);
  processDue(s, notes);
  return { state: s, notes };
}
