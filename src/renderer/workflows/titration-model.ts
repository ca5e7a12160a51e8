/**
 * Titration screen, as pure functions: entry (new dose or percentage) -> new dose, evaluated live by the
 * one rule engine (evaluateChange) with the review's inputs: the pump's program and status, its log
 * history (operation clinicalContext) and the patient's origin and age group. The delivered dose is the
 * pump's rate-rounded one, exactly as its prepare step computes it, so this screen and the review always
 * show the same findings. Plus a live projection of rate, alarm and refill dates.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { PumpStatus } from '../../device/types';
import type { AgeGroup, SpasticityOrigin } from '../../shared/contract';
import type { ClinicalHistory } from '../../shared/clinical/history';
import { evaluateChange, type ChangeEvaluation } from '../../shared/clinical/rules';
import {
  REFILL_LEAD_MIN,
  SIDE_EFFECT_DECREASE_MAX_BP,
  SIDE_EFFECT_DECREASE_MIN_BP,
} from '../../shared/clinical/constants';
import {
  changeBasisPoints,
  increaseGuidanceBp,
  increaseHardLimitBp,
  maintenanceRange,
  type TherapyPhase,
} from '../../shared/clinical/titration';
import { formatBasisPoints, formatDose } from '../../shared/clinical/format';
import { parseDoseEntry, parsePercentEntry, type Parsed } from './entry';
import {
  emptyTime,
  flexMeanDailyDose,
  lowReservoirAlarmTime,
  rateForDailyDose,
} from '../../shared/clinical/arithmetic';

export type TitrationEntryMode = 'dose' | 'percent';

/** The daily dose the titration starts from: continuous dose, a flex schedule's mean, or 0 when stopped. */
export function currentDailyDose(program: PumpProgram): number {
  const t = program.therapy;
  return t.mode === 'continuous'
    ? t.dailyDoseNgPerDay
    : t.mode === 'flex' && t.steps.length > 0
      ? flexMeanDailyDose(t.steps)
      : 0;
}

/** New dose (ng/day) for a percentage change, rounded to the pump's 1 ng/day resolution. */
export function percentToDose(currentNgPerDay: number, percent: number): number {
  return Math.max(0, Math.round(currentNgPerDay * (1 + percent / 100)));
}

/** Change in basis points (1% = 100 bp), or null when there is no current dose to compare with. */
export function changeBp(currentNgPerDay: number, newNgPerDay: number): number | null {
  return changeBasisPoints(currentNgPerDay, newNgPerDay);
}

/** "+15%", "-10%": the sign is always shown so an increase and a decrease cannot be confused. */
export function formatBp(bp: number): string {
  return `${bp > 0 ? '+' : ''}${formatBasisPoints(bp)}`;
}

/** The guardrail shown beside the entry: the label's step for the patient and the therapy phase. */
export function guidanceText(
  origin: SpasticityOrigin,
  ageGroup: AgeGroup = 'adult',
  phase: TherapyPhase = 'titration',
): string {
  const g = increaseGuidanceBp(origin, ageGroup, phase);
  const r = maintenanceRange(origin, ageGroup);
  const who =
    ageGroup === 'childUnder12'
      ? `Child under 12 (${origin} origin)`
      : `${origin === 'spinal' ? 'Spinal' : 'Cerebral'} origin`;
  const step =
    phase === 'maintenance'
      ? `maintenance adjustment: increase by ${formatBasisPoints(g.min)}–${formatBasisPoints(g.max)}, no more than ${formatBasisPoints(increaseHardLimitBp(origin, ageGroup, phase))}`
      : `post-implant titration: increase by ${formatBasisPoints(g.min)}–${formatBasisPoints(g.max)}`;
  return (
    `${who}, ${step}, at most once every 24 h; decrease by ${formatBasisPoints(SIDE_EFFECT_DECREASE_MIN_BP)}–${formatBasisPoints(SIDE_EFFECT_DECREASE_MAX_BP)} ` +
    `for side effects. Usual maintenance ${formatDose(r.min)} to ${formatDose(r.max)}.`
  );
}

/** The overall verdict of live findings, for the colour of the guardrail panel. */
export function verdictOf(result: {
  hardStop: boolean;
  needsOverrideReason: boolean;
}): 'ok' | 'warning' | 'hardStop' {
  return result.hardStop ? 'hardStop' : result.needsOverrideReason ? 'warning' : 'ok';
}

export interface Projection {
  /** uL/day at the current concentration, rounded to the pump's 1 uL/day resolution. */
  rate: number | null;
  lowReservoirAlarmTime: number | null;
  emptyTime: number | null;
  /** Refill at the latest a few days before the alarm date (REFILL_LEAD_MIN). */
  refillByTime: number | null;
}

export function rateFor(dailyDoseNg: number, concentration: number): number | null {
  return concentration > 0 ? rateForDailyDose(dailyDoseNg, concentration) : null;
}

/** Projected dates from the calculated reservoir at a constant rate (as the pump itself calculates them). */
export function project(
  status: PumpStatus,
  rate: number | null,
  lowReservoirAlarmVolume: number,
): Projection {
  if (!rate || rate <= 0) return { rate, lowReservoirAlarmTime: null, emptyTime: null, refillByTime: null };
  const input = { now: status.pumpTime, reservoirVolume: status.reservoirVolumeUl, rate };
  const alarm = lowReservoirAlarmTime({ ...input, lowReservoirAlarmVolume });
  return {
    rate,
    lowReservoirAlarmTime: alarm,
    emptyTime: emptyTime(input),
    refillByTime: alarm === null ? null : Math.max(status.pumpTime, alarm - REFILL_LEAD_MIN),
  };
}

export interface TitrationView {
  newDose: Parsed<number>;
  /** The rule engine's evaluation, as the review will show it; null until the pump's history is read. */
  evaluation: ChangeEvaluation | null;
  /** Direction of the delivered (rate-rounded) dose against the current one. */
  direction: 'increase' | 'decrease' | 'none' | null;
  projection: Projection | null;
}

export function titrationView(
  mode: TitrationEntryMode,
  text: string,
  program: PumpProgram,
  status: PumpStatus,
  origin: SpasticityOrigin,
  sideEffects = false,
  ageGroup: AgeGroup = 'adult',
  history: ClinicalHistory | null = null,
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
  if (!newDose.ok) return { newDose, evaluation: null, direction: null, projection: null };
  const evaluation = history
    ? evaluateChange({
        status,
        program,
        history,
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: newDose.value } },
        // Before the prepare step: the engine rounds the dose through the rate as the pump does.
        consequences: null,
        origin,
        ageGroup,
        sideEffects,
      })
    : null;
  const delivered = evaluation?.effectiveDailyDose ?? newDose.value;
  const direction = delivered > current ? 'increase' : delivered < current ? 'decrease' : 'none';
  const projection = project(
    status,
    rateFor(newDose.value, status.concentrationMcgPerMl),
    program.lowReservoirAlarmVolumeUl,
  );
  return { newDose, evaluation, direction, projection };
}
