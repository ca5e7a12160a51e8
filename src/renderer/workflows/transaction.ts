/**
 * The programming transaction every workflow ends with, as pure data: edit -> review (a Proposal from the
 * pump's prepare step) -> update (commit) -> verified (read back). Nothing reaches the pump before the
 * clinician presses "Update pump" on the review screen; cancel at any point leaves the pump unchanged.
 */
import type { ProgramError } from '../../device/types';
import type { CommitResult, OperationError, Proposal, RuleFinding } from '../../shared/contract';

export type TransactionState =
  | { phase: 'edit'; error: OperationError | null; programErrors: ProgramError[] }
  | { phase: 'proposing' }
  | { phase: 'review'; proposal: Proposal; error: OperationError | null }
  | { phase: 'committing'; proposal: Proposal }
  | { phase: 'done'; proposal: Proposal; result: CommitResult };

export type TransactionAction =
  | { type: 'propose' }
  | { type: 'proposed'; proposal: Proposal }
  | { type: 'proposeFailed'; error: OperationError }
  | { type: 'back' }
  | { type: 'commit' }
  | { type: 'committed'; result: CommitResult }
  | { type: 'commitFailed'; error: OperationError };

export const initialTransaction: TransactionState = { phase: 'edit', error: null, programErrors: [] };

/** ProgramErrors carried in an OperationError's details (the host may refuse a proposal that way). */
export function programErrorsOf(error: OperationError): ProgramError[] {
  const d = error.details as unknown;
  const list = Array.isArray(d)
    ? d
    : d && typeof d === 'object' && Array.isArray((d as { errors?: unknown }).errors)
      ? (d as { errors: unknown[] }).errors
      : [];
  return list.filter(
    (e): e is ProgramError =>
      !!e &&
      typeof e === 'object' &&
      typeof (e as ProgramError).code === 'string' &&
      typeof (e as ProgramError).field === 'string' &&
      typeof (e as ProgramError).message === 'string',
  );
}

export function transactionReducer(state: TransactionState, action: TransactionAction): TransactionState {
  switch (action.type) {
    case 'propose':
      return state.phase === 'edit' ? { phase: 'proposing' } : state;
    case 'proposed':
      if (state.phase !== 'proposing') return state;
      // A proposal the pump refused goes back to the editor, where its errors are shown beside the fields.
      if (!action.proposal.committable && action.proposal.errors.length > 0) {
        return { phase: 'edit', error: null, programErrors: action.proposal.errors };
      }
      return { phase: 'review', proposal: action.proposal, error: null };
    case 'proposeFailed':
      return state.phase === 'proposing'
        ? { phase: 'edit', error: action.error, programErrors: programErrorsOf(action.error) }
        : state;
    case 'back':
      return state.phase === 'review' ? initialTransaction : state;
    case 'commit':
      return state.phase === 'review' ? { phase: 'committing', proposal: state.proposal } : state;
    case 'committed':
      return state.phase === 'committing'
        ? { phase: 'done', proposal: state.proposal, result: action.result }
        : state;
    case 'commitFailed':
      return state.phase === 'committing'
        ? { phase: 'review', proposal: state.proposal, error: action.error }
        : state;
  }
}

export function findingsBySeverity(findings: RuleFinding[]) {
  return {
    hardStops: findings.filter((f) => f.severity === 'hardStop'),
    warnings: findings.filter((f) => f.severity === 'warning'),
    infos: findings.filter((f) => f.severity === 'info'),
  };
}

/**
 * Why "Update pump" is disabled, in words the clinician can act on; empty when the update may go ahead.
 * A warning beyond guidance needs a stated reason; a hard stop or a pump refusal cannot be overridden.
 */
export function commitBlockers(proposal: Proposal, overrideReason: string, stale: boolean): string[] {
  const out: string[] = [];
  const { hardStops, warnings } = findingsBySeverity(proposal.findings);
  if (stale) out.push('The link to the pump is lost: reconnect before updating.');
  if (hardStops.length > 0)
    out.push('A hard stop applies: this change cannot be sent. Go back and change it.');
  if (!proposal.committable) out.push('The pump did not accept this program.');
  if (warnings.length > 0 && hardStops.length === 0 && overrideReason.trim().length === 0) {
    out.push('This change is beyond guidance: state the reason for the override.');
  }
  return out;
}

/** The override reason to send: only when there are warnings to override, trimmed. */
export function overrideReasonToSend(proposal: Proposal, overrideReason: string): string | undefined {
  const reason = overrideReason.trim();
  return findingsBySeverity(proposal.findings).warnings.length > 0 && reason
    ? reason.slice(0, 500)
    : undefined;
}
