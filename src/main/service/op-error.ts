/**
 * An operation's refusal as the contract reports it (`OperationError`): the parts of the service throw
 * `OpError`, and the service's `run` turns whatever was thrown into the error it answers and records.
 */
import type { OperationError } from '../../shared/contract';
import { isLinkTimeout, isLocalRefusal, isPumpRefusal } from './pump-link';

export class OpError extends Error {
  constructor(
    readonly code: OperationError['code'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function toOperationError(err: unknown): OperationError {
  if (err instanceof OpError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  if (isLinkTimeout(err)) return { code: 'LINK_LOST', message: 'The pump did not answer.' };
  // A value the clinical arithmetic cannot work with (e.g. flex steps empty or out of order) is the
  // request's fault, not the programmer's: say which field, as for any bad request.
  if (err instanceof Error && err.name === 'ClinicalInputError') {
    const field = (err as Error & { field?: unknown }).field;
    return {
      code: 'BAD_REQUEST',
      message: `The change cannot be reviewed: ${err.message}`,
      ...(typeof field === 'string' ? { details: { field } } : {}),
    };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** A refusal by the programmer itself or by the pump, as the operation's error; anything else unchanged. */
export function refusalError(err: unknown): unknown {
  if (isLocalRefusal(err)) {
    // The programmer's own check: nothing was sent, so it is not the pump's refusal.
    return new OpError('BAD_REQUEST', `The programmer cannot send this: ${err.message}`, {
      reason: err.reason,
    });
  }
  if (isPumpRefusal(err)) {
    const reason = (err as { reason?: unknown; code?: unknown }).reason ?? (err as { code?: unknown }).code;
    return new OpError('PUMP_REFUSED', `The pump refused: ${err.message}`, { reason });
  }
  return err;
}
