/**
 * Titration screen, as pure functions: entry (new dose or percentage) -> new dose, change per 24 h against
 * the guidance for the patient's spasticity origin, and a live projection of rate, alarm and refill dates.
 * The live view teaches; the pump's Proposal (consequences, findings) is what the review screen shows.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { PumpStatus } from '../../device/types';
import type { SpasticityOrigin } from '../../shared/contract';
import {
  BP_PER_UNIT,
  CEREBRAL_INCREASE_MAX_BP,
  CEREBRAL_INCREASE_MIN_BP,
  HARD_DOSE_CHANGE_FACTOR,
  HARD_MAX_DAILY_DOSE,
  HARD_MAX_INCREASE_PER_24H_BP,
  REFILL_LEAD_MIN,
  SECONDS_PER_DAY,
  SIDE_EFFECT_DECREASE_MAX_BP,
  SIDE_EFFECT_DECREASE_MIN_BP,
  SPINAL_INCREASE_MAX_BP,
  SPINAL_INCREASE_MIN_BP,
} from '../../shared/clinical/constants';
import { parseDoseEntry, parsePercentEntry, type Parsed } from './entry';
import { meanDailyDose } from './flex-model';

export type TitrationEntryMode = 'dose' | 'percent';

/** The daily dose the titration starts from: continuous dose, a flex schedule's mean, or 0 when stopped. */
export function currentDailyDose(program: PumpProgram): number {
  const t = program.therapy;
  return t.mode === 'continuous' ? t.dailyDose : t.mode === 'flex' ? meanDailyDose(t.steps) : 0;
}

/** New dose (ng/day) for a percentage change, rounded to the pump's 1 ng/day resolution. */
export function percentToDose(currentNgPerDay: number, percent: number): number {
  return Math.max(0, Math.round(currentNgPerDay * (1 + percent / 100)));
}

/** Change in basis points (1% = 100 bp), or null when there is no current dose to compare with. */
export function changeBp(currentNgPerDay: number, newNgPerDay: number): number | null {
  if (currentNgPerDay <= 0) return null;
  return Math.round(((newNgPerDay - currentNgPerDay) * BP_PER_UNIT) / currentNgPerDay);
}

export function formatBp(bp: number): string {
  const pct = bp / 100;
  const s = Number.isInteger(pct) ? String(Math.abs(pct)) : Math.abs(pct).toFixed(1);
  return `${bp > 0 ? '+' : bp < 0 ? '−' : ''}${s} %`;
}

export interface Guidance {
  origin: SpasticityOrigin;
  increaseMinBp: number;
  increaseMaxBp: number;
  text: string;
}

export function guidanceFor(origin: SpasticityOrigin): Guidance {
  const [min, max] =
    origin === 'spinal'
      ? [SPINAL_INCREASE_MIN_BP, SPINAL_INCREASE_MAX_BP]
      : [CEREBRAL_INCREASE_MIN_BP, CEREBRAL_INCREASE_MAX_BP];
  return {
    origin,
    increaseMinBp: min,
    increaseMaxBp: max,
    text: `${origin === 'spinal' ? 'Spinal' : 'Cerebral'} origin: increase by ${min / 100}–${max / 100} % at most once every 24 h; decrease by ${SIDE_EFFECT_DECREASE_MIN_BP / 100}–${SIDE_EFFECT_DECREASE_MAX_BP / 100} % for side effects.`,
  };
}

export type GuidancePosition =
  | 'noChange'
  | 'unknown'
  | 'smallIncrease'
  | 'withinIncrease'
  | 'beyondIncrease'
  | 'withinDecrease'
  | 'beyondDecrease'
  | 'refused';

/** Where a change sits against the guidance (display only; the pump's findings are authoritative). */
export function guidancePosition(
  currentNg: number,
  newNg: number,
  bp: number | null,
  g: Guidance,
): GuidancePosition {
  if (newNg > HARD_MAX_DAILY_DOSE && newNg > currentNg) return 'refused';
  if (
    currentNg > 0 &&
    (newNg >= currentNg * HARD_DOSE_CHANGE_FACTOR || newNg * HARD_DOSE_CHANGE_FACTOR <= currentNg)
  ) {
    return 'refused';
  }
  if (bp === null) return 'unknown';
  if (bp === 0) return 'noChange';
  if (bp > HARD_MAX_INCREASE_PER_24H_BP) return 'refused';
  if (bp > g.increaseMaxBp) return 'beyondIncrease';
  if (bp > 0) return bp < g.increaseMinBp ? 'smallIncrease' : 'withinIncrease';
  return -bp > SIDE_EFFECT_DECREASE_MAX_BP ? 'beyondDecrease' : 'withinDecrease';
}

export const POSITION_TEXT: Record<GuidancePosition, string> = {
  noChange: 'No change from the current dose.',
  unknown: 'No current dose to compare with: the change cannot be checked against guidance.',
  smallIncrease: 'Within guidance (a smaller step than usual).',
  withinIncrease: 'Within guidance.',
  beyondIncrease: 'Beyond guidance: the update will need a stated reason.',
  withinDecrease: 'A decrease within guidance.',
  beyondDecrease: 'A large decrease: abrupt cuts risk withdrawal. The update will need a stated reason.',
  refused: 'Refused: this change is beyond the hard limit (probable entry or unit error).',
};

export interface Projection {
  /** uL/day at the current concentration, rounded to the pump's 1 uL/day resolution. */
  rate: number | null;
  lowReservoirAlarmTime: number | null;
  emptyTime: number | null;
  /** Refill at the latest a few days before the alarm date (REFILL_LEAD_MIN). */
  refillByTime: number | null;
}

export function rateFor(dailyDoseNg: number, concentration: number): number | null {
  return concentration > 0 ? Math.round(dailyDoseNg / concentration) : null;
}

/** Projected dates from the calculated reservoir at a constant rate (as the pump itself calculates them). */
export function project(
  status: PumpStatus,
  rate: number | null,
  lowReservoirAlarmVolume: number,
): Projection {
  if (!rate || rate <= 0) return { rate, lowReservoirAlarmTime: null, emptyTime: null, refillByTime: null };
  const at = (volume: number) => status.pumpTime + Math.floor((Math.max(0, volume) * SECONDS_PER_DAY) / rate);
  const lowReservoirAlarmTime = at(status.reservoirVolume - lowReservoirAlarmVolume);
  return {
    rate,
    lowReservoirAlarmTime,
    emptyTime: at(status.reservoirVolume),
    refillByTime: Math.max(status.pumpTime, lowReservoirAlarmTime - REFILL_LEAD_MIN),
  };
}

export interface TitrationView {
  newDose: Parsed<number>;
  bp: number | null;
  position: GuidancePosition | null;
  projection: Projection | null;
}

export function titrationView(
  mode: TitrationEntryMode,
  text: string,
  program: PumpProgram,
  status: PumpStatus,
  origin: SpasticityOrigin,
): TitrationView {
  const current = currentDailyDose(program);
  let newDose: Parsed<number>;
  if (mode === 'dose') newDose = parseDoseEntry(text);
  else {
    const p = parsePercentEntry(text);
    newDose = !p.ok
      ? p
      : current <= 0
        ? { ok: false, message: 'The pump has no current dose: enter the new dose in mcg/day instead.' }
        : { ok: true, value: percentToDose(current, p.value) };
  }
  if (!newDose.ok) return { newDose, bp: null, position: null, projection: null };
  const bp = changeBp(current, newDose.value);
  const position = guidancePosition(current, newDose.value, bp, guidanceFor(origin));
  const projection = project(
    status,
    rateFor(newDose.value, status.concentration),
    program.lowReservoirAlarmVolume,
  );
  return { newDose, bp, position, projection };
}
