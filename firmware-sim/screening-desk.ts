/**
 * The screening desk: the device host's keeper of one screening trial (issue 21), run on the virtual
 * patient by the pure engine in src/training/screening-trial.ts. The trial belongs to the bedside side of
 * the bench (a lumbar puncture on a patient, before any pump), so it lives in the host that owns the
 * patient, and it answers the trainee with a ScreeningView: only what they assessed, never the model.
 *
 * One trial at a time; every request is validated (src/shared/screening-view.ts) and a refused one changes
 * nothing. The trial is saved to its own file after every change (temp file, fsync, rename), so a restarted
 * host resumes it; a damaged file is reported and the desk starts empty rather than guessing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  advanceTrial,
  assessTrial,
  giveScreeningBolus,
  planFirstProgramming,
  recordResponse,
  restoreTrial,
  startTrial,
  trialFindings,
  trialStep,
  TrialError,
  type FirstProgramming,
  type ScreeningTrialState,
} from '../src/training/screening-trial';
import {
  EMPTY_SCREENING_VIEW,
  ScreeningAssessSchema,
  ScreeningBolusSchema,
  ScreeningPlanSchema,
  ScreeningRespondSchema,
  ScreeningStartSchema,
  ScreeningWaitSchema,
  type FirstProgrammingView,
  type ScreeningPlanRequest,
  type ScreeningView,
} from '../src/shared/screening-view';

const NG_PER_MCG = 1000;
/** The saved file is small (a patient state and at most 400 assessments); refuse anything far larger. */
const MAX_FILE_BYTES = 2_000_000;

export class ScreeningRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ScreeningRequestError';
  }
}

interface Saved {
  format: 'itb-screening-trial';
  version: 1;
  trial: unknown;
  plan: (FirstProgramming & Pick<ScreeningPlanRequest, 'model' | 'concentration'>) | null;
}

export interface ScreeningDeskOptions {
  /** Where the trial is kept; null keeps it in memory only (tests, a host without a state file). */
  file: string | null;
  /** The pump time now: a new trial starts at the host's clock, then runs on its own clock. */
  now: () => number;
  /** Where a damaged file is reported. */
  warn?: (message: string) => void;
  /**
   * Hears each action the trainee completes at the desk, for a training case's facts (issue 21 point 4),
   * named so that an expectation's bedside condition can match it exactly: `screeningStart`,
   * `screeningBolus<dose>mcg` (e.g. screeningBolus25mcg), `screeningAssess`, `screeningResponse:<effective|
   * inadequate|adverse>`, `screeningDecision:<positive|notCandidate|stopped>`, `screeningPlan`. Called after
   * the action is saved; a listener's failure never undoes it.
   */
  onAction?: (action: string, detail: string) => void;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new ScreeningRequestError(
      400,
      r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
    );
  return r.data;
}

export class ScreeningDesk {
  private trial: ScreeningTrialState | null = null;
  private plan: Saved['plan'] = null;

  constructor(private readonly o: ScreeningDeskOptions) {
    if (o.file) this.load(o.file);
  }

  view(): ScreeningView {
    const t = this.trial;
    if (!t) return EMPTY_SCREENING_VIEW;
    const step = trialStep(t);
    return {
      active: true,
      startedAt: t.startedAt,
      now: t.patient.now,
      smallPatient: t.smallPatient,
      profile: t.patient.params.profile,
      seed: t.patient.params.seed,
      doses: t.doses.map((d) => ({ ...d })),
      assessments: structuredClone(t.assessments),
      responses: t.responses.map((r) => ({ ...r })),
      step:
        step.kind === 'give'
          ? {
              kind: 'give',
              doseMcg: step.dose / NG_PER_MCG,
              notBefore: step.notBefore,
              message: step.message,
            }
          : step.kind === 'observe'
            ? {
                kind: 'observe',
                doseMcg: step.dose / NG_PER_MCG,
                assessFrom: step.assessFrom,
                assessBy: step.assessBy,
                message: step.message,
              }
            : { kind: step.kind, message: step.message },
      decision: t.decision ? { ...t.decision } : null,
      findings: trialFindings(t).map((f) => ({ ...f })),
      firstProgramming: this.plan ? planView(this.plan) : null,
    };
  }

  /** Admits a new patient for a trial; refused while one is in progress (reset it first). */
  start(body: unknown): ScreeningView {
    const req = parse(ScreeningStartSchema, body);
    if (this.trial && !this.trial.decision)
      throw new ScreeningRequestError(
        409,
        'a screening trial is in progress: end it before starting another',
      );
    const trial = this.run(() =>
      startTrial({
        profile: req.profile,
        seed: req.seed,
        time: this.o.now(),
        smallPatient: req.smallPatient,
      }),
    );
    const view = this.commit(trial, null);
    this.tell(
      'screeningStart',
      `${req.profile} patient, seed ${req.seed}${req.smallPatient ? ', small' : ''}`,
    );
    return view;
  }

  wait(body: unknown): ScreeningView {
    const { minutes } = parse(ScreeningWaitSchema, body);
    const t = this.current();
    return this.commit(
      this.run(() => advanceTrial(t, t.patient.now + minutes * 60)),
      this.plan,
    );
  }

  bolus(body: unknown): ScreeningView {
    const { doseMcg } = parse(ScreeningBolusSchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => giveScreeningBolus(t, doseMcg)),
      this.plan,
    );
    this.tell(`screeningBolus${doseMcg}mcg`, `${doseMcg} mcg by lumbar puncture`);
    return view;
  }

  assess(body: unknown): ScreeningView {
    const { kinds } = parse(ScreeningAssessSchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => assessTrial(t, kinds)),
      this.plan,
    );
    this.tell('screeningAssess', kinds.join(', '));
    return view;
  }

  respond(body: unknown): ScreeningView {
    const { response, reason } = parse(ScreeningRespondSchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => recordResponse(t, response, reason)),
      this.plan,
    );
    this.tell(`screeningResponse:${response}`, reason);
    if (view.decision) this.tell(`screeningDecision:${view.decision.outcome}`, view.decision.reason);
    return view;
  }

  /** The first programming of the new pump after a positive trial, at the trial's time now. */
  planFirst(body: unknown): ScreeningView {
    const req = parse(ScreeningPlanSchema, body);
    const t = this.current();
    const plan = this.run(() =>
      planFirstProgramming(t, t.patient.now, {
        model: req.model,
        concentration: req.concentration,
        ...(req.catheterLengthCm !== undefined ? { catheterLengthCm: req.catheterLengthCm } : {}),
      }),
    );
    const view = this.commit(t, { ...plan, model: req.model, concentration: req.concentration });
    this.tell('screeningPlan', `${req.model}, ${req.concentration}`);
    return view;
  }

  /** Ends (discards) the trial, decided or not. */
  reset(): ScreeningView {
    this.trial = null;
    this.plan = null;
    this.save();
    return this.view();
  }

  /** The trial's patient as a saved state, for the implant: the host continues with this patient. */
  trialState(): ScreeningTrialState | null {
    return this.trial ? structuredClone(this.trial) : null;
  }

  private tell(action: string, detail: string): void {
    try {
      this.o.onAction?.(action, detail);
    } catch {
      // The listener's failure is its own; the action stands.
    }
  }

  private current(): ScreeningTrialState {
    if (!this.trial) throw new ScreeningRequestError(404, 'no screening trial: start one first');
    return this.trial;
  }

  private run<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof TrialError) throw new ScreeningRequestError(409, e.message);
      throw e;
    }
  }

  private commit(trial: ScreeningTrialState, plan: Saved['plan']): ScreeningView {
    const before = { trial: this.trial, plan: this.plan };
    this.trial = trial;
    this.plan = plan;
    try {
      this.save();
    } catch (e) {
      // Not saved: not done (the trainee would otherwise lose it at the next restart without knowing).
      this.trial = before.trial;
      this.plan = before.plan;
      throw e;
    }
    return this.view();
  }

  private save(): void {
    const file = this.o.file;
    if (!file) return;
    const saved: Saved = { format: 'itb-screening-trial', version: 1, trial: this.trial, plan: this.plan };
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(saved));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  private load(file: string): void {
    let text: string;
    try {
      const st = fs.statSync(file);
      if (st.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.o.warn?.(
        `screening trial file ${file} unreadable (${(e as Error).message}); starting without a trial`,
      );
      return;
    }
    try {
      const saved = JSON.parse(text) as Partial<Saved>;
      if (saved.format !== 'itb-screening-trial' || saved.version !== 1) throw new Error('not a trial file');
      this.trial = saved.trial === null || saved.trial === undefined ? null : restoreTrial(saved.trial);
      this.plan = this.trial?.decision?.outcome === 'positive' ? (saved.plan ?? null) : null;
    } catch (e) {
      this.trial = null;
      this.plan = null;
      const kept = `${file}.damaged-${Date.now()}`;
      fs.renameSync(file, kept);
      this.o.warn?.(
        `screening trial file ${path.basename(file)} is damaged (${(e as Error).message}); kept as ${path.basename(kept)}, starting without a trial`,
      );
    }
  }
}

function planView(p: NonNullable<Saved['plan']>): FirstProgrammingView {
  return {
    model: p.model,
    concentration: p.concentration,
    effectiveDoseMcg: p.effectiveDoseMcg,
    observedEffectDurationS: p.observedEffectDurationS,
    startingDailyDoseMcg: p.startingDailyDoseMcg,
    basis: p.basis,
    primingVolumeUl: p.primingVolumeUl,
    rateUlPerDay: p.rateUlPerDay,
    deliveredDailyDoseMcg: p.deliveredDailyDoseMcg,
    programmedAt: p.programmedAt,
    noIncreaseBefore: p.noIncreaseBefore,
    message: p.message,
  };
}

/**
 * The desk's HTTP surface, independent of the server that mounts it: `GET /screening`, `POST
 * /screening/{start,wait,bolus,assess,respond,plan,reset}`. Returns the status and the JSON body.
 */
export function screeningRoute(
  desk: ScreeningDesk,
  method: string,
  sub: string,
  body: unknown,
): { status: number; body: unknown } {
  try {
    if (method === 'GET' && sub === '') return { status: 200, body: desk.view() };
    if (method !== 'POST') return { status: 405, body: { error: `${method} is not allowed here` } };
    switch (sub) {
      case '/start':
        return { status: 200, body: desk.start(body) };
      case '/wait':
        return { status: 200, body: desk.wait(body) };
      case '/bolus':
        return { status: 200, body: desk.bolus(body) };
      case '/assess':
        return { status: 200, body: desk.assess(body) };
      case '/respond':
        return { status: 200, body: desk.respond(body) };
      case '/plan':
        return { status: 200, body: desk.planFirst(body) };
      case '/reset':
        return { status: 200, body: desk.reset() };
      default:
        return { status: 404, body: { error: `no such screening operation "${sub}"` } };
    }
  } catch (e) {
    if (e instanceof ScreeningRequestError) return { status: e.status, body: { error: e.message } };
    throw e;
  }
}
