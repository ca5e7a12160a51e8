/**
 * The pump's non-volatile memory on the host: one JSON file written atomically (temp file in the same
 * directory, fsync, rename, fsync the directory), so after a crash the file holds either the old state or
 * the new one, never a mixture. A checksum over the body catches a file damaged in place; a damaged file is
 * never silently replaced by a fresh pump (the caller must ask for `--reset`).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { PumpSnapshot } from '../src/device/pump-api';
import type { PumpModel, PumpInstant } from '../src/device/types';
import type { PatientSnapshot } from '../src/patient';
import { MAX_PUMP_TIME } from './bench-schema';

export const STATE_FORMAT = 'itb-firmware-sim-state';

export interface PersistedState {
  serial: string;
  model: PumpModel;
  /** Pump time when saved; the restarted pump resumes from here (it did not run while the host was down). */
  pumpTime: PumpInstant;
  snapshot: PumpSnapshot;
  /** Host wall time of the save, for humans. */
  savedAt: string;
  /** The virtual patient, saved with the pump (absent in files written before the patient existed). */
  patient?: PatientSnapshot;
  /** The training case in progress (firmware-sim/scenario/runner.ts `ScenarioProgress`), if any. */
  scenario?: unknown;
}

const bodySchema = z.strictObject({
  serial: z.string().min(1),
  model: z.enum(['SM2-20', 'SM2-40', 'SM2-20-ENG']),
  pumpTime: z.number().int().nonnegative().max(MAX_PUMP_TIME),
  snapshot: z
    .object({ version: z.literal(1), state: z.unknown() })
    .refine((s) => s.state !== undefined, 'snapshot.state missing'),
  savedAt: z.string(),
  patient: z
    .object({ version: z.literal(1), state: z.unknown() })
    .refine((s) => s.state !== undefined, 'patient.state missing')
    .optional(),
  scenario: z.unknown().optional(),
});
const fileSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  version: z.literal(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  body: z.unknown(),
});

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `state file ${file} is unusable: ${reason}. Refusing to start over it; use --reset to start a fresh pump.`,
    );
    this.name = 'StateFileError';
  }
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

export function encodeState(state: PersistedState): string {
  const body = JSON.stringify(state);
  return `{"format":"${STATE_FORMAT}","version":1,"sha256":"${digest(body)}","body":${body}}\n`;
}

export function decodeState(file: string, text: string): PersistedState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(file, `not valid JSON (truncated or corrupt: ${(e as Error).message})`);
  }
  const outer = fileSchema.safeParse(raw);
  if (!outer.success)
    throw new StateFileError(
      file,
      `not a firmware-sim state file (${outer.error.issues[0]?.message ?? 'bad shape'})`,
    );
  // JSON.stringify of the parsed body reproduces the bytes we hashed (same key order, same numbers).
  if (digest(JSON.stringify(outer.data.body)) !== outer.data.sha256)
    throw new StateFileError(file, 'checksum mismatch (corrupt)');
  const body = bodySchema.safeParse(outer.data.body);
  if (!body.success)
    throw new StateFileError(
      file,
      `bad contents (${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message})`,
    );
  return body.data as PersistedState;
}

/** Read the state file: null when it does not exist; throws StateFileError when it exists but is unusable. */
export function loadState(file: string): PersistedState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(file, `cannot be read (${(e as Error).message})`);
  }
  return decodeState(file, text);
}

/**
 * How bytes reach the disk: `fs.writeSync`'s contract (bytes written, possibly fewer than asked, or a
 * throw). Injectable so that tests can simulate short writes and a full disk.
 */
export type StateWriter = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

const fsWriter: StateWriter = (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length);

/** The state could not be written completely and durably; the file on disk is the previous save. */
export class StateWriteError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`state file ${file} could not be saved: ${reason}`);
    this.name = 'StateWriteError';
  }
}

export function tempFileOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/**
 * Write atomically and durably; synchronous so that a caller can persist before it acknowledges. Every byte
 * is written (a short write is continued, a write that makes no progress is an error), the temp file is
 * fsync'd and read back and compared before it replaces the state file, and the directory is fsync'd
 * after the rename. Any failure throws StateWriteError, removes the temp file and leaves the previous
 * save in place.
 */
export function saveState(file: string, state: PersistedState, write: StateWriter = fsWriter): void {
  const dir = path.dirname(file);
  const tmp = tempFileOf(file);
  const bytes = Buffer.from(encodeState(state), 'utf8');
  const step = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      throw new StateWriteError(file, `${what} failed (${(e as Error).message})`);
    }
  };
  let fd: number | null = null;
  try {
    step('creating its directory', () => fs.mkdirSync(dir, { recursive: true }));
    step('creating the temp file', () => (fd = fs.openSync(tmp, 'w', 0o600)));
    let done = 0;
    while (done < bytes.length) {
      let n = 0;
      step('writing', () => (n = write(fd!, bytes, done, bytes.length - done)));
      if (!Number.isInteger(n) || n <= 0 || n > bytes.length - done)
        throw new StateWriteError(
          file,
          `short write: ${done} of ${bytes.length} bytes written, then ${n} (disk full?)`,
        );
      done += n;
    }
    step('fsync of the temp file', () => fs.fsyncSync(fd!));
    step('closing the temp file', () => fs.closeSync(fd!));
    fd = null;
    let back: Buffer = Buffer.alloc(0);
    step('reading the temp file back', () => (back = fs.readFileSync(tmp)));
    if (!back.equals(bytes))
      throw new StateWriteError(
        file,
        `the temp file read back differs from what was written (${back.length} of ${bytes.length} bytes)`,
      );
    step('renaming the temp file', () => fs.renameSync(tmp, file));
  } catch (e) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
  // The rename itself is only durable once the directory entry is on disk.
  step('fsync of the directory', () => {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  });
}

/** Leftover temp files from a crash mid-write are garbage: the real file is intact. */
export function removeStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    // Only after the lock is held: another sim's temp file would otherwise be removed under it.
    if (n.startsWith(prefix) && n.endsWith('.tmp')) {
      try {
        fs.unlinkSync(path.join(dir, n));
      } catch {
        // another process may have removed it; nothing to do
      }
    }
  }
}

// ------------------------------------------------------------------------------------------ the lock

/** Who holds a state file: written into `<state file>.lock`. */
interface LockOwner {
  pid: number;
  /** The process's start time (Linux /proc/<pid>/stat field 22), so that a reused pid is not mistaken. */
  started: string | null;
  host: string;
  since: string;
  nonce: string;
}

export class StateLockedError extends Error {
  constructor(
    readonly file: string,
    readonly owner: { pid: number; since: string },
  ) {
    super(
      `state file ${file} is in use by another firmware-sim (pid ${owner.pid}, since ${owner.since}; lock ` +
        `file ${file}.lock). Two pumps on one memory would overwrite each other: stop that one, or use ` +
        `another --state.`,
    );
    this.name = 'StateLockedError';
  }
}

export interface StateLock {
  readonly lockFile: string;
  /** Remove the lock file if it is still ours. Idempotent. */
  release(): void;
}

function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists: it is the owner unless it is a newer process that reused the pid.
  const started = processStart(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

function readOwner(lockFile: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.nonce !== 'string') return null;
    return o as LockOwner;
  } catch {
    return null;
  }
}

/**
 * Take the state file's lock (`<file>.lock`, holding the owner's pid): a second sim on the same file is
 * refused with StateLockedError, a lock left by a process that no longer runs (kill -9) is taken over. The
 * lock file appears complete or not at all (written aside, then hard-linked into place), so a reader
 * never sees half of one.
 */
export function acquireStateLock(file: string): StateLock {
  const lockFile = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me: LockOwner = {
    pid: process.pid,
    started: processStart(process.pid),
    host: os.hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const aside = `${lockFile}.${process.pid}.${me.nonce}`;
  fs.writeFileSync(aside, JSON.stringify(me) + '\n', { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(aside, lockFile);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(lockFile);
      if (owner && owner.host === me.host && !alive(owner) && attempt < 3) {
        // Stale: its owner is gone. Remove it only if it is still that owner's (another starter may have
        // taken it over meanwhile), then try again.
        if (readOwner(lockFile)?.nonce === owner.nonce) fs.rmSync(lockFile, { force: true });
        continue;
      }
      // Held, or unreadable (not ours to judge): refuse rather than risk two pumps on one memory.
      throw new StateLockedError(file, owner ?? { pid: 0, since: 'unknown (unreadable lock file)' });
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
  let released = false;
  return {
    lockFile,
    release() {
      if (released) return;
      released = true;
      if (readOwner(lockFile)?.nonce === me.nonce) fs.rmSync(lockFile, { force: true });
    },
  };
}
