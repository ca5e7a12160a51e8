/**
 * Time, as pure functions the statechart calls: the threshold crossings due now (each one an event a
 * region of the machine handles), the handler of each crossing, and `deliverUntil`, which integrates
 * delivery exactly from event to event (nextEventTime) until a crossing falls due or the target is reached.
 */
import { clearAlarm, hasAlarm, raiseAlarm, soundDueTones, type Notes } from './alarms';
import { integrate } from './delivery';
import { appendLog } from './log';
import { nextEventTime } from './next-event';
import { getProfile } from '../shared/device-facts/profiles';
import { suspendReason, type PumpState } from './state';

/** Longest single integration step; any partition gives the same result, this only bounds integer sizes. */
const MAX_CHUNK = 30 * 86_400;

/**
 * A threshold crossed while time passes, in the order the pump handles crossings due at the same second.
 * Flex-step boundaries and repeat tones are not crossings: they change no region's state, and the machine
 * passes them inside `deliverUntil` (see docs/architecture.md, "Time is an event").
 */
export type Crossing =
  | { type: 'BOLUS.END' }
  | { type: 'RESERVOIR.LOW' }
  | { type: 'RESERVOIR.EMPTY' }
  | { type: 'BATTERY.ERI' }
  | { type: 'BATTERY.EOS' }
  | { type: 'MOTOR.RECOVERED' }
  | { type: 'CATHETER.SENSED' }
  | { type: 'ALARM.SILENCE_ENDED' };

export type ReservoirLevel = 'ok' | 'low' | 'empty';

/** The level the calculated volume (the pump's belief) is at; an unfilled pump is never low. */
export function reservoirLevel(s: PumpState): ReservoirLevel {
  if (!s.everFilled) return 'ok';
  if (s.calculatedNl <= getProfile(s.model).emptyThreshold * 1000) return 'empty';
  if (s.calculatedNl <= s.lowReservoirAlarmVolume * 1000) return 'low';
  return 'ok';
}

/** The level the pump's alarms announce (what the reservoir region is in). */
export function reservoirAlarmLevel(s: PumpState): ReservoirLevel {
  if (hasAlarm(s, 'EMPTY_RESERVOIR')) return 'empty';
  if (hasAlarm(s, 'LOW_RESERVOIR')) return 'low';
  return 'ok';
}

const occluded = (s: PumpState): boolean =>
  s.catheter === 'partialOcclusion' || s.catheter === 'fullOcclusion';

/** Every crossing due at `s.now` and not yet handled, in handling order. */
export function dueCrossings(s: PumpState): Crossing[] {
  const p = getProfile(s.model);
  const due: Crossing[] = [];
  if (s.bolus && s.now >= s.bolus.endTime) due.push({ type: 'BOLUS.END' });
  const level = reservoirLevel(s);
  if (level === 'empty' && !hasAlarm(s, 'EMPTY_RESERVOIR')) due.push({ type: 'RESERVOIR.EMPTY' });
  else if (level === 'low' && !hasAlarm(s, 'LOW_RESERVOIR')) due.push({ type: 'RESERVOIR.LOW' });
  if (
    s.eriTime === null &&
    (s.batteryUsed >= p.batteryEriUsed || s.now >= s.manufacturedAt + p.serviceLife - p.eosAfterEri)
  ) {
    due.push({ type: 'BATTERY.ERI' });
  }
  if (!s.endOfService && s.eosTime !== null && s.now >= s.eosTime) due.push({ type: 'BATTERY.EOS' });
  if (s.stallUntil !== null && s.now >= s.stallUntil) due.push({ type: 'MOTOR.RECOVERED' });
  if (
    occluded(s) &&
    p.occlusionSensorDebounce !== null &&
    s.occludedSince !== null &&
    s.now >= s.occludedSince + p.occlusionSensorDebounce &&
    !hasAlarm(s, 'CATHETER_OCCLUSION')
  ) {
    due.push({ type: 'CATHETER.SENSED' });
  }
  if (s.alarms.some((a) => a.silencedUntil !== null && a.silencedUntil <= s.now)) {
    due.push({ type: 'ALARM.SILENCE_ENDED' });
  }
  return due;
}

export function cancelBolus(s: PumpState, why: string): void {
  if (!s.bolus) return;
  appendLog(s, 'BOLUS_END', `${s.bolus.kind} cancelled: ${why}`);
  s.bolus = null;
}

export function endBolus(s: PumpState): void {
  if (!s.bolus) return;
  appendLog(s, 'BOLUS_END', `${s.bolus.kind} ${s.bolus.volumeNl} nL`);
  s.bolus = null;
}

/** Raises or clears the reservoir alarms from the calculated volume (the pump's belief). */
export function evaluateReservoir(s: PumpState, notes: Notes): void {
  if (!s.everFilled) return;
  const level = reservoirLevel(s);
  if (level === 'empty') {
    if (!hasAlarm(s, 'EMPTY_RESERVOIR')) {
      raiseAlarm(s, notes, 'EMPTY_RESERVOIR');
      appendLog(s, 'STOPPED', 'reservoir empty');
    }
  } else clearAlarm(s, notes, 'EMPTY_RESERVOIR');
  if (level !== 'ok') raiseAlarm(s, notes, 'LOW_RESERVOIR');
  else clearAlarm(s, notes, 'LOW_RESERVOIR');
}

export function reachEri(s: PumpState, notes: Notes): void {
  if (s.eriTime !== null) return;
  s.eriTime = s.now;
  s.eosTime = s.now + getProfile(s.model).eosAfterEri;
  raiseAlarm(s, notes, 'ERI');
}

export function reachEndOfService(s: PumpState, notes: Notes): void {
  if (s.endOfService) return;
  s.endOfService = true;
  raiseAlarm(s, notes, 'END_OF_SERVICE');
  appendLog(s, 'STOPPED', 'end of service');
}

export function recoverMotor(s: PumpState, notes: Notes): void {
  if (s.stallUntil === null) return;
  s.stallUntil = null;
  appendLog(s, 'MOTOR_STALL_RECOVERY', 'motor running');
  clearAlarm(s, notes, 'MOTOR_STALL');
}

export function senseOcclusion(s: PumpState, notes: Notes): void {
  raiseAlarm(s, notes, 'CATHETER_OCCLUSION');
}

/** The handler of each crossing: the machine's regions run these as their transitions' actions. */
export const CROSSING_HANDLERS: Record<Crossing['type'], (s: PumpState, notes: Notes) => void> = {
  'BOLUS.END': (s) => endBolus(s),
  'RESERVOIR.LOW': evaluateReservoir,
  'RESERVOIR.EMPTY': evaluateReservoir,
  'BATTERY.ERI': reachEri,
  'BATTERY.EOS': reachEndOfService,
  'MOTOR.RECOVERED': recoverMotor,
  'CATHETER.SENSED': senseOcclusion,
  'ALARM.SILENCE_ENDED': soundDueTones,
};

/**
 * Handles everything due at `s.now` in one pass (mutates the draft): what the machine does through its
 * regions, for pure projections (validate's consequences). Idempotent: a settled state is unchanged.
 */
export function processDue(s: PumpState, notes: Notes): void {
  for (const c of dueCrossings(s)) CROSSING_HANDLERS[c.type](s, notes);
  // A bolus does not survive a suspension: therapy resumes without it once the fault is gone.
  const reason = suspendReason(s);
  if (s.bolus && reason !== null) cancelBolus(s, reason);
  soundDueTones(s, notes);
}

/**
 * Integrates delivery from now towards `to`, event by event (nextEventTime: the same partition whatever
 * the target, so results never depend on how time is stepped), sounding repeat tones on the way, and stops
 * at the first second a crossing falls due (returned, for the machine's regions to handle) or at `to`.
 */
export function deliverUntil(s: PumpState, notes: Notes, to: number): Crossing[] {
  while (s.now < to) {
    const next = nextEventTime(s);
    let t = next === null || next > to ? to : next;
    if (t > s.now + MAX_CHUNK) t = s.now + MAX_CHUNK;
    integrate(s, t);
    const due = dueCrossings(s);
    if (due.length > 0) return due;
    soundDueTones(s, notes);
  }
  return [];
}
