/**
 * The programmer service's way to the bedside of its embedded pump (docs/bedside-api.md): loopback HTTP to
 * the device host's bedside API with the bedside's own token, read from the file the sim's ready line names.
 * Never the bench API: the service holds no bench token. The token is read when first needed and again
 * after a 401 (a restarted sim writes a new one); it is never logged.
 */
import { readFileSync } from 'node:fs';
import type { BedsideAction, BedsideExam, BedsideOrder, SyringeReading } from '../../shared/bedside';

/** A refusal from the bedside, with its HTTP status (400: bad input, 409: not now) and its words. */
export class BedsideError extends Error {
  override name = 'BedsideError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BedsideClient {
  examine(): Promise<BedsideExam>;
  refillSyringe(): Promise<SyringeReading>;
  order(order: BedsideOrder): Promise<BedsideAction>;
  actions(): Promise<BedsideAction[]>;
  /** The screening desk (issue 21), mounted on the bedside API: GET /screening or POST /screening/ACTION. */
  screening(action: string, body: Record<string, unknown>): Promise<unknown>;
  /** The training case (issue 19): GET without a body, POST with one; JSON back. */
  training(path: '/cases' | '/case' | '/case/finish' | '/case/debrief', body?: unknown): Promise<unknown>;
  /** The stand-alone HTML debrief of the ended case. */
  debriefHtml(): Promise<string>;
}

const TIMEOUT_MS = 5000;
/** A bedside answer is small; anything bigger is not one. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export function createBedsideClient(o: { url: string; tokenFile: string }): BedsideClient {
  let token: string | null = null;
  const readToken = (): string => {
    try {
      return readFileSync(o.tokenFile, 'utf8').trim();
    } catch (e) {
      throw new BedsideError(0, `the bedside's token cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
  };
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    retried = false,
  ): Promise<T> => {
    token ??= readToken();
    let res: Response;
    try {
      res = await fetch(`${o.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new BedsideError(0, `the bedside does not answer (${(e as Error).message})`);
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) throw new BedsideError(res.status, 'the bedside answered too much');
    if (res.status === 401 && !retried) {
      token = null;
      return call<T>(method, path, body, true);
    }
    if (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')) return text as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BedsideError(res.status, `the bedside answered ${res.status} with no JSON`);
    }
    if (!res.ok) {
      const msg = (parsed as { error?: unknown })?.error;
      throw new BedsideError(
        res.status,
        typeof msg === 'string' ? msg : `the bedside answered ${res.status}`,
      );
    }
    return parsed as T;
  };
  return {
    examine: () => call<BedsideExam>('POST', '/examine', {}),
    refillSyringe: () => call<SyringeReading>('POST', '/refill-syringe', {}),
    order: (order) => call<BedsideAction>('POST', '/orders', order),
    actions: () => call<BedsideAction[]>('GET', '/actions'),
    training: (path, body) => call<unknown>(body === undefined ? 'GET' : 'POST', path, body),
    debriefHtml: () => call<string>('GET', '/case/debrief.html'),
    screening: (action, body) =>
      action === 'view'
        ? call<unknown>('GET', '/screening')
        : call<unknown>('POST', `/screening/${action}`, body),
  };
}
