/**
 * The pump's non-volatile memory on the host: one JSON file written atomically (temp file in the same
 * directory, fsync, rename, fsync the directory), so after a crash the file holds either the old state or
 * the new one, never a mixture. A checksum over the body catches a file damaged in place; a damaged file is
 * never silently replaced by a fresh pump (the caller must ask for `--reset`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PumpSnapshot } from '../src/device/pump-api';
import type { PumpModel, Seconds } from '../src/device/types';
import { MAX_PUMP_TIME } from './bench-schema';

export const STATE_FORMAT = 'itb-firmware-sim-state';

export interface PersistedState {
  serial: string;
  model: PumpModel;
  /** Pump time when saved; the restarted pump resumes from here (it did not run while the host was down). */
  pumpTime: Seconds;
  snapshot: PumpSnapshot;
  /** Host wall time of the save, for humans. */
  savedAt: string;
}

const bodySchema = z.strictObject({
  serial: z.string().min(1),
  model: z.enum(['SM2-20', 'SM2-40', 'SM2-20-ENG']),
  pumpTime: z.number().int().nonnegative().max(MAX_PUMP_TIME),
  snapshot: z
    .object({ version: z.literal(1), state: z.unknown() })
    .refine((s) => s.state !== undefined, 'snapshot.state missing'),
  savedAt: z.string(),
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

/** Write atomically and durably; synchronous so that a caller can persist before it acknowledges. */
export function saveState(file: string, state: PersistedState): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, encodeState(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  // The rename itself is only durable once the directory entry is on disk.
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
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
    if (n.startsWith(prefix) && n.endsWith('.tmp')) {
      try {
        fs.unlinkSync(path.join(dir, n));
      } catch {
        // another process may have removed it; nothing to do
      }
    }
  }
}
