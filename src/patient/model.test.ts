/**
 * The virtual patient model: closed form vs numerical integration, step independence (property test),
 * the label's time course, withdrawal and overdose, interventions, profiles and snapshots.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advancePatient,
  applyIntervention,
  createPatient,
  createPatientState,
  evaluate,
  linearSystem,
  patientParams,
  restorePatient,
  solveLinear,
  X,
  type Intervention,
  type PatientState,
} from './index';

const H = 3600;
const T0 = 1_700_000_000;

const naive = (profile: 'spinal' | 'cerebral' | 'pediatric-cp' = 'spinal') =>
  createPatient({ profile, time: T0, establishedDoseMcgPerDay: 0 });

/** Relative difference with an absolute floor (states near zero). */
const close = (a: number, b: number, rel: number, abs = 1e-6): boolean =>
  Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));

describe('closed form', () => {
  it('matches a fine numerical integration of the same equations', () => {
    const p = patientParams('spinal', 7);
    const sys = linearSystem(p);
    const x0 = [30, 400, 500, 450, 20, 5, 10, 5, 3, 4];
    const u = new Array<number>(10).fill(0);
    u[X.csfMcg] = 20;
    const sol = solveLinear(sys, x0, u);
    // RK4 at 1 s over 48 h.
    const deriv = (x: number[]): number[] =>
      x.map((xi, i) => {
        let d = (u[i] ?? 0) - sys.k[i]! * xi;
        for (const l of sys.links) if (l.to === i) d += l.gain * x[l.from]!;
        return d;
      });
    let x = [...x0];
    const dt = 1 / 3600;
    for (let step = 0; step < 48 * 3600; step += 1) {
      const k1 = deriv(x);
      const k2 = deriv(x.map((v, i) => v + (dt / 2) * k1[i]!));
      const k3 = deriv(x.map((v, i) => v + (dt / 2) * k2[i]!));
      const k4 = deriv(x.map((v, i) => v + dt * k3[i]!));
      x = x.map((v, i) => v + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    }
    const exact = evaluate(sol, 48);
    exact.forEach((v, i) => expect(close(v, x[i]!, 1e-6, 1e-6), `state ${i}: ${v} vs ${x[i]}`).toBe(true));
  });

  it('property: one jump and one-minute steps agree within 1% (states, history, stages, seizures)', () => {
    const segment = fc.record({
      minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
      mcgPerDay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 6000, noNaN: true })),
      iv: fc.option(
        fc.constantFrom<Intervention>(
          { kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 },
          { kind: 'oralBaclofen', doseMg: 20 },
          { kind: 'cyproheptadine', doseMg: 8 },
          { kind: 'csfDrainage', volumeMl: 30 },
          { kind: 'ventilation', on: true },
          { kind: 'lumbarPunctureBolus', doseMcg: 50 },
        ),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('spinal', 'cerebral', 'pediatric-cp' as const),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0, 100, 400, 900),
        fc.integer({ min: 0, max: 899 }),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        (profile, seed, dose, offset, segments) => {
          const start = T0 + offset;
          const a = createPatientState({ profile, seed, time: start, establishedDoseMcgPerDay: dose });
          const b = structuredClone(a);
          for (const seg of segments) {
            if (seg.iv) {
              applyIntervention(a, seg.iv);
              applyIntervention(b, seg.iv);
            }
            const seconds = seg.minutes * 60;
            const mass = (seg.mcgPerDay * seconds) / 86_400;
            advancePatient(a, a.now + seconds, mass);
            for (let m = 0; m < seg.minutes; m += 1) advancePatient(b, b.now + 60, mass / seg.minutes);
          }
          expect(a.now).toBe(b.now);
          a.x.forEach((v, i) =>
            expect(close(v, b.x[i]!, 0.01, 1e-3), `x[${i}] ${v} vs ${b.x[i]}`).toBe(true),
          );
          expect(a.history.length).toBe(b.history.length);
          a.history.forEach((v, i) => {
            const w = b.history[i]!;
            // Rounded integers (grades, rates) may differ by one where the exact value sits on a boundary.
            expect(close(v, w, 0.01, 1.01), `history[${i}]: ${v} vs ${w}`).toBe(true);
          });
          expect(Math.abs(a.seizureCount - b.seizureCount)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Hourly findings over `hours` at a constant rate. */
function course(p: ReturnType<typeof createPatient>, hours: number, mcgPerDay: (h: number) => number) {
  const out = [];
  for (let h = 0; h < hours; h += 1) {
    p.advance(p.now + H, mcgPerDay(h) / 24);
    out.push(p.findings());
  }
  return out;
}

describe('the label time course', () => {
  it('a 50 mcg bolus in a naive spinal patient: onset within 1 h, peak near 4 h, worn off by 8 h', () => {
    const p = naive();
    const base = p.findings();
    expect(base.scores.modifiedAshworth).toBe('4');
    p.advance(T0, 50);
    const f = course(p, 12, () => 0);
    const effects = f.map((x) => x.effect);
    const peakHour = effects.indexOf(Math.max(...effects)) + 1;
    expect(peakHour).toBeGreaterThanOrEqual(3);
    expect(peakHour).toBeLessThanOrEqual(5);
    const peak = Math.max(...effects);
    expect(effects[0]!).toBeGreaterThan(0.1 * peak); // onset by 1 h
    expect(effects[7]!).toBeLessThan(0.4 * peak); // 8 h
    // A positive screen: at least one Ashworth grade down at the peak (research definition).
    expect(f[peakHour - 1]!.scores.toneScore).toBeLessThanOrEqual(base.scores.toneScore - 2);
    expect(f.every((x) => x.overdose.stage === 'none' && x.withdrawal.stage === 'none')).toBe(true);
  });

  it('a change of continuous rate: first effect within 6-8 h, maximum in 24-48 h', () => {
    const p = naive();
    const f = course(p, 72, () => 200);
    const final = f[71]!.effect;
    const firstHour = f.findIndex((x) => x.effect >= 0.1 * final) + 1;
    expect(firstHour).toBeGreaterThanOrEqual(2);
    expect(firstHour).toBeLessThanOrEqual(8);
    const nearMax = f.findIndex((x) => x.effect >= 0.95 * final) + 1;
    expect(nearMax).toBeGreaterThanOrEqual(12);
    expect(nearMax).toBeLessThanOrEqual(48);
  });

  it('an established patient at 400 mcg/day is stable (steady state) for 30 days', () => {
    const p = createPatient({ profile: 'spinal', time: T0 });
    const start = p.findings();
    expect(start.scores.modifiedAshworth).toBe('1');
    for (let d = 0; d < 30; d += 1) {
      p.advance(p.now + 86_400, 400);
      const f = p.findings();
      expect(f.withdrawal.stage).toBe('none');
      expect(f.overdose.stage).toBe('none');
      expect(f.scores.modifiedAshworth).toBe('1');
      expect(close(f.pk.csfBaclofenNgPerMl, start.pk.csfBaclofenNgPerMl, 0.001)).toBe(true);
    }
  });

  it('tolerance: long exposure raises the EC50 slowly (months), so the same dose does less', () => {
    const p = naive();
    const f = course(p, 48, () => 300);
    const early = f[47]!;
    for (let d = 0; d < 180; d += 1) p.advance(p.now + 86_400, 300);
    const late = p.findings();
    expect(late.pk.toleranceEc50NgPerMl).toBeGreaterThan(early.pk.toleranceEc50NgPerMl * 1.5);
    expect(late.effect).toBeLessThan(early.effect);
  });
});

describe('withdrawal and overdose', () => {
  it('stopping 400 mcg/day: early within 24 h, severe by 72 h, then complications; restoring reverses it', () => {
    const p = createPatient({ profile: 'spinal', time: T0 });
    const f = course(p, 96, () => 0);
    const first = (stage: string) => f.findIndex((x) => x.withdrawal.stage === stage) + 1;
    expect(first('early')).toBeGreaterThan(4);
    expect(first('early')).toBeLessThanOrEqual(24);
    expect(first('severe')).toBeGreaterThan(24);
    expect(first('severe')).toBeLessThanOrEqual(72);
    const at72 = f[71]!;
    expect(at72.vitals.temperatureC).toBeGreaterThanOrEqual(38.5);
    expect(at72.vitals.heartRateBpm).toBeGreaterThanOrEqual(100);
    expect(at72.scores.modifiedAshworth).toBe('4');
    expect(at72.symptoms).toContain('hallucinations');
    expect(f[95]!.ckUPerL).toBeGreaterThan(1000);
    expect(p.events().some((e) => e.kind === 'seizure')).toBe(true);
    const back = course(p, 72, () => 400);
    expect(back[71]!.withdrawal.stage).toBe('none');
    expect(back[71]!.scores.modifiedAshworth).toBe('1');
    expect(back[71]!.vitals.temperatureC).toBeLessThan(37.5);
  });

  it('an IV benzodiazepine blunts the signs without restoring the drug', () => {
    const run = (benzo: boolean) => {
      const p = createPatient({ profile: 'spinal', time: T0 });
      course(p, 36, () => 0);
      if (benzo)
        for (let i = 0; i < 3; i += 1) {
          p.intervene({ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 4 });
          course(p, 12, () => 0);
        }
      else course(p, 36, () => 0);
      return p.findings();
    };
    const without = run(false);
    const withBenzo = run(true);
    expect(withBenzo.pk.csfBaclofenNgPerMl).toBe(without.pk.csfBaclofenNgPerMl);
    expect(withBenzo.withdrawal.drive).toBe(without.withdrawal.drive);
    expect(withBenzo.withdrawal.signSeverity).toBeLessThan(without.withdrawal.signSeverity * 0.85);
    expect(withBenzo.seizureCount).toBeLessThan(without.seizureCount);
    expect(withBenzo.vitals.heartRateBpm).toBeLessThan(without.vitals.heartRateBpm);
  });

  it('cyproheptadine lowers fever and heart rate; oral baclofen helps only partly', () => {
    const at = (iv: Intervention | null) => {
      const p = createPatient({ profile: 'spinal', time: T0 });
      course(p, 60, () => 0);
      if (iv) p.intervene(iv);
      course(p, 3, () => 0);
      return p.findings();
    };
    const none = at(null);
    const cypro = at({ kind: 'cyproheptadine', doseMg: 8 });
    const oral = at({ kind: 'oralBaclofen', doseMg: 20 });
    expect(none.vitals.temperatureC - cypro.vitals.temperatureC).toBeGreaterThanOrEqual(1);
    expect(cypro.vitals.heartRateBpm).toBeLessThan(none.vitals.heartRateBpm);
    expect(oral.withdrawal.signSeverity).toBeLessThan(none.withdrawal.signSeverity);
    expect(oral.withdrawal.signSeverity).toBeGreaterThan(none.withdrawal.signSeverity * 0.7);
  });

  it('ten times the dose: drowsiness within hours, then respiratory depression and coma; CSF drainage and ventilation', () => {
    const p = createPatient({ profile: 'spinal', time: T0 });
    const f = course(p, 8, () => 4000);
    const firstMild = f.findIndex((x) => x.overdose.stage !== 'none') + 1;
    expect(firstMild).toBeLessThanOrEqual(3);
    expect(f[1]!.consciousness).not.toBe('alert');
    expect(f[7]!.overdose.stage).toBe('severe');
    expect(f[7]!.consciousness).toBe('unresponsive');
    expect(f[7]!.symptoms).toEqual(expect.arrayContaining(['respiratory depression', 'coma']));
    expect(f[7]!.hypotonia).toBe('generalized');
    expect(f[7]!.symptoms).toContain('urinary retention');
    const before = p.findings();
    p.intervene({ kind: 'csfDrainage', volumeMl: 30 });
    expect(p.findings().pk.csfBaclofenMcg).toBeLessThan(before.pk.csfBaclofenMcg * 0.7);
    p.intervene({ kind: 'ventilation', on: true });
    expect(p.findings().vitals.spo2Percent).toBeGreaterThanOrEqual(95);
    expect(p.findings().vitals.ventilated).toBe(true);
  });

  it('a naive patient given 150 mcg by lumbar puncture is overdosed; 50 mcg is not', () => {
    for (const [dose, od] of [
      [50, false],
      [150, true],
    ] as const) {
      const p = naive();
      p.intervene({ kind: 'lumbarPunctureBolus', doseMcg: dose });
      const f = course(p, 8, () => 0);
      expect(f.some((x) => x.overdose.stage !== 'none')).toBe(od);
    }
  });
});

describe('interventions, profiles, snapshots', () => {
  it('refuses malformed interventions with a clear message and changes nothing', () => {
    const p = naive();
    const before = JSON.stringify(p.snapshot());
    const bad: unknown[] = [
      { kind: 'ivBenzodiazepine', drug: 'alprazolam', doseMg: 1 },
      { kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 50 },
      { kind: 'oralBaclofen', doseMg: -5 },
      { kind: 'oralBaclofen', doseMg: Number.NaN },
      { kind: 'csfDrainage', volumeMl: 500 },
      { kind: 'ventilation', on: 'yes' },
      { kind: 'lumbarPunctureBolus', doseMcg: 5000 },
      { kind: 'homeopathy' },
      null,
    ];
    for (const iv of bad) expect(() => p.intervene(iv as Intervention)).toThrow(/invalid intervention/);
    expect(JSON.stringify(p.snapshot())).toBe(before);
    expect(() => p.advance(T0 - 1, 0)).toThrow(/backwards/);
    expect(() => p.advance(T0 + 60, -1)).toThrow(/non-negative/);
    expect(() => p.advance(T0 + 0.5, 0)).toThrow(/integer/);
    expect(JSON.stringify(p.snapshot())).toBe(before);
  });

  it('profiles differ as they should; a seed gives a reproducible patient within the published ranges', () => {
    const spinal = patientParams('spinal', 0);
    const child = patientParams('pediatric-cp', 0);
    expect(spinal.autonomicDysreflexiaRisk).toBe(true);
    expect(patientParams('cerebral', 0).autonomicDysreflexiaRisk).toBe(false);
    expect(child.csfDistributionVolumeMl).toBeLessThan(spinal.csfDistributionVolumeMl);
    expect(child.respiratoryRatePerMin).toBeGreaterThan(spinal.respiratoryRatePerMin);
    expect(patientParams('spinal', 42)).toEqual(patientParams('spinal', 42));
    const seen = new Set<number>();
    for (let seed = 1; seed <= 200; seed += 1) {
      const q = patientParams('spinal', seed);
      seen.add(q.csfHalfLifeH);
      expect(q.csfHalfLifeH).toBeGreaterThanOrEqual(0.9);
      expect(q.csfHalfLifeH).toBeLessThanOrEqual(5);
      expect(q.csfClearanceMlPerH).toBeGreaterThanOrEqual(13);
      expect(q.csfClearanceMlPerH).toBeLessThanOrEqual(80);
      expect(Math.abs(Math.log(q.csfHalfLifeH / q.effectHalfLifeH))).toBeGreaterThan(0.04);
    }
    expect(seen.size).toBeGreaterThan(150);
    expect(() => patientParams('feline' as 'spinal', 0)).toThrow(/unknown patient profile/);
    expect(() => patientParams('spinal', -1)).toThrow(/seed/);
  });

  it('snapshot and restore: the restored patient continues exactly; a damaged snapshot is refused', () => {
    const p = createPatient({ profile: 'cerebral', seed: 9, time: T0 });
    course(p, 30, (h) => (h < 10 ? 250 : 0));
    p.intervene({ kind: 'cyproheptadine', doseMg: 4 });
    const snap = JSON.parse(JSON.stringify(p.snapshot()));
    const q = restorePatient(snap);
    course(p, 20, () => 100);
    course(q, 20, () => 100);
    expect(q.snapshot()).toEqual(p.snapshot());
    const broken = (f: (s: PatientState) => void) => {
      const c = structuredClone(snap);
      f(c.state);
      return () => restorePatient(c);
    };
    expect(broken((s) => (s.x = [1, 2]))).toThrow(/x must be/);
    expect(broken((s) => ((s.params as { profile: string }).profile = 'x'))).toThrow(/profile/);
    expect(broken((s) => ((s as { now: unknown }).now = 'soon'))).toThrow(/now/);
    expect(() => restorePatient({ version: 2 } as never)).toThrow(/version/);
  });

  it('the history is sampled every 15 minutes of pump time and bounded', () => {
    const p = naive('pediatric-cp');
    p.advance(T0 + 25 * 86_400, 25 * 150);
    const rows = p.history(0, Infinity);
    // At least 21 days are kept; older samples are dropped in batches (amortised), never more than 25% extra.
    expect(rows.length).toBeGreaterThanOrEqual(21 * 96);
    expect(rows.length).toBeLessThanOrEqual(21 * 96 * 1.25);
    expect(rows[1]!.time - rows[0]!.time).toBe(900);
    expect(rows.every((r) => r.time % 900 === 0)).toBe(true);
    expect(rows.at(-1)!.time).toBe(T0 + 25 * 86_400 - ((T0 + 25 * 86_400) % 900));
    expect(rows[0]).toHaveProperty('csfBaclofenNgPerMl');
    expect(rows[0]).toHaveProperty('modifiedAshworth');
    const a = T0 + 86_400 * 24 - (T0 % 900); // a grid instant: [a, a + 1 h] holds 5 samples
    expect(p.history(a, a + 3600).length).toBe(5);
  });
});
