/**
 * The clinical side of a proposal: titration guardrails, refill checks, the bridge-bolus suggestion and
 * the next refill date, all from the shared clinical rules (src/shared/clinical), so the screens and the
 * service agree on every number.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { ProgramChange, ProgramConsequences, PumpStatus, Seconds } from '../../device/types';
import { nextRefill } from '../../shared/clinical/arithmetic';
import { evaluateRefill, proposeBridgeBolus } from '../../shared/clinical/refill';
import { evaluateTitration } from '../../shared/clinical/titration';
import { getProfile } from '../../device/profiles';
import type { ProgramChangeRequest, RuleFinding, SpasticityOrigin } from '../../shared/contract';
import { therapyDailyDose } from './review';

export interface ProposalContext {
  status: PumpStatus;
  program: PumpProgram;
  /** What goes to the pump (the double-entered concentration removed). */
  change: ProgramChange;
  /** What the clinician entered (with the concentration confirmation). */
  request: ProgramChangeRequest;
  consequences: ProgramConsequences | null;
  origin: SpasticityOrigin;
  sideEffects: boolean;
  /** Pump time of the last dose increase known to this session. */
  lastIncreaseAt: Seconds | null;
  /** The daily dose in force before that increase, when it was less than 24 h ago. */
  dailyDoseBeforeLastIncrease?: number | null;
  /** Pump time of the last refill (from the pump's log), the start of the drug stability clock. */
  lastRefillAt: Seconds | null;
}

export interface ClinicalEvaluation {
  findings: RuleFinding[];
  nextRefillOld: Seconds | null;
  nextRefillNew: Seconds | null;
}

const DAY = 86_400;

export function evaluateProposal(ctx: ProposalContext): ClinicalEvaluation {
  const findings: RuleFinding[] = [];
  const now = ctx.status.pumpTime;
  const currentDose = therapyDailyDose(ctx.program.therapy);

  if (ctx.change.therapy) {
    const proposedDose = therapyDailyDose(ctx.change.therapy);
    const recent = ctx.lastIncreaseAt !== null && now - ctx.lastIncreaseAt < DAY;
    const titration = evaluateTitration({
      currentDailyDose: currentDose,
      proposedDailyDose: proposedDose,
      origin: ctx.origin,
      lastIncreaseAt: ctx.lastIncreaseAt,
      now,
      sideEffects: ctx.sideEffects,
      dailyDose24hAgo: recent ? (ctx.dailyDoseBeforeLastIncrease ?? null) : null,
    });
    // A change to 'stopped' is a deliberate stop, judged by the end-of-session check, not as a titration.
    if (ctx.change.therapy.mode !== 'stopped') findings.push(...titration.findings);
    else
      findings.push({
        rule: 'THERAPY_STOPPED',
        severity: 'warning',
        message:
          'This program stops therapy. Abrupt baclofen withdrawal can be life-threatening: state the reason.',
      });
  }

  findings.push(...refillFindings(ctx));

  const filledAt = ctx.change.refill ? now : (ctx.lastRefillAt ?? now);
  const nextRefillOld =
    ctx.status.lowReservoirAlarmTime === null && ctx.lastRefillAt === null
      ? null
      : nextRefill({
          filledAt: ctx.lastRefillAt ?? now,
          lowReservoirAlarmTime: ctx.status.lowReservoirAlarmTime,
        }).latest;
  const nextRefillNew = ctx.consequences
    ? nextRefill({ filledAt, lowReservoirAlarmTime: ctx.consequences.lowReservoirAlarmTime }).latest
    : null;
  return { findings, nextRefillOld, nextRefillNew };
}

function refillFindings(ctx: ProposalContext): RuleFinding[] {
  const refill = ctx.request.refill;
  if (!refill) return [];
  const firstFill = ctx.program.concentration === 0;
  const check = evaluateRefill({
    reservoirCapacity: ctx.status.reservoirCapacity,
    // The pump's calculated reservoir volume: what the clinician should withdraw.
    expectedVolume: ctx.status.reservoirVolume,
    withdrawnVolume: refill.withdrawnVolume,
    fillVolume: refill.fillVolume,
    concentration: refill.concentration,
    concentrationConfirm: refill.concentrationConfirm,
    previousConcentration: firstFill ? null : ctx.program.concentration,
    drugName: refill.drugName,
  });
  const findings = [...check.findings];
  if (check.bridgeBolusRecommended && !ctx.change.bolus) {
    // Dead space from the device profile: pump tubing plus the default catheter (length x volume per cm).
    const profile = getProfile(ctx.status.model);
    const bridge = proposeBridgeBolus({
      internalVolume: profile.pumpTubingVolume,
      catheterVolume: profile.catheterVolumePerCm * profile.catheterLengthCm,
      oldConcentration: ctx.program.concentration,
      newConcentration: refill.concentration,
      currentRate: ctx.status.rate,
    });
    findings.push(
      bridge.ok
        ? {
            rule: 'BRIDGE_BOLUS_SUGGESTED',
            severity: 'warning',
            message: `${bridge.message} Add it to this program (bolus: bridge, ${bridge.bolus.amount} ng over ${bridge.bolus.duration} s), or state why not.`,
          }
        : { rule: 'BRIDGE_BOLUS_NOT_COMPUTED', severity: 'warning', message: bridge.error.message },
    );
  }
  return findings;
}
