/**
 * The session record: an append-only JSON-lines file per session, fsync'd after every entry, so that what
 * the clinician did (and why, for overrides) survives a crash of the programmer. Also kept in memory for
 * the screens and for export.
 *
 * Written ahead: a commit's intent is on disk before the command is sent, its outcome after. An intent
 * with no outcome (the programmer died in between, or the link was lost) is found at the next connection
 * to that pump and reconciled against the pump's read-back (`unresolvedIntents`, `appendTo`).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
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

  /** Append one entry to a record file that is not open (an earlier session's), fsync'd. */
  static appendTo(path: string, entry: SessionRecordEntry): void {
    const fd = openSync(path, 'a', 0o600);
    try {
      writeAll(fd, JSON.stringify(entry, bigintSafe) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The last read-back of this pump in the newest earlier session record (not `exclude`): its pump time,
   * calculated reservoir and concentration, for "since the last visit". Null when there is none.
   */
  static previousVisit(
    dir: string,
    label: string,
    exclude: string | null,
    maxFiles = 200,
  ): { pumpTime: number; reservoirVolumeUl: number; concentrationMcgPerMl: number } | null {
    const safe = label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'pump';
    let names: string[];
    try {
      names = readdirSync(dir).filter(
        (n) => /^session-.*\.jsonl$/.test(n) && new RegExp(`-${safe}(-\\d+)?\\.jsonl$`).test(n),
      );
    } catch {
      return null;
    }
    for (const name of names.sort().slice(-maxFiles).reverse()) {
      const file = join(dir, name);
      if (file === exclude) continue;
      let entries: SessionRecordEntry[];
      try {
        entries = SessionRecord.read(file);
      } catch {
        continue;
      }
      for (const e of [...entries].reverse()) {
        if (e.operation !== 'interrogate' || e.result !== 'ok') continue;
        // The status as recorded; records written before the fields carried their unit say
        // `reservoirVolume` and `concentration`.
        const d = e.detail as {
          pumpTime?: unknown;
          reservoirVolumeUl?: unknown;
          concentrationMcgPerMl?: unknown;
          reservoirVolume?: unknown;
          concentration?: unknown;
        } | null;
        const volume = d?.reservoirVolumeUl ?? d?.reservoirVolume;
        const concentration = d?.concentrationMcgPerMl ?? d?.concentration;
        if (
          typeof d?.pumpTime === 'number' &&
          typeof volume === 'number' &&
          typeof concentration === 'number'
        )
          return { pumpTime: d.pumpTime, reservoirVolumeUl: volume, concentrationMcgPerMl: concentration };
      }
    }
    return null;
  }

  /**
   * Commit intents without an outcome in the record files under `dir` (the newest `maxFiles`): each with
   * its file. An intent is resolved by a later commitChange entry for the same proposal that is not an
   * intent, unless that outcome is a lost link (the pump may or may not have applied it).
   */
  static unresolvedIntents(dir: string, maxFiles = 200): { file: string; intent: SessionRecordEntry }[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.startsWith('session-') && n.endsWith('.jsonl'));
    } catch {
      return [];
    }
    const out: { file: string; intent: SessionRecordEntry }[] = [];
    for (const name of names.sort().slice(-maxFiles)) {
      const file = join(dir, name);
      let entries: SessionRecordEntry[];
      try {
        entries = SessionRecord.read(file);
      } catch {
        continue;
      }
      const open = new Map<string, SessionRecordEntry>();
      for (const e of entries) {
        if (e.operation !== 'commitChange') continue;
        const id = (e.request as { proposalId?: unknown } | null)?.proposalId;
        if (typeof id !== 'string') continue;
        if (e.result === 'intent') open.set(id, e);
        else if (!isLostLink(e)) open.delete(id);
      }
      for (const intent of open.values()) out.push({ file, intent });
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
      writeAll(this.fd, JSON.stringify(entry, bigintSafe) + '\n');
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

/** Write every byte (a short write is continued; one that makes no progress is an error). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) {
    const n = writeSync(fd, bytes, off, bytes.length - off);
    if (n <= 0) throw new Error(`session record: short write (${off} of ${bytes.length} bytes)`);
    off += n;
  }
}

function isLostLink(e: SessionRecordEntry): boolean {
  return e.result === 'error' && (e.detail as { code?: unknown } | null)?.code === 'LINK_LOST';
}

function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
