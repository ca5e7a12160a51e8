/**
 * Dose and volume arithmetic, integers only (the model may not use Math or floats).
 * Units: rate uL/day, concentration mcg/mL (= ng/uL), dose ng/day, amount ng, volume uL or nL.
 *
 * This is the one implementation of the pump's conversions: the programmer's clinical rules
 * (src/shared/clinical) validate their arguments and call these.
 */
import { SECONDS_PER_DAY } from './profiles';
import type {
  FlexStep,
  McgPerMl,
  MicrolitresPerDay,
  Nanograms,
  Nanolitres,
  NanogramsPerDay,
} from '../../device/types';

/** Thrown when a result (or an exact intermediate) does not fit a safe integer. */
export class UnsafeIntegerError extends RangeError {
  constructor(
    readonly what: string,
    value: number | bigint,
  ) {
    super(`${what} is not a safe integer: ${value}`);
    this.name = 'UnsafeIntegerError';
  }
}

function assertSafe(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new UnsafeIntegerError(what, n);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toSafe(n: bigint, what: string): number {
  if (n > MAX_SAFE || n < -MAX_SAFE) throw new UnsafeIntegerError(what, n);
  return Number(n);
}

/** floor(n / d) for bigints, d > 0 (BigInt division truncates toward zero). */
function floorDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d < 0n ? q - 1n : q;
}

/** floor(a / b) for integers, b > 0 (also correct for negative a). */
export function floorDiv(a: number, b: number): number {
  const q = (a - (((a % b) + b) % b)) / b;
  return q;
}

/** Non-negative remainder of a / b, b > 0. */
export function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** ceil(a / b) for integers, b > 0. */
export function ceilDiv(a: number, b: number): number {
  return -floorDiv(-a, b);
}

/** a * b / d rounded to the nearest integer, halves rounded up, exact (no intermediate loses precision); d > 0. */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  const den = BigInt(d);
  return toSafe(floorDivBig(2n * BigInt(a) * BigInt(b) + den, 2n * den), 'result');
}

/** floor(a * b / d), exact; d > 0. */
export function mulDivFloor(a: number, b: number, d: number): number {
  return toSafe(floorDivBig(BigInt(a) * BigInt(b), BigInt(d)), 'result');
}

/** a / b rounded to the nearest integer, halves rounded up (b > 0). */
export function roundHalfUp(a: number, b: number): number {
  return mulDivRoundHalfUp(a, 1, b);
}

/** Daily dose is exactly rate x concentration: uL/day x ng/uL = ng/day. */
export function doseForRate(rate: MicrolitresPerDay, concentration: McgPerMl): NanogramsPerDay {
  const d = rate * concentration;
  assertSafe(d, 'daily dose');
  return d;
}

/** The nearest programmable rate (1 uL/day resolution, half up) for a requested daily dose. */
export function rateForDose(dailyDose: NanogramsPerDay, concentration: McgPerMl): MicrolitresPerDay {
  if (concentration <= 0) throw new RangeError('concentration must be positive');
  return mulDivRoundHalfUp(dailyDose, 1, concentration);
}

/** Volume of a drug amount: ng / (ng/uL) = uL, in nanolitres rounded half up. */
export function volumeForAmount(amount: Nanograms, concentration: McgPerMl): Nanolitres {
  if (concentration <= 0) throw new RangeError('concentration must be positive');
  return mulDivRoundHalfUp(amount, 1000, concentration);
}

/** Drug amount in a volume, ng, rounded down (used for reporting). */
export function amountForVolume(volume: Nanolitres, concentration: McgPerMl): Nanograms {
  return mulDivFloor(volume, concentration, 1000);
}

/**
 * Length in seconds of each flex step in a day: a step runs until the next one starts, the last until the
 * first step of the next day (wrapping midnight; the pump's schedules start at 00:00). Steps sorted by start.
 */
export function flexStepLengths(steps: readonly { start: number }[]): number[] {
  const first = steps[0]?.start ?? 0;
  return steps.map((s, i) => (steps[i + 1]?.start ?? SECONDS_PER_DAY + first) - s.start);
}

/** Time-weighted mean over a flex day of a per-step value (e.g. rate or dose), rounded half up, exact. */
export function flexDailyMean(steps: readonly { start: number }[], valueOf: (i: number) => number): number {
  const lengths = flexStepLengths(steps);
  const total = lengths.reduce((sum, len, i) => sum + BigInt(valueOf(i)) * BigInt(len), 0n);
  const day = BigInt(SECONDS_PER_DAY);
  return toSafe(floorDivBig(2n * total + day, 2n * day), 'flex daily mean');
}

/** Mean rate over a flex day (uL/day, half up) and the daily dose it delivers (ng/day, half up). */
export function flexDailyTotals(
  steps: readonly { start: number; rate: number }[],
  concentration: McgPerMl,
): { meanRate: MicrolitresPerDay; dailyDose: NanogramsPerDay; dailyVolumeNl: Nanolitres } {
  return {
    meanRate: flexDailyMean(steps, (i) => steps[i]!.rate),
    dailyDose: flexDailyMean(steps, (i) => steps[i]!.rate * concentration),
    dailyVolumeNl: flexDailyMean(steps, (i) => steps[i]!.rate * 1000),
  };
}

/** Helper for flex requests: rates for each requested step dose. */
export function flexRates(
  steps: readonly FlexStep[],
  concentration: McgPerMl,
): { start: number; rate: number }[] {
  return steps.map((s) => ({
    start: s.startSecondOfDay,
    rate: rateForDose(s.dailyDoseNgPerDay, concentration),
  }));
}

/**
 * Pump time (seconds since 1970-01-01T00:00:00Z) as ISO-8601 UTC text, "2026-11-25T13:27:54Z", computed
 * with integer civil-calendar arithmetic (no Date, no locale). Years are four digits, signed before year 0.
 */
export function formatPumpTime(t: number): string {
  const days = floorDiv(t, SECONDS_PER_DAY);
  const sod = mod(t, SECONDS_PER_DAY);
  // Howard Hinnant's civil_from_days.
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${p2(m)}-${p2(d)}T${p2(floorDiv(sod, 3600))}:${p2(floorDiv(mod(sod, 3600), 60))}:${p2(mod(sod, 60))}Z`;
}
