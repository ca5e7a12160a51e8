/**
 * Commands other than programming: each has a pure check (errors, nothing changed) and a reducer that
 * mutates a working copy. The machine guards with the checks; the facade returns their errors.
 */
import { clearAlarm, hasAlarm, raiseAlarm, silence, type Notes } from './alarms';
import { cancelBolus } from './advance';
import { bolusVolumeNl } from './program';
import { formatPumpTime } from '../shared/device-facts/dose';
import {
  clockDetail,
  clockRuleProblem,
  sameClockRule,
  type ClockRule,
} from '../shared/device-facts/local-clock';
import { appendLog } from './log';
import { getProfile } from '../shared/device-facts/profiles';
import { phaseOf, type PumpState } from './state';
import { setReservoirConcentration } from './truth';
import type { AlarmCode, DeviceFault, FaultKind, ProgramError } from './types';

const err = (code: ProgramError['code'], field: string, message: string): ProgramError[] => [
  { code, field, message },
];

export function checkStop(s: PumpState): ProgramError[] {
  const phase = phaseOf(s);
  if (phase === 'endOfService') return err('NOT_ALLOWED_IN_STATE', '', 'pump at end of service');
  if (phase === 'updating') return err('NOT_ALLOWED_IN_STATE', '', 'an update is in progress');
  return [];
}

export function stop(s: PumpState): void {
  cancelBolus(s, 'stopped');
  s.clinicianStopped = true;
  appendLog(s, 'STOPPED', 'clinician');
}

export function checkResume(s: PumpState): ProgramError[] {
  const phase = phaseOf(s);
  if (phase === 'endOfService') return err('NOT_ALLOWED_IN_STATE', '', 'pump at end of service');
  if (phase === 'updating') return err('NOT_ALLOWED_IN_STATE', '', 'an update is in progress');
  if (!s.clinicianStopped) return err('NOT_ALLOWED_IN_STATE', '', 'pump is not stopped');
  if (s.therapy.mode === 'stopped')
    return err('NOT_ALLOWED_IN_STATE', 'therapy', 'therapy is "stopped": program a therapy');
  return [];
}

export function resume(s: PumpState): void {
  s.clinicianStopped = false;
  appendLog(s, 'RESUMED', 'clinician');
}

/** Why a patient-activated bolus is refused now, or [] when it may start. */
export function checkPatientBolus(s: PumpState): ProgramError[] {
  const settings = s.patientBolus;
  if (!settings) return err('NOT_ALLOWED_IN_STATE', 'patientBolus', 'patient bolus not enabled');
  const phase = phaseOf(s);
  if (phase === 'suspended' || phase === 'endOfService') {
    return err('NOT_ALLOWED_IN_STATE', 'patientBolus', 'delivery suspended');
  }
  if (phase === 'stopped' || phase === 'updating')
    return err('NOT_ALLOWED_IN_STATE', 'patientBolus', 'pump stopped');
  if (phase === 'bolusing') return err('NOT_ALLOWED_IN_STATE', 'patientBolus', 'bolus in progress');
  if (s.now < s.patientBolusLockoutUntil) {
    return err(
      'NOT_ALLOWED_IN_STATE',
      'patientBolus',
      `lockout until ${formatPumpTime(s.patientBolusLockoutUntil)}`,
    );
  }
  const recent = s.patientBolusHistory.filter((t) => t > s.now - 86_400).length;
  if (recent >= settings.maxPerDay) {
    return err('OUT_OF_RANGE', 'patientBolus', `daily maximum reached (${settings.maxPerDay} in 24 h)`);
  }
  if (
    bolusVolumeNl(
      { kind: 'single', amountNg: settings.amountNg, durationS: settings.durationS },
      s.concentration,
    ) > s.calculatedNl
  ) {
    return err('OUT_OF_RANGE', 'patientBolus', 'reservoir volume too low for a patient bolus');
  }
  return [];
}

/** Starts the patient bolus, or logs the refusal (a real pump records refused activations too). */
export function patientBolus(s: PumpState): void {
  const refused = checkPatientBolus(s);
  if (refused.length > 0) {
    appendLog(s, 'PATIENT_BOLUS_REFUSED', refused[0]?.message ?? 'refused');
    return;
  }
  const b = s.patientBolus;
  if (!b) return;
  const volumeNl = bolusVolumeNl(
    { kind: 'single', amountNg: b.amountNg, durationS: b.durationS },
    s.concentration,
  );
  s.bolus = { kind: 'patient', volumeNl, amount: b.amountNg, startTime: s.now, endTime: s.now + b.durationS };
  s.patientBolusHistory = [...s.patientBolusHistory.filter((t) => t > s.now - 86_400), s.now];
  s.patientBolusLockoutUntil = s.now + b.lockoutS;
  appendLog(s, 'PATIENT_BOLUS', `${b.amountNg} ng ${volumeNl} nL`);
}

export function checkSilence(s: PumpState, until: number, code?: AlarmCode): ProgramError[] {
  if (!Number.isSafeInteger(until)) return err('NOT_INTEGER', 'until', 'until must be an integer pump time');
  if (until <= s.now) return err('OUT_OF_RANGE', 'until', 'until must be in the future');
  if (s.alarms.length === 0) return err('NOT_ALLOWED_IN_STATE', 'code', 'no active alarm');
  if (code !== undefined && !hasAlarm(s, code))
    return err('NOT_ALLOWED_IN_STATE', 'code', `${code} is not active`);
  return [];
}

export { silence };

/** Why a clock rule is refused (nothing changes), or []. Any state: a clock is not therapy. */
export function checkClock(rule: unknown): ProgramError[] {
  const problem = clockRuleProblem(rule);
  return problem === null ? [] : err('OUT_OF_RANGE', 'clock', problem);
}

/**
 * Sets the patient's local-time rule. Delivery is unchanged up to now; flex steps follow the new local
 * clock from now on. Logged (CLOCK_SET) only when the rule changed; an identical rule changes nothing.
 */
export function setClock(s: PumpState, rule: ClockRule): void {
  if (sameClockRule(s.clock, rule)) return;
  s.clock = structuredClone(rule);
  appendLog(s, 'CLOCK_SET', clockDetail(rule));
}

/** Sounds each tone pattern once (non-critical, then critical) so the patient learns them; logged. */
export function alarmTest(s: PumpState, notes: Notes): void {
  appendLog(s, 'ALARM_TEST', 'tones');
  notes.push({ type: 'tone', code: 'LOW_RESERVOIR', time: s.now, priority: 'nonCritical', test: true });
  notes.push({ type: 'tone', code: 'EMPTY_RESERVOIR', time: s.now, priority: 'critical', test: true });
}

/** Rejects malformed bench faults with a clear message (throws; nothing changes). */
export function checkFault(f: DeviceFault): void {
  const bad = (m: string): never => {
    throw new RangeError(`invalid fault: ${m}`);
  };
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  switch (f?.kind) {
    case 'catheter':
      if (!['patent', 'partialOcclusion', 'fullOcclusion', 'disconnected'].includes(f.state))
        bad('unknown catheter state');
      return;
    case 'overInfusion':
      if (!int(f.ppm) || f.ppm < -500_000 || f.ppm > 500_000)
        bad('overInfusion ppm must be an integer in -500000..500000');
      return;
    case 'pocketFill':
      if (!int(f.ppm) || f.ppm < 0 || f.ppm > 1_000_000)
        bad('pocketFill ppm must be an integer in 0..1000000');
      return;
    case 'battery':
      if (f.to !== 'eri' && f.to !== 'endOfService') bad('battery fault must go to eri or endOfService');
      return;
    case 'motorStall':
      if (!int(f.recoveryDelayS) || f.recoveryDelayS < 1)
        bad('motorStall recoveryDelayS must be a positive integer (s)');
      return;
    case 'memoryError':
      if (typeof f.critical !== 'boolean') bad('memoryError critical must be a boolean');
      return;
    case 'syringeConcentration':
    case 'reservoirConcentration':
      if (!int(f.concentrationMcgPerMl) || f.concentrationMcgPerMl < 0 || f.concentrationMcgPerMl > 10_000)
        bad(`${f.kind} concentration must be an integer 0..10000 mcg/mL`);
      return;
    default:
      bad(`unknown fault kind "${String((f as { kind?: unknown })?.kind)}"`);
  }
}

export function injectFault(s: PumpState, notes: Notes, f: DeviceFault): void {
  const p = getProfile(s.model);
  switch (f.kind) {
    case 'catheter': {
      const occluded = f.state === 'partialOcclusion' || f.state === 'fullOcclusion';
      const wasOccluded = s.catheter === 'partialOcclusion' || s.catheter === 'fullOcclusion';
      s.catheter = f.state;
      s.occludedSince = occluded ? (wasOccluded ? s.occludedSince : s.now) : null;
      return;
    }
    case 'overInfusion':
      s.overInfusionPpm = f.ppm;
      return;
    case 'pocketFill':
      s.pocketFillPpm = f.ppm;
      return;
    case 'battery':
      if (s.eriTime === null) {
        s.eriTime = s.now;
        s.eosTime = s.now + p.eosAfterEri;
        raiseAlarm(s, notes, 'ERI');
      }
      if (s.batteryUsed < p.batteryEriUsed) s.batteryUsed = p.batteryEriUsed;
      if (f.to === 'endOfService') s.eosTime = s.now;
      return;
    case 'motorStall':
      s.stallUntil = s.now + f.recoveryDelayS;
      cancelBolus(s, 'motor stall');
      appendLog(s, 'MOTOR_STALL', `recovery in ${f.recoveryDelayS} s`);
      raiseAlarm(s, notes, 'MOTOR_STALL');
      return;
    case 'memoryError':
      appendLog(s, 'MEMORY_ERROR', f.critical ? 'critical' : 'non-critical');
      if (f.critical) {
        s.memoryError = 'critical';
        cancelBolus(s, 'memory error');
        raiseAlarm(s, notes, 'MEMORY_ERROR_CRITICAL');
      } else {
        if (s.memoryError === 'none') s.memoryError = 'nonCritical';
        raiseAlarm(s, notes, 'MEMORY_ERROR_NONCRITICAL');
      }
      return;
    case 'syringeConcentration':
      s.syringeConcentration = f.concentrationMcgPerMl;
      return;
    case 'reservoirConcentration':
      setReservoirConcentration(s, f.concentrationMcgPerMl);
      return;
  }
}

export function clearFault(s: PumpState, notes: Notes, kind: FaultKind): void {
  switch (kind) {
    case 'catheter':
      s.catheter = 'patent';
      s.occludedSince = null;
      return;
    case 'overInfusion':
      s.overInfusionPpm = 0;
      return;
    case 'pocketFill':
      s.pocketFillPpm = 0;
      return;
    case 'battery':
      // A spent battery cannot be recharged: the pump must be replaced. Nothing to clear.
      return;
    case 'motorStall':
      // Recovery now: processDue logs MOTOR_STALL_RECOVERY and clears the alarm.
      if (s.stallUntil !== null) s.stallUntil = s.now;
      return;
    case 'memoryError':
      s.memoryError = 'none';
      clearAlarm(s, notes, 'MEMORY_ERROR_CRITICAL');
      clearAlarm(s, notes, 'MEMORY_ERROR_NONCRITICAL');
      return;
    default:
      throw new RangeError(`unknown fault kind "${String(kind)}"`);
  }
}
