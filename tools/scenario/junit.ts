/** JUnit XML for a set of runs: one test suite per run, one test case per expectation (CI systems read it). */
import type { RunResult } from './run';

const x = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

export function junitXml(runs: RunResult[]): string {
  const suites = runs.map((r) => {
    const cases = r.debrief.expectations.map((e) => {
      const name = `${e.critical ? '[critical] ' : ''}${e.description}`;
      const body =
        e.status === 'met'
          ? ''
          : e.status === 'missed'
            ? `<failure message="${x(e.evidence)}" type="${e.critical ? 'critical' : 'expectation'}">${x(
                `${e.id}: ${e.evidence}`,
              )}</failure>`
            : `<skipped message="still pending when the case ended"/>`;
      return `    <testcase classname="${x(`${r.scenario}.${r.driver}`)}" name="${x(name)}">${body}</testcase>`;
    });
    if (r.driverError)
      cases.push(
        `    <testcase classname="${x(`${r.scenario}.${r.driver}`)}" name="driver"><error message="the driver failed">${x(r.driverError)}</error></testcase>`,
      );
    const failures = r.debrief.expectations.filter((e) => e.status === 'missed').length;
    return `  <testsuite name="${x(`${r.scenario} (${r.driver})`)}" tests="${cases.length}" failures="${failures}" errors="${r.driverError ? 1 : 0}" time="${(r.wallMs / 1000).toFixed(3)}">
${cases.join('\n')}
  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="scenarios">
${suites.join('\n')}
</testsuites>
`;
}
