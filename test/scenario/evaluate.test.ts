import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDebrief, emptySeries, MAX_SAMPLES, pushSample } from '../../src/training/scenario/debrief';
import { evaluateExpectation, firstMet } from '../../src/training/scenario/evaluate';
import type { Fact } from '../../src/training/scenario/facts';
import { expectationSchema, scenarioSchema, type Condition } from '../../src/training/scenario/schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBRARY_DIR } from '../../tools/scenario/json-schema';

const T0 = 1_772_438_400;
const ctx = { startTime: T0 };
const alarm = (
  t: number,
  code: 'CATHETER_OCCLUSION' | 'LOW_RESERVOIR',
  event: 'raised' | 'cleared' = 'raised',
): Fact => ({
  t,
  kind: 'alarm',
  code,
  event,
});
const pump = (t: number, doseNgPerDay: number, suspended = false): Fact => ({
  t,
  kind: 'pump',
  mode: 'continuous',
  suspended,
  battery: 'ok',
  catheter: 'patent',
  reservoirUl: 10_000,
  doseNgPerDay,
});
const cmd = (t: number, command: 'interrogated' | 'committed', changes?: ('dose' | 'refill')[]): Fact => ({
  t,
  kind: 'command',
  command,
  ok: true,
  ...(changes ? { changes } : {}),
});
const x = (o: Record<string, unknown>) => expectationSchema.parse({ id: 'x', description: 'x', ...o });

describe('conditions over facts', () => {
  const facts: Fact[] = [
    pump(T0, 400_000),
    { t: T0, kind: 'withdrawal', stage: 'none' },
    alarm(T0 + 100, 'LOW_RESERVOIR'),
    cmd(T0 + 200, 'interrogated'),
    { t: T0 + 300, kind: 'withdrawal', stage: 'moderate' },
    cmd(T0 + 400, 'committed', ['dose']),
    pump(T0 + 400, 500_000),
    alarm(T0 + 500, 'LOW_RESERVOIR', 'cleared'),
  ];
  const at = (c: Condition, from = T0) => firstMet(c, facts, from, ctx)?.t ?? null;

  it('events: the first matching fact at or after the reference', () => {
    expect(at({ kind: 'alarm', code: 'LOW_RESERVOIR' })).toBe(T0 + 100);
    expect(at({ kind: 'alarm', code: 'LOW_RESERVOIR', event: 'cleared' })).toBe(T0 + 500);
    expect(at({ kind: 'alarm', code: 'LOW_RESERVOIR' }, T0 + 101)).toBeNull();
    expect(at({ kind: 'command', command: 'committed', change: 'dose' })).toBe(T0 + 400);
    expect(at({ kind: 'command', command: 'committed', change: 'refill' })).toBeNull();
  });

  it('states: in force at the reference, else the first change that satisfies them', () => {
    expect(at({ kind: 'withdrawal', atLeast: 'early' })).toBe(T0 + 300);
    expect(at({ kind: 'withdrawal', atLeast: 'early' }, T0 + 350)).toBe(T0 + 350);
    expect(at({ kind: 'withdrawal', atLeast: 'severe' })).toBeNull();
    expect(at({ kind: 'pump', doseAtLeastMcgPerDay: 401 })).toBe(T0 + 400);
    expect(at({ kind: 'pump', doseAtMostMcgPerDay: 400 }, T0 + 450)).toBeNull();
  });

  it('composites: all = the latest part, any = the earliest, sequence = each after the one before', () => {
    const a: Condition = { kind: 'command', command: 'interrogated' };
    const b: Condition = { kind: 'alarm', code: 'LOW_RESERVOIR' };
    expect(at({ kind: 'all', of: [a, b] })).toBe(T0 + 200);
    expect(at({ kind: 'any', of: [a, b] })).toBe(T0 + 100);
    expect(at({ kind: 'sequence', of: [b, a] })).toBe(T0 + 200);
    expect(at({ kind: 'sequence', of: [a, b] })).toBeNull();
    expect(at({ kind: 'elapsed', after: 3600 })).toBe(T0 + 3600);
  });

  it('expectations: met, missed, pending, never, deadlines counted from `from`', () => {
    const o = { startTime: T0, endTime: T0 + 86_400, now: T0 + 1000, ended: false };
    const interrogateAfterAlarm = x({
      when: { kind: 'command', command: 'interrogated' },
      from: { kind: 'alarm', code: 'LOW_RESERVOIR' },
      within: 60,
    });
    expect(evaluateExpectation(interrogateAfterAlarm, facts, o).status).toBe('missed');
    const inTime = x({ ...interrogateAfterAlarm, within: '2m' });
    const r = evaluateExpectation(
      x({ when: inTime.when, from: { kind: 'alarm', code: 'LOW_RESERVOIR' }, within: '2m' }),
      facts,
      o,
    );
    expect(r).toMatchObject({ status: 'met', t: T0 + 200, from: T0 + 100, deadline: T0 + 220 });
    expect(r.evidence).toBe('interrogated the pump');
    const noIncrease = x({ expect: 'never', when: { kind: 'pump', doseAtLeastMcgPerDay: 401 } });
    expect(evaluateExpectation(noIncrease, facts, o).status).toBe('missed');
    const noOcclusion = x({ expect: 'never', when: { kind: 'alarm', code: 'CATHETER_OCCLUSION' } });
    expect(evaluateExpectation(noOcclusion, facts, o).status).toBe('pending');
    expect(evaluateExpectation(noOcclusion, facts, { ...o, ended: true }).status).toBe('met');
    const refill = x({ when: { kind: 'command', command: 'committed', change: 'refill' } });
    expect(evaluateExpectation(refill, facts, o).status).toBe('pending');
    expect(evaluateExpectation(refill, facts, { ...o, ended: true }).status).toBe('missed');
    const afterNothing = x({ when: refill.when, from: { kind: 'alarm', code: 'CATHETER_OCCLUSION' } });
    expect(evaluateExpectation(afterNothing, facts, { ...o, ended: true })).toMatchObject({
      status: 'missed',
      evidence: 'its starting point never happened',
    });
  });

  it('any is the earliest and all the latest of event conditions (property)', () => {
    const codes = ['CATHETER_OCCLUSION', 'LOW_RESERVOIR'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(10_000), fc.constantFrom(...codes)), { maxLength: 30 }),
        fc.nat(10_000),
        (raw, from) => {
          const fs = raw.sort((p, q) => p[0] - q[0]).map(([t, code]) => alarm(T0 + t, code));
          const parts: Condition[] = codes.map((code) => ({ kind: 'alarm', code }));
          const each = parts.map((p) => firstMet(p, fs, T0 + from, ctx)?.t ?? null);
          const any = firstMet({ kind: 'any', of: parts }, fs, T0 + from, ctx)?.t ?? null;
          const all = firstMet({ kind: 'all', of: parts }, fs, T0 + from, ctx)?.t ?? null;
          const present = each.filter((v): v is number => v !== null);
          expect(any).toBe(present.length ? Math.min(...present) : null);
          expect(all).toBe(present.length === parts.length ? Math.max(...present) : null);
          for (const v of present) expect(v).toBeGreaterThanOrEqual(T0 + from);
        },
      ),
    );
  });
});

describe('debrief model', () => {
  const s = scenarioSchema.parse(
    JSON.parse(readFileSync(join(LIBRARY_DIR, 'unsensed-occlusion-withdrawal.json'), 'utf8')),
  );
  it('critical errors first; one missed critical fails the case whatever the score', () => {
    const facts: Fact[] = [
      { t: T0, kind: 'start', scenario: s.id },
      pump(T0, 400_000),
      { t: T0 + 3600, kind: 'timeline', id: 'occlusion' },
      { t: T0 + 50_400, kind: 'timeline', id: 'phone-call' },
      cmd(T0 + 52_000, 'interrogated'),
      { t: T0 + 52_100, kind: 'command', command: 'readLog', ok: true },
      cmd(T0 + 52_200, 'committed', ['dose']),
      pump(T0 + 52_200, 600_000),
    ];
    const d = buildDebrief(s, facts, emptySeries(), {
      startTime: T0,
      endTime: T0 + s.duration,
      now: T0 + s.duration,
      ended: true,
      endReason: 'over',
    });
    const firstNonCritical = d.expectations.findIndex((e) => !e.critical);
    expect(d.expectations.slice(0, firstNonCritical).every((e) => e.critical)).toBe(true);
    expect(d.expectations.slice(firstNonCritical).every((e) => !e.critical)).toBe(true);
    expect(d.outcome).toBe('failed');
    expect(d.criticalMissed).toContain('no-increase');
    expect(d.score.total).toBe(s.expectations.reduce((a, e) => a + e.weight, 0));
    expect(d.events.map((e) => e.actor)).toContain('learner');
  });

  it('a series saved before the outcome measures existed resumes: earlier samples empty, lengths equal', () => {
    const ser = emptySeries() as Partial<ReturnType<typeof emptySeries>> & ReturnType<typeof emptySeries>;
    ser.t.push(0);
    ser.programmedMcgPerDay.push(1);
    delete (ser as Partial<typeof ser>).painNrs;
    pushSample(ser, {
      t: 1,
      programmedMcgPerDay: 2,
      deliveredMcgPerDay: 2,
      reservoirCalculatedMl: 1,
      reservoirTrueMl: 1,
      ashworth: 1,
      pennSpasms: 1,
      painNrs: 3,
      awakeningsPerNight: 0,
      dailyActivities: 90,
      caregiverBurden: 1,
      withdrawalStage: 0,
      overdoseStage: 0,
    });
    expect(ser.painNrs).toEqual([NaN, 3]);
    expect(ser.painNrs.length).toBe(ser.t.length);
  });

  it('the chart series stays bounded, halving when full, times increasing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * MAX_SAMPLES }), (n) => {
        const ser = emptySeries();
        for (let i = 0; i < n; i++)
          pushSample(ser, {
            t: i,
            programmedMcgPerDay: i,
            deliveredMcgPerDay: i,
            reservoirCalculatedMl: 1,
            reservoirTrueMl: 1,
            ashworth: 1,
            pennSpasms: 1,
            painNrs: i % 11,
            awakeningsPerNight: 0,
            dailyActivities: 90,
            caregiverBurden: 1,
            withdrawalStage: 0,
            overdoseStage: 0,
          });
        expect(ser.t.length).toBeLessThanOrEqual(MAX_SAMPLES);
        expect(ser.t[ser.t.length - 1]).toBe(n - 1);
        expect(ser.programmedMcgPerDay).toEqual(ser.t);
        expect(ser.painNrs).toEqual(ser.t.map((t) => t % 11));
        for (let i = 1; i < ser.t.length; i++) expect(ser.t[i]!).toBeGreaterThan(ser.t[i - 1]!);
      }),
      { numRuns: 20 },
    );
  });
});
