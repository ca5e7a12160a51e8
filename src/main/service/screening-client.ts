/**
 * The programmer's way to the device host's screening desk (issue 21): the trial runs on the virtual
 * patient in the host (firmware-sim/screening-desk.ts), mounted on its bedside API, which has its own
 * token (never the bench's). This module only carries the request and turns the desk's answer into a
 * result or a typed error; the desk validates and decides.
 */
import { readFile } from 'node:fs/promises';
import { ScreeningViewSchema, type ScreeningView } from '../../shared/screening-view';

export type ScreeningAction = 'view' | 'reset' | 'start' | 'wait' | 'bolus' | 'assess' | 'respond' | 'plan';

export class ScreeningUnavailable extends Error {
  override name = 'ScreeningUnavailable';
}
/** The desk refused the request (bad input or not the ladder's step): its words, and nothing changed. */
export class ScreeningRefused extends Error {
  override name = 'ScreeningRefused';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ScreeningEndpoint {
  /** The bedside API's base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  tokenFile: string;
}

/** A request that gets no answer in this long is abandoned (the desk answers in milliseconds). */
const TIMEOUT_MS = 10_000;

export async function callScreeningDesk(
  endpoint: ScreeningEndpoint | null,
  action: ScreeningAction,
  body: Record<string, unknown>,
  fetchImpl: typeof fetch = fetch,
): Promise<ScreeningView> {
  if (!endpoint)
    throw new ScreeningUnavailable(
      'The screening trial runs on the embedded virtual patient, which is not running in this programmer.',
    );
  const token = (await readFile(endpoint.tokenFile, 'utf8')).trim();
  const path = action === 'view' ? '/screening' : `/screening/${action}`;
  const res = await fetchImpl(`${endpoint.url}${path}`, {
    method: action === 'view' ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(action === 'view' ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (json as { error?: unknown } | null)?.error;
    throw new ScreeningRefused(
      res.status,
      typeof error === 'string' ? error : `the desk answered ${res.status}`,
    );
  }
  const view = ScreeningViewSchema.safeParse(json);
  if (!view.success) throw new Error('the screening desk answered with a malformed trial');
  return view.data;
}
