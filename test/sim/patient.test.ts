/**
 * The virtual patient through the real sim process and its bench API: the worked cases of
 * docs/patient-model.md, the endpoints (validation, history, stream), and the patient in the state file.
 * Time moves only by POST /clock/advance on a paused clock: no sleeps order anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PatientHistory } from '../../firmware-sim/bench-schema';
import { decodeState, encodeState } from '../../firmware-sim/persistence';
import type { ProgramChange } from '../../src/device/types';
import type { PatientFindings } from '../../src/patient';
import { connectProgrammer, Sim, START_TIME, tempDir } from './harness';

const H = 3600;
const DAY = 86_400;
const sims: Sim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(args: string[], file = path.join(tempDir('patient-'), 'pump.json')): Promise<Sim> {
  const sim = await Sim.start(file, ['--paused', ...args]);
  sims.push(sim);
  return sim;
}

/** Program the pump over the serial line, as a programmer would. */
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

const fill = (
  concentration: number,
  fillVolume: number,
  mcgPerDay: number,
  withdrawnVolume = 0,
): ProgramChange => ({
  refill: {
    withdrawnVolumeUl: withdrawnVolume,
    drugName: 'baclofen',
    concentrationMcgPerMl: concentration,
    fillVolumeUl: fillVolume,
  },
  therapy: { mode: 'continuous', dailyDoseNgPerDay: mcgPerDay * 1000 },
});

const patient = (sim: Sim) => sim.ok<PatientFindings>('GET', '/patient');
const advance = (sim: Sim, by: number) => sim.ok('POST', '/clock/advance', { by });
/** Findings every `step` seconds for `span` seconds. */
async function follow(sim: Sim, span: number, step = H): Promise<PatientFindings[]> {
  const out: PatientFindings[] = [];
  for (let t = step; t <= span; t += step) {
    await advance(sim, step);
    out.push(await patient(sim));
  }
  return out;
}
const STAGES = ['none', 'early', 'moderate', 'severe', 'lifeThreatening'];
const stageAtLeast = (f: PatientFindings, s: string) =>
  STAGES.indexOf(f.withdrawal.stage) >= STAGES.indexOf(s);

describe('worked cases (docs/patient-model.md)', () => {
  it('a stable spinal patient at 400 mcg/day stays stable for 30 days', async () => {
    const sim = await start(['--model', 'SM2-40', '--patient', 'spinal:400']);
    await program(sim, fill(500, 40_000, 400));
    const first = await patient(sim);
    expect(first.scores.modifiedAshworth).toBe('1');
    const days = await follow(sim, 30 * DAY, DAY);
    for (const f of days) {
      expect(f.withdrawal.stage).toBe('none');
      expect(f.overdose.stage).toBe('none');
      expect(f.scores.modifiedAshworth).toBe('1');
      expect(f.consciousness).toBe('alert');
      expect(Math.abs(f.pk.csfBaclofenNgPerMl - first.pk.csfBaclofenNgPerMl)).toBeLessThan(
        0.01 * first.pk.csfBaclofenNgPerMl,
      );
    }
    // 30 days of the true delivery reached the patient.
    expect(days.at(-1)!.pk.receivedIntrathecalMcg).toBeCloseTo(30 * 400, 0);
  });

  it('a full catheter occlusion (POST /faults): early withdrawal within 24 h, severe by 72 h, reversed when cleared', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await program(sim, fill(500, 20_000, 400));
    await advance(sim, DAY);
    expect((await patient(sim)).withdrawal.stage).toBe('none');
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    const f = await follow(sim, 72 * H, 2 * H);
    const firstEarly = f.findIndex((x) => stageAtLeast(x, 'early'));
    expect(firstEarly).toBeGreaterThanOrEqual(0);
    expect((firstEarly + 1) * 2).toBeLessThanOrEqual(24);
    expect(stageAtLeast(f.at(-1)!, 'severe')).toBe(true);
    expect(f.at(-1)!.vitals.temperatureC).toBeGreaterThanOrEqual(38.5);
    expect(f.at(-1)!.symptoms).toEqual(expect.arrayContaining(['return of spasticity', 'fever']));
    // The pump saw nothing (no sensor on an SM2-20).
    expect((await sim.state()).status.alarms).toEqual([]);
    await sim.ok('DELETE', '/faults/catheter');
    const after = await follow(sim, 72 * H, 12 * H);
    expect(after.at(-1)!.withdrawal.stage).toBe('none');
    expect(after.at(-1)!.scores.modifiedAshworth).toBe('1');
    const history = await sim.ok<PatientHistory>(
      'GET',
      `/patient/history?from=${START_TIME + DAY}&to=${START_TIME + 7 * DAY}`,
    );
    expect(
      history.events
        .filter((e) => e.kind === 'withdrawalStage')
        .map((e) => e.kind === 'withdrawalStage' && e.stage),
    ).toEqual(expect.arrayContaining(['early', 'moderate', 'severe', 'none']));
  });

  it('a 50 mcg screening bolus by lumbar puncture in a naive patient peaks near 4 h and wears off by 8 h', async () => {
    const sim = await start(['--patient', 'spinal:naive']);
    const before = await patient(sim);
    expect(before.pk.dependenceNgPerMl).toBe(0);
    const after = await sim.ok<PatientFindings>('POST', '/patient/interventions', {
      kind: 'lumbarPunctureBolus',
      doseMcg: 50,
    });
    expect(after.pk.csfBaclofenMcg).toBe(50);
    const f = await follow(sim, 12 * H, H);
    const effects = f.map((x) => x.effect);
    const peak = Math.max(...effects);
    const peakHour = effects.indexOf(peak) + 1;
    expect(peakHour).toBeGreaterThanOrEqual(3);
    expect(peakHour).toBeLessThanOrEqual(5);
    expect(f[peakHour - 1]!.scores.toneScore).toBeLessThanOrEqual(before.scores.toneScore - 2);
    expect(effects[7]!).toBeLessThan(0.4 * peak);
    expect(f.every((x) => x.overdose.stage === 'none')).toBe(true);
  });

  it('500 mcg/mL filled while 50 is entered: overdose signs within hours', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await sim.ok('POST', '/faults', { kind: 'syringeConcentration', concentrationMcgPerMl: 500 });
    await program(sim, fill(50, 20_000, 400));
    const s = await sim.state();
    expect(s.program.concentrationMcgPerMl).toBe(50);
    expect(s.truth.trueReservoirConcentrationMcgPerMl).toBe(500);
    const f = await follow(sim, 8 * H, H);
    const firstSigns = f.findIndex((x) => x.overdose.stage !== 'none') + 1;
    expect(firstSigns).toBeGreaterThan(0);
    expect(firstSigns).toBeLessThanOrEqual(4);
    expect(f.at(-1)!.overdose.stage).toBe('severe');
    expect(f.at(-1)!.symptoms).toEqual(
      expect.arrayContaining(['drowsiness', 'respiratory depression', 'coma']),
    );
    // The overdose treatment in the label: CSF drainage and ventilatory support.
    const drained = await sim.ok<PatientFindings>('POST', '/patient/interventions', {
      kind: 'csfDrainage',
      volumeMl: 30,
    });
    expect(drained.pk.csfBaclofenMcg).toBeLessThan(f.at(-1)!.pk.csfBaclofenMcg * 0.7);
    const vent = await sim.ok<PatientFindings>('POST', '/patient/interventions', {
      kind: 'ventilation',
      on: true,
    });
    expect(vent.vitals.ventilated).toBe(true);
    expect(vent.vitals.spo2Percent).toBeGreaterThanOrEqual(95);
  });

  it('50 mcg/mL filled while 500 is entered: withdrawal', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await sim.ok('POST', '/faults', { kind: 'syringeConcentration', concentrationMcgPerMl: 50 });
    await program(sim, fill(500, 20_000, 400));
    const f = await follow(sim, 72 * H, 6 * H);
    expect(f.findIndex((x) => stageAtLeast(x, 'early')) + 1).toBeLessThanOrEqual(4); // within 24 h
    expect(stageAtLeast(f.at(-1)!, 'moderate')).toBe(true);
    expect(f.every((x) => x.overdose.stage === 'none')).toBe(true);
  });

  it('an empty reservoir: withdrawal begins near the empty time', async () => {
    const sim = await start(['--patient', 'spinal:400']);
    await program(sim, fill(500, 2_000, 400)); // 2 mL at 0.8 mL/day: empty after 2.5 days
    const emptyTime = (await sim.state()).status.emptyTime!;
    expect(emptyTime).toBe(START_TIME + 2.5 * DAY);
    await sim.ok('POST', '/clock/advance', { to: emptyTime });
    const atEmpty = await patient(sim);
    expect(atEmpty.withdrawal.stage).toBe('none');
    expect((await sim.state()).status.alarms.map((a) => a.code)).toContain('EMPTY_RESERVOIR');
    const f = await follow(sim, 24 * H, H);
    const firstEarly = f.findIndex((x) => stageAtLeast(x, 'early')) + 1;
    expect(firstEarly).toBeGreaterThanOrEqual(4);
    expect(firstEarly).toBeLessThanOrEqual(18);
  });

  it('an IV benzodiazepine blunts withdrawal signs without restoring the dose', async () => {
    const [a, b] = await Promise.all([
      start(['--patient', 'spinal:400']),
      start(['--patient', 'spinal:400']),
    ]);
    for (const sim of [a!, b!]) {
      await program(sim, fill(500, 20_000, 400));
      await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
      await advance(sim, 36 * H);
    }
    for (let i = 0; i < 3; i += 1) {
      await b!.ok('POST', '/patient/interventions', {
        kind: 'ivBenzodiazepine',
        drug: 'lorazepam',
        doseMg: 4,
      });
      await advance(a!, 12 * H);
      await advance(b!, 12 * H);
    }
    const [without, withBenzo] = [await patient(a!), await patient(b!)];
    expect(withBenzo.pk.csfBaclofenNgPerMl).toBe(without.pk.csfBaclofenNgPerMl);
    expect(withBenzo.withdrawal.drive).toBe(without.withdrawal.drive);
    expect(withBenzo.withdrawal.signSeverity).toBeLessThan(0.85 * without.withdrawal.signSeverity);
    expect(withBenzo.vitals.heartRateBpm).toBeLessThan(without.vitals.heartRateBpm);
    expect(withBenzo.seizureCount).toBeLessThan(without.seizureCount);
    expect(withBenzo.interventions.benzodiazepineDiazepamEqMg).toBeGreaterThan(0);
  });
});

describe('patient bench API', () => {
  it('GET /patient names units; bad requests get a clear 4xx and change nothing', async () => {
    const sim = await start(['--patient', 'cerebral:250', '--patient-seed', '7']);
    const f = await patient(sim);
    expect(f).toMatchObject({ profile: 'cerebral', seed: 7, time: START_TIME });
    for (const k of ['csfBaclofenNgPerMl', 'effectSiteNgPerMl', 'dependenceNgPerMl', 'toleranceEc50NgPerMl'])
      expect(f.pk).toHaveProperty(k);
    for (const k of [
      'heartRateBpm',
      'systolicMmHg',
      'diastolicMmHg',
      'temperatureC',
      'respiratoryRatePerMin',
      'spo2Percent',
    ])
      expect(f.vitals).toHaveProperty(k);
    const cases: [string, string, unknown, number, RegExp][] = [
      [
        'POST',
        '/patient/interventions',
        { kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 100 },
        400,
        /doseMg/,
      ],
      [
        'POST',
        '/patient/interventions',
        { kind: 'ivBenzodiazepine', drug: 'alprazolam', doseMg: 1 },
        400,
        /invalid body/,
      ],
      ['POST', '/patient/interventions', { kind: 'oralBaclofen', doseMg: '20' }, 400, /doseMg/],
      [
        'POST',
        '/patient/interventions',
        { kind: 'csfDrainage', volumeMl: 30, extra: 1 },
        400,
        /invalid body/,
      ],
      ['POST', '/patient/interventions', { kind: 'lumbarPunctureBolus', doseMcg: 5000 }, 400, /doseMcg/],
      ['POST', '/patient/interventions', { kind: 'leeches' }, 400, /invalid body/],
      ['POST', '/patient/interventions', '{nope', 400, /JSON/],
      ['GET', '/patient/interventions', undefined, 405, /not allowed/],
      ['POST', '/patient', {}, 405, /not allowed/],
      ['GET', '/patient/history?from=10', undefined, 400, /to/],
      ['GET', `/patient/history?from=${START_TIME}&to=${START_TIME - 1}`, undefined, 400, /before/],
      ['GET', `/patient/history?from=0&to=${START_TIME}`, undefined, 400, /31 days/],
      ['GET', '/patient/history?from=a&to=b', undefined, 400, /from/],
    ];
    for (const [method, p, body, status, msg] of cases) {
      const r = await sim.http(method, p, body);
      expect(r.status, `${method} ${p} ${JSON.stringify(body)}`).toBe(status);
      expect((r.json as { error: string }).error).toMatch(msg);
    }
    expect(await patient(sim)).toEqual(f);
    const h = await sim.ok<PatientHistory>(
      'GET',
      `/patient/history?from=${START_TIME}&to=${START_TIME + DAY}`,
    );
    expect(h.events).toEqual([]);
  });

  it('history is a 15-minute time series; the stream carries patient messages', async () => {
    const sim = await start(['--patient', 'spinal:naive']);
    const stream = await sim.stream();
    await sim.ok('POST', '/patient/interventions', { kind: 'cyproheptadine', doseMg: 4 });
    // The stream's periodic state (a 'patient' message too) may come first under load: wait for this one.
    const m = await stream.waitFor(
      (x) => x.type === 'patient' && x.patient.interventions.cyproheptadineMg > 0,
    );
    expect(m.type === 'patient' && m.patient.interventions.cyproheptadineMg).toBe(4);
    await advance(sim, 6 * H);
    const h = await sim.ok<PatientHistory>(
      'GET',
      `/patient/history?from=${START_TIME}&to=${START_TIME + 6 * H}`,
    );
    expect(h.intervalSeconds).toBe(900);
    expect(h.samples.length).toBe(24);
    expect(h.samples.every((s) => s.time % 900 === 0)).toBe(true);
    expect(h.samples[0]).toHaveProperty('heartRateBpm');
    expect(h.events).toEqual([
      { time: START_TIME, kind: 'intervention', intervention: { kind: 'cyproheptadine', doseMg: 4 } },
    ]);
    await stream.waitFor((x) => x.type === 'patient' && x.patient.time === START_TIME + 6 * H);
    stream.ws.close();
  });

  it('kill -9 while the clock runs fast: pump and patient come back together, at the same pump time', async () => {
    const file = path.join(tempDir('patient-'), 'pump.json');
    const sim = await start(['--patient', 'spinal:400'], file);
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    await sim.ok('POST', '/clock/speed', { speed: 'fast' });
    await sim.ok('POST', '/clock', { action: 'resume' });
    // Wait (by polling the bench, not by sleeping blindly) until the fast clock has run at least a day.
    const deadline = Date.now() + 20_000;
    while ((await patient(sim)).time < START_TIME + DAY && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await sim.kill9();
    sims.splice(sims.indexOf(sim), 1);
    const again = await start([], file);
    const s = await again.state();
    const f = await patient(again);
    expect(f.time).toBe(s.status.pumpTime);
    expect(f.time).toBeGreaterThanOrEqual(START_TIME); // whatever the last save held (clock saves are debounced)
    // The patient's drug is the pump's truth: none since the occlusion.
    expect(f.pk.receivedIntrathecalMcg).toBe(0);
    expect(f.profile).toBe('spinal');
  });

  it('the patient is saved with the pump; an old pump-only state file gets a default patient, logged', async () => {
    const file = path.join(tempDir('patient-'), 'pump.json');
    let sim = await start(['--patient', 'spinal:400'], file);
    await program(sim, fill(500, 20_000, 400));
    await sim.ok('POST', '/faults', { kind: 'catheter', state: 'fullOcclusion' });
    await advance(sim, 30 * H);
    const before = await patient(sim);
    expect(before.withdrawal.stage).not.toBe('none');
    await sim.stop();
    sims.splice(sims.indexOf(sim), 1);
    sim = await start([], file);
    expect(await patient(sim)).toEqual(before);
    // A different patient on the command line is refused over a stored one.
    await sim.stop();
    sims.splice(sims.indexOf(sim), 1);
    await expect(start(['--patient', 'cerebral'], file)).rejects.toThrow(/holds a spinal patient/);
    // An old file: the same pump, no patient.
    const stored = decodeState(file, fs.readFileSync(file, 'utf8'));
    delete stored.patient;
    fs.writeFileSync(file, encodeState(stored));
    sim = await start([], file);
    const created = sim.stdoutLines
      .map((l) => JSON.parse(l) as { event: string; detail?: string })
      .find((e) => e.event === 'patientCreated');
    expect(created?.detail).toMatch(/no patient.*spinal patient \(seed 0\), established on 400 mcg\/day/);
    const fresh = await patient(sim);
    expect(fresh.time).toBe(before.time);
    expect(fresh.withdrawal.stage).toBe('none'); // established on the dose its pump is (believed to be) delivering
  });
});
