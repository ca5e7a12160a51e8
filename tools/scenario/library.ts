/**
 * The library of cases (scenarios/*.json) and what a host needs to play one: plain functions for the
 * headless CLI, the test harness, the benchmark and the programmer's "Start a training case" page
 * (list the cases, load one into a host, finish it and fetch the debrief).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readScenarioFile } from '../../firmware-sim/scenario/load';
import type { Scenario } from '../../src/training/scenario/schema';
import { libraryFiles, resolveCase } from '../../firmware-sim/scenario/library';
import { LIBRARY_DIR } from './json-schema';

export interface LibraryCase {
  id: string;
  file: string;
  title: string;
  kind: Scenario['kind'];
  objectives: string[];
  /** The expert driver's module, or null when the case has none. */
  expert: string | null;
  scenario: Scenario;
}

/** The expert driver of a case: its `expertDriver` (relative to the file), else `<id>.expert.ts` beside it. */
export function expertDriverOf(file: string, s: Scenario): string | null {
  const p = s.expertDriver
    ? resolve(dirname(file), s.expertDriver)
    : join(dirname(file), `${s.id}.expert.ts`);
  return existsSync(p) ? p : null;
}

/** Every case in the library folder, in file-name order; a bad file throws ScenarioError naming it. */
export function listCases(dir = LIBRARY_DIR): LibraryCase[] {
  return libraryFiles(dir).map((file) => {
    const s = readScenarioFile(file);
    return {
      id: s.id,
      file,
      title: s.title,
      kind: s.kind,
      objectives: s.brief.objectives,
      expert: expertDriverOf(file, s),
      scenario: s,
    };
  });
}

export { resolveCase };

/** The sim's arguments that load a case into a host (a fresh pump, patient and clock in its starting state). */
export function caseSimArgs(file: string, o: { headless: boolean }): string[] {
  return ['--scenario', file, ...(o.headless ? ['--paused'] : [])];
}
