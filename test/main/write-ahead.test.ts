/**
 * The session record is written ahead (issue 15, point 8): a programmer process killed (kill -9) while its
 * commit is in flight leaves the intent on disk; the next connection to that pump reads the program back
 * and records whether the change was applied, in the old record and in the new one. Real processes: the
 * sim, a programmer child (test/main/fixtures/commit-child.ts), and the programmer service here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { SessionRecord } from '../../src/main/service/session-record';
import type { SessionRecordEntry } from '../../src/shared/contract';
import { connectProgrammer, FIRST_FILL, ROOT, Sim, tempDir } from '../sim/harness';
import { waitFor } from './helpers';

const CHILD = path.join(ROOT, 'test', 'main', 'fixtures', 'commit-child.ts');
let sim: Sim | null = null;
const children: ChildProcess[] = [];
const services: ProgrammerService[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of services.splice(0)) await s.dispose();
  await sim?.stop();
  sim = null;
});

/** Start a programmer child that proposes `dose`; resolves once it has proposed, with its record file. */
async function proposer(dataDir: string, dose: number): Promise<{ child: ChildProcess; record: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, sim!.ready.port, String(dose)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const record = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('proposed ')) resolve(l.slice('proposed '.length));
    });
    child.on('exit', (code) => reject(new Error(`commit-child exited ${code}: ${stderr}`)));
  });
  return { child, record };
}

/** kill -9, and wait until it is gone (its serial port lock with it). */
const kill9 = (c: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

const intentsIn = (file: string): SessionRecordEntry[] =>
  SessionRecord.read(file).filter((e) => e.operation === 'commitChange');

async function reconcileWith(dataDir: string): Promise<ProgrammerService> {
  const s = new ProgrammerService({
    dataDir,
    linkFactory: createProtocolLink,
    embedded: null,
    programmerId: 'WAL-TEST',
  });
  services.push(s);
  const c = await s.connect({ target: { kind: 'serial', path: sim!.ready.port } });
  if (!c.ok) throw new Error(c.error.message);
  return s;
}

describe('write-ahead session record', () => {
  it('a commit the pump applied, whose programmer died before recording it, is reconciled as applied', async () => {
    sim = await Sim.start(path.join(tempDir('sim-wal-'), 'pump.json'), ['--paused']);
    const prog = await connectProgrammer(sim.ready.port, { programmerId: 'WAL-TEST' });
    await prog.client.openSession();
    const fill = await prog.client.prepare(FIRST_FILL);
    if ('errors' in fill) throw new Error(JSON.stringify(fill.errors));
    await prog.client.commit(fill.token);
    await prog.close();
    const v0 = (await sim.state()).program.programVersion;
    const dataDir = tempDir('programmer-wal-');

    // Case 1: applied. The answer to COMMIT is held on the line; the programmer is killed once the pump
    // has applied the change, before the answer can reach it.
    const a = await proposer(dataDir, 90_000);
    await sim.ok('POST', '/link-faults', { latencyMs: 1500 });
    a.child.stdin!.write('go\n');
    await waitFor(
      'the pump applying the change',
      async () => (await sim!.state()).program.programVersion > v0,
    );
    await kill9(a.child);
    expect(intentsIn(a.record).map((e) => e.result)).toEqual(['intent']);
    await sim.ok('POST', '/link-faults', { latencyMs: 0 });

    const s1 = await reconcileWith(dataDir);
    const old = intentsIn(a.record);
    expect(old.map((e) => e.result)).toEqual(['intent', 'ok']);
    expect(old[1]!.detail).toMatchObject({ reconciled: true, outcome: 'applied', programVersion: v0 + 1 });
    expect(old[1]!.request).toEqual(old[0]!.request);
    const now = SessionRecord.read(s1.recordPath!);
    expect(
      now.some((e) => e.operation === 'event' && (e.detail as { outcome?: string }).outcome === 'applied'),
    ).toBe(true);
    // Reconciled once: another connection finds nothing left to reconcile.
    expect(SessionRecord.unresolvedIntents(path.join(dataDir, 'sessions'))).toEqual([]);
    expect((await s1.endSession({ force: true, reason: 'end of the test' })).ok).toBe(true);

    // Case 2: not applied. The programmer dies with its COMMIT still on the line, and the line is cut.
    const b = await proposer(dataDir, 80_000);
    await sim.ok('POST', '/link-faults', { latencyMs: 1500 });
    b.child.stdin!.write('go\n');
    await waitFor('the intent on disk', () => intentsIn(b.record).some((e) => e.result === 'intent'));
    await sim.ok('POST', '/link-faults', { disconnected: true });
    await kill9(b.child);
    await sim.ok('POST', '/link-faults', { disconnected: false, latencyMs: 0 });
    expect((await sim.state()).program.programVersion).toBe(v0 + 1);
    const s2 = await reconcileWith(dataDir);
    const second = intentsIn(b.record);
    expect(second.map((e) => e.result)).toEqual(['intent', 'error']);
    expect(second[1]!.detail).toMatchObject({ reconciled: true, outcome: 'notApplied' });
    expect(readdirSync(path.join(dataDir, 'sessions')).length).toBe(4);
    expect((await s2.endSession({ force: true, reason: 'end of the test' })).ok).toBe(true);
  });
});
