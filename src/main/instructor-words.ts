/**
 * The instructor's activity feed in words: what a console control did (time, faults, the link), what the
 * trainee did (their session record, their actions at the bedside).
 */
import type { SessionRecordEntry } from '../shared/contract';
import { describeAction, type BedsideActionKind } from '../shared/bedside';
import { formatDuration, formatPumpTime } from '../shared/clinical/format';

/** A bedside action from the stream, in the clinic's words (the shared describer; raw kind if unknown). */
export function bedsideWords(a: { action?: string; detail?: Record<string, unknown> }): string {
  try {
    return describeAction({ action: a.action as BedsideActionKind, detail: a.detail ?? {} });
  } catch {
    return words(String(a.action ?? ''));
  }
}

export const words = (camel: string) => camel.replace(/([A-Z])/g, ' $1').toLowerCase();

export function describeAdvance(a: Record<string, unknown>): string {
  if (typeof a.by === 'number') return `by ${span(a.by)}`;
  if (typeof a.to === 'number') return `to ${formatPumpTime(a.to)}`;
  return JSON.stringify(a);
}

/** A duration asked for, exactly (the bench refuses a bad one; its words must not throw first). */
const span = (s: number): string =>
  Number.isSafeInteger(s) && s >= 0 ? formatDuration(s, { exact: true }) : `${s} s`;

export function describeAutoPause(a: Record<string, unknown>): string {
  const parts: string[] = [];
  if (a.at === null) parts.push('time cancelled');
  else if (typeof a.at === 'number') parts.push(`at ${formatPumpTime(a.at)}`);
  if (Array.isArray(a.when))
    parts.push(
      a.when.length === 0
        ? 'conditions cancelled'
        : `when ${a.when.map((c: { kind?: string; atLeast?: string }) => (c.atLeast ? `${words(c.kind ?? '')} reaches ${words(c.atLeast)}` : `an ${c.kind ?? ''} is raised`)).join(' or ')}`,
    );
  return parts.join('; ');
}

export function describeFault(f: Record<string, unknown>): string {
  switch (f.kind) {
    case 'catheter':
      return `catheter ${words(String(f.state))}`;
    case 'battery':
      return `battery ${f.to === 'eri' ? 'at ERI (elective replacement)' : 'at end of service'}`;
    case 'motorStall':
      return `motor stall (recovers after ${span(Number(f.recoveryDelayS))})`;
    case 'memoryError':
      return `${f.critical ? 'critical' : 'non-critical'} memory error`;
    case 'overInfusion':
      return `over-infusion of ${Number(f.ppm) / 10_000}%`;
    case 'pocketFill':
      return `pocket fill of ${Number(f.ppm) / 10_000}% at the next refill`;
    default:
      return `${words(String(f.kind))} ${JSON.stringify(f)}`;
  }
}

/** The trainee's session record entry in words (what the programmer did). */
export function describeRecordEntry(e: SessionRecordEntry): string {
  const op = e.operation === 'event' ? `event ${JSON.stringify(e.request)}` : words(e.operation);
  const outcome = e.result === 'ok' ? '' : ` (${e.result})`;
  return `${op}${outcome}`;
}
