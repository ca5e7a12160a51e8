/**
 * One headless run of a case (issue 19, point 4): the real sim as a child process with its own pty, the
 * case loaded (`--scenario FILE --paused`: time moves only when the driver or the runner moves it, as fast
 * as the host computes), the programmer service connected over the pty as the app's is, the driver acting
 * as a clinician, then the case played to its end and the debrief fetched with the session record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import type { Debrief } from '../../src/training/scenario/debrief';
import type { Driver } from '../../src/training/scenario/driver';
import type { Scenario } from '../../src/training/scenario/schema';
import { benchClient } from './bench-client';
import { caseHandle } from './case-handle';
import { caseSimArgs, expertDriverOf } from './library';

/** The built-in driver that does nothing: every case that expects an action must fail with it. */
export const doNothing: Driver = async () => undefined;

export const BUILTIN_DRIVERS = ['do-nothing', 'expert'] as const;

/** A driver by name (`do-nothing`, `expert`: the case's own) or by module path. */
export async function loadDriver(name: string, caseFile: string, s: Scenario): Promise<Driver> {
  if (name === 'do-nothing') return doNothing;
  let path = name;
  if (name === 'expert') {
    const p = expertDriverOf(caseFile, s);
    if (!p)
      throw new Error(`case "${s.id}" has no expert driver (${s.id}.expert.ts beside it, or "expertDriver")`);
    path = p;
  }
  const abs = isAbsolute(path) ? path : resolve(process.cwd(), path);
  const mod = (await import(pathToFileURL(abs).href)) as {
    default?: unknown;
    drive?: unknown;
  };
  const fn = mod.default ?? mod.drive;
  if (typeof fn !== 'function')
    throw new Error(`${path} exports no driver function (default export, or "drive")`);
  return fn as Driver;
}

export interface RunResult {
  scenario: string;
  title: string;
  driver: string;
  /** Wall time of the whole run (sim start to debrief), ms. */
  wallMs: number;
  /** Wall time of the driver and the play to the end (without the sim's start-up), ms. */
  playMs: number;
  passed: boolean;
  debrief: Debrief;
  /** The driver's failure, if it threw (the case is still played to its end and scored). */
  driverError: string | null;
}

/** Longest a driver may take (wall time) before the run is stopped and scored as it stands. */
export const DRIVER_TIMEOUT_MS = 120_000;

export async function runCase(o: {
  file: string;
  scenario: Scenario;
  driver: Driver;
  driverName: string;
  onLog?: (line: string) => void;
  timeoutMs?: number;
}): Promise<RunResult> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), `scenario-${o.scenario.id}-`));
  const svc = new ProgrammerService({
    dataDir: dir,
    linkFactory: createProtocolLink,
    embedded: {
      stateFile: join(dir, 'pump.json'),
      extraArgs: caseSimArgs(o.file, { headless: true }),
      ...(o.onLog ? { onLog: o.onLog } : {}),
    },
  });
  try {
    const ready = await svc.start();
    if (!ready) throw new Error('the sim did not start');
    const bench = benchClient(ready.bench, ready.tokenFile);
    const status = await bench.get<{ startTime: number; endTime: number }>('/scenario');
    const c = caseHandle(bench, o.scenario, status.startTime);
    const t1 = performance.now();
    let driverError: string | null = null;
    let timer: NodeJS.Timeout | null = null;
    try {
      await Promise.race([
        o.driver(svc, c),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new Error(`the driver took longer than ${(o.timeoutMs ?? DRIVER_TIMEOUT_MS) / 1000} s`)),
            o.timeoutMs ?? DRIVER_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (e) {
      driverError = (e as Error).stack ?? String(e);
    } finally {
      if (timer) clearTimeout(timer);
    }
    // Play the rest of the case: deadlines after the driver's last action are judged too.
    const st = await c.status();
    if (!st.ended && st.now < st.endTime) await c.advanceTo(st.endTime);
    const rec = await svc.sessionRecord({});
    const sessionRecord = rec.ok
      ? rec.value.map((e) => ({ at: e.at, operation: String(e.operation), result: e.result }))
      : [];
    const debrief = await bench.post<Debrief>('/scenario/debrief', { sessionRecord });
    return {
      scenario: o.scenario.id,
      title: o.scenario.title,
      driver: o.driverName,
      wallMs: performance.now() - t0,
      playMs: performance.now() - t1,
      passed: debrief.criticalMissed.length === 0 && driverError === null,
      debrief,
      driverError,
    };
  } finally {
    await svc.dispose().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
