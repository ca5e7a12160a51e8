/**
 * Dose, rate and reservoir arithmetic, integers only. The pump meters volume, so the rate (uL/day) is the
 * stored quantity and the daily dose is exactly rate x concentration; a requested dose is rounded half-up
 * to the nearest rate unit. The conversions themselves are the pump's (src/shared/device-facts/dose.ts, exact: products
 * go through BigInt so no intermediate ever loses precision); this module validates the arguments and adds
 * the programmer's projections.
 *
 * These functions take data that was already validated (by the contract's zod schemas or by the parse
 * helpers), so a bad argument is a programming error: they throw `ClinicalInputError` and return nothing.
 */
import type {
  FlexStep,
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  NanogramsPerDay,
  DurationSeconds,
  PumpInstant,
  TherapyRequest,
} from '../../device/types';
import * as pump from '../device-facts/dose';
import { BACLOFEN_STABILITY_LIMIT, REFILL_LEAD_MAX, REFILL_LEAD_MIN, SECONDS_PER_DAY } from './constants';

/** Thrown for an argument that is not a finite safe integer in range; names the argument. */
export class ClinicalInputError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ClinicalInputError';
  }
}

/** Checks a safe integer >= min (default 0); returns it for chaining. */
export function requireInteger(field: string, value: number, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ClinicalInputError(field, `must be a whole number, got ${String(value)}`);
  }
  if (value < min) throw new ClinicalInputError(field, `must be at least ${min}, got ${value}`);
  return value;
}

/** Runs a device conversion, reporting a result too large for a safe integer as a ClinicalInputError. */
function exact<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof pump.UnsafeIntegerError) throw new ClinicalInputError(field, 'result too large');
    throw e;
  }
}

/** round-half-up(a * b / d) for a, b >= 0 and d >= 1, exact. */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  return exact('result', () => pump.mulDivRoundHalfUp(a, b, d));
}

/** floor(a * b / d) for a, b >= 0 and d >= 1, exact. */
export function mulDivFloor(a: number, b: number, d: number): number {
  return exact('result', () => pump.mulDivFloor(a, b, d));
}

// ------------------------------------------------------------------ dose <-> rate

/** Rate (uL/day) that delivers `dailyDose` at `concentration`: round-half-up(dose / concentration). */
export function rateForDailyDose(dailyDose: NanogramsPerDay, concentration: McgPerMl): MicrolitresPerDay {
  requireInteger('dailyDose', dailyDose);
  requireInteger('concentration', concentration, 1);
  return exact('result', () => pump.rateForDose(dailyDose, concentration));
}

/** Daily dose (ng/day) a rate delivers: exactly rate x concentration (mcg/mL = ng/uL). */
export function dailyDoseForRate(rate: MicrolitresPerDay, concentration: McgPerMl): NanogramsPerDay {
  requireInteger('rate', rate);
  requireInteger('concentration', concentration, 1);
  return exact('dailyDose', () => pump.doseForRate(rate, concentration));
}

/** The dose the pump will really deliver for a requested dose, after rounding the rate. */
export function effectiveDailyDose(dailyDose: NanogramsPerDay, concentration: McgPerMl): NanogramsPerDay {
  return dailyDoseForRate(rateForDailyDose(dailyDose, concentration), concentration);
}

// ------------------------------------------------------------------ flex schedules

/** The device's own step shape (its state keeps `start`), for its day arithmetic. */
const deviceSteps = (steps: readonly FlexStep[]) => steps.map((s) => ({ start: s.startSecondOfDay }));

function checkSteps(steps: readonly FlexStep[]): void {
  if (steps.length === 0) throw new ClinicalInputError('steps', 'a flex schedule needs at least one step');
  steps.forEach((s, i) => {
    requireInteger(`steps.${i}.startSecondOfDay`, s.startSecondOfDay);
    if (s.startSecondOfDay >= SECONDS_PER_DAY)
      throw new ClinicalInputError(`steps.${i}.startSecondOfDay`, 'must be before 86400');
    requireInteger(`steps.${i}.dailyDose`, s.dailyDoseNgPerDay);
    const prev = steps[i - 1];
    if (prev && s.startSecondOfDay <= prev.startSecondOfDay) {
      throw new ClinicalInputError(
        `steps.${i}.startSecondOfDay`,
        'steps must be in strictly increasing start order',
      );
    }
  });
}

/**
 * Seconds each step lasts in a day. A step runs until the next one starts; the last runs until the first
 * step of the next day (wrapping midnight), so a schedule whose first step is not at 00:00 is still a day.
 */
export function flexStepDurations(steps: readonly FlexStep[]): DurationSeconds[] {
  checkSteps(steps);
  return pump.flexStepLengths(deviceSteps(steps));
}

/** Time-weighted mean daily dose of a flex day, ng/day, rounded half-up. */
export function flexMeanDailyDose(steps: readonly FlexStep[]): NanogramsPerDay {
  checkSteps(steps);
  return exact('dailyDose', () => pump.flexDailyMean(deviceSteps(steps), (i) => steps[i]!.dailyDoseNgPerDay));
}

/**
 * Mean rate of a flex day, uL/day: each step's rate is rounded as the pump stores it, then the
 * time-weighted mean is rounded half-up. This is the rate the reservoir functions use for flex.
 */
export function flexMeanRate(steps: readonly FlexStep[], concentration: McgPerMl): MicrolitresPerDay {
  checkSteps(steps);
  const rates = steps.map((s) => rateForDailyDose(s.dailyDoseNgPerDay, concentration));
  return exact('rate', () => pump.flexDailyMean(deviceSteps(steps), (i) => rates[i]!));
}

/** Mean daily dose of any therapy: 0 when stopped, the dose when continuous, the time-weighted mean for flex. */
export function therapyMeanDailyDose(therapy: TherapyRequest): NanogramsPerDay {
  switch (therapy.mode) {
    case 'stopped':
      return 0;
    case 'continuous':
      return requireInteger('dailyDose', therapy.dailyDoseNgPerDay);
    case 'flex':
      return flexMeanDailyDose(therapy.steps);
  }
}

/** Mean rate of any therapy at a concentration, so continuous and flex share the reservoir functions. */
export function therapyMeanRate(therapy: TherapyRequest, concentration: McgPerMl): MicrolitresPerDay {
  switch (therapy.mode) {
    case 'stopped':
      return 0;
    case 'continuous':
      return rateForDailyDose(therapy.dailyDoseNgPerDay, concentration);
    case 'flex':
      return flexMeanRate(therapy.steps, concentration);
  }
}

// ------------------------------------------------------------------ reservoir

/**
 * Days until the calculated reservoir is empty, x1000 fixed point, rounded down (never overstates the
 * time left). null when nothing is delivered.
 */
export function daysToEmptyX1000(reservoirVolume: Microlitres, rate: MicrolitresPerDay): number | null {
  requireInteger('reservoirVolume', reservoirVolume);
  requireInteger('rate', rate);
  if (rate === 0) return null;
  return mulDivFloor(reservoirVolume, 1000, rate);
}

/** Seconds needed to deliver `volume` at `rate`, rounded down; null at rate 0. */
export function secondsToDeliver(volume: Microlitres, rate: MicrolitresPerDay): DurationSeconds | null {
  requireInteger('volume', volume);
  requireInteger('rate', rate);
  if (rate === 0) return null;
  return mulDivFloor(volume, SECONDS_PER_DAY, rate);
}

export interface ReservoirProjectionInput {
  /** Pump time the volume refers to (e.g. the refill time, or now). */
  now: PumpInstant;
  /** The pump's calculated reservoir volume at `now`. */
  reservoirVolume: Microlitres;
  /** Mean rate (continuous rate, or flexMeanRate). */
  rate: MicrolitresPerDay;
}

/**
 * When the calculated reservoir reaches the low-reservoir alarm volume. Like the pump's own alarm it is
 * calculated from the programmed rate, not measured. `now` when already at or below the threshold; null
 * when nothing is delivered. Rounded down: never later than the exact crossing.
 */
export function lowReservoirAlarmTime(
  input: ReservoirProjectionInput & { lowReservoirAlarmVolume: Microlitres },
): PumpInstant | null {
  requireInteger('now', input.now, Number.MIN_SAFE_INTEGER);
  requireInteger('lowReservoirAlarmVolume', input.lowReservoirAlarmVolume);
  requireInteger('reservoirVolume', input.reservoirVolume);
  const above = Math.max(0, input.reservoirVolume - input.lowReservoirAlarmVolume);
  const s = secondsToDeliver(above, input.rate);
  return s === null ? null : input.now + s;
}

/** When the calculated reservoir is empty; null when nothing is delivered. */
export function emptyTime(input: ReservoirProjectionInput): PumpInstant | null {
  requireInteger('now', input.now, Number.MIN_SAFE_INTEGER);
  const s = secondsToDeliver(input.reservoirVolume, input.rate);
  return s === null ? null : input.now + s;
}

// ------------------------------------------------------------------ next refill

export type RefillLimit = 'lowReservoirAlarm' | 'drugStability';

export interface NextRefillInput {
  /** Pump time of the refill that filled the reservoir (the stability clock starts here). */
  filledAt: PumpInstant;
  /** From `lowReservoirAlarmTime`; null when the pump delivers nothing (then only stability applies). */
  lowReservoirAlarmTime: PumpInstant | null;
  /** Drug stability limit from the fill; default baclofen's 180 days. */
  stabilityLimit?: DurationSeconds;
}

export interface NextRefill {
  /** Open the appointment window (5 days before the alarm, or 2 days before the stability limit). */
  earliest: PumpInstant;
  /** Refill by this time: the date for the printout (3 days before the alarm, or the stability limit). */
  latest: PumpInstant;
  /** Which limit set `latest`. */
  limitedBy: RefillLimit;
  /** True when the alarm falls less than 3 days after the fill: refill is due at once (window collapsed). */
  dueImmediately: boolean;
  /** Why, in a sentence for the screen and the printout. */
  reason: string;
}

/**
 * The clinic's habit: refill 3-5 days before the low-reservoir alarm date, and never later than the drug's
 * stability limit after the fill. Reports which limit applied.
 */
export function nextRefill(input: NextRefillInput): NextRefill {
  const filledAt = requireInteger('filledAt', input.filledAt, Number.MIN_SAFE_INTEGER);
  const stability = requireInteger('stabilityLimit', input.stabilityLimit ?? BACLOFEN_STABILITY_LIMIT, 1);
  const stabilityEnd = filledAt + stability;
  const window = REFILL_LEAD_MAX - REFILL_LEAD_MIN;
  let latest = stabilityEnd;
  let limitedBy: RefillLimit = 'drugStability';
  if (input.lowReservoirAlarmTime !== null) {
    const alarm = requireInteger(
      'lowReservoirAlarmTime',
      input.lowReservoirAlarmTime,
      Number.MIN_SAFE_INTEGER,
    );
    if (alarm - REFILL_LEAD_MIN <= stabilityEnd) {
      latest = alarm - REFILL_LEAD_MIN;
      limitedBy = 'lowReservoirAlarm';
    }
  }
  const dueImmediately = latest <= filledAt;
  latest = Math.max(latest, filledAt);
  const earliest = Math.max(filledAt, latest - window);
  const days = Math.round(stability / SECONDS_PER_DAY);
  const reason =
    limitedBy === 'lowReservoirAlarm'
      ? dueImmediately
        ? 'The low-reservoir alarm is less than 3 days away: refill now.'
        : 'Refill 3-5 days before the low-reservoir alarm date.'
      : input.lowReservoirAlarmTime === null
        ? `Nothing is delivered, so there is no alarm date: refill within the drug's ${days}-day stability limit.`
        : `The drug's ${days}-day stability limit comes before the low-reservoir alarm date: refill by then.`;
  return { earliest, latest, limitedBy, dueImmediately, reason };
}
