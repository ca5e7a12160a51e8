/** nextEventTime: the earliest instant at which the pump changes by itself (pure). */
import { hasAlarm, nextToneTime } from './alarms';
import { currentSegment, motorDelta, secondsUntilMotorVolume, type Segment } from './delivery';
import { ceilDiv } from '../shared/device-facts/dose';
import { getProfile } from '../shared/device-facts/profiles';
import type { PumpState } from './state';

/** Battery units spent in the next dt seconds of the segment (the motor stops at calculated empty). */
function batteryUse(s: PumpState, seg: Segment, dt: number): number {
  const p = getProfile(s.model);
  const raw = motorDelta(s, seg, dt);
  const m = raw < s.calculatedNl ? raw : s.calculatedNl;
  return dt * p.batteryDrainPerSecond + m * p.batteryDrainPerNanolitre;
}

/** Seconds until the battery reaches ERI within `horizon` seconds (null if not within it): binary search
 * over a monotone integer function, so the crossing second is exact. */
function secondsUntilEri(s: PumpState, seg: Segment, horizon: number | null): number | null {
  const p = getProfile(s.model);
  const target = p.batteryEriUsed - s.batteryUsed;
  if (target <= 0) return 0;
  let hi = ceilDiv(target, p.batteryDrainPerSecond);
  if (horizon !== null && hi > horizon) {
    if (horizon < 1 || batteryUse(s, seg, horizon) < target) return null;
    hi = horizon;
  }
  let lo = 1;
  while (lo < hi) {
    const mid = lo + (hi - lo - ((hi - lo) % 2)) / 2;
    if (batteryUse(s, seg, mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The earliest of the candidate times strictly after now (null stays null). */
function earliest(best: number | null, t: number | null, now: number): number | null {
  return t !== null && t > now && (best === null || t < best) ? t : best;
}

export function nextEventTime(s: PumpState): number | null {
  const p = getProfile(s.model);
  const now = s.now;
  const seg = currentSegment(s);
  let best = earliest(null, seg.end, now);
  const horizon = seg.end === null ? null : seg.end - now;
  if (seg.kind !== 'none' && s.everFilled) {
    const lowNl = s.lowReservoirAlarmVolume * 1000;
    if (!hasAlarm(s, 'LOW_RESERVOIR') && s.calculatedNl > lowNl) {
      const dt = secondsUntilMotorVolume(s, seg, s.calculatedNl - lowNl);
      if (dt !== null) best = earliest(best, now + dt, now);
    }
    const emptyNl = p.emptyThreshold * 1000;
    if (!hasAlarm(s, 'EMPTY_RESERVOIR') && s.calculatedNl > emptyNl) {
      const dt = secondsUntilMotorVolume(s, seg, s.calculatedNl - emptyNl);
      if (dt !== null) best = earliest(best, now + dt, now);
    }
  }
  if (!s.endOfService) {
    if (s.eriTime === null) {
      best = earliest(best, s.manufacturedAt + p.serviceLife - p.eosAfterEri, now);
      const dt = secondsUntilEri(s, seg, horizon);
      if (dt !== null) best = earliest(best, now + dt, now);
    }
    best = earliest(best, s.eosTime, now);
    best = earliest(best, s.stallUntil, now);
    if (
      p.occlusionSensorDebounce !== null &&
      s.occludedSince !== null &&
      !hasAlarm(s, 'CATHETER_OCCLUSION')
    ) {
      best = earliest(best, s.occludedSince + p.occlusionSensorDebounce, now);
    }
    if (s.patientBolus !== null) best = earliest(best, s.patientBolusLockoutUntil, now);
  }
  return earliest(best, nextToneTime(s), now);
}
