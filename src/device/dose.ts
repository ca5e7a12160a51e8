/**
 * Dose and volume arithmetic, integers only (the model may not use Math or floats).
 * Units: rate uL/day, concentration mcg/mL (= ng/uL), dose ng/day, amount ng, volume uL or nL.
 */
import { SECONDS_PER_DAY } from './profiles';
import type { FlexStep, McgPerMl, MicrolitresPerDay, Nanograms, Nanolitres, NanogramsPerDay } from './types';

function assertSafe(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} is not a safe integer: ${n}`);
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

/** a / b rounded to the nearest integer, halves rounded up (a >= 0, b > 0). */
export function roundHalfUp(a: number, b: number): number {
  return floorDiv(2 * a + b, 2 * b);
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
  return roundHalfUp(dailyDose, concentration);
}

/** Volume of a drug amount: ng / (ng/uL) = uL, in nanolitres rounded half up. */
export function volumeForAmount(amount: Nanograms, concentration: McgPerMl): Nanolitres {
  if (concentration <= 0) throw new RangeError('concentration must be positive');
  return roundHalfUp(amount * 1000, concentration);
}

/** Drug amount in a volume, ng, rounded down (used for reporting). */
export function amountForVolume(volume: Nanolitres, concentration: McgPerMl): Nanograms {
  return floorDiv(volume * concentration, 1000);
}

/** Length in seconds of each flex step (the last one runs until the next day's first step at 00:00). */
export function flexStepLengths(steps: readonly { start: number }[]): number[] {
  return steps.map((s, i) => (steps[i + 1]?.start ?? SECONDS_PER_DAY) - s.start);
}

/** Volume in nL delivered by a flex day of the given per-step rates (exact numerator over 86400). */
export function flexDailyVolumeNumerator(steps: readonly { start: number; rate: number }[]): number {
  const lengths = flexStepLengths(steps);
  return steps.reduce((acc, s, i) => acc + s.rate * 1000 * (lengths[i] ?? 0), 0);
}

/** Mean rate over a flex day (uL/day, half up) and the daily dose it delivers (ng/day, half up). */
export function flexDailyTotals(
  steps: readonly { start: number; rate: number }[],
  concentration: McgPerMl,
): { meanRate: MicrolitresPerDay; dailyDose: NanogramsPerDay; dailyVolumeNl: Nanolitres } {
  const num = flexDailyVolumeNumerator(steps); // nL * s / day
  return {
    meanRate: roundHalfUp(num, 1000 * SECONDS_PER_DAY),
    dailyDose: roundHalfUp(num * concentration, 1000 * SECONDS_PER_DAY),
    dailyVolumeNl: roundHalfUp(num, SECONDS_PER_DAY),
  };
}

/** Helper for flex requests: rates for each requested step dose. */
export function flexRates(
  steps: readonly FlexStep[],
  concentration: McgPerMl,
): { start: number; rate: number }[] {
  return steps.map((s) => ({ start: s.start, rate: rateForDose(s.dailyDose, concentration) }));
}

/** Pump time as ISO-8601 UTC text, computed with integer civil-calendar arithmetic (no Date in the model). */
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
  return `${y}-${p2(m)}-${p2(d)}T${p2(floorDiv(sod, 3600))}:${p2(floorDiv(mod(sod, 3600), 60))}:${p2(mod(sod, 60))}Z`;
}
