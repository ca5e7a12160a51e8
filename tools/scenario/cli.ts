/**
 * npm run scenario -- list | validate FILE... | run NAME|FILE --driver DRIVER [--report out.json]
 *                     [--junit out.xml] [--html out.html] | schema
 *
 * Exit codes: 0 ok (run: no critical expectation failed); 1 a file is invalid (validate), or a run failed
 * (a critical expectation missed, or the driver threw); 2 bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ScenarioError, parseScenarioText } from '../../src/training/scenario/schema';
import { renderDebriefHtml } from '../../firmware-sim/scenario/debrief-html';
import { writeSchemaFile } from './json-schema';
import { junitXml } from './junit';
import { listCases, resolveCase } from './library';
import { loadDriver, runCase } from './run';
import { readScenarioFile } from '../../firmware-sim/scenario/load';

export const USAGE = `usage: npm run scenario -- <command>

  list                                   the library's cases (scenarios/*.json): id, kind, title, objectives
  validate FILE...                       check scenario files; every error with its path in the file (exit 1)
  run NAME|FILE --driver DRIVER          run a case headless against the real sim over a pty, in fast mode
      [--report out.json]                  the debrief and the run as JSON
      [--junit out.xml]                    JUnit XML: one test per expectation
      [--html out.html]                    the debrief as a stand-alone HTML page (print it for a PDF)
                                         DRIVER: do-nothing, expert (the case's own), or a module path
                                         exit 0 when no critical expectation failed
  schema                                 regenerate scenarios/scenario.schema.json from the zod schema
`;

class Usage extends Error {}

function opt(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Usage(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'list': {
        const cases = listCases();
        for (const c of cases) {
          out.write(`${c.id}  [${c.kind}]${c.expert ? '' : '  (no expert driver)'}\n  ${c.title}\n`);
          for (const o of c.objectives) out.write(`    - ${o}\n`);
        }
        out.write(`${cases.length} cases\n`);
        return 0;
      }
      case 'validate': {
        if (rest.length === 0) throw new Usage('validate needs at least one FILE');
        let bad = 0;
        for (const f of rest) {
          try {
            readScenarioFile(f);
            out.write(`${f}: valid\n`);
          } catch (e) {
            if (!(e instanceof ScenarioError)) throw e;
            bad++;
            err.write(`${f}: ${e.issues.length} error${e.issues.length === 1 ? '' : 's'}\n`);
            for (const i of e.issues) err.write(`  ${i.path || '(file)'}: ${i.message}\n`);
          }
        }
        return bad ? 1 : 0;
      }
      case 'run': {
        const args = [...rest];
        const driverName = opt(args, '--driver');
        const report = opt(args, '--report');
        const junit = opt(args, '--junit');
        const html = opt(args, '--html');
        if (!driverName) throw new Usage('run needs --driver DRIVER (do-nothing, expert, or a module path)');
        if (args.length !== 1) throw new Usage('run needs exactly one NAME or FILE');
        const { file, scenario } = resolveCase(args[0]!);
        const driver = await loadDriver(driverName, file, scenario);
        const r = await runCase({ file, scenario, driver, driverName });
        const d = r.debrief;
        out.write(
          `${scenario.id} with ${driverName}: ${r.passed ? 'PASSED' : 'FAILED'}, score ${d.score.percent}% (${d.score.met}/${d.score.total}), ${(r.wallMs / 1000).toFixed(2)} s\n`,
        );
        for (const x of d.expectations)
          out.write(
            `  ${x.status === 'met' ? 'ok  ' : x.status === 'missed' ? 'MISS' : 'wait'} ${x.critical ? '[critical] ' : ''}${x.description}: ${x.evidence}\n`,
          );
        if (r.driverError) err.write(`driver failed: ${r.driverError}\n`);
        if (report) writeFileSync(report, `${JSON.stringify(r, null, 2)}\n`);
        if (junit) writeFileSync(junit, junitXml([r]));
        if (html) writeFileSync(html, renderDebriefHtml(d));
        return r.passed ? 0 : 1;
      }
      case 'schema':
        out.write(`${await writeSchemaFile()}\n`);
        return 0;
      case 'check': {
        // A file's text given on stdin (editors): same as validate.
        parseScenarioText(readFileSync(0, 'utf8'), 'stdin');
        return 0;
      }
      default:
        throw new Usage(cmd ? `unknown command "${cmd}"` : 'a command is needed');
    }
  } catch (e) {
    if (e instanceof Usage) {
      err.write(`scenario: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ScenarioError) {
      err.write(`scenario: ${e.source}\n`);
      for (const i of e.issues) err.write(`  ${i.path || '(file)'}: ${i.message}\n`);
      return 1;
    }
    err.write(`scenario: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain)
  void main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
