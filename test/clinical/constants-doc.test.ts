import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as clinical from '../../src/shared/clinical/constants';
import { RULES_WITH_SOURCES, ruleSource } from '../../src/shared/clinical/sources';

// Every clinical constant must be indexed with its source and listed in docs/clinical-model.md.
const doc = readFileSync(new URL('../../docs/clinical-model.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Programmer clinical rules'));
const exported = Object.keys(clinical).filter(
  (k) => /^[A-Z][A-Z0-9_]+$/.test(k) && k !== 'CLINICAL_CONSTANTS',
);

describe('clinical constants are documented', () => {
  it('every exported constant is in the CLINICAL_CONSTANTS index, and nothing else is', () => {
    expect(clinical.CLINICAL_CONSTANTS.map((c) => c.name).sort()).toEqual([...exported].sort());
  });

  it.each(clinical.CLINICAL_CONSTANTS.map((c) => [c.name, c] as const))(
    '%s has a source and a doc row',
    (name, c) => {
      expect(c.source.length).toBeGreaterThan(0);
      if (c.confidence === 'sourced' || c.confidence === 'inferred') expect(c.source).toMatch(/https?:\/\//);
      const row = section.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `docs/clinical-model.md has no row for ${name}`).toBeDefined();
      expect(row).toContain(c.confidence);
    },
  );
});

describe('every rule the engine can emit is documented with a source', () => {
  it.each(RULES_WITH_SOURCES.map((r) => [r]))('%s has a row and a source', (rule) => {
    expect(section).toContain(`\`${rule}\``);
    expect(ruleSource(rule).length).toBeGreaterThan(0);
  });
});
