/** Every patient parameter has a row (value, source, confidence) in docs/patient-model.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patientParams, PROFILE_IDS } from './index';

const doc = readFileSync(new URL('../../docs/patient-model.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('| `'));

describe('docs/patient-model.md', () => {
  it.each(Object.keys(patientParams('spinal', 0)))('has a row for %s', (name) => {
    const row = rows.find((l) => l.startsWith(`| \`${name}\``));
    expect(row, `no row for ${name}`).toBeDefined();
    if (name !== 'description') expect(row).toMatch(/sourced|inferred|assumption/);
  });

  it('names every profile', () => {
    for (const p of PROFILE_IDS) expect(doc).toContain(p);
  });
});
