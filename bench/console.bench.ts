/**
 * Console benchmark (issue 20, point 5). Figures only, no asserts:
 * - responsiveness: the browser host in this process (programmer service, embedded pump over a pty,
 *   instructor relay) with an instructor socket open and the trainee's programmer interrogating once a
 *   second, the clock at x100000: state updates per second the console receives, and this host's event-loop
 *   delay p99 (perf_hooks.monitorEventLoopDelay) under that load. Goals: >= 10 updates/s, p99 < 50 ms.
 * - start-up of `npm run web` (`node scripts/web.mjs`) to its ready line: cold (the pages built and the host
 *   and pump bundled first, as after a change of sources) and warm (both current, not rebuilt), medians of
 *   several starts. Goal: warm start < 1.5 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { HASH_FILE, ROOT } from '../scripts/web-build';
import { createInstructorRelay } from '../src/main/instructor-relay';
import { createProtocolLink } from '../src/main/service/protocol-adapter';
import { ProgrammerService } from '../src/main/service/programmer-service';
import { startWebHost } from '../src/main/web-host';

const MEASURE_MS = 5000;
/** Starts of `npm run web` timed: a median of several, as this machine's speed swings between runs. */
const COLD_STARTS = 3;
const WARM_STARTS = 7;
/** scripts/web.mjs's bundles of the host and the embedded pump. */
const HOST_BUNDLES = join(ROOT, 'out', 'web-host');

async function must<T>(
  what: string,
  p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error)}`);
  return r.value;
}

async function responsiveness(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-console-'));
  const web = mkdtempSync(join(tmpdir(), 'bench-console-web-'));
  const service = new ProgrammerService({
    dataDir,
    linkFactory: createProtocolLink,
    embedded: { extraArgs: ['--paused', '--patient', 'spinal:400'] },
  });
  const sim = await service.start();
  if (!sim) throw new Error('no embedded pump');
  const benchToken = readFileSync(sim.tokenFile, 'utf8').trim();
  const relay = createInstructorRelay({
    bench: () => ({ url: sim.bench, token: benchToken }),
    webRoot: web,
    sessionRecord: async () => {
      const r = await service.sessionRecord({});
      return r.ok ? r.value : [];
    },
  });
  // The pages themselves are not under test here: a stub page is enough for the host to start.
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>bench</title>');
  const host = await startWebHost({
    api: service,
    subscribe: (l) => service.onEvent(l),
    webRoot: web,
    instructor: relay,
  });
  try {
    // The trainee fills the pump and starts 400 mcg/day, as in a clinic.
    await must('connect', service.connect({ target: { kind: 'embedded' } }));
    await must('interrogate', service.interrogate({}));
    const proposal = await must(
      'propose',
      service.proposeChange({
        change: {
          refill: {
            withdrawnVolumeUl: 0,
            drugName: 'baclofen',
            concentrationMcgPerMl: 2000,
            concentrationConfirmMcgPerMl: 2000,
            fillVolumeUl: 20_000,
          },
          therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
        },
        origin: 'spinal',
      }),
    );
    await must(
      'commit',
      service.commitChange({ proposalId: proposal.proposalId, overrideReason: 'benchmark set-up' }),
    );

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/instructor/api?token=${relay.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
    let id = 1;
    const call = (op: string, args?: unknown) =>
      ws.send(JSON.stringify({ kind: 'call', id: id++, op, ...(args ? { args } : {}) }));
    const states: { at: number; pumpTime: number }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as {
        kind: string;
        message?: { type: string; state?: { clock: { pumpTime: number } } };
      };
      if (m.kind === 'stream' && m.message?.type === 'state' && m.message.state)
        states.push({ at: performance.now(), pumpTime: m.message.state.clock.pumpTime });
    });
    call('speed', { speed: 100_000 });
    call('resume');
    await new Promise((r) => setTimeout(r, 500)); // let the clock settle at speed before measuring
    states.length = 0;
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    let interrogations = 0;
    const trainee = setInterval(() => {
      void service.interrogate({}).then((r) => r.ok && interrogations++);
    }, 1000);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(trainee);
    eld.disable();
    call('pause');
    ws.close();
    const rate = states.length / seconds;
    const pumpDays =
      states.length > 1 ? (states[states.length - 1]!.pumpTime - states[0]!.pumpTime) / 86_400 : 0;
    const gaps = states.slice(1).map((s, i) => s.at - states[i]!.at);
    const maxGap = gaps.length ? Math.max(...gaps) : NaN;
    console.log(
      `stream at x100000: ${rate.toFixed(1)} state updates/s to the console (goal >= 10), ` +
        `longest gap ${maxGap.toFixed(0)} ms, ${pumpDays.toFixed(1)} pump days in ${seconds.toFixed(1)} s; ` +
        `${interrogations} trainee interrogations answered meanwhile`,
    );
    console.log(
      `host event-loop delay under that load: p50 ${(eld.percentile(50) / 1e6).toFixed(1)} ms, ` +
        `p99 ${(eld.percentile(99) / 1e6).toFixed(1)} ms (goal < 50), max ${(eld.max / 1e6).toFixed(1)} ms`,
    );
  } finally {
    await host.close();
    await service.dispose();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(web, { recursive: true, force: true });
  }
}

/** Ms from spawning what `npm run web` runs (`node scripts/web.mjs`) to its ready line. */
async function timeToReady(args: string[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-web-start-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['scripts/web.mjs', '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (l) => {
        if (l.startsWith('{"event":"ready"')) resolve(performance.now() - t0);
      });
      child.once('exit', (code) => reject(new Error(`web exited ${code} before ready`)));
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const seconds = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(', ');

/**
 * Cold: with the pages' build and the host's bundles out of date (their stamps removed), so the start
 * rebuilds both, as after a change of sources. Warm: with both current, as every later start.
 */
async function startUp(): Promise<void> {
  const cold: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    rmSync(join(ROOT, 'out', 'web', HASH_FILE), { force: true });
    rmSync(HOST_BUNDLES, { recursive: true, force: true });
    cold.push(await timeToReady([]));
  }
  const warm: number[] = [];
  for (let i = 0; i < WARM_STARTS; i++) warm.push(await timeToReady([]));
  console.log(
    `npm run web to its ready line: cold (pages built, host and pump bundled) median ${(median(cold) / 1000).toFixed(2)} s ` +
      `of ${COLD_STARTS} (${seconds(cold)} s)`,
  );
  console.log(
    `  warm (build current, not rebuilt) median ${(median(warm) / 1000).toFixed(2)} s of ${WARM_STARTS} ` +
      `(${seconds(warm)} s); goal < 1.5 s`,
  );
}

export default async function run(): Promise<void> {
  await responsiveness();
  await startUp();
}
