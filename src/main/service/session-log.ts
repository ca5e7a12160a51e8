/**
 * What the programmer keeps of a session: its record (session-record.ts: the open one, or after the session
 * ended the last one, for the screens and for export) and the last status and program read from the pump
 * (for the summary and for judging an end of session when the pump cannot be asked). Also the two reads
 * that go back beyond this session: the visit before (from the earlier records) and what the pump's log
 * says happened since then.
 */
import { join } from 'node:path';
import type { PumpProgram } from '../../device/pump-api';
import type { LogEntry, LogPage, PumpStatus } from '../../device/types';
import type { RequestOf, SessionRecordEntry } from '../../shared/contract';
import { sinceLastVisit, type SinceLastVisit } from '../../shared/clinical/since-last-visit';
import { OpError } from './op-error';
import { SessionRecord } from './session-record';
import { renderSummary } from './summary';

export const BENCH_STATEMENT = 'Training bench, not a medical device.';

export class SessionLog {
  /** The open session's record, or null between sessions. */
  record: SessionRecord | null = null;
  private lastRecord: SessionRecord | null = null;
  lastStatus: PumpStatus | null = null;
  lastProgram: PumpProgram | null = null;

  constructor(private readonly dataDir: string) {}

  /** Where every session record is. */
  get sessionsDir(): string {
    return join(this.dataDir, 'sessions');
  }

  /** The current session's record, else the last one's. */
  get latest(): SessionRecord | null {
    return this.record ?? this.lastRecord;
  }

  /** A new session with this pump: a new record file. */
  open(pumpSerial: string | null): void {
    this.record = SessionRecord.create(this.sessionsDir, pumpSerial ?? 'pump');
    this.lastRecord = null;
  }

  /** Append to the open record (nothing between sessions). */
  append(...entry: Parameters<SessionRecord['append']>): void {
    this.record?.append(...entry);
  }

  close(): void {
    if (this.record) {
      this.record.close();
      this.lastRecord = this.record;
      this.record = null;
    }
  }

  entries(): SessionRecordEntry[] {
    return this.latest?.list() ?? [];
  }

  export(format: RequestOf<'exportRecord'>['format']): string {
    const rec = this.record ?? this.lastRecord;
    if (!rec) throw new OpError('NOT_CONNECTED', 'There is no session record yet.');
    const entries = rec.list();
    if (format === 'json') {
      return JSON.stringify({ benchStatement: BENCH_STATEMENT, file: rec.path, entries }, null, 2);
    }
    return renderSummary({ entries, status: this.lastStatus, program: this.lastProgram });
  }

  /** Since the previous visit to this pump: what its log says happened, against that visit's read-back. */
  async sinceLastVisit(
    status: PumpStatus,
    pumpSerial: string | null,
    readLog: (offset: number, count: number) => Promise<LogPage>,
  ): Promise<SinceLastVisit> {
    const previous = SessionRecord.previousVisit(
      join(this.dataDir, 'sessions'),
      pumpSerial ?? 'pump',
      this.record?.path ?? null,
    );
    // The pump's log back to the previous visit (bounded: the log itself holds at most 512 entries).
    const entries: LogEntry[] = [];
    let reachesBack = previous === null;
    for (let offset = 0; offset < 600 && previous; offset += 50) {
      const page = await readLog(offset, 50);
      entries.push(...page.entries);
      if (page.entries.some((e) => e.time <= previous.pumpTime)) {
        reachesBack = true;
        break;
      }
      if (offset + page.entries.length >= page.total || page.entries.length === 0) {
        reachesBack = page.total < 512;
        break;
      }
    }
    return sinceLastVisit(previous, { reservoirVolumeUl: status.reservoirVolumeUl }, entries, reachesBack);
  }
}
