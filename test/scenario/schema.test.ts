import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SCENARIO_BYTES,
  parseDuration,
  parseScenarioText,
  ScenarioError,
  validateScenario,
  durationSchema,
  isoSeconds,
} from '../../src/training/scenario/schema';
import { LIBRARY_DIR, SCHEMA_FILE, schemaFileText } from '../../tools/scenario/json-schema';

const libraryFiles = readdirSync(LIBRARY_DIR).filter(
  (f) => f.endsWith('.json') && f !== 'scenario.schema.json',
);
const occlusion = JSON.parse(
  readFileSync(join(LIBRARY_DIR, 'unsensed-occlusion-withdrawal.json'), 'utf8'),
) as Record<string, unknown>;

describe('scenario format', () => {
  it('scenarios/scenario.schema.json is generated from the zod schema and current (npm run scenario -- schema)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await schemaFileText());
  });

  it.each(libraryFiles)('library case %s is valid and names itself by its file', (f) => {
    const s = parseScenarioText(readFileSync(join(LIBRARY_DIR, f), 'utf8'), f);
    expect(`${s.id}.json`).toBe(f);
  });

  it('reports every error of a bad file with its path, and parses nothing', () => {
    const bad = structuredClone(occlusion) as {
      start: { pump: { concentrationMcgPerMl: unknown } };
      timeline: { at: unknown; actions: { fault?: { state?: unknown } }[] }[];
      expectations: unknown[];
    };
    bad.start.pump.concentrationMcgPerMl = -5;
    bad.timeline[0]!.actions[0]!.fault!.state = 'squashed';
    (bad.expectations[1] as { weight: unknown }).weight = 'heavy';
    const r = validateScenario(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain('start.pump.concentrationMcgPerMl');
    expect(paths).toContain('timeline[0].actions[0].fault.state');
    expect(paths).toContain('expectations[1].weight');
    // Cross-references are checked once the structure is sound: again every one, with its path.
    const refs = structuredClone(occlusion) as {
      timeline: { at: unknown }[];
      expectations: { from?: unknown }[];
    };
    refs.timeline[1]!.at = '99d';
    refs.expectations[0]!.from = { kind: 'timeline', id: 'nowhere' };
    const r2 = validateScenario(refs);
    expect(r2.ok ? [] : r2.issues.map((i) => i.path)).toEqual(['timeline[1].at', 'expectations[0].from.id']);
  });

  it('refuses unknown fields, duplicate ids, a true reservoir above the calculated one, and too big a file', () => {
    const extra = { ...occlusion, surprise: 1 };
    expect(validateScenario(extra).ok).toBe(false);
    const dup = structuredClone(occlusion) as { handlers: { id: string }[] };
    dup.handlers[1]!.id = dup.handlers[0]!.id;
    const r = validateScenario(dup);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toContain('handlers[1].id');
    const res = structuredClone(occlusion) as { start: { pump: { reservoir: unknown } } };
    res.start.pump.reservoir = { calculatedMl: 5, trueMl: 6 };
    const r2 = validateScenario(res);
    expect(r2.ok ? [] : r2.issues.map((i) => i.path)).toContain('start.pump.reservoir.trueMl');
    expect(() => parseScenarioText(' '.repeat(MAX_SCENARIO_BYTES + 1))).toThrow(/larger than/);
    expect(() => parseScenarioText('{nope')).toThrow(ScenarioError);
  });

  it('durations: "Nd Nh Nm Ns" is the sum of its parts (property)', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(23), fc.nat(59), fc.nat(59), (d, h, m, s) => {
        const txt = `${d}d ${h}h ${m}m ${s}s`;
        const secs = d * 86_400 + h * 3600 + m * 60 + s;
        expect(parseDuration(txt)).toBe(secs);
        expect(durationSchema.parse(txt)).toBe(secs);
        expect(durationSchema.parse(secs)).toBe(secs);
      }),
    );
    expect(durationSchema.safeParse('2 weeks').success).toBe(false);
    expect(durationSchema.safeParse(-1).success).toBe(false);
    expect(durationSchema.safeParse('1000d').success).toBe(false);
  });
});

describe('the starting clock', () => {
  it('isoSeconds agrees with Date.parse for any instant 1970..2100 and any offset (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_799 }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }),
        (t, quarterHours) => {
          const off = quarterHours * 900;
          const local = new Date((t + off) * 1000).toISOString().slice(0, 19);
          const sign = off < 0 ? '-' : '+';
          const a = Math.abs(off);
          const iso = `${local}${sign}${String(Math.floor(a / 3600)).padStart(2, '0')}:${String((a % 3600) / 60).padStart(2, '0')}`;
          expect(isoSeconds(iso)).toBe(t);
          expect(isoSeconds(`${new Date(t * 1000).toISOString()}`)).toBe(t);
        },
      ),
    );
  });

  it('a case that would run past the pump clock bound (2100) is refused', () => {
    const late = structuredClone(occlusion) as { start: { pump: { time: string } } };
    late.start.pump.time = '2099-12-30T00:00:00Z';
    const r = validateScenario(late);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['start.pump.time']);
  });
});

describe('a candidate at the screening desk (start.screening, issue 21 point 4)', () => {
  const ms = JSON.parse(readFileSync(join(LIBRARY_DIR, 'candidacy-ms-positive.json'), 'utf8')) as {
    start: {
      pump: { therapy: unknown };
      patient: { profile: string; establishedDoseMcgPerDay?: number };
      screening: { case: Record<string, unknown> };
    };
  };

  it('is parsed with the candidacy rules’ case form', () => {
    const r = validateScenario(ms);
    expect(r.ok && r.scenario.start.screening?.case).toMatchObject({ diagnosis: 'multipleSclerosis' });
  });

  it('refuses a bad case form, a patient already on intrathecal baclofen, a running pump and a mismatched patient, each with its path', () => {
    const bad = structuredClone(ms);
    bad.start.screening.case.weightKg = 0;
    bad.start.screening.case.surprise = true;
    const r = validateScenario(bad);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['start.screening.case.weightKg', 'start.screening.case']),
    );
    const world = structuredClone(ms);
    world.start.patient.establishedDoseMcgPerDay = 100;
    world.start.pump.therapy = { mode: 'continuous', dailyDoseMcg: 100 };
    world.start.patient.profile = 'pediatric-cp';
    const r2 = validateScenario(world);
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'start.patient.establishedDoseMcgPerDay',
          message: 'a candidate has never had intrathecal baclofen: set it to 0',
        },
        {
          path: 'start.pump.therapy.mode',
          message: 'no pump is implanted before the screening: the therapy is "stopped"',
        },
        expect.objectContaining({
          path: 'start.screening.case.diagnosis',
          message: expect.stringMatching(/multipleSclerosis case does not fit the pediatric-cp patient/),
        }),
      ]),
    );
  });
});
