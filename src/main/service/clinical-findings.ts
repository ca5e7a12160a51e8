/**
 * The clinical side of a proposal: the shared rule engine (src/shared/clinical/rules.ts, the same call the
 * edit screens make with the same inputs) plus the next refill dates for the review.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { ProgramConsequences, PumpStatus, PumpInstant } from '../../device/types';
import { nextRefill } from '../../shared/clinical/arithmetic';
import type { ClinicalHistory } from '../../shared/clinical/history';
import { evaluateChange, type ChangeEvaluation } from '../../shared/clinical/rules';
import type { AgeGroup, ProgramChangeRequest, SpasticityOrigin } from '../../shared/contract';

export interface ProposalContext {
  status: PumpStatus;
  program: PumpProgram;
  history: ClinicalHistory;
  /** What the clinician entered (with the concentration confirmation). */
  request: ProgramChangeRequest;
  consequences: ProgramConsequences | null;
  origin: SpasticityOrigin;
  ageGroup: AgeGroup;
  sideEffects: boolean;
}

export interface ClinicalEvaluation extends ChangeEvaluation {
  nextRefillOld: PumpInstant | null;
  nextRefillNew: PumpInstant | null;
}

export function evaluateProposal(ctx: ProposalContext): ClinicalEvaluation {
  const evaluation = evaluateChange({
    status: ctx.status,
    program: ctx.program,
    history: ctx.history,
    change: ctx.request,
    consequences: ctx.consequences,
    origin: ctx.origin,
    ageGroup: ctx.ageGroup,
    sideEffects: ctx.sideEffects,
  });
  const now = ctx.status.pumpTime;
  const lastRefillAt = ctx.history.lastRefillAt;
  const filledAt = ctx.request.refill ? now : (lastRefillAt ?? now);
  const nextRefillOld =
    ctx.status.lowReservoirAlarmTime === null && lastRefillAt === null
      ? null
      : nextRefill({ filledAt: lastRefillAt ?? now, lowReservoirAlarmTime: ctx.status.lowReservoirAlarmTime })
          .latest;
  const nextRefillNew = ctx.consequences
    ? nextRefill({ filledAt, lowReservoirAlarmTime: ctx.consequences.lowReservoirAlarmTime }).latest
    : null;
  return { ...evaluation, nextRefillOld, nextRefillNew };
}
