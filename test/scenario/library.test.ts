/**
 * Every case of the library proves itself (issue 19, point 6), over the real path: the sim as a child
 * process behind a pty, the programmer service connected to it, the case's expert driver and the
 * do-nothing driver. Data-driven: every scenarios/*.json is picked up. Also shows that a broken case
 * (an expert that cannot win, a do-nothing driver that passes) is detected, and the CLI's exit codes,
 * report and JUnit files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCases } from '../../tools/scenario/library';
import { expectsAction, judgeCase } from '../../tools/scenario/judge';
import { doNothing, loadDriver, runCase, type RunResult } from '../../tools/scenario/run';
import { readScenarioFile } from '../../firmware-sim/scenario/load';
import { main } from '../../tools/scenario/cli';
import { LIBRARY_DIR } from '../../tools/scenario/json-schema';

const cases = listCases();
const RUN_TIMEOUT = 90_000;

async function both(file: string): Promise<{ expert: RunResult; idle: RunResult }> {
  const s = readScenarioFile(file);
  const expert = await runCase({
    file,
    scenario: s,
    driver: await loadDriver('expert', file, s),
    driverName: 'expert',
  });
  const idle = await runCase({ file, scenario: s, driver: doNothing, driverName: 'do-nothing' });
  return { expert, idle };
}

describe('the library proves itself', () => {
  it('has cases, each with an expert driver', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) expect(c.expert, `${c.id} has no expert driver`).not.toBeNull();
  });

  it.each(cases.map((c) => [c.id, c.file] as const))(
    '%s: the expert passes with a full score; the do-nothing driver fails when an action is expected',
    async (_id, file) => {
      const s = readScenarioFile(file);
      const { expert, idle } = await both(file);
      expect(judgeCase(s, expert, idle)).toEqual([]);
      expect(expert.debrief.outcome).toBe('passed');
      expect(expert.debrief.score.percent).toBe(100);
      if (expectsAction(s)) expect(idle.passed).toBe(false);
    },
    RUN_TIMEOUT * 2,
  );
});

describe('a broken case is detected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broken-cases-'));
  const variant = (from: string, id: string, edit: (j: Record<string, unknown>) => void): string => {
    const j = JSON.parse(readFileSync(join(LIBRARY_DIR, `${from}.json`), 'utf8')) as Record<string, unknown>;
    j.id = id;
    j.expertDriver = join(LIBRARY_DIR, `${from}.expert.ts`);
    delete j.$schema;
    edit(j);
    const f = join(dir, `${id}.json`);
    writeFileSync(f, JSON.stringify(j));
    return f;
  };

  it(
    'an expert that cannot win (a deadline it cannot meet)',
    async () => {
      const f = variant('routine-refill', 'broken-expert-loses', (j) => {
        const xs = j.expectations as { id: string; within?: string }[];
        xs.find((x) => x.id === 'refilled')!.within = '10m'; // the expert refills after 30 min
      });
      const { expert, idle } = await both(f);
      const problems = judgeCase(readScenarioFile(f), expert, idle);
      expect(problems.join('\n')).toMatch(/the expert cannot win: critical expectations missed: refilled/);
    },
    RUN_TIMEOUT * 2,
  );

  it(
    'a do-nothing driver that passes (the learner action is not critical)',
    async () => {
      const f = variant('critical-memory-error-alarm', 'broken-idle-passes', (j) => {
        const xs = j.expectations as { id: string; critical?: boolean }[];
        xs.find((x) => x.id === 'shown')!.critical = false;
      });
      const { expert, idle } = await both(f);
      expect(judgeCase(readScenarioFile(f), expert, idle)).toEqual([
        'the do-nothing driver passes a case that expects an action (make an action critical)',
      ]);
    },
    RUN_TIMEOUT * 2,
  );
});

describe('npm run scenario', () => {
  const capture = () => {
    let text = '';
    return {
      write: (s: string) => ((text += s), true),
      get text() {
        return text;
      },
    };
  };

  it('validate: every error with its path, exit 1; a good file exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    const bad = join(dir, 'bad.json');
    const j = JSON.parse(readFileSync(join(LIBRARY_DIR, 'routine-refill.json'), 'utf8')) as {
      start: { pump: { model: string; reservoir: { calculatedMl: number } } };
      expectations: { weight: unknown }[];
    };
    j.start.pump.model = 'SM3';
    j.start.pump.reservoir.calculatedMl = 99;
    j.expectations[0]!.weight = -1;
    writeFileSync(bad, JSON.stringify(j));
    const out = capture();
    const err = capture();
    expect(
      await main(['validate', join(LIBRARY_DIR, 'routine-refill.json'), bad], out as never, err as never),
    ).toBe(1);
    expect(out.text).toContain('routine-refill.json: valid');
    expect(err.text).toContain('bad.json: 3 errors');
    expect(err.text).toContain('start.pump.model:');
    expect(err.text).toContain('start.pump.reservoir.calculatedMl:');
    expect(err.text).toContain('expectations[0].weight:');
    expect(await main(['run', 'routine-refill'], capture() as never, err as never)).toBe(2);
    expect(
      await main(['run', 'no-such-case', '--driver', 'do-nothing'], capture() as never, err as never),
    ).toBe(1);
    expect(err.text).toContain('no case "no-such-case"');
  });

  it(
    'run: exit 1 when a critical expectation fails, with the JSON report, JUnit XML and HTML debrief',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'run-'));
      const out = capture();
      const code = await main(
        [
          'run',
          'critical-memory-error-alarm',
          '--driver',
          'do-nothing',
          '--report',
          join(dir, 'r.json'),
          '--junit',
          join(dir, 'j.xml'),
          '--html',
          join(dir, 'd.html'),
        ],
        out as never,
        capture() as never,
      );
      expect(code).toBe(1);
      expect(out.text).toMatch(/critical-memory-error-alarm with do-nothing: FAILED/);
      const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as RunResult;
      expect(report.debrief.criticalMissed).toEqual(['shown']);
      const raised = report.debrief.expectations.find((e) => e.id === 'raised')!;
      expect(raised.status).toBe('met');
      expect(raised.t! - report.debrief.startTime).toBe(7200);
      const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
      expect(xml).toMatch(
        /<testsuite name="critical-memory-error-alarm \(do-nothing\)" tests="6" failures="1"/,
      );
      expect(xml).toMatch(/<failure message="no such fact was recorded" type="critical">shown:/);
      const html = readFileSync(join(dir, 'd.html'), 'utf8');
      expect(html).toContain('Failed (critical error)');
      expect(html).toContain('uPlot');
      expect(html).not.toMatch(/<script[^>]+src=/); // stands alone
      // The expected benefits over time (issue 21 point 5): sampled with the rest, charted in the HTML.
      const ser = report.debrief.series;
      for (const k of [
        'pennSpasms',
        'painNrs',
        'awakeningsPerNight',
        'dailyActivities',
        'caregiverBurden',
      ] as const) {
        expect(ser[k]).toHaveLength(ser.t.length);
        for (const v of ser[k]) expect(v).toBeGreaterThanOrEqual(0);
      }
      expect(Math.max(...ser.painNrs)).toBeLessThanOrEqual(10);
      expect(Math.max(...ser.dailyActivities)).toBeLessThanOrEqual(100);
      expect(html).toContain('id="chart-benefits"');
      expect(html).toContain('id="chart-activities"');
      // The chart script parses (it is plain JS inside the page, not checked by the compiler).
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      expect(() => new Function(scripts[scripts.length - 1]!)).not.toThrow();
    },
    RUN_TIMEOUT,
  );
});
