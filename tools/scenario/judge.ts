/**
 * Whether a case proves itself (issue 19, point 6): its expert driver must pass it with every critical
 * expectation met and a full score, and the do-nothing driver must fail it when it expects any action of
 * the learner. A case that breaks either rule is a broken case.
 */
import type { Condition, Scenario } from '../../src/training/scenario/schema';
import type { RunResult } from './run';

const LEARNER_KINDS = new Set<Condition['kind']>(['command', 'intervention', 'bedside']);

function mentionsLearner(c: Condition): boolean {
  if (LEARNER_KINDS.has(c.kind)) return true;
  if (c.kind === 'all' || c.kind === 'any' || c.kind === 'sequence') return c.of.some(mentionsLearner);
  return false;
}

/** A case expects an action when some expectation requires (`happens`) something the learner does. */
export function expectsAction(s: Scenario): boolean {
  return s.expectations.some((x) => x.expect === 'happens' && mentionsLearner(x.when));
}

/** What is wrong with a case, judged from a run of its expert and a run of the do-nothing driver. */
export function judgeCase(s: Scenario, expert: RunResult, doNothing: RunResult): string[] {
  const problems: string[] = [];
  if (expert.driverError) problems.push(`the expert driver failed: ${expert.driverError.split('\n')[0]}`);
  const missed = expert.debrief.expectations.filter((e) => e.status !== 'met');
  if (expert.debrief.criticalMissed.length)
    problems.push(
      `the expert cannot win: critical expectations missed: ${expert.debrief.criticalMissed.join(', ')}`,
    );
  else if (missed.length)
    problems.push(
      `the expert does not reach a full score: ${missed.map((e) => `${e.id} (${e.evidence})`).join('; ')}`,
    );
  if (expectsAction(s) && doNothing.passed)
    problems.push('the do-nothing driver passes a case that expects an action (make an action critical)');
  return problems;
}
