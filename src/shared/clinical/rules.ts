/**
 * The one clinical rule engine: every screen that edits a program, the review, the service's commit gate
 * and the session record call `evaluateChange` with the same inputs, so they always show the same
 * findings for the same change.
 *
 * Inputs: the pump's read-back program and status, its log (as a `ClinicalHistory`), the change, the
 * consequences the pump returned at prepare (its effective, rate-rounded dose; null on the edit screens,
 * where the same pump arithmetic gives the same number), and the patient (origin, age group).
 *
 * Every finding names its rule, its severity and its source (docs/clinical-model.md has the table).
 * Never throws: bad input is a hardStop finding.
 */
import type { PumpProgram } from '../../device/pump-api';
import { getProfile } from '../device-facts/profiles';
import type {
  BolusRequest,
  PatientBolusSettings,
  ProgramConsequences,
  PumpStatus,
  TherapyRequest,
} from '../../device/types';
import type { ProgramChangeRequest, RuleFinding, RuleSeverity, SpasticityOrigin } from '../contract';
import { rateForDailyDose, dailyDoseForRate, therapyMeanDailyDose } from './arithmetic';
import {
  BOLUS_HARD_DAILY_DOSE_FACTOR,
  BOLUS_MAX_WITHOUT_DAILY_DOSE,
  ESCALATION_WINDOW,
  SECONDS_PER_DAY,
} from './constants';
import { findingsVerdict } from './findings';
import { formatAmount, formatBasisPoints, formatDose, formatLocalDateTime, formatVolume } from './format';
import {
  doseAt,
  lastIncrease,
  phaseAt,
  therapyStartedAt,
  type ClinicalHistory,
  type RunningBolus,
} from './history';
import { evaluateRefill, proposeBridgeBolus, type BridgeBolusProposal } from './refill';
import {
  changeBasisPoints,
  evaluateTitration,
  increaseGuidanceBp,
  increaseHardLimitBp,
  type AgeGroup,
  type TherapyPhase,
} from './titration';
import { ruleSource } from './sources';

export interface ChangeInput {
  status: PumpStatus;
  /** The program as the pump reads it back (effective doses). */
  program: PumpProgram;
  history: ClinicalHistory;
  /** As the clinician entered it (the refill carries the double-entered concentration). */
  change: ProgramChangeRequest;
  /** From the pump's prepare step; null before it (edit screens). */
  consequences: ProgramConsequences | null;
  origin: SpasticityOrigin;
  ageGroup?: AgeGroup;
  sideEffects?: boolean;
  /** Catheter volume from the implant record, uL (default: the device profile's catheter). */
  catheterVolume?: number;
}

export interface ChangeEvaluation {
  findings: RuleFinding[];
  hardStop: boolean;
  needsOverrideReason: boolean;
  phase: TherapyPhase;
  currentDailyDose: number;
  /** The dose the pump will deliver after the change (rate-rounded), or null when the therapy is unchanged. */
  effectiveDailyDose: number | null;
  /** Change per 24 h against the dose in force 24 h ago (display), basis points. */
  changePer24hBp: number | null;
  /** The bridge bolus planned within the pump's limits, when the concentration changes. */
  bridge: BridgeBolusProposal | null;
  /** The bolus this program will cancel (any program update cancels a running bolus). */
  cancels: RunningBolus | null;
}

/** The therapy as the pump will store it: each dose rounded through the rate at `concentration`. */
export function effectiveTherapy(t: TherapyRequest, concentration: number): TherapyRequest {
  if (concentration <= 0 || t.mode === 'stopped') return t;
  const eff = (d: number) => dailyDoseForRate(rateForDailyDose(d, concentration), concentration);
  if (t.mode === 'continuous') return { mode: 'continuous', dailyDoseNgPerDay: eff(t.dailyDoseNgPerDay) };
  return {
    mode: 'flex',
    steps: t.steps.map((s) => ({
      startSecondOfDay: s.startSecondOfDay,
      dailyDoseNgPerDay: eff(s.dailyDoseNgPerDay),
    })),
  };
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

export function evaluateChange(input: ChangeInput): ChangeEvaluation {
  const findings: RuleFinding[] = [];
  const add = (rule: string, severity: RuleSeverity, message: string) =>
    findings.push({ rule, severity, message });
  const { status, program, history, change } = input;
  const now = status.pumpTime;
  const ageGroup = input.ageGroup ?? 'adult';
  const phase = phaseAt(history, now);
  const concentrationAfter = change.refill?.concentrationMcgPerMl ?? status.concentrationMcgPerMl;
  const currentDose = safe(() => therapyMeanDailyDose(program.therapy), 0);
  let effective: number | null = null;
  let changePer24hBp: number | null = null;

  // ---- therapy: the delivered (effective) dose against the dose in force 24 h ago
  if (change.therapy) {
    if (change.therapy.mode === 'stopped') {
      add(
        'THERAPY_STOPPED',
        'warning',
        'This program stops therapy. Abrupt baclofen withdrawal can be life-threatening: state the reason.',
      );
    } else {
      const computed = safe(
        () => therapyMeanDailyDose(effectiveTherapy(change.therapy!, concentrationAfter)),
        safe(() => therapyMeanDailyDose(change.therapy!), -1),
      );
      effective = input.consequences ? input.consequences.effectiveDailyDoseNgPerDay : computed;
      const started = therapyStartedAt(history);
      const last = lastIncrease(history);
      const d24 = doseAt(history, now - SECONDS_PER_DAY);
      const t = evaluateTitration({
        currentDailyDose: currentDose,
        proposedDailyDose: effective,
        origin: input.origin,
        ageGroup,
        phase,
        // The therapy start is judged by its own rule (no increase in the first 24 h).
        lastIncreaseAt: last && last.at !== started ? last.at : null,
        now,
        sideEffects: input.sideEffects ?? false,
        therapyStartedAt: started,
        dailyDose24hAgo: d24,
        dailyDoseWindowAgo: doseAt(history, now - ESCALATION_WINDOW),
      });
      changePer24hBp = t.changePer24hBp;
      findings.push(...t.findings);
      const typed = safe(() => therapyMeanDailyDose(change.therapy!), effective);
      if (typed !== effective && effective >= 0) {
        add(
          'DOSE_ROUNDED_BY_PUMP',
          'info',
          `The pump delivers ${formatDose(effective)} for the ${formatDose(typed)} entered (its rate resolution at ${concentrationAfter} mcg/mL); the rules judge ${formatDose(effective)}.`,
        );
      }
    }
  }
  const doseAfter = effective ?? currentDose;

  // ---- what this program cancels
  const running = history.runningBolus;
  if (running) findings.push(cancellationFinding(running, status, history));

  // ---- refill checks, concentration plausibility and the bridge bolus
  let bridge: BridgeBolusProposal | null = null;
  if (change.refill) {
    const r = change.refill;
    const firstFill = program.concentrationMcgPerMl === 0;
    const check = evaluateRefill({
      reservoirCapacity: status.reservoirCapacityUl,
      expectedVolume: status.reservoirVolumeUl,
      withdrawnVolume: r.withdrawnVolumeUl,
      fillVolume: r.fillVolumeUl,
      concentration: r.concentrationMcgPerMl,
      concentrationConfirm: r.concentrationConfirmMcgPerMl,
      previousConcentration: firstFill ? null : program.concentrationMcgPerMl,
      drugName: r.drugName,
    });
    findings.push(...check.findings);
    if (check.bridgeBolusRecommended) {
      const profile = safe(() => getProfile(status.model), null);
      bridge = profile
        ? proposeBridgeBolus({
            internalVolume: profile.pumpTubingVolume,
            catheterVolume: input.catheterVolume ?? profile.catheterVolumePerCm * profile.catheterLengthCm,
            oldConcentration: program.concentrationMcgPerMl,
            newConcentration: r.concentrationMcgPerMl,
            currentRate: status.rateUlPerDay,
            limits: profile,
          })
        : null;
      if (!change.bolus || change.bolus.kind !== 'bridge') {
        add(
          bridge?.ok ? 'BRIDGE_BOLUS_SUGGESTED' : 'BRIDGE_BOLUS_NOT_COMPUTED',
          'warning',
          bridge?.ok
            ? `${bridge.message} Add it to this program, or state why not.`
            : (bridge?.error.message ?? 'No bridge bolus could be planned for this pump model.'),
        );
      }
    }
  }

  // ---- the bolus in this program
  if (change.bolus)
    findings.push(...bolusFindings(change.bolus, doseAfter, concentrationAfter, status, bridge));

  // ---- patient-activated bolus settings: the most they can add in a day, against the label's step
  const pb = change.patientBolus;
  if (pb) findings.push(patientBolusFinding(pb, doseAfter, input.origin, ageGroup, phase));

  const withSources = findings.map((f) => ({ ...f, source: ruleSource(f.rule) }));
  return {
    findings: withSources,
    ...findingsVerdict(withSources),
    phase,
    currentDailyDose: currentDose,
    effectiveDailyDose: effective,
    changePer24hBp,
    bridge,
    cancels: running,
  };
}

/** A running bolus is cancelled by any program update; a bridge cancelled under-doses (or over-doses). */
function cancellationFinding(b: RunningBolus, status: PumpStatus, h: ClinicalHistory): RuleFinding {
  const left =
    b.remaining === null
      ? 'an unknown part left'
      : `${formatVolume(Math.floor(b.remaining / 1000))} left${status.concentrationMcgPerMl > 0 ? `, ${formatAmount(Math.floor((b.remaining * status.concentrationMcgPerMl) / 1000))} at the pump's concentration` : ''}`;
  const ends = b.endTime === null ? '' : `, due to end ${formatLocalDateTime(b.endTime)}`;
  if (b.kind === 'bridge') {
    const old = h.previousConcentration;
    const under =
      old !== null && status.concentrationMcgPerMl > 0 && old !== status.concentrationMcgPerMl
        ? ` The old drug (${old} mcg/mL) left in the tubing and catheter is then pushed at the new rate: the patient gets ${old < status.concentrationMcgPerMl ? `${formatBasisPoints(Math.round(((status.concentrationMcgPerMl - old) * 10_000) / status.concentrationMcgPerMl))} less` : `${formatBasisPoints(Math.round(((old - status.concentrationMcgPerMl) * 10_000) / status.concentrationMcgPerMl))} more`} than the programmed dose until it has cleared (${old < status.concentrationMcgPerMl ? 'under-dose: withdrawal risk' : 'overdose risk'}).`
        : ' The old drug left in the tubing and catheter is then pushed at the new rate: under-dose (withdrawal) after a change to a stronger drug, overdose after a weaker one.';
    return {
      rule: 'RUNNING_BOLUS_CANCELLED',
      severity: 'warning',
      message: `A bridge bolus is running (${left}${ends}); this program cancels it.${under} Program the rest of the bridge with this change, or state why not.`,
    };
  }
  return {
    rule: 'RUNNING_BOLUS_CANCELLED',
    severity: 'warning',
    message: `A ${b.kind} bolus is running (${left}${ends}); this program cancels it and that part is not delivered.`,
  };
}

function bolusFindings(
  b: BolusRequest,
  dailyDose: number,
  concentration: number,
  status: PumpStatus,
  bridge: BridgeBolusProposal | null,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  const add = (rule: string, severity: RuleSeverity, message: string) =>
    out.push({ rule, severity, message });
  const profile = safe(() => getProfile(status.model), null);
  if (b.kind === 'priming') {
    const deadSpace = profile
      ? profile.pumpTubingVolume + profile.catheterVolumePerCm * profile.catheterLengthCm
      : null;
    const amount = b.volumeUl * concentration;
    if (deadSpace !== null && b.volumeUl > deadSpace)
      add(
        'PRIMING_ABOVE_DEAD_SPACE',
        'warning',
        `A priming bolus of ${formatVolume(b.volumeUl)} is more than the ${formatVolume(deadSpace)} of tubing and catheter: the rest reaches the patient as a bolus of drug. State a reason to proceed.`,
      );
    if (concentration > 0 && dailyDose > 0 && amount > dailyDose)
      add(
        'BOLUS_ABOVE_DAILY_DOSE',
        'warning',
        `Priming ${formatVolume(b.volumeUl)} at ${concentration} mcg/mL moves ${formatAmount(amount)}, more than the daily dose of ${formatDose(dailyDose)}: if the catheter is already primed the patient receives it. State a reason to proceed.`,
      );
    return out;
  }
  if (b.kind === 'bridge') {
    const plan = bridge?.ok ? bridge.parts[0] : null;
    if (plan && (b.amountNg > plan.amountNg || b.durationS < plan.durationS)) {
      add(
        'BRIDGE_BOLUS_NOT_AS_PLANNED',
        'warning',
        `This bridge bolus (${formatAmount(b.amountNg)} over ${Math.round(b.durationS / 60)} min) is larger or faster than the planned first part (${formatAmount(plan.amountNg)} over ${Math.round(plan.durationS / 60)} min): the old drug would reach the patient faster than its prescribed dose. State a reason to proceed.`,
      );
    } else if (!plan && dailyDose > 0 && b.amountNg > dailyDose) {
      add(
        'BOLUS_ABOVE_DAILY_DOSE',
        'warning',
        `A bridge bolus of ${formatAmount(b.amountNg)} is more than the daily dose of ${formatDose(dailyDose)}. State a reason to proceed.`,
      );
    }
    if (bridge?.ok && bridge.parts.length > 1 && plan && b.amountNg <= plan.amountNg) {
      add('BRIDGE_BOLUS_SPLIT', 'info', bridge.message);
    }
    return out;
  }
  // single
  const a = b.amountNg;
  if (dailyDose <= 0) {
    if (a > BOLUS_MAX_WITHOUT_DAILY_DOSE)
      add(
        'BOLUS_ABOVE_SCREENING_MAXIMUM',
        'warning',
        `No daily dose to compare with: a bolus of ${formatAmount(a)} is above the largest screening bolus (${formatAmount(BOLUS_MAX_WITHOUT_DAILY_DOSE)}). State a reason to proceed.`,
      );
    return out;
  }
  if (BigInt(a) > BigInt(dailyDose) * BigInt(BOLUS_HARD_DAILY_DOSE_FACTOR)) {
    add(
      'BOLUS_ABOVE_DAILY_DOSE',
      'hardStop',
      `A bolus of ${formatAmount(a)} is more than ${BOLUS_HARD_DAILY_DOSE_FACTOR} times the daily dose of ${formatDose(dailyDose)}: overdose risk (respiratory depression, coma). Refused: check the units.`,
    );
  } else if (a > dailyDose) {
    add(
      'BOLUS_ABOVE_DAILY_DOSE',
      'warning',
      `A bolus of ${formatAmount(a)} is more than the daily dose of ${formatDose(dailyDose)}. State a reason to proceed.`,
    );
  } else {
    add(
      'BOLUS_WITHIN_DAILY_DOSE',
      'info',
      `A bolus of ${formatAmount(a)} is ${formatBasisPoints(Math.round((a * 10_000) / dailyDose))} of the daily dose (${formatDose(dailyDose)}).`,
    );
  }
  return out;
}

function patientBolusFinding(
  pb: PatientBolusSettings,
  dailyDose: number,
  origin: SpasticityOrigin,
  ageGroup: AgeGroup,
  phase: TherapyPhase,
): RuleFinding {
  const perDay = pb.amountNg * pb.maxPerDay;
  const g = increaseGuidanceBp(origin, ageGroup, phase);
  const hard = increaseHardLimitBp(origin, ageGroup, phase);
  const what = `Patient boluses of ${formatAmount(pb.amountNg)}, at most ${pb.maxPerDay} a day, add up to ${formatAmount(perDay)} a day`;
  if (dailyDose <= 0)
    return {
      rule: 'PATIENT_BOLUS_WITHOUT_DAILY_DOSE',
      severity: 'warning',
      message: `${what}, with no daily dose to compare with. State a reason to proceed.`,
    };
  const bp = changeBasisPoints(dailyDose, dailyDose + perDay) ?? 0;
  const exceeds = (limit: number) => BigInt(perDay) * 10_000n > BigInt(limit) * BigInt(dailyDose);
  if (exceeds(hard))
    return {
      rule: 'PATIENT_BOLUS_DAILY_MAXIMUM',
      severity: 'hardStop',
      message: `${what}: +${formatBasisPoints(bp)} on the daily dose of ${formatDose(dailyDose)}, above the ${formatBasisPoints(hard)} a dose may rise in 24 h. Refused.`,
    };
  if (exceeds(g.max))
    return {
      rule: 'PATIENT_BOLUS_DAILY_MAXIMUM',
      severity: 'warning',
      message: `${what}: +${formatBasisPoints(bp)} on the daily dose of ${formatDose(dailyDose)}, above the usual ${formatBasisPoints(g.max)} step. State a reason to proceed.`,
    };
  return {
    rule: 'PATIENT_BOLUS_DAILY_MAXIMUM',
    severity: 'info',
    message: `${what}: at most +${formatBasisPoints(bp)} on the daily dose of ${formatDose(dailyDose)}.`,
  };
}
