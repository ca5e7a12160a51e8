/**
 * The one boundary check shared by Electron IPC and the browser host's WebSocket: validate the operation
 * name and its payload with the contract's zod schemas, then call the service. Never throws.
 */
import {
  OPERATIONS,
  requestSchemas,
  type OperationError,
  type OperationName,
  type ProgrammerApi,
  type Result,
} from '../shared/contract';

export function isOperation(op: unknown): op is OperationName {
  return typeof op === 'string' && (OPERATIONS as string[]).includes(op);
}

export function badRequest(message: string, details?: unknown): Result<never> {
  return {
    ok: false,
    error:
      details === undefined ? { code: 'BAD_REQUEST', message } : { code: 'BAD_REQUEST', message, details },
  };
}

/** Validate only: the parsed request, or the BAD_REQUEST result to send back. */
export function validateRequest(
  op: OperationName,
  payload: unknown,
): { ok: true; request: unknown } | { ok: false; result: Result<never>; error: OperationError } {
  const parsed = requestSchemas[op].safeParse(payload);
  if (!parsed.success) {
    const error: OperationError = {
      code: 'BAD_REQUEST',
      message: `Invalid ${op} request.`,
      details: parsed.error.issues,
    };
    return { ok: false, result: { ok: false, error }, error };
  }
  return { ok: true, request: parsed.data };
}

export async function dispatch(api: ProgrammerApi, op: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isOperation(op)) return badRequest(`Unknown operation ${String(op)}.`);
  const checked = validateRequest(op, payload);
  if (!checked.ok) return checked.result;
  try {
    // The schema for `op` has just accepted the payload, so it is the right request type.
    const call = api[op] as (req: unknown) => Promise<Result<unknown>>;
    return await call.call(api, checked.request);
  } catch (err) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
    };
  }
}
