/**
 * The bedside API (docs/bedside-api.md) on the real sim process: its own token (the bench's does not open
 * it, its token does not open the bench), only observable fields, the syringe reading from the truth at a
 * syringe's resolution, orders through the patient's intervention model with their pump time, catheter
 * investigations from the catheter's truth, and bad input refused with nothing changed. Time moves only by
 * the bench's POST /clock/advance on a paused clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../firmware-sim/bench-schema';
import type { ProgramChange } from '../../src/device/types';
import type { PatientFindings } from '../../src/patient';
import { INTERVENTION_LIMITS } from '../../src/patient';
import {
  BEDSIDE_DOSE_LIMITS,
  MAX_BEDSIDE_ACTIONS,
  type BedsideAction,
  type BedsideExam,
  type SyringeReading,
} from '../../src/shared/bedside';
import {
  BedsideRefused,
  createBedside,
  readAt,
  syringeReading,
  type BedsideFact,
} from '../../firmware-sim/bedside';
import fc from 'fast-check';
import { connectProgrammer, Sim, tempDir } from './harness';
import { LIBRARY_DIR } from '../../tools/scenario/json-schema';

const H = 3600;
const DAY = 86_400;
const sims: Sim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(args: string[] = []): Promise<Sim> {
  const sim = await Sim.start(path.join(tempDir('bedside-'), 'pump.json'), ['--paused', ...args]);
  sims.push(sim);
  return sim;
}

async function program(sim: Sim, change: ProgramChange): Promise<void> {
  const p = await connectProgrammer(sim.ready.port);
  try {
    await p.client.openSession();
    const prep = await p.client.prepare(change);
    if ('errors' in prep) throw new Error(JSON.stringify(prep.errors));
    const c = await p.client.commit(prep.token);
    if ('errors' in c) throw new Error(JSON.stringify(c.errors));
    await p.client.closeSession();
  } finally {
    await p.close();
  }
}

const fill = (concentration: number, fillVolume: number, mcgPerDay: number): ProgramChange => ({
  refill: {
    withdrawnVolumeUl: 0,
    drugName: 'baclofen',
    concentrationMcgPerMl: concentration,
    fillVolumeUl: fillVolume,
  },
  therapy: { mode: 'continuous', dailyDoseNgPerDay: mcgPerDay * 1000 },
});

/** A call to the bedside API with a given token (null: none) and headers. */
async function bedside(
  sim: Sim,
  method: string,
  p: string,
  body?: unknown,
  opts: { token?: string | null; headers?: Record<string, string>; base?: string } = {},
): Promise<{ status: number; json: unknown }> {
  const token = opts.token === undefined ? bedsideToken(sim) : opts.token;
  const headers: Record<string, string> = { ...opts.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch((opts.base ?? sim.ready.bedside!) + p, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json };
}
const bedsideToken = (sim: Sim): string => fs.readFileSync(sim.ready.bedsideTokenFile!, 'utf8').trim();
async function ok<T>(sim: Sim, method: string, p: string, body?: unknown): Promise<T> {
  const r = await bedside(sim, method, p, body);
  if (r.status !== 200) throw new Error(`${method} ${p} -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as T;
}

/** Every key in a JSON value, nested. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}
const TRUTH_KEYS = [
  'pk',
  'csfBaclofenNgPerMl',
  'effectSiteNgPerMl',
  'dependenceNgPerMl',
  'drive',
  'withdrawal',
  'overdose',
  'stage',
  'ratio',
  'effect',
  'toneScore',
  'interventions',
  'trueReservoirVolume',
  'truth',
  'ckUPerL',
  'seed',
  'profile',
];

describe('bedside API: its own token, its own surface', () => {
  it('the ready line names it and a token file of its own (mode 0600), different from the bench token', async () => {
    const sim = await start();
    expect(sim.ready.bedside).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.ready.bedside).not.toBe(sim.ready.bench);
    expect(fs.statSync(sim.ready.bedsideTokenFile!).mode & 0o777).toBe(0o600);
    expect(bedsideToken(sim)).toMatch(/^[0-9a-f]{64}$/);
    expect(bedsideToken(sim)).not.toBe(sim.token);
    // Neither token is printed on stdout or stderr.
    const printed = sim.stdoutLines.join('\n') + sim.stderr();
    expect(printed).not.toContain(bedsideToken(sim));
    expect(printed).not.toContain(sim.token);
  });

  it('the bench token does not open the bedside, the bedside token does not open the bench (401)', async () => {
    const sim = await start();
    for (const [m, p] of [
      ['POST', '/examine'],
      ['POST', '/refill-syringe'],
      ['GET', '/actions'],
    ] as const) {
      expect((await bedside(sim, m, p, undefined, { token: sim.token })).status).toBe(401);
      expect((await bedside(sim, m, p, undefined, { token: null })).status).toBe(401);
    }
    const orders = await bedside(sim, 'POST', '/orders', { kind: 'callForHelp' }, { token: sim.token });
    expect(orders.status).toBe(401);
    for (const [m, p, b] of [
      ['GET', '/state', undefined],
      ['GET', '/patient', undefined],
      ['POST', '/clock/advance', { by: 60 }],
      ['POST', '/faults', { kind: 'catheter', state: 'patent' }],
      ['GET', '/bedside/actions', undefined],
    ] as const)
      expect((await sim.http(m, p, b, bedsideToken(sim))).status).toBe(401);
    // Nothing was recorded by the refused calls.
    expect(await ok<BedsideAction[]>(sim, 'GET', '/actions')).toEqual([]);
  });

  it('the bench routes do not exist on the bedside (404), and the truth is not there under any name', async () => {
    const sim = await start();
    for (const p of ['/state', '/patient', '/patient/history', '/clock/advance', '/faults', '/stream'])
      expect((await bedside(sim, 'GET', p)).status).toBe(404);
  });

  it('refuses a page (any Origin) and non-loopback Host headers (403)', async () => {
    const sim = await start();
    const origin = await bedside(sim, 'POST', '/examine', undefined, {
      headers: { origin: 'http://evil.example' },
    });
    expect(origin.status).toBe(403);
    const own = await bedside(sim, 'POST', '/examine', undefined, {
      headers: { origin: sim.ready.bedside! },
    });
    expect(own.status).toBe(403);
    // fetch sets Host from the URL; a raw request carries a rebinding name.
    const http = await import('node:http');
    const url = new URL(sim.ready.bedside!);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: url.port,
          path: '/examine',
          method: 'POST',
          headers: { host: `evil.example:${url.port}`, authorization: `Bearer ${bedsideToken(sim)}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(await ok<BedsideAction[]>(sim, 'GET', '/actions')).toEqual([]);
  });
});

describe('examine', () => {
  it('gives vital signs, scores and words, no truth field; recorded with its pump time', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/clock/advance', { by: DAY });
    const exam = await ok<BedsideExam>(sim, 'POST', '/examine');
    const truth = await sim.ok<PatientFindings>('GET', '/patient');
    expect(exam.time).toBe(truth.time);
    expect(exam.vitals).toEqual(truth.vitals);
    expect(exam.modifiedAshworth).toBe(truth.scores.modifiedAshworth);
    expect(exam.pennSpasmFrequency).toBe(truth.scores.pennSpasmFrequency);
    expect(exam.consciousness).toBe(truth.consciousness);
    expect(exam.patientSays.length).toBeGreaterThan(0);
    const keys = keysOf(exam);
    for (const k of TRUTH_KEYS) expect(keys.has(k), `exam carries "${k}"`).toBe(false);
    const actions = await ok<BedsideAction[]>(sim, 'GET', '/actions');
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ seq: 1, action: 'examine', time: truth.time });
    expect(actions[0]!.outcome).toContain(`HR ${exam.vitals.heartRateBpm}/min`);
    // The expected benefits, as asked at a visit: the model's outcome measures, the pain the patient's own.
    expect(exam.outcomes).toEqual(truth.outcomes);
    expect(actions[0]!.exam).toEqual(exam);
    expect(actions[0]!.outcome).toContain(`pain ${truth.outcomes.painNrs}/10`);
  });

  it('an occluded catheter: the patient says the legs are stiff again, the heart races, the tone rises; no truth in it', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/clock/advance', { by: DAY });
    const before = await ok<BedsideExam>(sim, 'POST', '/examine');
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    await sim.ok('POST', '/clock/advance', { by: 36 * H });
    const after = await ok<BedsideExam>(sim, 'POST', '/examine');
    const truth = await sim.ok<PatientFindings>('GET', '/patient');
    expect(truth.withdrawal.stage).not.toBe('none');
    expect(after.patientSays).toContain('"My legs are stiff again."');
    expect(after.vitals.heartRateBpm).toBeGreaterThan(before.vitals.heartRateBpm);
    // Withdrawal undoes the benefits: more pain, broken nights, less independence, a heavier burden.
    expect(after.outcomes.painNrs!).toBeGreaterThan(before.outcomes.painNrs!);
    expect(after.outcomes.awakeningsPerNight).toBeGreaterThan(before.outcomes.awakeningsPerNight);
    expect(after.outcomes.dailyActivities).toBeLessThan(before.outcomes.dailyActivities);
    expect(after.outcomes.caregiverBurden).toBeGreaterThan(before.outcomes.caregiverBurden);
    expect(['0', '1', '1+', '2', '3', '4'].indexOf(after.modifiedAshworth)).toBeGreaterThan(
      ['0', '1', '1+', '2', '3', '4'].indexOf(before.modifiedAshworth),
    );
    expect(JSON.stringify(after)).not.toMatch(/withdrawal|stage|occlu/i);
  });
});

describe('the refill syringe', () => {
  it('reads what the needle can draw from the true reservoir (above the residual), at 0.2 mL', async () => {
    const sim = await start();
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/clock/advance', { by: 10 * DAY });
    // A full occlusion holds the drug in the reservoir: the syringe reads more than the pump believes.
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    await sim.ok('POST', '/clock/advance', { by: 5 * DAY });
    const state = await sim.state();
    const reading = await ok<SyringeReading>(sim, 'POST', '/refill-syringe');
    const aspirableMl = (state.truth.trueReservoirVolumeNl - 1_000_000) / 1e6;
    expect(reading.resolutionMl).toBe(0.2);
    expect(Math.abs(reading.volumeMl - aspirableMl)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Number.isInteger(Math.round(reading.volumeMl / 0.2 - 1e-9) * 1)).toBe(true);
    expect(reading.volumeMl).toBeGreaterThan(state.status.reservoirVolumeUl / 1000 + 1);
    expect(reading.syringes).toBe(Math.ceil(reading.volumeMl / 10));
    expect(keysOf(reading).has('trueReservoirVolume')).toBe(false);
    // Reading does not change the pump: its refill command does the emptying.
    expect((await sim.state()).truth.trueReservoirVolumeNl).toBe(state.truth.trueReservoirVolumeNl);
    const actions = await ok<BedsideAction[]>(sim, 'GET', '/actions');
    expect(actions.at(-1)).toMatchObject({ action: 'refillSyringe', time: state.status.pumpTime });
  });

  it("a case's headless syringe (/scenario/aspirate) is the bedside's: the same reading, recorded as 'aspirated'", async () => {
    const sim = await start(['--scenario', path.join(LIBRARY_DIR, 'routine-refill.json')]);
    const trainee = await ok<SyringeReading>(sim, 'POST', '/refill-syringe');
    const headless = await sim.ok<SyringeReading>('POST', '/scenario/aspirate');
    expect(headless).toEqual(trainee);
    expect(headless.resolutionMl).toBe(0.2);
    const facts = await sim.ok<{ kind: string; action?: string; detail?: string }[]>(
      'GET',
      '/scenario/facts',
    );
    expect(facts.filter((f) => f.action === 'aspirated').at(-1)?.detail).toBe(
      `${trainee.volumeMl.toFixed(1)} mL in the syringe (read at 0.2 mL)`,
    );
  });

  it('readAt rounds to the graduation (property), never off by more than half a step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000_000 }), (nl) => {
        const r = syringeReading(nl, 0);
        const ml = nl / 1e6;
        expect(Math.abs(r.volumeMl - ml)).toBeLessThanOrEqual(0.1 + 1e-9);
        const steps = r.volumeMl / 0.2;
        expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
        expect(r.syringes).toBeGreaterThanOrEqual(1);
      }),
    );
    expect(readAt(1.1, 0.2)).toBe(1.2);
    expect(readAt(1.09, 0.2)).toBe(1);
  });
});

describe('orders', () => {
  it('the dose limits are the patient model’s', () => {
    expect(BEDSIDE_DOSE_LIMITS.ivBenzodiazepineMg).toEqual(INTERVENTION_LIMITS.ivBenzodiazepine);
    expect(BEDSIDE_DOSE_LIMITS.oralBaclofenMg).toEqual(INTERVENTION_LIMITS.oralBaclofenMg);
    expect(BEDSIDE_DOSE_LIMITS.cyproheptadineMg).toEqual(INTERVENTION_LIMITS.cyproheptadineMg);
    expect(BEDSIDE_DOSE_LIMITS.csfDrainageMl).toEqual(INTERVENTION_LIMITS.csfDrainageMl);
    expect(BEDSIDE_DOSE_LIMITS.lumbarPunctureBolusMcg).toEqual(INTERVENTION_LIMITS.lumbarPunctureBolusMcg);
  });

  it('an IV benzodiazepine reaches the patient model, is recorded with its pump time and streamed to the bench', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    const stream = await sim.stream();
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/clock/advance', { by: 3 * H });
    const a = await ok<BedsideAction>(sim, 'POST', '/orders', {
      kind: 'ivBenzodiazepine',
      drug: 'lorazepam',
      doseMg: 2,
    });
    const f = await sim.ok<PatientFindings>('GET', '/patient');
    expect(f.interventions.benzodiazepineDiazepamEqMg).toBeGreaterThan(19);
    expect(a).toMatchObject({
      seq: 1,
      time: f.time,
      action: 'ivBenzodiazepine',
      detail: { drug: 'lorazepam', doseMg: 2 },
    });
    const seen = (await stream.waitFor((m) => m.type === 'bedside')) as Extract<
      StreamMessage,
      { type: 'bedside' }
    >;
    expect(seen.action).toEqual(a);
    expect(await sim.ok('GET', '/bedside/actions')).toEqual([a]);
    const history = await sim.ok<{ events: { kind: string }[] }>(
      'GET',
      `/patient/history?from=${f.time - H}&to=${f.time}`,
    );
    expect(history.events.some((e) => e.kind === 'intervention')).toBe(true);
    stream.ws.close();
  });

  it('airway support ventilates the patient; CSF drainage, oral baclofen, cyproheptadine, LP bolus reach the model', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await program(sim, fill(500, 20_000, 400));
    await ok(sim, 'POST', '/orders', { kind: 'airway', support: 'ventilate' });
    expect((await sim.ok<PatientFindings>('GET', '/patient')).vitals.ventilated).toBe(true);
    const ventilated = await ok<BedsideExam>(sim, 'POST', '/examine');
    expect(ventilated.vitals.ventilated).toBe(true);
    // A ventilated patient cannot rate their pain; the nurses and the caregiver still answer for the rest.
    expect(ventilated.outcomes.painNrs).toBeNull();
    expect(ventilated.outcomes.dailyActivities).toBeGreaterThanOrEqual(0);
    await ok(sim, 'POST', '/orders', { kind: 'oralBaclofen', doseMg: 10 });
    await ok(sim, 'POST', '/orders', { kind: 'cyproheptadine', doseMg: 4 });
    const received = (await sim.ok<PatientFindings>('GET', '/patient')).pk.receivedIntrathecalMcg;
    await ok(sim, 'POST', '/orders', { kind: 'lumbarPunctureBolus', doseMcg: 50 });
    const f = await sim.ok<PatientFindings>('GET', '/patient');
    expect(f.pk.receivedIntrathecalMcg).toBeCloseTo(received + 50, 3);
    expect(f.interventions.cyproheptadineMg).toBeGreaterThan(3.9);
    const csf = f.pk.csfBaclofenMcg;
    await ok(sim, 'POST', '/orders', { kind: 'csfDrainage', volumeMl: 30 });
    expect((await sim.ok<PatientFindings>('GET', '/patient')).pk.csfBaclofenMcg).toBeLessThan(csf);
    const kinds = (await ok<BedsideAction[]>(sim, 'GET', '/actions')).map((a) => a.action);
    expect(kinds).toEqual([
      'airway',
      'examine',
      'oralBaclofen',
      'cyproheptadine',
      'lumbarPunctureBolus',
      'csfDrainage',
    ]);
  });

  it('catheter investigations read the catheter truth: an occluded catheter yields no CSF, a break shows on X-ray', async () => {
    const sim = await start();
    const outcome = async (order: unknown) =>
      (await ok<BedsideAction>(sim, 'POST', '/orders', order)).outcome;
    expect(await outcome({ kind: 'catheterAspiration' })).toMatch(/CSF aspirated freely/);
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    expect(await outcome({ kind: 'catheterAspiration' })).toMatch(/No CSF can be aspirated/);
    expect(await outcome({ kind: 'imaging', study: 'contrastStudy' })).toMatch(/does not enter/);
    expect(await outcome({ kind: 'imaging', study: 'xray' })).toMatch(/no break/);
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'disconnected' });
    expect(await outcome({ kind: 'imaging', study: 'xray' })).toMatch(/break in the catheter/);
    expect(await outcome({ kind: 'catheterAspiration' })).toMatch(/No CSF/);
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'partialOcclusion' });
    expect(await outcome({ kind: 'imaging', study: 'xray' })).toMatch(/kink/);
    expect(await outcome({ kind: 'resumeIntrathecal' })).toMatch(/programmer/);
    expect(await outcome({ kind: 'callForHelp' })).toMatch(/Help is on the way/);
  });

  it('bad input: a clear 4xx and nothing changes (no dose given, nothing recorded)', async () => {
    const sim = await start();
    const before = await sim.ok<PatientFindings>('GET', '/patient');
    const bad: [unknown, number, RegExp][] = [
      [{ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 20 }, 400, /doseMg/],
      [{ kind: 'ivBenzodiazepine', drug: 'alprazolam', doseMg: 1 }, 400, /drug/],
      [{ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: '2' }, 400, /doseMg/],
      [{ kind: 'csfDrainage', volumeMl: 500 }, 400, /volumeMl/],
      [{ kind: 'lumbarPunctureBolus', doseMcg: -5 }, 400, /doseMcg/],
      [{ kind: 'truth' }, 400, /kind/],
      [{ kind: 'callForHelp', extra: 1 }, 400, /extra|unrecognized/i],
      ['not json', 400, /JSON/],
      ['', 400, /body/],
    ];
    for (const [body, status, msg] of bad) {
      const r = await bedside(sim, 'POST', '/orders', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect((r.json as { error: string }).error).toMatch(msg);
    }
    expect((await bedside(sim, 'GET', '/orders')).status).toBe(405);
    expect((await bedside(sim, 'POST', '/actions')).status).toBe(405);
    const big = await bedside(
      sim,
      'POST',
      '/orders',
      JSON.stringify({ kind: 'callForHelp', pad: 'x'.repeat(70_000) }),
    );
    expect(big.status).toBe(413);
    expect(await ok<BedsideAction[]>(sim, 'GET', '/actions')).toEqual([]);
    expect(await sim.ok<PatientFindings>('GET', '/patient')).toEqual(before);
  });

  it(`the record is bounded: after ${MAX_BEDSIDE_ACTIONS} actions a new one is refused (409) and none is forgotten`, async () => {
    const sim = await start();
    for (let i = 0; i < MAX_BEDSIDE_ACTIONS; i += 100)
      await Promise.all(
        Array.from({ length: 100 }, () => ok(sim, 'POST', '/orders', { kind: 'callForHelp' })),
      );
    const r = await bedside(sim, 'POST', '/orders', {
      kind: 'ivBenzodiazepine',
      drug: 'lorazepam',
      doseMg: 2,
    });
    expect(r.status).toBe(409);
    expect((r.json as { error: string }).error).toMatch(/full/);
    expect((await sim.ok<PatientFindings>('GET', '/patient')).interventions.benzodiazepineDiazepamEqMg).toBe(
      0,
    );
    const actions = await ok<BedsideAction[]>(sim, 'GET', '/actions');
    expect(actions).toHaveLength(MAX_BEDSIDE_ACTIONS);
    expect(actions.map((a) => a.seq)).toEqual(Array.from({ length: MAX_BEDSIDE_ACTIONS }, (_, i) => i + 1));
  });
});

describe('the bedside record’s hook (onAction), for the scenario runner', () => {
  it('hands each action to listeners as a learner fact with its pump time, the treatment given attached', () => {
    let now = 1_800_000_000;
    const given: unknown[] = [];
    const findings = { seizureCount: 0 } as unknown as PatientFindings;
    const b = createBedside({
      pump: {
        now: () => now,
        model: 'SM2-20',
        truth: () => ({ catheter: 'fullOcclusion', trueReservoirVolumeNl: 5_000_000 }) as never,
      },
      findings: () => findings,
      intervene: (iv) => {
        if (iv.kind === 'oralBaclofen' && iv.doseMg > 40)
          throw new RangeError('invalid intervention: too much');
        given.push(iv);
      },
    });
    const facts: BedsideFact[] = [];
    b.onAction(() => {
      throw new Error('a broken listener');
    });
    const off = b.onAction((f) => facts.push(f));
    b.order({ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 });
    now += 60;
    b.order({ kind: 'catheterAspiration' });
    expect(() => b.order({ kind: 'oralBaclofen', doseMg: 80 })).toThrow(BedsideRefused);
    now += 60;
    expect(b.refillSyringe().volumeMl).toBe(4);
    off();
    b.order({ kind: 'callForHelp' });
    expect(facts).toEqual([
      {
        kind: 'bedside',
        action: 'ivBenzodiazepine',
        detail: { drug: 'lorazepam', doseMg: 2 },
        time: 1_800_000_000,
        outcome: 'Given intravenously.',
        intervention: { kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 },
      },
      {
        kind: 'bedside',
        action: 'catheterAspiration',
        detail: {},
        time: 1_800_000_060,
        outcome: expect.stringMatching(/No CSF/),
      },
      {
        kind: 'bedside',
        action: 'refillSyringe',
        detail: {},
        time: 1_800_000_120,
        outcome: '4.0 mL in the syringe (read at 0.2 mL)',
      },
    ]);
    expect(given).toHaveLength(1);
    expect(b.actions().map((a) => a.seq)).toEqual([1, 2, 3, 4]);
  });
});
