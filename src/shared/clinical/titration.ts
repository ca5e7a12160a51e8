/**
 * Titration guardrails: a proposed daily dose against the label's guidance (warning: the clinician may
 * proceed with a stated reason) and against this bench's hard limits (hardStop: refused). Every comparison
 * is exact integer cross-multiplication, so rounding can never let a proposal slip past a limit; the basis
 * points returned are for display only.
 *
 * Never throws: invalid input is itself a hardStop finding (INPUT_INVALID), so a caller that forgets to
 * validate still cannot let a change through.
 */
import type { NanogramsPerDay, PumpInstant } from '../../device/types';
import type { AgeGroup, RuleFinding, SpasticityOrigin } from '../contract';
import {
  BP_PER_UNIT,
  CEREBRAL_INCREASE_MAX_BP,
  CEREBRAL_INCREASE_MIN_BP,
  CEREBRAL_MAINTENANCE_MAX,
  CEREBRAL_MAINTENANCE_MIN,
  CEREBRAL_MAINTENANCE_INCREASE_MAX_BP,
  CEREBRAL_MAINTENANCE_INCREASE_MIN_BP,
  CEREBRAL_REPORTED_MAX,
  CHILD_MAINTENANCE_MAX,
  CHILD_MAINTENANCE_MIN,
  DECREASE_WARNING_BP,
  ESCALATION_WARNING_BP,
  HARD_DOSE_CHANGE_FACTOR,
  HARD_MAX_INCREASE_PER_24H_BP,
  LABEL_MAX_REPORTED_DAILY_DOSE,
  MIN_INTERVAL_BETWEEN_INCREASES,
  NO_INCREASE_AFTER_START,
  SIDE_EFFECT_DECREASE_MAX_BP,
  SIDE_EFFECT_DECREASE_MIN_BP,
  SPINAL_INCREASE_MAX_BP,
  SPINAL_INCREASE_MIN_BP,
  SPINAL_MAINTENANCE_INCREASE_MAX_BP,
  SPINAL_MAINTENANCE_INCREASE_MIN_BP,
  SPINAL_MAINTENANCE_MAX,
  SPINAL_MAINTENANCE_MIN,
} from './constants';
import { findingsVerdict } from './findings';
import { formatBasisPoints, formatDose } from './format';

/** 'childUnder12' selects the paediatric rules; omitted means adult. */
export type { AgeGroup };

/**
 * The label's two phases: post-implant dose titration (after the screening trial) and maintenance
 * adjustments (at refills), each with its own increase band; in maintenance the band's top is a cap.
 */
export type TherapyPhase = 'titration' | 'maintenance';

export interface TitrationInput {
  currentDailyDose: NanogramsPerDay;
  proposedDailyDose: NanogramsPerDay;
  origin: SpasticityOrigin;
  /** Pump time of the last dose increase (from the session record or the pump log); null if none known. */
  lastIncreaseAt: PumpInstant | null;
  now: PumpInstant;
  /** The change is made because of side effects (a 10-20% decrease is the guidance). */
  sideEffects?: boolean;
  ageGroup?: AgeGroup;
  /** Pump time the starting dose was programmed, if within the record: no increase in the first 24 h. */
  therapyStartedAt?: PumpInstant | null;
  /** The daily dose in force 24 h before `now`, when known: the change per 24 h is then measured from it. */
  dailyDose24hAgo?: NanogramsPerDay | null;
  /** Omitted: titration (the stricter hard limit of the two is then the bench's 50%). */
  phase?: TherapyPhase;
  /** The daily dose in force ESCALATION_WINDOW before `now` (maintenance: a doubling suggests a catheter check). */
  dailyDoseWindowAgo?: NanogramsPerDay | null;
}

export interface TitrationResult {
  findings: RuleFinding[];
  direction: 'increase' | 'decrease' | 'none';
  /** This proposal against the current dose, signed basis points (half away from zero); null from 0. */
  changeBp: number | null;
  /** Change over the last 24 h: against `dailyDose24hAgo` when given, otherwise equal to `changeBp`. */
  changePer24hBp: number | null;
  hardStop: boolean;
  /** True when there is a warning and no hardStop: the commit needs an override reason. */
  needsOverrideReason: boolean;
}

export interface DoseRange {
  min: NanogramsPerDay;
  max: NanogramsPerDay;
}

/** The usual maintenance range for a patient. */
export function maintenanceRange(origin: SpasticityOrigin, ageGroup: AgeGroup = 'adult'): DoseRange {
  if (ageGroup === 'childUnder12') return { min: CHILD_MAINTENANCE_MIN, max: CHILD_MAINTENANCE_MAX };
  return origin === 'spinal'
    ? { min: SPINAL_MAINTENANCE_MIN, max: SPINAL_MAINTENANCE_MAX }
    : { min: CEREBRAL_MAINTENANCE_MIN, max: CEREBRAL_MAINTENANCE_MAX };
}

/**
 * The label's increase step for an origin and phase, basis points. Children get the cerebral-origin band
 * (the label gives no separate paediatric band; inferred, see docs/clinical-model.md).
 */
export function increaseGuidanceBp(
  origin: SpasticityOrigin,
  ageGroup: AgeGroup = 'adult',
  phase: TherapyPhase = 'titration',
): { min: number; max: number } {
  const spinal = origin === 'spinal' && ageGroup === 'adult';
  if (phase === 'maintenance')
    return spinal
      ? { min: SPINAL_MAINTENANCE_INCREASE_MIN_BP, max: SPINAL_MAINTENANCE_INCREASE_MAX_BP }
      : { min: CEREBRAL_MAINTENANCE_INCREASE_MIN_BP, max: CEREBRAL_MAINTENANCE_INCREASE_MAX_BP };
  return spinal
    ? { min: SPINAL_INCREASE_MIN_BP, max: SPINAL_INCREASE_MAX_BP }
    : { min: CEREBRAL_INCREASE_MIN_BP, max: CEREBRAL_INCREASE_MAX_BP };
}

/** The increase per 24 h above which a proposal is refused: the label's cap in maintenance, 50% in titration. */
export function increaseHardLimitBp(
  origin: SpasticityOrigin,
  ageGroup: AgeGroup = 'adult',
  phase: TherapyPhase = 'titration',
): number {
  return phase === 'maintenance'
    ? increaseGuidanceBp(origin, ageGroup, phase).max
    : HARD_MAX_INCREASE_PER_24H_BP;
}

/** The largest daily dose the label reports for the patient group (above it: a warning). */
export function reportedMaxDailyDose(
  origin: SpasticityOrigin,
  ageGroup: AgeGroup = 'adult',
): NanogramsPerDay {
  if (ageGroup === 'childUnder12') return CHILD_MAINTENANCE_MAX;
  return origin === 'spinal' ? LABEL_MAX_REPORTED_DAILY_DOSE : CEREBRAL_REPORTED_MAX;
}

/** Signed change of `to` against `from` in basis points, rounded half away from zero; null when from is 0. */
export function changeBasisPoints(from: number, to: number): number | null {
  if (from === 0) return null;
  const diff = BigInt(to) - BigInt(from);
  const abs = diff < 0n ? -diff : diff;
  const base = BigInt(from);
  const bp = Number((2n * abs * BigInt(BP_PER_UNIT) + base) / (2n * base));
  return diff < 0n ? -bp : bp;
}

/** Exact: (to - from) / from > bp / 10000, for from > 0. */
function increaseAbove(from: number, to: number, bp: number): boolean {
  return (BigInt(to) - BigInt(from)) * BigInt(BP_PER_UNIT) > BigInt(bp) * BigInt(from);
}
/** Exact: (from - to) / from > bp / 10000, for from > 0. */
function decreaseAbove(from: number, to: number, bp: number): boolean {
  return (BigInt(from) - BigInt(to)) * BigInt(BP_PER_UNIT) > BigInt(bp) * BigInt(from);
}

/** Exact: (to - from) / from >= bp / 10000, for from > 0. */
function increaseAtLeast(from: number, to: number, bp: number): boolean {
  return (BigInt(to) - BigInt(from)) * BigInt(BP_PER_UNIT) >= BigInt(bp) * BigInt(from);
}
/** Exact: (from - to) / from >= bp / 10000, for from > 0. */
function decreaseAtLeast(from: number, to: number, bp: number): boolean {
  return (BigInt(from) - BigInt(to)) * BigInt(BP_PER_UNIT) >= BigInt(bp) * BigInt(from);
}

const isDose = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function invalid(message: string): TitrationResult {
  return {
    findings: [{ rule: 'INPUT_INVALID', severity: 'hardStop', message }],
    direction: 'none',
    changeBp: null,
    changePer24hBp: null,
    hardStop: true,
    needsOverrideReason: false,
  };
}

/** Evaluate a proposed daily dose. See docs/clinical-model.md, "Titration rules", for the table. */
export function evaluateTitration(input: TitrationInput): TitrationResult {
  const { currentDailyDose: c, proposedDailyDose: p, origin, now } = input;
  if (!isDose(c)) return invalid('Current daily dose is not a valid whole number of ng/day.');
  if (!isDose(p)) return invalid('Proposed daily dose is not a valid whole number of ng/day.');
  if (origin !== 'spinal' && origin !== 'cerebral')
    return invalid('Spasticity origin must be spinal or cerebral.');
  if (!isTime(now)) return invalid('Pump time is not valid.');
  if (input.lastIncreaseAt !== null && !isTime(input.lastIncreaseAt))
    return invalid('Last increase time is not valid.');
  if (input.therapyStartedAt != null && !isTime(input.therapyStartedAt))
    return invalid('Therapy start time is not valid.');
  const d24 = input.dailyDose24hAgo ?? null;
  if (d24 !== null && !isDose(d24))
    return invalid('Daily dose 24 h ago is not a valid whole number of ng/day.');
  const ageGroup = input.ageGroup ?? 'adult';
  if (ageGroup !== 'adult' && ageGroup !== 'childUnder12')
    return invalid('Age group must be adult or childUnder12.');
  const phase = input.phase ?? 'titration';
  if (phase !== 'titration' && phase !== 'maintenance')
    return invalid('Phase must be titration or maintenance.');
  const dWin = input.dailyDoseWindowAgo ?? null;
  if (dWin !== null && !isDose(dWin)) return invalid('Daily dose 28 days ago is not a valid whole number.');

  const findings: RuleFinding[] = [];
  const add = (rule: string, severity: RuleFinding['severity'], message: string) =>
    findings.push({ rule, severity, message });
  const direction = p > c ? 'increase' : p < c ? 'decrease' : 'none';
  const changeBp = changeBasisPoints(c, p);
  const per24Base = direction === 'increase' && d24 !== null && d24 > 0 ? d24 : c;
  const changePer24hBp = changeBasisPoints(per24Base, p);
  const range = maintenanceRange(origin, ageGroup);
  const who = ageGroup === 'childUnder12' ? 'children under 12' : `${origin} origin`;
  const phaseWords = phase === 'maintenance' ? 'maintenance adjustment' : 'post-implant titration';
  const hardBp = increaseHardLimitBp(origin, ageGroup, phase);
  const reportedMax = reportedMaxDailyDose(origin, ageGroup);
  const pct = (bp: number | null) => (bp === null ? '' : formatBasisPoints(Math.abs(bp)));

  // ---- unit errors: tenfold either way
  const factor = BigInt(HARD_DOSE_CHANGE_FACTOR);
  if (c > 0 && (BigInt(p) >= BigInt(c) * factor || BigInt(p) * factor <= BigInt(c))) {
    add(
      'DOSE_CHANGE_TENFOLD',
      'hardStop',
      p === 0
        ? `A daily dose of 0 would stop delivery from ${formatDose(c)}: abrupt withdrawal is life-threatening. To stop the pump use Stop pump.`
        : `${formatDose(c)} to ${formatDose(p)} is a tenfold change: check units and decimal point. Refused.`,
    );
  }

  // ---- above what the label reports as used (not refused: the label reports such doses)
  if (p > reportedMax) {
    add(
      'DOSE_ABOVE_REPORTED_MAXIMUM',
      direction === 'increase' ? 'warning' : 'info',
      `${formatDose(p)} is above the largest daily dose the label reports for ${who} (${formatDose(reportedMax)}).`,
    );
  }

  if (direction === 'none') {
    add('NO_CHANGE', 'info', `Daily dose unchanged at ${formatDose(c)}.`);
  } else if (direction === 'increase') {
    const g = increaseGuidanceBp(origin, ageGroup, phase);
    if (c === 0) {
      add(
        'NO_CURRENT_DOSE',
        'warning',
        `No current daily dose to compare with: check ${formatDose(p)} against the screening result (starting dose = 2x the effective screening dose) or the last prescription.`,
      );
    }
    // Over 50% from the current dose, or from the dose 24 h ago (also after a stop: current 0).
    const stepHard = c > 0 && increaseAbove(c, p, hardBp);
    const cumHard = per24Base > 0 && per24Base !== c && increaseAbove(per24Base, p, hardBp);
    if (stepHard || cumHard) {
      add(
        'INCREASE_HARD_LIMIT',
        'hardStop',
        phase === 'maintenance'
          ? `An increase of ${pct(stepHard && !cumHard ? changeBp : changePer24hBp)} in 24 h is above the label's cap for a ${phaseWords} for ${who} (${formatBasisPoints(g.min)}-${formatBasisPoints(g.max)}, "no more than ${formatBasisPoints(g.max)}"). Refused.`
          : `An increase of ${pct(stepHard && !cumHard ? changeBp : changePer24hBp)} in 24 h is above this bench's limit of ${formatBasisPoints(hardBp)} in ${phaseWords}. Refused.`,
      );
    } else if (c > 0) {
      if (increaseAbove(per24Base, p, g.max)) {
        add(
          'INCREASE_ABOVE_GUIDANCE',
          'warning',
          `An increase of ${pct(changePer24hBp)} in 24 h is above the usual ${formatBasisPoints(g.min)}-${formatBasisPoints(g.max)} in ${phaseWords} for ${who}. State a reason to proceed.`,
        );
      } else if (!increaseAtLeast(c, p, g.min)) {
        add(
          'INCREASE_BELOW_GUIDANCE',
          'info',
          `An increase of ${pct(changeBp)} is smaller than the usual ${formatBasisPoints(g.min)}-${formatBasisPoints(g.max)} step in ${phaseWords} for ${who}.`,
        );
      } else {
        add(
          'INCREASE_WITHIN_GUIDANCE',
          'info',
          `An increase of ${pct(changeBp)} is within the usual ${formatBasisPoints(g.min)}-${formatBasisPoints(g.max)} in ${phaseWords} for ${who}.`,
        );
      }
    }
    if (
      phase === 'maintenance' &&
      dWin !== null &&
      dWin > 0 &&
      increaseAtLeast(dWin, p, ESCALATION_WARNING_BP)
    ) {
      add(
        'ESCALATION_CATHETER_CHECK',
        'warning',
        `${formatDose(p)} is ${pct(changeBasisPoints(dWin, p))} above the ${formatDose(dWin)} of 4 weeks ago. A sudden need for a substantial dose escalation typically indicates a catheter complication (kink or dislodgement): check the catheter before increasing further.`,
      );
    }
    const last = input.lastIncreaseAt;
    if (last !== null && now - last < MIN_INTERVAL_BETWEEN_INCREASES) {
      add(
        'INCREASE_WITHIN_24H',
        'warning',
        last > now
          ? 'The last increase is dated after the pump time: check the pump clock. At most one increase per 24 h.'
          : `The dose was already increased ${Math.floor((now - last) / 3600)} h ago: at most one increase per 24 h (the effect of a change takes 6-8 h to appear).`,
      );
    }
    const started = input.therapyStartedAt ?? null;
    if (started !== null && now - started < NO_INCREASE_AFTER_START) {
      add(
        'INCREASE_IN_FIRST_24H',
        'warning',
        `Therapy started ${Math.max(0, Math.floor((now - started) / 3600))} h ago: the starting dose is given for the first 24 h, no increase before then.`,
      );
    }
    if (input.sideEffects) {
      add(
        'INCREASE_DESPITE_SIDE_EFFECTS',
        'warning',
        'An increase is proposed for a change marked as due to side effects: side effects call for a 10-20% decrease.',
      );
    }
  } else {
    // decrease
    const big = decreaseAbove(c, p, input.sideEffects ? SIDE_EFFECT_DECREASE_MAX_BP : DECREASE_WARNING_BP);
    if (big) {
      add(
        'DECREASE_ABOVE_GUIDANCE',
        'warning',
        input.sideEffects
          ? `A decrease of ${pct(changeBp)} is more than the usual ${formatBasisPoints(SIDE_EFFECT_DECREASE_MIN_BP)}-${formatBasisPoints(SIDE_EFFECT_DECREASE_MAX_BP)} for side effects: watch for withdrawal. State a reason to proceed.`
          : `A decrease of ${pct(changeBp)} is more than ${formatBasisPoints(DECREASE_WARNING_BP)}: an abrupt reduction risks withdrawal. State a reason to proceed.`,
      );
    } else if (input.sideEffects && !decreaseAtLeast(c, p, SIDE_EFFECT_DECREASE_MIN_BP)) {
      add(
        'DECREASE_BELOW_GUIDANCE',
        'info',
        `A decrease of ${pct(changeBp)} is smaller than the usual ${formatBasisPoints(SIDE_EFFECT_DECREASE_MIN_BP)}-${formatBasisPoints(SIDE_EFFECT_DECREASE_MAX_BP)} for side effects.`,
      );
    } else {
      add('DECREASE_WITHIN_GUIDANCE', 'info', `A decrease of ${pct(changeBp)}.`);
    }
  }

  // ---- maintenance range (guidance only; titration from a low starting dose is normal)
  if (p > range.max) {
    add(
      'DOSE_ABOVE_TYPICAL_RANGE',
      direction === 'increase' ? 'warning' : 'info',
      `${formatDose(p)} is above the usual maintenance range for ${who} (${formatDose(range.min)} to ${formatDose(range.max)}).`,
    );
  } else if (p > 0 && p < range.min) {
    add(
      'DOSE_BELOW_TYPICAL_RANGE',
      'info',
      `${formatDose(p)} is below the usual maintenance range for ${who} (${formatDose(range.min)} to ${formatDose(range.max)}).`,
    );
  }

  return summarise(findings, direction, changeBp, changePer24hBp);
}

function summarise(
  findings: RuleFinding[],
  direction: TitrationResult['direction'],
  changeBp: number | null,
  changePer24hBp: number | null,
): TitrationResult {
  const { hardStop, needsOverrideReason } = findingsVerdict(findings);
  return { findings, direction, changeBp, changePer24hBp, hardStop, needsOverrideReason };
}
