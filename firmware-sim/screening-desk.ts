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
  supportAirway,
  trialFindings,
  trialStep,
  TrialError,
  type FirstProgramming,
  type ScreeningTrialState,
} from '../src/training/screening-trial';
import {
  EMPTY_SCREENING_VIEW,
  ScreeningAirwaySchema,
  ScreeningAssessSchema,
  ScreeningBolusSchema,
  ScreeningCandidacySchema,
  ScreeningDecideSchema,
  ScreeningPlanSchema,
  ScreeningRespondSchema,
  ScreeningStartSchema,
  ScreeningWaitSchema,
  type FirstProgrammingView,
  type ScreeningPlanRequest,
  type ScreeningView,
} from '../src/shared/screening-view';
import {
  assessCandidacy,
  CandidacyCaseSchema,
  FIRST_LINE_TREATMENTS,
  type CandidacyCase,
} from '../src/shared/clinical/candidacy';

const NG_PER_MCG = 1000;
/** The saved file is small (a patient state and at most 400 assessments); refuse anything far larger. */
const MAX_FILE_BYTES = 2_000_000;
/** Candidacy decisions kept at the desk (a clinician changes their mind a few times at most). */
export const MAX_DECISIONS = 20;
/** Recovered after an adverse response: awake, breathing at least this often and this saturated (assumption). */
const RECOVERED_RR = 10;
const RECOVERED_SPO2 = 90;

type View = ScreeningView;
type CandidacyView = NonNullable<View['candidacy']>;
type DecisionView = NonNullable<View['decisions']>[number];

/** The candidate a training case admits to the desk (its start.screening): the patient and the case form. */
export interface DeskCandidate {
  profile: 'spinal' | 'cerebral' | 'pediatric-cp';
  seed: number;
  case: CandidacyCase;
}

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
  /** Added for the candidacy cases (issue 21 point 4); absent in older files. */
  candidacy?: CandidacyView | null;
  decisions?: DecisionView[];
  /** Facts already told the training case once (finding codes, recovery), so each is told once. */
  told?: string[];
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
   * inadequate|adverse>`, `screeningDecision:<positive|notCandidate|stopped>`, `screeningPlan`,
   * `screeningAirwaySupport:<on|off>`, `screeningFinding:<CODE>` (each code of the trial's critique once, when
   * it first appears), `screeningRecovered` (after an adverse response, the first assessment showing the
   * patient awake and breathing normally), `candidacyAssessed:<recommendation>`,
   * `candidacyDecision:<decision>`, `candidacyTryFirst:<treatment>` and `candidacyReconsider` (a time to
   * reconsider was given). Called after the action is saved; a
   * listener's failure never undoes it.
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
  private candidacy: CandidacyView | null = null;
  private decisions: DecisionView[] = [];
  private told = new Set<string>();
  /** Not saved: the host admits it again from the case at every start. */
  private candidate: DeskCandidate | null = null;

  constructor(private readonly o: ScreeningDeskOptions) {
    if (o.file) this.load(o.file);
  }

  view(): ScreeningView {
    const t = this.trial;
    const extra = {
      candidate: this.candidate ? structuredClone(this.candidate) : null,
      candidacy: this.candidacy ? structuredClone(this.candidacy) : null,
      decisions: this.decisions.map((d) => ({ ...d, tryFirst: [...d.tryFirst] })),
    };
    if (!t) return { ...EMPTY_SCREENING_VIEW, ...extra };
    const step = trialStep(t);
    return {
      ...extra,
      airwaySupport: t.patient.ventilated,
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

  /**
   * A training case's candidate (issue 21 point 4): the desk starts empty with this patient and case form;
   * a trial can then only be started on this patient. `fresh`: a case starting now (the desk is emptied);
   * else a case resumed after a restart (the saved trial and decisions stay).
   */
  admit(candidate: DeskCandidate | null, fresh: boolean): void {
    const c = candidate ? { ...candidate, case: CandidacyCaseSchema.parse(candidate.case) } : null;
    if (fresh) {
      const before = this.snapshot();
      this.trial = null;
      this.plan = null;
      this.candidacy = null;
      this.decisions = [];
      this.told = new Set();
      try {
        this.save();
      } catch (e) {
        this.restore(before);
        throw e;
      }
    }
    this.candidate = c;
  }

  /** Admits a new patient for a trial; refused while one is in progress (reset it first). */
  start(body: unknown): ScreeningView {
    const req = parse(ScreeningStartSchema, body);
    if (this.trial && !this.trial.decision)
      throw new ScreeningRequestError(
        409,
        'a screening trial is in progress: end it before starting another',
      );
    const c = this.candidate;
    if (c && (c.profile !== req.profile || c.seed !== req.seed))
      throw new ScreeningRequestError(
        409,
        `this case's candidate is the ${c.profile} patient with seed ${c.seed}: start the trial on that patient`,
      );
    const trial = this.run(() =>
      startTrial({
        profile: req.profile,
        seed: req.seed,
        time: this.o.now(),
        smallPatient: req.smallPatient,
      }),
    );
    // A new trial (e.g. a re-trial at a lower dose) is critiqued afresh: its findings are told again.
    const before = this.snapshot();
    this.told = new Set([...this.told].filter((k) => !k.startsWith('screening')));
    let view: ScreeningView;
    try {
      view = this.commit(trial, null);
    } catch (e) {
      this.restore(before);
      throw e;
    }
    this.tell(
      'screeningStart',
      `${req.profile} patient, seed ${req.seed}${req.smallPatient ? ', small' : ''}`,
    );
    return view;
  }

  wait(body: unknown): ScreeningView {
    const { minutes } = parse(ScreeningWaitSchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => advanceTrial(t, t.patient.now + minutes * 60)),
      this.plan,
    );
    this.tellFindings();
    return view;
  }

  bolus(body: unknown): ScreeningView {
    const { doseMcg } = parse(ScreeningBolusSchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => giveScreeningBolus(t, doseMcg)),
      this.plan,
    );
    this.tell(`screeningBolus${doseMcg}mcg`, `${doseMcg} mcg by lumbar puncture`);
    this.tellFindings();
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
    this.tellFindings();
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
    this.tellFindings();
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
    this.tellFindings();
    return view;
  }

  /** Airway support for the trial's patient (on or off), now. */
  airway(body: unknown): ScreeningView {
    const { on } = parse(ScreeningAirwaySchema, body);
    const t = this.current();
    const view = this.commit(
      this.run(() => supportAirway(t, on)),
      this.plan,
    );
    this.tell(
      `screeningAirwaySupport:${on ? 'on' : 'off'}`,
      on ? 'airway support started' : 'airway support stopped',
    );
    this.tellFindings();
    return view;
  }

  /**
   * The candidacy rules on a case form (the one sent, or the case's candidate's): the recommendation and its
   * reasons are kept and shown, and told the training case.
   */
  assessCandidacy(body: unknown): ScreeningView {
    const req = parse(ScreeningCandidacySchema, body);
    const form = req.case ?? this.candidate?.case;
    if (!form)
      throw new ScreeningRequestError(
        409,
        'no case form: send the case to assess (this desk has no candidate)',
      );
    const d = assessCandidacy(form);
    const before = this.snapshot();
    this.candidacy = {
      at: this.now(),
      recommendation: d.recommendation,
      summary: d.summary,
      reasons: d.reasons.map((r) => ({ ...r })),
      tryFirst: [...d.tryFirst],
      reconsiderAtMonthsSinceOnset: d.reconsiderAtMonthsSinceOnset,
      reconsiderWhen: d.reconsiderWhen,
      firstScreeningDoseMcg: d.firstScreeningDoseMcg,
    };
    this.saveOrRestore(before);
    this.tell(`candidacyAssessed:${d.recommendation}`, d.summary);
    return this.view();
  }

  /**
   * The clinician's candidacy decision, with the reason: before a trial (go ahead, first-line treatments
   * first, not yet, contraindicated) or after one (not a candidate, or a new trial at a lower dose after an
   * adverse response). Refused while a trial awaits its judgement, and where the trial's record contradicts it.
   */
  decide(body: unknown): ScreeningView {
    const req = parse(ScreeningDecideSchema, body);
    if (req.decision === 'firstLineFirst' && !req.tryFirst?.length)
      throw new ScreeningRequestError(400, 'tryFirst: name the first-line treatments to try first');
    const t = this.trial;
    if (t && !t.decision)
      throw new ScreeningRequestError(
        409,
        'a screening trial is in progress: judge its response before deciding on candidacy',
      );
    const outcome = t?.decision?.outcome ?? null;
    if (req.decision === 'retrialLowerDose' && outcome !== 'stopped')
      throw new ScreeningRequestError(
        409,
        'a new trial at a lower dose follows a trial stopped for an adverse response',
      );
    if (req.decision === 'screeningTrial' && (outcome === 'stopped' || outcome === 'notCandidate'))
      throw new ScreeningRequestError(
        409,
        outcome === 'stopped'
          ? 'the trial was stopped for an adverse response: decide not a candidate, or a new trial at a lower dose'
          : 'no response to the last step of the ladder: the patient is not a candidate',
      );
    if (this.decisions.length >= MAX_DECISIONS)
      throw new ScreeningRequestError(
        409,
        `at most ${MAX_DECISIONS} candidacy decisions are kept: reset the desk`,
      );
    const before = this.snapshot();
    const tryFirst = [...new Set(req.tryFirst ?? [])];
    this.decisions.push({
      decision: req.decision,
      reason: req.reason,
      tryFirst,
      reconsiderAtMonthsSinceOnset: req.reconsiderAtMonthsSinceOnset ?? null,
      at: this.now(),
    });
    this.saveOrRestore(before);
    this.tell(`candidacyDecision:${req.decision}`, req.reason);
    for (const f of tryFirst) this.tell(`candidacyTryFirst:${f}`, req.reason);
    if (req.reconsiderAtMonthsSinceOnset !== undefined)
      this.tell('candidacyReconsider', `at ${req.reconsiderAtMonthsSinceOnset} months since the onset`);
    this.tellFindings();
    return this.view();
  }

  /** Ends (discards) the trial, decided or not; the candidacy assessment and decisions go with it. */
  reset(): ScreeningView {
    this.trial = null;
    this.plan = null;
    this.candidacy = null;
    this.decisions = [];
    this.told = new Set();
    this.save();
    return this.view();
  }

  /** The trial's patient as a saved state, for the implant: the host continues with this patient. */
  trialState(): ScreeningTrialState | null {
    return this.trial ? structuredClone(this.trial) : null;
  }

  /** The desk's time: the trial's clock while there is a trial, else the host's. */
  private now(): number {
    return this.trial ? this.trial.patient.now : this.o.now();
  }

  private snapshot(): {
    trial: ScreeningTrialState | null;
    plan: Saved['plan'];
    candidacy: CandidacyView | null;
    decisions: DecisionView[];
    told: Set<string>;
  } {
    return {
      trial: this.trial,
      plan: this.plan,
      candidacy: this.candidacy,
      decisions: [...this.decisions],
      told: new Set(this.told),
    };
  }

  private restore(b: ReturnType<ScreeningDesk['snapshot']>): void {
    this.trial = b.trial;
    this.plan = b.plan;
    this.candidacy = b.candidacy;
    this.decisions = b.decisions;
    this.told = b.told;
  }

  private saveOrRestore(before: ReturnType<ScreeningDesk['snapshot']>): void {
    try {
      this.save();
    } catch (e) {
      // Not saved: not done.
      this.restore(before);
      throw e;
    }
  }

  /**
   * Tells the training case what the record now shows for the first time: each finding code of the trial's
   * critique, and after an adverse response the first assessment showing the patient recovered.
   */
  private tellFindings(): void {
    const t = this.trial;
    if (!t) return;
    const fresh: [string, string][] = [];
    for (const f of trialFindings(t)) {
      const key = `screeningFinding:${f.code}`;
      if (!this.told.has(key) && !fresh.some(([k]) => k === key)) fresh.push([key, f.message]);
    }
    if (t.decision?.outcome === 'stopped' && !this.told.has('screeningRecovered')) {
      const a = t.assessments.find(
        (x) =>
          x.time >= t.decision!.at &&
          x.vitals &&
          x.sedation &&
          x.sedation.consciousness === 'alert' &&
          x.vitals.respiratoryRatePerMin >= RECOVERED_RR &&
          x.vitals.spo2Percent >= RECOVERED_SPO2,
      );
      if (a)
        fresh.push([
          'screeningRecovered',
          `alert, breathing ${a.vitals!.respiratoryRatePerMin}/min, SpO2 ${a.vitals!.spo2Percent} % at ${fmtAfter(a.time - t.doses.at(-1)!.givenAt)} after the bolus`,
        ]);
    }
    if (!fresh.length) return;
    const before = this.snapshot();
    for (const [k] of fresh) this.told.add(k);
    try {
      this.save();
    } catch {
      this.restore(before);
      return; // told next time
    }
    for (const [k, m] of fresh) this.tell(k, m);
  }

  private tell(action: string, detail: string): void {
    // The trial runs on its own clock (the pump's does not move): its time goes with the words.
    const t = this.trial;
    const words = t ? `${detail} [trial time ${fmtAfter(t.patient.now - t.startedAt)}]` : detail;
    try {
      this.o.onAction?.(action, words);
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
    const before = this.snapshot();
    this.trial = trial;
    this.plan = plan;
    // Not saved: not done (the trainee would otherwise lose it at the next restart without knowing).
    this.saveOrRestore(before);
    return this.view();
  }

  private save(): void {
    const file = this.o.file;
    if (!file) return;
    const saved: Saved = {
      format: 'itb-screening-trial',
      version: 1,
      trial: this.trial,
      plan: this.plan,
      candidacy: this.candidacy,
      decisions: this.decisions,
      told: [...this.told],
    };
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
      this.candidacy = saved.candidacy ?? null;
      this.decisions = restoreDecisions(saved.decisions);
      this.told = new Set(
        Array.isArray(saved.told) ? saved.told.filter((x) => typeof x === 'string').slice(0, 100) : [],
      );
    } catch (e) {
      this.trial = null;
      this.plan = null;
      this.candidacy = null;
      this.decisions = [];
      this.told = new Set();
      const kept = `${file}.damaged-${Date.now()}`;
      fs.renameSync(file, kept);
      this.o.warn?.(
        `screening trial file ${path.basename(file)} is damaged (${(e as Error).message}); kept as ${path.basename(kept)}, starting without a trial`,
      );
    }
  }
}

function fmtAfter(seconds: number): string {
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Decisions from a saved file, each checked; a malformed list makes the file damaged. */
function restoreDecisions(v: unknown): DecisionView[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_DECISIONS) throw new Error('the candidacy decisions are malformed');
  return v.map((d, i) => {
    const x = d as DecisionView;
    const r = ScreeningDecideSchema.safeParse({
      decision: x?.decision,
      reason: x?.reason,
      tryFirst: x?.tryFirst,
      ...(x?.reconsiderAtMonthsSinceOnset !== null && x?.reconsiderAtMonthsSinceOnset !== undefined
        ? { reconsiderAtMonthsSinceOnset: x.reconsiderAtMonthsSinceOnset }
        : {}),
    });
    if (!r.success || !Number.isSafeInteger(x.at))
      throw new Error(`candidacy decision ${i + 1} is malformed`);
    return {
      decision: r.data.decision,
      reason: r.data.reason,
      tryFirst: (r.data.tryFirst ?? []).filter((f) =>
        (FIRST_LINE_TREATMENTS as readonly string[]).includes(f),
      ),
      reconsiderAtMonthsSinceOnset: r.data.reconsiderAtMonthsSinceOnset ?? null,
      at: x.at,
    };
  });
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
 * /screening/{start,wait,bolus,assess,respond,plan,reset,airway,candidacy,decide}`. Returns the status and
 * the JSON body.
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
      case '/airway':
        return { status: 200, body: desk.airway(body) };
      case '/candidacy':
        return { status: 200, body: desk.assessCandidacy(body) };
      case '/decide':
        return { status: 200, body: desk.decide(body) };
      default:
        return { status: 404, body: { error: `no such screening operation "${sub}"` } };
    }
  } catch (e) {
    if (e instanceof ScreeningRequestError) return { status: e.status, body: { error: e.message } };
    throw e;
  }
}
