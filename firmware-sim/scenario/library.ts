/**
 * The library of training cases (scenarios/*.json) as the device host reads it: listing the cases for the
 * learner's "Start a training case" page and resolving a case named by its id. The headless CLI and the
 * test harness use the same functions (tools/scenario/library.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError, type Scenario } from '../../src/training/scenario/schema';
import type { TrainingCaseSummary } from '../../src/shared/training-case';
import { readScenarioFile } from './load';

/** scenarios/ at the repository root (from the sources: firmware-sim/scenario/ is two levels down). */
export const LIBRARY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
/** The library holds at most this many cases (a folder with more is not a library). */
export const MAX_LIBRARY_CASES = 200;

/** Every case file of the library folder, in file-name order (the JSON Schema file is not a case). */
export function libraryFiles(dir = LIBRARY_DIR): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')
    .sort();
  if (files.length > MAX_LIBRARY_CASES)
    throw new ScenarioError(dir, [{ path: '', message: `more than ${MAX_LIBRARY_CASES} cases` }]);
  return files.map((f) => join(dir, f));
}

/** A case by its id (a library name) or a path to a file; throws ScenarioError naming what is wrong. */
export function resolveCase(nameOrFile: string, dir = LIBRARY_DIR): { file: string; scenario: Scenario } {
  const looksLikeFile = nameOrFile.endsWith('.json') || nameOrFile.includes('/');
  const file = looksLikeFile
    ? isAbsolute(nameOrFile)
      ? nameOrFile
      : resolve(process.cwd(), nameOrFile)
    : join(dir, `${basename(nameOrFile)}.json`);
  if (!existsSync(file))
    throw new ScenarioError(nameOrFile, [
      {
        path: '',
        message: looksLikeFile
          ? 'no such file'
          : `no case "${nameOrFile}" in ${dir} (npm run scenario -- list)`,
      },
    ]);
  return { file, scenario: readScenarioFile(file) };
}

/** What the learner may read of a case before it starts: no timeline, handlers or expectations. */
export function caseSummary(s: Scenario): TrainingCaseSummary {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    source: s.source,
    patient: s.brief.patient,
    reports: s.brief.reports ?? null,
    objectives: [...s.brief.objectives],
    origin: s.start.programmer.origin,
    ageGroup: s.start.programmer.ageGroup,
    durationS: s.duration,
  };
}

/** The library for the learner: every valid case's summary; a broken file is skipped, not fatal. */
export function librarySummaries(
  dir = LIBRARY_DIR,
  warn: (m: string) => void = () => undefined,
): TrainingCaseSummary[] {
  const out: TrainingCaseSummary[] = [];
  for (const file of libraryFiles(dir)) {
    try {
      out.push(caseSummary(readScenarioFile(file)));
    } catch (e) {
      warn(`${basename(file)}: ${(e as Error).message}`);
    }
  }
  return out;
}
