/** Event-log view-model: newest first, filter by kind, pages of a fixed size. */
import type { LogEntry, LogKind } from '../../device/types';

export const LOG_PAGE_SIZE = 10;
export const ALL_KINDS = 'ALL' as const;
export type LogFilter = LogKind | typeof ALL_KINDS;

export interface LogView {
  rows: LogEntry[];
  /** 0 = newest page. */
  page: number;
  pageCount: number;
  matching: number;
  hasNewer: boolean;
  hasOlder: boolean;
}

/** Entries of `kind` (or all), newest first (by seq, which never repeats), page `page` clamped to the range. */
export function logView(
  entries: readonly LogEntry[],
  filter: LogFilter,
  page: number,
  pageSize = LOG_PAGE_SIZE,
): LogView {
  const matching = entries
    .filter((e) => filter === ALL_KINDS || e.kind === filter)
    .sort((a, b) => b.seq - a.seq);
  const pageCount = Math.max(1, Math.ceil(matching.length / pageSize));
  const p = Math.min(Math.max(0, Math.trunc(page)), pageCount - 1);
  return {
    rows: matching.slice(p * pageSize, (p + 1) * pageSize),
    page: p,
    pageCount,
    matching: matching.length,
    hasNewer: p > 0,
    hasOlder: p < pageCount - 1,
  };
}

/** Kinds present in the log, for the filter's options (sorted, so the list does not jump). */
export function kindsPresent(entries: readonly LogEntry[]): LogKind[] {
  return [...new Set(entries.map((e) => e.kind))].sort();
}

/** Merge pages read with readLog into one list without duplicates (by seq). */
export function mergeLogEntries(a: readonly LogEntry[], b: readonly LogEntry[]): LogEntry[] {
  const bySeq = new Map<number, LogEntry>();
  for (const e of [...a, ...b]) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}
