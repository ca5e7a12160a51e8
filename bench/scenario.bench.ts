/**
 * Scenario benchmark (issue 19, point 7): the wall time of every library case run headless with its
 * expert driver over the real path (the sim as a child process behind a pty, the patient, the programmer
 * service), from typing the command to the debrief, and the same without the sim's start-up; plus a
 * 90-day case (the ENG occlusion alarm test stretched to 90 days). Goal: a 90-day case under 5 s.
 * Figures only, no asserts (the machines are noisy; the load average is printed beside them).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCases } from '../tools/scenario/library';
import { loadDriver, runCase } from '../tools/scenario/run';
import { readScenarioFile } from '../firmware-sim/scenario/load';
import { LIBRARY_DIR } from '../tools/scenario/json-schema';

export default async function bench(): Promise<void> {
  console.log(`load average ${loadavg()[0]!.toFixed(1)} (1 min)`);
  console.log('case                                      days   wall s   without start-up s   result');
  const row = (id: string, days: number, wall: number, play: number, passed: boolean): void =>
    console.log(
      `${id.padEnd(40)} ${days.toFixed(1).padStart(5)} ${(wall / 1000).toFixed(2).padStart(8)} ${(play / 1000).toFixed(2).padStart(20)}   ${passed ? 'passed' : 'FAILED'}`,
    );
  for (const c of listCases()) {
    if (!c.expert) continue;
    const r = await runCase({
      file: c.file,
      scenario: c.scenario,
      driver: await loadDriver('expert', c.file, c.scenario),
      driverName: 'expert',
    });
    row(c.id, c.scenario.duration / 86_400, r.wallMs, r.playMs, r.passed);
  }
  const dir = mkdtempSync(join(tmpdir(), 'scenario-bench-'));
  try {
    const j = JSON.parse(
      readFileSync(join(LIBRARY_DIR, 'eng-catheter-occlusion-alarm.json'), 'utf8'),
    ) as Record<string, unknown>;
    j.id = 'eng-occlusion-90-days';
    j.duration = '90d';
    j.expertDriver = join(LIBRARY_DIR, 'eng-catheter-occlusion-alarm.expert.ts');
    delete j.$schema;
    const file = join(dir, 'eng-occlusion-90-days.json');
    writeFileSync(file, JSON.stringify(j));
    const s = readScenarioFile(file);
    const r = await runCase({
      file,
      scenario: s,
      driver: await loadDriver('expert', file, s),
      driverName: 'expert',
    });
    row(s.id, 90, r.wallMs, r.playMs, r.passed);
    console.log(`90-day case: ${(r.wallMs / 1000).toFixed(2)} s wall (goal < 5 s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
