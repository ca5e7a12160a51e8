/**
 * The training case on the bedside API (the learner's door, docs/bedside-api.md): the library to choose
 * from, the case in progress without its secrets (no timeline, handlers, expectations or truth), finishing
 * it, and the debrief once it has ended. The instructor's and the headless driver's view of the same case
 * is on the bench API (routes.ts).
 */
import { z } from 'zod';
import type { TrainingCaseStatus } from '../../src/shared/training-case';
import { renderDebriefHtml } from './debrief-html';
import { caseSummary, librarySummaries } from './library';
import type { ScenarioRunner } from './runner';

export interface LearnerAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

const finishSchema = z.strictObject({
  /** The programmer's session record, for the debrief's learner actions (operation and result only). */
  sessionRecord: z
    .array(
      z.strictObject({ at: z.string().max(40), operation: z.string().max(40), result: z.string().max(20) }),
    )
    .max(2000)
    .optional(),
});

export function learnerCaseStatus(runner: ScenarioRunner | null): TrainingCaseStatus {
  if (!runner) return { active: false };
  const st = runner.status();
  return {
    active: true,
    summary: caseSummary(runner.scenario),
    startTime: st.startTime,
    now: st.now,
    endTime: st.endTime,
    ended: st.ended,
    endReason: st.endReason,
    messages: runner.messages().map((m) => ({ t: m.t, text: m.text })),
  };
}

/** `sub` is the path after the bedside API's root: /cases, /case, /case/finish, /case/debrief(.html). */
export async function learnerCaseRoute(
  runner: ScenarioRunner | null,
  method: string,
  sub: string,
  body: () => Promise<unknown>,
  host: { saved(): void; warn(m: string): void },
): Promise<LearnerAnswer> {
  const only = (m: string): LearnerAnswer | null =>
    method === m ? null : { status: 405, body: { error: `${method} not allowed on ${sub}; use ${m}` } };
  switch (sub) {
    case '/cases':
      return only('GET') ?? { status: 200, body: librarySummaries(undefined, host.warn) };
    case '/case':
      return only('GET') ?? { status: 200, body: learnerCaseStatus(runner) };
    case '/case/finish': {
      const no = only('POST');
      if (no) return no;
      if (!runner) return { status: 404, body: { error: 'no training case is in progress' } };
      const r = finishSchema.safeParse(await body());
      if (!r.success)
        return {
          status: 400,
          body: {
            error: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          },
        };
      if (r.data.sessionRecord) runner.attachSessionRecord(r.data.sessionRecord);
      if (!runner.status().ended) runner.finish('finished by the learner');
      host.saved();
      return { status: 200, body: runner.debrief() };
    }
    case '/case/debrief':
    case '/case/debrief.html': {
      const no = only('GET');
      if (no) return no;
      if (!runner) return { status: 404, body: { error: 'no training case is in progress' } };
      // Before the end the expectations would tell the learner what to do: the debrief is for after.
      if (!runner.status().ended)
        return { status: 409, body: { error: 'the case has not ended: finish it first' } };
      return sub === '/case/debrief'
        ? { status: 200, body: runner.debrief() }
        : { status: 200, body: renderDebriefHtml(runner.debrief()), contentType: 'text/html; charset=utf-8' };
    }
    default:
      return { status: 404, body: { error: `no such bedside endpoint: ${method} ${sub}` } };
  }
}
