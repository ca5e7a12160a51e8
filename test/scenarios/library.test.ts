/**
 * The library's files (issue 19, point 5): each one valid, citing its source, with at least one critical
 * expectation, an expert driver that exists, and an entry in docs/scenario-library.md. Running each case
 * with its expert and with the do-nothing driver is the engine's harness (test/scenario/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/training/scenario/schema';

const DIR = path.join(__dirname, '../../scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json');
const catalogue = readFileSync(path.join(__dirname, '../../docs/scenario-library.md'), 'utf8');

describe('the scenario library', () => {
  it('has at least 12 cases, among them alarm tests for engineers', () => {
    const kinds = files.map((f) => parseScenarioText(readFileSync(path.join(DIR, f), 'utf8'), f).kind);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(kinds.filter((k) => k === 'alarmTest').length).toBeGreaterThanOrEqual(2);
  });

  for (const f of files) {
    it(`${f}: valid, sourced, with a critical expectation, an expert driver and a catalogue entry`, () => {
      const s = parseScenarioText(readFileSync(path.join(DIR, f), 'utf8'), f);
      expect(`${s.id}.json`).toBe(f);
      expect(s.source.length).toBeGreaterThan(40);
      expect(s.expectations.some((x) => x.critical)).toBe(true);
      // The engine's rule (tools/scenario/library.ts): `expertDriver`, else `<id>.expert.ts` beside the file.
      const expert = path.join(DIR, s.expertDriver ?? `${s.id}.expert.ts`);
      expect(existsSync(expert), `expert driver ${expert}`).toBe(true);
      expect(catalogue).toContain(`\`${s.id}\``);
    });
  }
});
