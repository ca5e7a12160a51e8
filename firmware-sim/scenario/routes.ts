/**
 * The bench API's /scenario endpoints (docs/bench-api.md, "Training case"): what a headless driver, the
 * programmer's "Start a training case" page and the instructor console need of the case in progress.
 * Bodies are validated here; a bad one gets 400 with every problem and changes nothing.
 */
import { z } from 'zod';
import type { Intervention, PatientFindings } from '../../src/patient';
import { conditionSchema, durationSchema } from '../../src/training/scenario/schema';
import { renderDebriefHtml } from './debrief-html';
import type { ScenarioRunner } from './runner';
import { MAX_PUMP_TIME } from '../bench-schema';

export interface ScenarioHttpAnswer {
  status: number;
  body: unknown;
  /** For a non-JSON answer (the HTML debrief). */
  contentType?: string;
}

export interface ScenarioHttp {
  request(method: string, path: string, body: () => Promise<unknown>): Promise<ScenarioHttpAnswer>;
}

const untilSchema = z.strictObject({ condition: conditionSchema, limit: durationSchema });
const bedsideSchema = z.strictObject({
  action: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9 -]{0,63}$/, 'a word or words of letters, digits, spaces, hyphens'),
  detail: z.string().max(500).optional(),
});
const messageSchema = z.strictObject({ text: z.string().trim().min(1).max(500) });
const finishSchema = z.strictObject({ reason: z.string().min(1).max(200).optional() });
const debriefSchema = z.strictObject({
  sessionRecord: z
    .array(z.object({ at: z.string().max(40), operation: z.string().max(40), result: z.string().max(20) }))
    .max(2000)
    .optional(),
});

const bad = (e: z.ZodError): ScenarioHttpAnswer => {
  const details = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return {
    status: 400,
    body: {
      error: `invalid body: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`,
      details,
    },
  };
};

export function scenarioBackend(
  runner: ScenarioRunner,
  host: {
    advance(to: number): Promise<void>;
    intervene(iv: Intervention): PatientFindings;
    /** Something changed that must be saved with the pump. */
    saved(): void;
  },
): ScenarioHttp {
  return {
    async request(method, path, body) {
      const allow = (...m: string[]): ScenarioHttpAnswer | null =>
        m.includes(method)
          ? null
          : { status: 405, body: { error: `${method} not allowed on ${path}; use ${m.join(' or ')}` } };
      switch (path) {
        case '/scenario': {
          const no = allow('GET');
          if (no) return no;
          const s = runner.scenario;
          return {
            status: 200,
            body: {
              ...runner.status(),
              kind: s.kind,
              brief: s.brief,
              programmer: s.start.programmer,
              messages: runner.messages(),
              // For the instructor console: what fires next, and each expectation as it is met or missed.
              next: runner.nextTimelineEvent(),
              expectations: runner.debrief().expectations,
            },
          };
        }
        case '/scenario/messages':
          return allow('GET') ?? { status: 200, body: runner.messages() };
        case '/scenario/facts':
          return allow('GET') ?? { status: 200, body: runner.facts() };
        case '/scenario/examine':
          return allow('GET') ?? { status: 200, body: runner.bedsideFindings() };
        case '/scenario/until': {
          const no = allow('POST');
          if (no) return no;
          const r = untilSchema.safeParse(await body());
          if (!r.success) return bad(r.error);
          const out = await runner.until(r.data.condition, r.data.limit, host.advance, MAX_PUMP_TIME);
          return { status: 200, body: out };
        }
        case '/scenario/bedside': {
          const no = allow('POST');
          if (no) return no;
          const r = bedsideSchema.safeParse(await body());
          if (!r.success) return bad(r.error);
          if (runner.status().ended) return { status: 409, body: { error: 'the case has ended' } };
          runner.recordLearnerFact({ action: r.data.action, detail: r.data.detail ?? '' });
          host.saved();
          return { status: 200, body: runner.status() };
        }
        case '/scenario/aspirate': {
          const no = allow('POST');
          if (no) return no;
          if (runner.status().ended) return { status: 409, body: { error: 'the case has ended' } };
          // The syringe reads what truly comes out of the reservoir, to its graduation: the clinician's
          // only measure of the residual (the pump's figure is a calculation). The same reading as the
          // trainee's bedside syringe.
          const reading = runner.refillSyringe();
          runner.recordLearnerFact({
            action: 'aspirated',
            detail: `${reading.volumeMl.toFixed(1)} mL in the syringe (read at ${reading.resolutionMl} mL)`,
          });
          host.saved();
          return { status: 200, body: reading };
        }
        case '/scenario/message': {
          const no = allow('POST');
          if (no) return no;
          const r = messageSchema.safeParse(await body());
          if (!r.success) return bad(r.error);
          if (runner.status().ended) return { status: 409, body: { error: 'the case has ended' } };
          runner.postMessage(r.data.text);
          host.saved();
          return { status: 200, body: runner.messages() };
        }
        case '/scenario/finish': {
          const no = allow('POST');
          if (no) return no;
          const r = finishSchema.safeParse(await body());
          if (!r.success) return bad(r.error);
          runner.finish(r.data.reason ?? 'finished by the learner');
          host.saved();
          return { status: 200, body: runner.debrief() };
        }
        case '/scenario/debrief': {
          const no = allow('GET', 'POST');
          if (no) return no;
          if (method === 'POST') {
            const r = debriefSchema.safeParse(await body());
            if (!r.success) return bad(r.error);
            if (r.data.sessionRecord) runner.attachSessionRecord(r.data.sessionRecord);
            host.saved();
          }
          return { status: 200, body: runner.debrief() };
        }
        case '/scenario/debrief.html':
          return (
            allow('GET') ?? {
              status: 200,
              body: renderDebriefHtml(runner.debrief()),
              contentType: 'text/html; charset=utf-8',
            }
          );
        default:
          return {
            status: 404,
            body: { error: `no such endpoint: ${method} ${path} (see docs/bench-api.md)` },
          };
      }
    },
  };
}
