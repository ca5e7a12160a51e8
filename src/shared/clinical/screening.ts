/**
 * The label's screening trial and starting dose. Screening: a 50 mcg intrathecal bolus, then 75, then
 * 100 mcg, each 24 h after the previous one and only if the response was inadequate, each observed for
 * 4-8 h; no response to the last step means the patient is not a pump candidate. The starting daily
 * dose is twice the effective screening dose, or once if its effect lasted more than 8 h; no increase in
 * the first 24 h.
 */
import type { DurationSeconds, Nanograms, NanogramsPerDay, PumpInstant } from '../../device/types';
import { requireInteger } from './arithmetic';
import {
  LONG_SCREENING_EFFECT,
  NO_INCREASE_AFTER_START,
  SCREENING_DOSES,
  SCREENING_DOSES_SMALL_PATIENT,
  SCREENING_INTERVAL,
  SCREENING_OBSERVATION_MAX,
  SCREENING_OBSERVATION_MIN,
  STARTING_DOSE_MULTIPLIER,
  STARTING_DOSE_MULTIPLIER_LONG_EFFECT,
} from './constants';
import { formatAmount } from './format';

/** The clinician's assessment 4-8 h after a screening bolus. */
export type ScreeningResponse = 'effective' | 'inadequate' | 'adverse';

export interface ScreeningDoseGiven {
  dose: Nanograms;
  givenAt: PumpInstant;
}

export interface ScreeningOptions {
  /** Very small patients: the ladder starts at 25 mcg. */
  smallPatient?: boolean;
}

export type ScreeningStep =
  /** Give this bolus, not before `notBefore` (null: any time). */
  | { kind: 'give'; dose: Nanograms; notBefore: PumpInstant | null; message: string }
  /** The last bolus has no response yet: assess it between these times. */
  | { kind: 'observe'; dose: Nanograms; assessFrom: PumpInstant; assessBy: PumpInstant; message: string }
  /** Screening positive: plan the starting dose with `startingDailyDose`. */
  | { kind: 'effective'; effectiveDose: Nanograms; message: string }
  /** No adequate response to the last step of the ladder. */
  | { kind: 'notCandidate'; message: string }
  /** An adverse response: screening stops, no further dose. */
  | { kind: 'stopped'; message: string }
  /** The history does not follow the protocol; nothing is proposed. */
  | { kind: 'invalid'; message: string };

export function screeningLadder(options: ScreeningOptions = {}): readonly Nanograms[] {
  return options.smallPatient ? SCREENING_DOSES_SMALL_PATIENT : SCREENING_DOSES;
}

/** The next step of a screening trial from the doses given so far and the response to each. */
export function nextScreeningDose(
  previousDoses: readonly ScreeningDoseGiven[],
  responses: readonly ScreeningResponse[],
  options: ScreeningOptions = {},
): ScreeningStep {
  const ladder = screeningLadder(options);
  if (responses.length > previousDoses.length) {
    return { kind: 'invalid', message: 'There are more responses than screening doses given.' };
  }
  if (responses.length < previousDoses.length - 1) {
    return { kind: 'invalid', message: 'Every screening dose but the last needs a recorded response.' };
  }
  for (let i = 0; i < previousDoses.length; i++) {
    const given = previousDoses[i]!;
    if (!Number.isSafeInteger(given.dose) || !Number.isSafeInteger(given.givenAt)) {
      return { kind: 'invalid', message: `Screening dose ${i + 1}: dose and time must be whole numbers.` };
    }
    const expected = ladder[i];
    if (expected === undefined) {
      return { kind: 'invalid', message: `At most ${ladder.length} screening doses are given.` };
    }
    if (given.dose !== expected) {
      return {
        kind: 'invalid',
        message: `Screening dose ${i + 1} was ${formatAmount(given.dose)}; the protocol's step ${i + 1} is ${formatAmount(expected)}.`,
      };
    }
    const prev = previousDoses[i - 1];
    if (prev && given.givenAt - prev.givenAt < SCREENING_INTERVAL) {
      return {
        kind: 'invalid',
        message: `Screening dose ${i + 1} was given less than 24 h after the previous one.`,
      };
    }
    const r = responses[i];
    if (r !== undefined && r !== 'effective' && r !== 'inadequate' && r !== 'adverse') {
      return {
        kind: 'invalid',
        message: `Screening response ${i + 1} is not effective, inadequate or adverse.`,
      };
    }
    if ((r === 'effective' || r === 'adverse') && i < previousDoses.length - 1) {
      return {
        kind: 'invalid',
        message: `A screening dose was given after a response of "${r}" to dose ${i + 1}.`,
      };
    }
  }

  const last = previousDoses[previousDoses.length - 1];
  if (!last) {
    return {
      kind: 'give',
      dose: ladder[0]!,
      notBefore: null,
      message: `Give ${formatAmount(ladder[0]!)} by barbotage; observe 4-8 h.`,
    };
  }
  const lastResponse = responses[previousDoses.length - 1];
  if (lastResponse === undefined) {
    return {
      kind: 'observe',
      dose: last.dose,
      assessFrom: last.givenAt + SCREENING_OBSERVATION_MIN,
      assessBy: last.givenAt + SCREENING_OBSERVATION_MAX,
      message: `Assess the response to ${formatAmount(last.dose)} 4-8 h after the bolus.`,
    };
  }
  if (lastResponse === 'effective') {
    return {
      kind: 'effective',
      effectiveDose: last.dose,
      message: `Positive screening at ${formatAmount(last.dose)}: the patient is a pump candidate.`,
    };
  }
  if (lastResponse === 'adverse') {
    return {
      kind: 'stopped',
      message: `Adverse response to ${formatAmount(last.dose)}: no further screening dose.`,
    };
  }
  const next = ladder[previousDoses.length];
  if (next === undefined) {
    return {
      kind: 'notCandidate',
      message: `No adequate response to ${formatAmount(last.dose)}: not a candidate for intrathecal baclofen.`,
    };
  }
  return {
    kind: 'give',
    dose: next,
    notBefore: last.givenAt + SCREENING_INTERVAL,
    message: `Give ${formatAmount(next)} at least 24 h after the previous dose; observe 4-8 h.`,
  };
}

/**
 * Starting daily dose after implant: 2x the effective screening dose over 24 h, or 1x if the screening
 * effect lasted more than 8 h. Throws ClinicalInputError for a negative or fractional input.
 */
export function startingDailyDose(
  effectiveScreeningDose: Nanograms,
  effectDuration: DurationSeconds,
): NanogramsPerDay {
  requireInteger('effectiveScreeningDose', effectiveScreeningDose);
  requireInteger('effectDuration', effectDuration);
  const k =
    effectDuration > LONG_SCREENING_EFFECT ? STARTING_DOSE_MULTIPLIER_LONG_EFFECT : STARTING_DOSE_MULTIPLIER;
  return effectiveScreeningDose * k;
}

/** The first time the starting dose may be increased: 24 h after it was programmed. */
export function firstIncreaseAllowedAt(therapyStartedAt: PumpInstant): PumpInstant {
  return (
    requireInteger('therapyStartedAt', therapyStartedAt, Number.MIN_SAFE_INTEGER) + NO_INCREASE_AFTER_START
  );
}
