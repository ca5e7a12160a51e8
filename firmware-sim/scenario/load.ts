/** Reading a scenario file, and the host settings its starting state implies. */
import { readFileSync, statSync } from 'node:fs';
import {
  isoSeconds,
  MAX_SCENARIO_BYTES,
  parseScenarioText,
  ScenarioError,
  type Scenario,
} from '../../src/training/scenario/schema';
import type { HostConfig } from '../host';

/** Read and validate a scenario file (size-checked before it is read); throws ScenarioError with every problem. */
export function readScenarioFile(file: string): Scenario {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new ScenarioError(file, [
      { path: '', message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` },
    ]);
  }
  if (size > MAX_SCENARIO_BYTES)
    throw new ScenarioError(file, [
      { path: '', message: `the file is larger than ${MAX_SCENARIO_BYTES} bytes` },
    ]);
  return parseScenarioText(readFileSync(file, 'utf8'), file);
}

/** Model, serial, time, patient and clock for a fresh host playing this case. */
export function scenarioHostOptions(
  s: Scenario,
  o: { clockGiven: boolean; clock: HostConfig['clock'] },
): Partial<HostConfig> {
  const p = s.start.pump;
  const clock: HostConfig['clock'] = o.clockGiven
    ? o.clock
    : p.clockSpeed === 'fast'
      ? { mode: 'fast', speed: 1 }
      : { mode: 'running', speed: p.clockSpeed };
  return {
    scenario: s,
    reset: true,
    model: p.model,
    modelGiven: true,
    serial: p.serial ?? null,
    startTime: isoSeconds(p.time),
    clock,
    patient: {
      profile: s.start.patient.profile,
      seed: s.start.patient.seed,
      establishedDose: s.start.patient.establishedDoseMcgPerDay ?? 'pump',
      given: true,
    },
  };
}
