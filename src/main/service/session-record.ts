/**
 * The session record: an append-only JSON-lines file per session, fsync'd after every entry, so that what
 * the clinician did (and why, for overrides) survives a crash of the programmer. Also kept in memory for
 * the screens and for export.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationName, SessionRecordEntry } from '../../shared/contract';

export class SessionRecord {
  readonly path: string;
  private fd: number | null;
  private readonly entries: SessionRecordEntry[] = [];

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Create a new record file under `dir` (created if needed); the name carries the start time and pump. */
  static create(dir: string, label: string, now: Date = new Date()): SessionRecord {
    mkdirSync(dir, { recursive: true });
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const safe = label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'pump';
    let path = join(dir, `session-${stamp}-${safe}.jsonl`);
    // 'wx' refuses to reuse a file: two sessions started in the same millisecond get distinct names.
    for (let n = 1; ; n++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        return new SessionRecord(path, fd);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw err;
        path = join(dir, `session-${stamp}-${safe}-${n}.jsonl`);
      }
    }
  }

  /** Read a record file back (for tests and audits); a torn last line (crash mid-write) is ignored. */
  static read(path: string): SessionRecordEntry[] {
    const out: SessionRecordEntry[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as SessionRecordEntry);
      } catch {
        break;
      }
    }
    return out;
  }

  get closed(): boolean {
    return this.fd === null;
  }

  append(
    operation: OperationName | 'event',
    request: unknown,
    result: SessionRecordEntry['result'],
    detail: unknown,
    reason?: string,
  ): SessionRecordEntry {
    const entry: SessionRecordEntry = { at: new Date().toISOString(), operation, request, result, detail };
    if (reason !== undefined) entry.reason = reason;
    this.entries.push(entry);
    if (this.fd !== null) {
      writeSync(this.fd, JSON.stringify(entry, bigintSafe) + '\n');
      fsyncSync(this.fd);
    }
    return entry;
  }

  list(): SessionRecordEntry[] {
    return this.entries.slice();
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
