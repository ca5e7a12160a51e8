/**
 * Refill checks and the bridge bolus.
 *
 * The pump does not measure its reservoir: it calculates it from the programmed rate. The clinician
 * compares the volume aspirated at refill with that calculated (expected) volume; a gap beyond 5% of
 * capacity (1 mL on a 20 mL pump, 2 mL on a 40 mL pump) is a warning sign. Concentration entry errors are
 * the other classic refill hazard: the concentration is typed twice, and a tenfold change is refused.
 *
 * Never throws: invalid input is a hardStop finding (INPUT_INVALID).
 */
import type {
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  Nanograms,
  DurationSeconds,
} from '../../device/types';
import type { RuleFinding } from '../contract';
import {
  CONCENTRATION_HARD_CHANGE_FACTOR,
  MAX_CONCENTRATION,
  MIN_PLAUSIBLE_CONCENTRATION,
  REFILL_GAP_THRESHOLD_PER_MILLE,
  SECONDS_PER_DAY,
  STANDARD_CONCENTRATIONS,
} from './constants';
import { mulDivFloor, mulDivRoundHalfUp } from './arithmetic';
import { formatAmount, formatConcentration, formatDuration, formatRate, formatVolume } from './format';
import { findingsVerdict } from './findings';

export interface RefillCheckInput {
  reservoirCapacity: Microlitres;
  /** The pump's calculated reservoir volume at the time of the refill. */
  expectedVolume: Microlitres;
  /** Volume aspirated from the reservoir (measured in the syringe). */
  withdrawnVolume: Microlitres;
  fillVolume: Microlitres;
  concentration: McgPerMl;
  /** The concentration typed a second time. */
  concentrationConfirm: McgPerMl;
  /** The concentration the pump holds now; null for a first fill. */
  previousConcentration: McgPerMl | null;
  /** When given, a drug other than baclofen is flagged: these rules are baclofen's. */
  drugName?: string;
}

export interface RefillCheckResult {
  findings: RuleFinding[];
  /** withdrawn - expected, uL: negative when less was withdrawn than the pump calculated. */
  volumeGap: number;
  /** A gap strictly beyond this is flagged (5% of capacity). */
  gapThreshold: Microlitres;
  concentrationChanged: boolean;
  /** The concentration changes: offer `proposeBridgeBolus`. */
  bridgeBolusRecommended: boolean;
  hardStop: boolean;
  needsOverrideReason: boolean;
}

/** The expected-vs-withdrawn gap that is flagged for a reservoir capacity (1 mL for 20 mL, 2 mL for 40 mL). */
export function refillGapThreshold(reservoirCapacity: Microlitres): Microlitres {
  return mulDivFloor(reservoirCapacity, REFILL_GAP_THRESHOLD_PER_MILLE, 1000);
}

export function isStandardConcentration(concentration: McgPerMl): boolean {
  return STANDARD_CONCENTRATIONS.includes(concentration);
}

const isWhole = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

const BACLOFEN_NAMES = /baclofen|lioresal|gablofen/i;

/** Check a refill before it is programmed. See docs/clinical-model.md, "Refill rules". */
export function evaluateRefill(input: RefillCheckInput): RefillCheckResult {
  const findings: RuleFinding[] = [];
  const add = (rule: string, severity: RuleFinding['severity'], message: string) =>
    findings.push({ rule, severity, message });
  const done = (gap: number, threshold: number, changed: boolean): RefillCheckResult => ({
    findings,
    volumeGap: gap,
    gapThreshold: threshold,
    concentrationChanged: changed,
    bridgeBolusRecommended: changed && !findingsVerdict(findings).hardStop,
    ...findingsVerdict(findings),
  });

  const fields: [string, unknown, number][] = [
    ['reservoirCapacity', input.reservoirCapacity, 1],
    ['expectedVolume', input.expectedVolume, 0],
    ['withdrawnVolume', input.withdrawnVolume, 0],
    ['fillVolume', input.fillVolume, 0],
    ['concentration', input.concentration, 0],
    ['concentrationConfirm', input.concentrationConfirm, 0],
  ];
  if (input.previousConcentration !== null)
    fields.push(['previousConcentration', input.previousConcentration, 1]);
  const bad = fields.filter(([, v, min]) => !isWhole(v, min)).map(([name]) => name);
  if (bad.length > 0) {
    add('INPUT_INVALID', 'hardStop', `Not a valid whole number: ${bad.join(', ')}.`);
    return done(0, 0, false);
  }
  const {
    reservoirCapacity: capacity,
    expectedVolume: expected,
    withdrawnVolume: withdrawn,
    fillVolume: fill,
  } = input;
  const conc = input.concentration;
  const prev = input.previousConcentration;

  // ---- expected vs withdrawn
  const gap = withdrawn - expected;
  const threshold = refillGapThreshold(capacity);
  if (withdrawn > capacity) {
    add(
      'WITHDRAWN_OVER_CAPACITY',
      'hardStop',
      `${formatVolume(withdrawn)} withdrawn is more than the ${formatVolume(capacity)} reservoir holds: check the entry, and whether the needle is in the reservoir.`,
    );
  } else if (-gap > threshold) {
    add(
      'WITHDRAWN_LESS_THAN_EXPECTED',
      'warning',
      `${formatVolume(withdrawn)} withdrawn, ${formatVolume(expected)} expected (${formatVolume(-gap)} less; limit ${formatVolume(threshold)}). ` +
        'The pump may have over-infused, or drug from the last refill went into the pocket: assess the patient for overdose now, ' +
        'and for underdose and withdrawal before the next refill (the reservoir may empty before its alarm).',
    );
  } else if (gap > threshold) {
    add(
      'WITHDRAWN_MORE_THAN_EXPECTED',
      'warning',
      `${formatVolume(withdrawn)} withdrawn, ${formatVolume(expected)} expected (${formatVolume(gap)} more; limit ${formatVolume(threshold)}). ` +
        'Less drug reached the patient than programmed (motor stall, under-infusion, wrong fill volume recorded), or fluid came from outside the reservoir (pocket): ' +
        'check needle placement and the pump log, and assess the patient for underdose and withdrawal.',
    );
  } else {
    add(
      'WITHDRAWN_AS_EXPECTED',
      'info',
      `${formatVolume(withdrawn)} withdrawn, ${formatVolume(expected)} expected: within ${formatVolume(threshold)}.`,
    );
  }

  // ---- fill volume
  if (fill === 0) {
    add(
      'FILL_VOLUME_ZERO',
      'hardStop',
      'The fill volume is 0 mL: enter the volume injected into the reservoir.',
    );
  } else if (fill > capacity) {
    add(
      'FILL_OVER_CAPACITY',
      'hardStop',
      `${formatVolume(fill)} is more than the ${formatVolume(capacity)} reservoir holds. Refused.`,
    );
  }

  // ---- concentration: double entry, range, change
  if (conc !== input.concentrationConfirm) {
    add(
      'CONCENTRATION_ENTRY_MISMATCH',
      'hardStop',
      `The concentration was entered as ${formatConcentration(conc)} and then ${formatConcentration(input.concentrationConfirm)}: read the label again and re-enter both.`,
    );
  }
  if (conc === 0) {
    add('CONCENTRATION_ZERO', 'hardStop', 'The concentration is 0 mcg/mL.');
  } else if (conc > MAX_CONCENTRATION) {
    add(
      'CONCENTRATION_ABOVE_MAXIMUM',
      'hardStop',
      `${formatConcentration(conc)} is above the highest marketed strength (${formatConcentration(MAX_CONCENTRATION)}): check the units. Refused.`,
    );
  } else if (conc < MIN_PLAUSIBLE_CONCENTRATION || STANDARD_CONCENTRATIONS.includes(conc * 1000)) {
    // The mg/mL slip: "2" typed for 2 mg/mL = 2000 mcg/mL. Refused on a first fill as on any other.
    add(
      'CONCENTRATION_NOT_A_PRODUCT',
      'hardStop',
      STANDARD_CONCENTRATIONS.includes(conc * 1000)
        ? `${formatConcentration(conc)} looks like ${conc} mg/mL typed as mcg/mL (= ${formatConcentration(conc * 1000)}): the pump would deliver a thousandth of the dose per mL. Check the units. Refused.`
        : `${formatConcentration(conc)} is below any product or usual dilution (the lowest marketed strength is ${formatConcentration(STANDARD_CONCENTRATIONS[0]!)}): check the units. Refused.`,
    );
  } else if (!isStandardConcentration(conc)) {
    add(
      'CONCENTRATION_NON_STANDARD',
      'warning',
      `${formatConcentration(conc)} is not a marketed strength (${STANDARD_CONCENTRATIONS.join(', ')} mcg/mL)${prev === null ? ' and this is a first fill, with no previous concentration to compare' : ''}: confirm the pharmacy's dilution label, enter it twice and state the reason.`,
    );
  }
  const changed = prev !== null && conc !== prev && conc > 0;
  if (changed) {
    const factor = BigInt(CONCENTRATION_HARD_CHANGE_FACTOR);
    const tenfold = BigInt(conc) >= BigInt(prev) * factor || BigInt(conc) * factor <= BigInt(prev);
    if (tenfold) {
      add(
        'CONCENTRATION_TENFOLD_CHANGE',
        'hardStop',
        `TENFOLD CHANGE: ${formatConcentration(prev)} to ${formatConcentration(conc)}. A tenfold concentration change is the classic unit error ` +
          `and would give ${conc > prev ? 'one tenth of' : 'ten times'} the intended dose if the entry is wrong. Refused.`,
      );
    } else {
      add(
        'CONCENTRATION_CHANGED',
        'warning',
        `Concentration changes from ${formatConcentration(prev)} to ${formatConcentration(conc)}: the rate is re-derived to keep the daily dose, ` +
          'and the old drug still in the pump tubing and catheter needs a bridge bolus.',
      );
    }
  }
  if (input.drugName !== undefined && !BACLOFEN_NAMES.test(input.drugName)) {
    add(
      'DRUG_NOT_BACLOFEN',
      'warning',
      `"${input.drugName}" is not baclofen: these refill and titration rules and the 180-day stability limit are baclofen's.`,
    );
  }
  return done(gap, threshold, changed);
}

// ------------------------------------------------------------------ bridge bolus

export interface BridgeBolusInput {
  /** Pump internal volume from the reservoir outlet to the catheter port, uL. */
  internalVolume: Microlitres;
  /** Catheter volume (length x volume per length, from the implant record), uL. */
  catheterVolume: Microlitres;
  oldConcentration: McgPerMl;
  newConcentration: McgPerMl;
  /** The rate in force before the refill (at the old concentration), uL/day. */
  currentRate: MicrolitresPerDay;
  /**
   * The pump's bolus limits (src/shared/device-facts/profiles.ts is the one definition): a bridge longer than the
   * longest bolus is split into parts the pump accepts. Omitted: no limit (one bolus).
   */
  limits?: BolusLimits;
}

/** The device's bolus limits the programmer must respect (fields as in src/shared/device-facts/profiles.ts). */
export interface BolusLimits {
  bolusMinDuration: DurationSeconds;
  bolusMaxDuration: DurationSeconds;
  /** uL/day */
  bolusMaxRate: MicrolitresPerDay;
}

export interface BridgePart {
  kind: 'bridge';
  amountNg: Nanograms;
  durationS: DurationSeconds;
  /** uL of dead space this part pushes. */
  volumeUl: Microlitres;
}

export type BridgeBolusErrorCode = 'INPUT_INVALID' | 'NO_DEAD_SPACE' | 'PUMP_NOT_DELIVERING';

export type BridgeBolusProposal =
  | {
      ok: true;
      /** The bolus to program now (the first part when the bridge is split). */
      bolus: { kind: 'bridge'; amountNg: Nanograms; durationS: DurationSeconds };
      /** Every part, in order; more than one when the bridge is longer than the pump's longest bolus. */
      parts: BridgePart[];
      /** Tubing + catheter volume pushed through, uL. */
      deadSpaceVolume: Microlitres;
      /** Old drug the patient receives during the bridge (dead space x old concentration), ng. */
      oldDrugDelivered: Nanograms;
      message: string;
    }
  | { ok: false; error: { code: BridgeBolusErrorCode; message: string } };

/**
 * The bridge bolus after a concentration change. The rule: push the dead space (pump tubing + catheter)
 * through at the rate in force before the refill, so the old drug in it reaches the patient exactly as
 * prescribed before, and the new drug arrives at the catheter tip when the bolus ends.
 *
 * Why: the refill changes the reservoir, not the tubing and catheter. Without a bridge the pump switches
 * at once to the rate derived for the new concentration while still pushing old drug: after a change to a
 * stronger drug (lower rate) the patient gets too little until the dead space clears (withdrawal risk);
 * after a change to a weaker drug (higher rate) too much (overdose).
 *
 * The pump only knows the new concentration, so the bolus is expressed in its terms:
 * amount = dead space x new concentration (ng), which the pump turns back into the dead-space volume;
 * duration = dead space / old rate (rounded half-up to the second, at least 1 s).
 */
export function proposeBridgeBolus(input: BridgeBolusInput): BridgeBolusProposal {
  const fields: [string, unknown, number][] = [
    ['internalVolume', input.internalVolume, 0],
    ['catheterVolume', input.catheterVolume, 0],
    ['oldConcentration', input.oldConcentration, 1],
    ['newConcentration', input.newConcentration, 1],
    ['currentRate', input.currentRate, 0],
  ];
  const bad = fields.filter(([, v, min]) => !isWhole(v, min)).map(([name]) => name);
  if (bad.length > 0) {
    return {
      ok: false,
      error: { code: 'INPUT_INVALID', message: `Not a valid whole number: ${bad.join(', ')}.` },
    };
  }
  const deadSpace = input.internalVolume + input.catheterVolume;
  if (deadSpace === 0) {
    return {
      ok: false,
      error: { code: 'NO_DEAD_SPACE', message: 'Tubing and catheter volume are 0: nothing to bridge.' },
    };
  }
  if (input.currentRate === 0) {
    return {
      ok: false,
      error: {
        code: 'PUMP_NOT_DELIVERING',
        message:
          'The pump was not delivering (rate 0): there is no prior rate to bridge at. Decide the first dose with the prescriber.',
      },
    };
  }
  const limits = input.limits;
  const minD = limits ? Math.max(1, limits.bolusMinDuration) : 1;
  const maxD = limits ? limits.bolusMaxDuration : Number.MAX_SAFE_INTEGER;
  if (
    limits &&
    !(isWhole(limits.bolusMinDuration, 1) && isWhole(maxD, minD) && isWhole(limits.bolusMaxRate, 1))
  ) {
    return { ok: false, error: { code: 'INPUT_INVALID', message: 'The pump bolus limits are not valid.' } };
  }
  // The old rate is at most the pump's basal maximum, far below its bolus maximum; a part pushed at the old
  // rate can only break the bolus rate limit if the device profile says so, which is refused here.
  if (limits && input.currentRate > limits.bolusMaxRate) {
    return {
      ok: false,
      error: {
        code: 'INPUT_INVALID',
        message: `The previous rate (${formatRate(input.currentRate)}) is above the pump's bolus rate limit.`,
      },
    };
  }
  // Volume one bolus of the longest duration carries at the old rate (at least 1 uL).
  const perPart = Math.max(1, mulDivFloor(input.currentRate, maxD, SECONDS_PER_DAY));
  const parts: BridgePart[] = [];
  let left = deadSpace;
  while (left > 0) {
    const volume = Math.min(left, perPart);
    const duration = Math.min(
      maxD,
      Math.max(minD, mulDivRoundHalfUp(volume, SECONDS_PER_DAY, input.currentRate)),
    );
    parts.push({
      kind: 'bridge',
      amountNg: mulDivFloor(volume, input.newConcentration, 1),
      durationS: duration,
      volumeUl: volume,
    });
    left -= volume;
  }
  const first = parts[0]!;
  const total = parts.reduce((t, p) => t + p.durationS, 0);
  const oldDrugDelivered = mulDivFloor(deadSpace, input.oldConcentration, 1);
  const split =
    parts.length > 1
      ? ` The pump's longest bolus is ${formatDuration(maxD)}, so the bridge is split into ${parts.length} parts: ` +
        `this program gives the first (${formatVolume(first.volumeUl)} over ${formatDuration(first.durationS)}); program each next part ` +
        `(${parts
          .slice(1)
          .map((p) => `${formatVolume(p.volumeUl)} over ${formatDuration(p.durationS)}`)
          .join(', ')}) when the previous one ends. Until then the old drug moves at the new rate.`
      : '';
  return {
    ok: true,
    bolus: { kind: 'bridge', amountNg: first.amountNg, durationS: first.durationS },
    parts,
    deadSpaceVolume: deadSpace,
    oldDrugDelivered,
    message:
      `Bridge bolus: ${formatVolume(deadSpace)} (tubing + catheter) over ${formatDuration(total)} at ${formatRate(input.currentRate)}, ` +
      `delivering the ${formatAmount(oldDrugDelivered)} of old drug at the previous dose; programmed as ${formatAmount(first.amountNg)} at the new concentration` +
      `${parts.length > 1 ? ' for the first part' : ''}.${split}`,
  };
}
