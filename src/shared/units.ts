/**
 * The bench's units as types, and the conversions between them. Every pump quantity is an integer in a
 * named fixed-point unit (docs/clinical-model.md, "Units"); the type says which, so that a value in one
 * unit passed where another is expected does not compile:
 *
 *   const v: Microlitres = status.reservoirVolumeUl;
 *   const n: Nanolitres = v;            // error: 'uL' is not 'nL'
 *   const n: Nanolitres = ulToNl(v);    // ok
 *
 * The brand is a "flavour": an optional phantom property. A plain `number` (a literal, the result of
 * arithmetic, a value decoded from the wire or parsed from JSON) is accepted where any unit is expected,
 * so the pump's integer arithmetic stays plain; what is refused is one unit where another is expected,
 * an instant where a duration is expected, and so on. The brand costs nothing at run time (it is a type
 * only). Where the brand stops is written in docs/architecture.md ("Units in the types").
 *
 * Pure: imported by every layer (the device, the protocol, the programmer, the screens, the bench).
 */

declare const unitTag: unique symbol;

/** A number in unit `U`. Assignable from a plain number, never from another unit. */
export type Unit<U extends string> = number & { readonly [unitTag]?: U };

/** Volume, nanolitres (the pump's delivery integration and the bench's truth). 1 uL = 1000 nL. */
export type Nanolitres = Unit<'nL'>;
/** Volume, microlitres (volumes on the wire and in the program). 1 mL = 1000 uL. */
export type Microlitres = Unit<'uL'>;
/** Flow rate, microlitres per day: the pump's programmed quantity (resolution 1 uL/day). */
export type MicrolitresPerDay = Unit<'uL/day'>;
/** Concentration, micrograms per millilitre (= nanograms per microlitre). */
export type McgPerMl = Unit<'mcg/mL'>;
/** Drug amount, nanograms (bolus amounts, delivered totals). 1 mcg = 1000 ng. */
export type Nanograms = Unit<'ng'>;
/** Daily dose, nanograms per day: exactly rate (uL/day) x concentration (mcg/mL). */
export type NanogramsPerDay = Unit<'ng/day'>;
/** An instant: seconds since 1970-01-01T00:00:00Z on the pump's own clock (UTC). */
export type PumpInstant = Unit<'s since 1970'>;
/** A duration, seconds (a bolus's length, a lockout, an advance of the clock). */
export type DurationSeconds = Unit<'s'>;
/** Seconds since midnight (UTC) of the pump's day, 0..86399: where a flex step starts. */
export type SecondOfDay = Unit<'s of day'>;

export const NL_PER_UL = 1000;
export const UL_PER_ML = 1000;
export const NG_PER_MCG = 1000;
export const SECONDS_PER_DAY_S: DurationSeconds = 86_400;

/** floor(a / b) for integers, b > 0, also for negative a (the pump's rounding: it never reports more). */
function floorDiv(a: number, b: number): number {
  return (a - (((a % b) + b) % b)) / b;
}

function integer(what: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be a safe integer, got ${v}`);
  return v;
}

// ------------------------------------------------------------------ constructors (plain number -> unit)
// For readability where a literal's unit is not obvious from its target; plain numbers are accepted too.

export const nl = (v: number): Nanolitres => v;
export const ul = (v: number): Microlitres => v;
export const ulPerDay = (v: number): MicrolitresPerDay => v;
export const mcgPerMl = (v: number): McgPerMl => v;
export const ng = (v: number): Nanograms => v;
export const ngPerDay = (v: number): NanogramsPerDay => v;
export const pumpInstant = (v: number): PumpInstant => v;
export const durationS = (v: number): DurationSeconds => v;

// ------------------------------------------------------------------ conversions

/** uL -> nL, exact. */
export function ulToNl(v: Microlitres): Nanolitres {
  return integer('volume (uL)', v) * NL_PER_UL;
}

/**
 * nL -> uL rounded down (toward minus infinity), as the pump reports its calculated volume: it never
 * claims a microlitre it does not hold (src/device/status.ts).
 */
export function nlToUl(v: Nanolitres): Microlitres {
  return floorDiv(integer('volume (nL)', v), NL_PER_UL);
}

/** mcg -> ng, exact (a clinician's whole or decimal microgram entries are parsed to ng directly). */
export function mcgToNg(mcg: number): Nanograms {
  return integer('amount (mcg)', mcg) * NG_PER_MCG;
}

/** Daily dose of a rate at a concentration, exact: uL/day x ng/uL = ng/day. */
export function doseOfRate(rate: MicrolitresPerDay, concentration: McgPerMl): NanogramsPerDay {
  return integer('daily dose', integer('rate', rate) * integer('concentration', concentration));
}

/** The instant `duration` after `t`. */
export function after(t: PumpInstant, duration: DurationSeconds): PumpInstant {
  return t + duration;
}

/** The duration from `from` to `to` (negative when `to` is earlier). */
export function between(from: PumpInstant, to: PumpInstant): DurationSeconds {
  return to - from;
}

/** The second of the pump's (UTC) day an instant falls on, 0..86399. */
export function secondOfDay(t: PumpInstant): SecondOfDay {
  return t - floorDiv(t, 86_400) * 86_400;
}
