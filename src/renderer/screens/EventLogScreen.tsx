import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LogEntry } from '../../device/types';
import type { ProgrammerBridge } from '../../shared/contract';
import { LOG_KIND_TEXT, describeLog } from '../../shared/clinical';
import { formatLocalDateTime, formatPumpTime, formatZone } from '../../shared/clinical/format';
import { ALL_KINDS, LOG_PAGE_SIZE, kindsPresent, logView, mergeLogEntries, type LogFilter } from './logModel';

/** readLog returns at most 50 entries per call. */
const READ_CHUNK = 50;
/** Upper bound on entries fetched, against a pump reporting a bogus total. */
const READ_LIMIT = 5000;

export function EventLogScreen({
  api,
  stale,
  onBack,
}: {
  api: ProgrammerBridge;
  stale: boolean;
  onBack(): void;
}) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [filter, setFilter] = useState<LogFilter>(ALL_KINDS);
  const [page, setPage] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The pump filters nothing: read the whole retained log in chunks, then filter and page here.
  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    let all: LogEntry[] = [];
    let offset = 0;
    let expected = Infinity;
    while (offset < Math.min(expected, READ_LIMIT)) {
      const r = await api.readLog({ offset, count: READ_CHUNK });
      if (!r.ok) {
        setError(`Could not read the event log: ${r.error.message}`);
        break;
      }
      expected = r.value.total;
      all = mergeLogEntries(all, r.value.entries);
      if (r.value.entries.length === 0) break;
      offset += r.value.entries.length;
    }
    setEntries(all);
    setTotal(expected === Infinity ? null : expected);
    setLoading(false);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const view = useMemo(() => logView(entries, filter, page, LOG_PAGE_SIZE), [entries, filter, page]);
  const kinds = useMemo(() => kindsPresent(entries), [entries]);
  const words = useMemo(() => describeLog(entries), [entries]);
  const [raw, setRaw] = useState(false);
  const newest = entries.length ? entries[entries.length - 1]!.time : null;

  return (
    <section className="screen log" aria-labelledby="log-title">
      <div className="screen-title-row">
        <h1 id="log-title">Event log</h1>
        <button type="button" onClick={onBack}>
          Back to summary
        </button>
      </div>
      <div className="row">
        <label className="field inline">
          Kind
          <select
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as LogFilter);
              setPage(0);
            }}
          >
            <option value={ALL_KINDS}>All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {LOG_KIND_TEXT[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Show raw records
          (engineers, UTC)
        </label>
        <button type="button" onClick={() => void load()} disabled={loading || stale}>
          Read log again
        </button>
        <span className="hint" data-testid="log-count" role="status">
          {loading
            ? 'Reading…'
            : `${view.matching} matching of ${entries.length} read${total !== null ? ` (pump retains ${total})` : ''}`}
        </span>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="log-table" data-testid="log-table">
        <caption>
          Newest first · page {view.page + 1} of {view.pageCount}
          {newest !== null && <span data-testid="log-zone"> · times are local, {formatZone(newest)}</span>}
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Detail</th>
            {raw && <th scope="col">Raw record (UTC)</th>}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((e) => {
            const w = words.get(e.seq);
            return (
              <tr key={e.seq} data-seq={e.seq} data-kind={e.kind}>
                <td>{e.seq}</td>
                <td>{formatLocalDateTime(e.time)}</td>
                <td>{w?.what ?? LOG_KIND_TEXT[e.kind]}</td>
                <td>{w?.detail}</td>
                {raw && (
                  <td className="raw" data-testid="log-raw">
                    <code>
                      {formatPumpTime(e.time)} {e.time} {e.kind} {e.detail}
                    </code>
                  </td>
                )}
              </tr>
            );
          })}
          {view.rows.length === 0 && (
            <tr>
              <td colSpan={raw ? 5 : 4}>No entries.</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="row pager">
        <button type="button" disabled={!view.hasNewer} onClick={() => setPage(view.page - 1)}>
          Newer
        </button>
        <span data-testid="log-page">
          Page {view.page + 1} of {view.pageCount}
        </span>
        <button type="button" disabled={!view.hasOlder} onClick={() => setPage(view.page + 1)}>
          Older
        </button>
      </div>
    </section>
  );
}
