/**
 * validateProgram: every error in a proposed program, or its consequences, without changing anything.
 * Consequences are computed by applying the change to a copy with the same reducer `apply` uses.
 */
import { hasAlarm } from './alarms';
import { processDue } from './advance';
import { currentSegment, integrate, secondsUntilMotorVolume } from './delivery';
import { doseForRate, flexDailyTotals, floorDiv, rateForDose } from '../shared/device-facts/dose';
import { applyProgramTo, bolusVolumeNl } from './program';
import { getProfile, SECONDS_PER_DAY } from '../shared/device-facts/profiles';
import { draft, phaseOf, suspendReason, type PumpState } from './state';
import type {
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  ProgramErrorCode,
  ValidationResult,
} from './types';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

class Errors {
  list: ProgramError[] = [];
  add(code: ProgramErrorCode, field: string, message: string): void {
    this.list.push({ code, field, message });
  }
  /** Integer within [min, max]; returns true when valid. */
  int(v: unknown, field: string, min: number, max: number, unit: string): v is number {
    if (!isInt(v)) {
      this.add('NOT_INTEGER', field, `${field} must be an integer (${unit})`);
      return false;
    }
    if (v < min || v > max) {
      this.add('OUT_OF_RANGE', field, `${field} ${v} ${unit} is outside ${min}..${max} ${unit}`);
      return false;
    }
    return true;
  }
}

const DRUG_NAME = /^[\x20-\x7e]{1,32}$/;

export function validateProgram(state: PumpState, change: ProgramChange): ValidationResult {
  const errors = programErrors(state, change);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, consequences: consequencesOf(state, change) };
}

/** Every error of a proposed program ([] when it may be applied); no consequences computed. */
export function programErrors(state: PumpState, change: ProgramChange): ProgramError[] {
  const p = getProfile(state.model);
  const e = new Errors();
  const phase = phaseOf(state);
  if (phase === 'endOfService')
    e.add('NOT_ALLOWED_IN_STATE', '', 'pump at end of service: it cannot be programmed');
  if (phase === 'updating') e.add('NOT_ALLOWED_IN_STATE', '', 'an update is already in progress');
  if (typeof change !== 'object' || change === null) {
    e.add('EMPTY_PROGRAM', '', 'the program is empty');
    return e.list;
  }
  const c = change as ProgramChange;
  if (
    c.therapy === undefined &&
    c.bolus === undefined &&
    c.refill === undefined &&
    c.lowReservoirAlarmVolumeUl === undefined &&
    c.patientBolus === undefined
  ) {
    e.add('EMPTY_PROGRAM', '', 'the program is empty: nothing to change');
  }
  const capacity = p.reservoirCapacity;
  let concentration = state.concentration;
  let calculatedAfterNl = state.calculatedNl;

  if (c.refill !== undefined) {
    const r = c.refill;
    if (typeof r !== 'object' || r === null) e.add('EMPTY_PROGRAM', 'refill', 'refill must be an object');
    else {
      if (isInt(r.withdrawnVolumeUl) && r.withdrawnVolumeUl > capacity) {
        e.add(
          'WITHDRAWN_OVER_VOLUME',
          'refill.withdrawnVolumeUl',
          `withdrawn ${r.withdrawnVolumeUl} uL exceeds the ${capacity} uL reservoir`,
        );
      } else e.int(r.withdrawnVolumeUl, 'refill.withdrawnVolumeUl', 0, capacity, 'uL');
      if (typeof r.drugName !== 'string' || !DRUG_NAME.test(r.drugName) || r.drugName.trim() === '') {
        e.add('DRUG_NAME_INVALID', 'refill.drugName', 'drug name must be 1 to 32 printable ASCII characters');
      }
      if (
        e.int(
          r.concentrationMcgPerMl,
          'refill.concentrationMcgPerMl',
          p.concentrationMin,
          p.concentrationMax,
          'mcg/mL',
        )
      ) {
        concentration = r.concentrationMcgPerMl;
      }
      if (isInt(r.fillVolumeUl) && r.fillVolumeUl > capacity) {
        e.add(
          'VOLUME_OVER_CAPACITY',
          'refill.fillVolumeUl',
          `fill ${r.fillVolumeUl} uL exceeds the ${capacity} uL reservoir`,
        );
      } else if (e.int(r.fillVolumeUl, 'refill.fillVolumeUl', 0, capacity, 'uL'))
        calculatedAfterNl = r.fillVolumeUl * 1000;
      if (
        isInt(r.concentrationMcgPerMl) &&
        r.concentrationMcgPerMl !== state.concentration &&
        state.therapy.mode !== 'stopped' &&
        c.therapy === undefined
      ) {
        e.add(
          'CONCENTRATION_CHANGE_NEEDS_THERAPY',
          'therapy',
          `concentration changes from ${state.concentration} to ${r.concentrationMcgPerMl} mcg/mL: program the therapy again`,
        );
      }
    }
  }

  const checkRate = (dose: unknown, field: string): void => {
    if (!e.int(dose, field, 0, Number.MAX_SAFE_INTEGER, 'ng/day')) return;
    if (concentration <= 0) return;
    const rate = rateForDose(dose, concentration);
    if (rate < p.minRate) {
      e.add(
        'RATE_BELOW_MINIMUM',
        field,
        `${dose} ng/day at ${concentration} mcg/mL is ${rate} uL/day, below the minimum ${p.minRate} uL/day`,
      );
    } else if (rate > p.maxRate) {
      e.add(
        'RATE_ABOVE_MAXIMUM',
        field,
        `${dose} ng/day at ${concentration} mcg/mL is ${rate} uL/day, above the maximum ${p.maxRate} uL/day`,
      );
    }
  };

  if (c.therapy !== undefined) {
    const t = c.therapy;
    if (typeof t !== 'object' || t === null || !['stopped', 'continuous', 'flex'].includes(t.mode)) {
      e.add('OUT_OF_RANGE', 'therapy.mode', 'therapy mode must be stopped, continuous or flex');
    } else if (t.mode !== 'stopped') {
      if (concentration <= 0)
        e.add('NOT_ALLOWED_IN_STATE', 'therapy', 'no drug in the reservoir: refill first');
      if (t.mode === 'continuous') checkRate(t.dailyDoseNgPerDay, 'therapy.dailyDoseNgPerDay');
      else if (!Array.isArray(t.steps) || t.steps.length === 0) {
        e.add('OUT_OF_RANGE', 'therapy.steps', 'a flex schedule needs at least one step');
      } else {
        if (t.steps.length > p.flexMaxSteps) {
          e.add(
            'FLEX_TOO_MANY_STEPS',
            'therapy.steps',
            `${t.steps.length} steps: at most ${p.flexMaxSteps} per day`,
          );
        }
        t.steps.forEach((step, i) => {
          const f = `therapy.steps.${i}`;
          const startOk = e.int(step?.startSecondOfDay, `${f}.startSecondOfDay`, 0, SECONDS_PER_DAY - 1, 's');
          if (i === 0 && startOk && step.startSecondOfDay !== 0) {
            e.add(
              'FLEX_FIRST_STEP_NOT_MIDNIGHT',
              `${f}.startSecondOfDay`,
              'the first step must start at 00:00',
            );
          }
          const prev = t.steps[i - 1];
          if (i > 0 && startOk && isInt(prev?.startSecondOfDay)) {
            if (step.startSecondOfDay === prev.startSecondOfDay)
              e.add(
                'FLEX_STEPS_OVERLAP',
                `${f}.startSecondOfDay`,
                `step ${i} starts at the same time as step ${i - 1}`,
              );
            else if (step.startSecondOfDay < prev.startSecondOfDay)
              e.add('FLEX_STEPS_UNORDERED', `${f}.startSecondOfDay`, `step ${i} starts before step ${i - 1}`);
            else if (step.startSecondOfDay - prev.startSecondOfDay < p.flexMinStepLength) {
              e.add(
                'FLEX_STEP_TOO_SHORT',
                `therapy.steps.${i - 1}`,
                `step ${i - 1} lasts ${step.startSecondOfDay - prev.startSecondOfDay} s, minimum ${p.flexMinStepLength} s`,
              );
            }
          }
          if (
            i === t.steps.length - 1 &&
            startOk &&
            SECONDS_PER_DAY - step.startSecondOfDay < p.flexMinStepLength
          ) {
            e.add(
              'FLEX_STEP_TOO_SHORT',
              f,
              `the last step lasts ${SECONDS_PER_DAY - step.startSecondOfDay} s, minimum ${p.flexMinStepLength} s`,
            );
          }
          checkRate(step?.dailyDoseNgPerDay, `${f}.dailyDoseNgPerDay`);
        });
      }
    }
  }

  if (c.lowReservoirAlarmVolumeUl !== undefined) {
    const v = c.lowReservoirAlarmVolumeUl;
    if (!isInt(v))
      e.add('NOT_INTEGER', 'lowReservoirAlarmVolumeUl', 'low reservoir alarm volume must be an integer (uL)');
    else if (v < p.lowReservoirAlarmMin || v > p.lowReservoirAlarmMax || v >= capacity) {
      e.add(
        'ALARM_THRESHOLD_OUT_OF_RANGE',
        'lowReservoirAlarmVolumeUl',
        `low reservoir alarm ${v} uL is outside ${p.lowReservoirAlarmMin}..${p.lowReservoirAlarmMax} uL`,
      );
    }
  }

  const bolusRateOk = (volumeNl: number, duration: number, field: string): void => {
    // volume (uL) per day = volumeNl / 1000 * 86400 / duration; compare without division.
    if (volumeNl * SECONDS_PER_DAY > p.bolusMaxRate * 1000 * duration) {
      e.add('BOLUS_RATE_ABOVE_MAXIMUM', field, `bolus rate above the maximum ${p.bolusMaxRate} uL/day`);
    }
  };

  if (c.patientBolus !== undefined && c.patientBolus !== null) {
    const b = c.patientBolus;
    if (typeof b !== 'object')
      e.add('OUT_OF_RANGE', 'patientBolus', 'patient bolus settings must be an object or null');
    else {
      const a = e.int(b.amountNg, 'patientBolus.amountNg', 1, Number.MAX_SAFE_INTEGER, 'ng');
      const d = e.int(
        b.durationS,
        'patientBolus.durationS',
        p.patientBolusMinDuration,
        p.patientBolusMaxDuration,
        's',
      );
      e.int(b.maxPerDay, 'patientBolus.maxPerDay', 1, p.patientBolusMaxPerDayLimit, 'per day');
      e.int(b.lockoutS, 'patientBolus.lockoutS', p.patientBolusLockoutMin, p.patientBolusLockoutMax, 's');
      if (concentration <= 0)
        e.add('NOT_ALLOWED_IN_STATE', 'patientBolus', 'no drug in the reservoir: refill first');
      else if (a && d) {
        const v = bolusVolumeNl(
          { kind: 'single', amountNg: b.amountNg, durationS: b.durationS },
          concentration,
        );
        if (v > capacity * 1000)
          e.add(
            'BOLUS_LARGER_THAN_RESERVOIR',
            'patientBolus.amountNg',
            'patient bolus larger than the reservoir',
          );
        bolusRateOk(v, b.durationS, 'patientBolus.amountNg');
      }
    }
  }

  if (c.bolus !== undefined) {
    const b = c.bolus;
    if (typeof b !== 'object' || b === null || !['single', 'bridge', 'priming'].includes(b.kind)) {
      e.add('OUT_OF_RANGE', 'bolus.kind', 'bolus kind must be single, bridge or priming');
    } else {
      const reason = suspendReason(state);
      if (reason === 'motorStall' || reason === 'criticalMemoryError') {
        e.add('NOT_ALLOWED_IN_STATE', 'bolus', `no bolus while delivery is suspended (${reason})`);
      }
      const dOk = e.int(b.durationS, 'bolus.durationS', p.bolusMinDuration, p.bolusMaxDuration, 's');
      let vOk: boolean;
      if (b.kind === 'priming') vOk = e.int(b.volumeUl, 'bolus.volumeUl', 1, p.primingMaxVolume, 'uL');
      else {
        vOk = e.int(b.amountNg, 'bolus.amountNg', 1, Number.MAX_SAFE_INTEGER, 'ng');
        if (concentration <= 0) {
          e.add('NOT_ALLOWED_IN_STATE', 'bolus', 'no drug in the reservoir: refill first');
          vOk = false;
        }
      }
      if (vOk && (b.kind === 'priming' || concentration > 0)) {
        const v = bolusVolumeNl(b, concentration);
        const field = b.kind === 'priming' ? 'bolus.volumeUl' : 'bolus.amountNg';
        if (v > calculatedAfterNl) {
          e.add(
            'BOLUS_LARGER_THAN_RESERVOIR',
            field,
            `bolus ${v} nL exceeds the ${floorDiv(calculatedAfterNl, 1000)} uL in the reservoir`,
          );
        }
        if (dOk) bolusRateOk(v, b.durationS, field);
      }
    }
  }

  return e.list;
}

/** The program's consequences: computed on a copy with the reducer `apply` uses. */
function consequencesOf(state: PumpState, change: ProgramChange): ProgramConsequences {
  const s = draft(state);
  applyProgramTo(s, [], change);
  processDue(s, []);
  let rate = 0;
  let effectiveDailyDose = 0;
  if (s.therapy.mode === 'continuous') {
    rate = s.therapy.rate;
    effectiveDailyDose = doseForRate(rate, s.concentration);
  } else if (s.therapy.mode === 'flex') {
    const t = flexDailyTotals(s.therapy.steps, s.concentration);
    rate = t.meanRate;
    effectiveDailyDose = t.dailyDose;
  }
  const proj = projectReservoir(s);
  return {
    rateUlPerDay: rate,
    effectiveDailyDoseNgPerDay: effectiveDailyDose,
    reservoirVolumeAfterUl: floorDiv(s.calculatedNl, 1000),
    lowReservoirAlarmTime: proj.lowReservoirAlarmTime,
    emptyTime: proj.emptyTime,
    // A pump already empty (its empty time in the past) has 0 days left, by definition: never negative.
    daysToEmptyX1000:
      proj.emptyTime === null
        ? null
        : proj.emptyTime <= s.now
          ? 0
          : floorDiv((proj.emptyTime - s.now) * 1000, SECONDS_PER_DAY),
  };
}

/**
 * When the calculated reservoir reaches the low-reservoir alarm volume and empty, assuming delivery goes on
 * as programmed (no faults, no patient boluses). Exact to the second: the same arithmetic as the clock.
 */
export function projectReservoir(state: PumpState): {
  lowReservoirAlarmTime: number | null;
  emptyTime: number | null;
} {
  const p = getProfile(state.model);
  if (!state.everFilled) return { lowReservoirAlarmTime: null, emptyTime: null };
  const lowNl = state.lowReservoirAlarmVolume * 1000;
  const emptyNl = p.emptyThreshold * 1000;
  const lowActive = hasAlarm(state, 'LOW_RESERVOIR');
  let low: number | null = lowActive
    ? (state.alarms.find((a) => a.code === 'LOW_RESERVOIR')?.raisedAt ?? null)
    : null;
  if (hasAlarm(state, 'EMPTY_RESERVOIR')) {
    return {
      lowReservoirAlarmTime: low,
      emptyTime: state.alarms.find((a) => a.code === 'EMPTY_RESERVOIR')?.raisedAt ?? null,
    };
  }
  const phase = phaseOf(state);
  if (phase !== 'infusing' && phase !== 'bolusing') return { lowReservoirAlarmTime: low, emptyTime: null };
  const c = draft(state);
  c.stallUntil = null;
  c.eosTime = null;
  c.alarms = [];
  for (let guard = 0; guard < 200_000; guard += 1) {
    const seg = currentSegment(c);
    if (seg.kind === 'none') break;
    if (low === null && c.calculatedNl > lowNl) {
      const dt = secondsUntilMotorVolume(c, seg, c.calculatedNl - lowNl);
      if (dt !== null && (seg.end === null || c.now + dt <= seg.end)) low = c.now + dt;
    }
    const dtEmpty = secondsUntilMotorVolume(c, seg, c.calculatedNl - emptyNl);
    if (dtEmpty !== null && (seg.end === null || c.now + dtEmpty <= seg.end)) {
      return { lowReservoirAlarmTime: low, emptyTime: c.now + dtEmpty };
    }
    if (seg.end === null) break;
    integrate(c, seg.end);
    if (c.bolus && c.now >= c.bolus.endTime) c.bolus = null;
  }
  return { lowReservoirAlarmTime: low, emptyTime: null };
}
