/**
 * What the console shows, computed from what the bench sends: pure functions, tested in
 * test/instructor/model.test.ts. Humans read local time with its zone, mL, mcg and mcg/day; raw pump
 * seconds appear only in the engineer's detail.
 */
import type { HistoryRow } from './types';
import type { Nanolitres, NanogramsPerDay } from '../shared/units';
import { nlToUl } from '../shared/units';
import { formatDose, formatLocalDateTime, formatVolume } from '../shared/clinical/format';

/**
 * Pump time (seconds since 1970) as local date and time with the zone, e.g. "7 Dec 2026, 14:05:09 CET": the
 * clinical formatter (src/shared/clinical/format.ts) with the seconds, since the console follows time closely.
 */
export function formatPumpTime(s: number, timeZone?: string): string {
  return formatLocalDateTime(s, {
    locale: 'en-GB',
    seconds: true,
    withZone: true,
    ...(timeZone ? { timeZone } : {}),
  });
}

/** The bench's truth in nL as mL, exact to the microlitre (the clinical formatter of a volume). */
export const formatMl = (nl: Nanolitres): string => formatVolume(nlToUl(Math.round(nl)));

/** A daily dose in ng/day (measured, so fractional) as mcg/day to 0.1 mcg (the clinical formatter of a dose). */
export function formatMcgPerDay(ngPerDay: NanogramsPerDay): string {
  return formatDose(Math.round(ngPerDay / 100) * 100);
}

export interface DeliverySample {
  /** Pump time, s. */
  time: number;
  /** Drug that truly reached the spinal fluid so far, ng (`truth.trueDeliveredIntrathecalNg`). */
  deliveredNg: number;
}

/**
 * The dose truly delivered, mcg/day, over the last `windowS` of pump time (at least two samples that far
 * apart; else over what there is). Null with fewer than two samples or no pump time between them.
 */
export function deliveredMcgPerDay(samples: readonly DeliverySample[], windowS = 6 * 3600): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1]!;
  let first = samples[0]!;
  for (let i = samples.length - 2; i >= 0; i--) {
    first = samples[i]!;
    if (last.time - first.time >= windowS) break;
  }
  const dt = last.time - first.time;
  if (dt <= 0) return null;
  return (((last.deliveredNg - first.deliveredNg) / dt) * 86_400) / 1000;
}

/** Keep a bounded, time-ordered list: a sample at or before the last one replaces the tail (time went back). */
export function pushSample<T extends { time: number }>(list: T[], s: T, max = 2000): T[] {
  const out = list.filter((x) => x.time < s.time);
  out.push(s);
  return out.length > max ? out.slice(out.length - max) : out;
}

/** A `datetime-local` value ("2026-12-07T14:05") read in the browser's zone, as pump seconds; null if invalid. */
export function parseLocalDateTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** Pump seconds as a `datetime-local` value in the browser's zone. */
export function toLocalDateTimeValue(s: number): string {
  const d = new Date(s * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const WITHDRAWAL_WORDS: Record<string, string> = {
  none: 'none',
  early: 'early',
  moderate: 'moderate',
  severe: 'severe',
  lifeThreatening: 'life-threatening',
};

/** Columns for uPlot: x = pump seconds, then one array per series (null where a row lacks it). */
export function historyColumns(
  rows: readonly HistoryRow[],
  keys: readonly (keyof HistoryRow)[],
): (number | null)[][] {
  const x = rows.map((r) => r.time);
  const cols = keys.map((k) => rows.map((r) => (typeof r[k] === 'number' ? (r[k] as number) : null)));
  return [x, ...cols];
}

/** Trend spans the console offers, in pump seconds. */
export const TREND_SPANS = [
  { label: '12 hours', seconds: 12 * 3600 },
  { label: '3 days', seconds: 3 * 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '21 days', seconds: 21 * 86_400 },
] as const;
