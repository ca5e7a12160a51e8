/**
 * The screening trial on the virtual patient, before any pump: lumbar-puncture boluses on the label's
 * ladder (src/shared/clinical/screening.ts decides the next step), the response computed by the patient
 * model, assessments the trainee chooses to make at times they choose, the monitoring the label asks for
 * in the first hours, the decision with its reason, and on a positive trial the first programming of the
 * new pump (starting dose, no increase in the first 24 h).
 *
 * Pure: every operation takes a trial state (plain JSON-safe data) and returns a new one; bad input throws
 * a TrialError naming the problem and the state given is unchanged. Time is pump seconds, injected by the
 * caller (no clock here). Rules and their sources: docs/clinical-model.md, "Screening trial".
 */
import {
  applyIntervention,
  advancePatient,
  assessPatient,
  createPatientState,
  fromPatientSnapshot,
  historyRows,
  PROFILE_IDS,
  type Consciousness,
  type HistoryRow,
  type MasGrade,
  type PatientState,
  type ProfileId,
} from '../patient';
import { getProfile } from '../shared/device-facts/profiles';
import { formatDuration } from '../shared/clinical/format';
import type { PumpModel } from '../device/types';
import {
  dailyDoseForRate,
  firstIncreaseAllowedAt,
  rateForDailyDose,
  nextScreeningDose,
  startingDailyDose,
  LONG_SCREENING_EFFECT,
  SCREENING_OBSERVATION_MAX,
  SCREENING_OBSERVATION_MIN,
  type ScreeningResponse,
  type ScreeningStep,
} from '../shared/clinical';

const H = 3600;
const NG_PER_MCG = 1000;

/** A trial lasts at most 10 days of pump time (the ladder needs at most 4 doses 24 h apart). */
export const TRIAL_MAX_DURATION_S = 10 * 24 * H;
/** Bounded record: at most this many assessments in a trial. */
export const TRIAL_MAX_ASSESSMENTS = 400;
export const TRIAL_MAX_REASON_CHARS = 500;
/**
 * "Monitor heart and breathing closely in the first hours" (teaching-layer.md, from the labels): the bench
 * reads it as vital signs at least hourly for the first 4 h after each bolus (assumption).
 */
export const MONITORING_WINDOW_S = 4 * H;
export const MONITORING_INTERVAL_S = 1 * H;
/** A response counts as effective from a drop of one Ashworth point (research convention, teaching-layer.md). */
export const EFFECTIVE_ASHWORTH_DROP = 1;
/** Adverse: breathing below 10/min, SpO2 below 90 %, or responding only to voice or less (assumptions). */
export const ADVERSE_RESPIRATORY_RATE = 10;
export const ADVERSE_SPO2 = 90;

export const ASSESSMENT_KINDS = ['tone', 'spasms', 'vitals', 'sedation', 'report'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** What the trainee assessed at one moment; only the kinds asked for are filled. */
export interface TrialAssessment {
  time: number;
  kinds: AssessmentKind[];
  modifiedAshworth?: MasGrade;
  pennSpasmFrequency?: 0 | 1 | 2 | 3 | 4;
  vitals?: {
    heartRateBpm: number;
    systolicMmHg: number;
    diastolicMmHg: number;
    respiratoryRatePerMin: number;
    spo2Percent: number;
    temperatureC: number;
  };
  sedation?: { consciousness: Consciousness; mentalStatus: string };
  /** What the patient reports and the signs a nurse sees (the model's symptom list, hypotonia). */
  report?: { symptoms: string[]; hypotonia: string };
}

export interface TrialDose {
  doseMcg: number;
  givenAt: number;
}

export interface TrialResponse {
  response: ScreeningResponse;
  reason: string;
  recordedAt: number;
}

export type TrialOutcome = 'positive' | 'notCandidate' | 'stopped';

export interface TrialDecision {
  outcome: TrialOutcome;
  /** The trainee's reason, as entered. */
  reason: string;
  /** The rule's words (from nextScreeningDose). */
  rule: string;
  at: number;
  /** Positive trial: the effective dose and how long its effect had been seen to last when decided. */
  effectiveDoseMcg: number | null;
  observedEffectDurationS: number | null;
}

export interface ScreeningTrialState {
  version: 1;
  startedAt: number;
  smallPatient: boolean;
  patient: PatientState;
  doses: TrialDose[];
  responses: TrialResponse[];
  assessments: TrialAssessment[];
  decision: TrialDecision | null;
}

export class TrialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialError';
  }
}

const fail = (m: string): never => {
  throw new TrialError(m);
};

export interface StartTrialOptions {
  profile: ProfileId;
  seed?: number;
  /** Pump time the trial starts (the patient's admission). */
  time: number;
  /** Very small patients (or relying on their spasticity): the ladder starts at 25 mcg. */
  smallPatient?: boolean;
}

/** A baclofen-naive patient admitted for a screening trial. */
export function startTrial(o: StartTrialOptions): ScreeningTrialState {
  if (!(PROFILE_IDS as readonly string[]).includes(o?.profile))
    fail(`unknown patient profile "${String(o?.profile)}" (one of ${PROFILE_IDS.join(', ')})`);
  if (!Number.isSafeInteger(o.time) || o.time < 0) fail('the start time must be a non-negative whole second');
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) fail('the seed must be a whole number');
  if (o.smallPatient !== undefined && typeof o.smallPatient !== 'boolean')
    fail('smallPatient must be true or false');
  return {
    version: 1,
    startedAt: o.time,
    smallPatient: o.smallPatient ?? false,
    patient: createPatientState({
      profile: o.profile,
      seed: o.seed ?? 0,
      time: o.time,
      establishedDoseMcgPerDay: 0,
    }),
    doses: [],
    responses: [],
    assessments: [],
    decision: null,
  };
}

/**
 * Restores a trial saved as JSON (a host's file or a request body): its shape is checked, the patient's
 * with the patient's own snapshot check, and the record must follow the ladder. Throws a TrialError naming
 * the problem; never returns half a trial.
 */
export function restoreTrial(json: unknown): ScreeningTrialState {
  const t = json as Partial<ScreeningTrialState> | null;
  if (typeof t !== 'object' || t === null) fail('a saved trial must be an object');
  const o = t as Partial<ScreeningTrialState>;
  if (o.version !== 1) fail(`unsupported trial version ${String(o.version)} (expected 1)`);
  if (!Number.isSafeInteger(o.startedAt) || (o.startedAt as number) < 0)
    fail('startedAt must be a whole second');
  if (typeof o.smallPatient !== 'boolean') fail('smallPatient must be true or false');
  let patient: PatientState | null = null;
  try {
    patient = fromPatientSnapshot({ version: 1, state: o.patient as PatientState });
  } catch (e) {
    fail(`the trial's patient: ${(e as Error).message}`);
  }
  const arr = (v: unknown, name: string, max: number): unknown[] => {
    if (!Array.isArray(v) || v.length > max) fail(`${name} must be a list of at most ${max}`);
    return v as unknown[];
  };
  const doses = arr(o.doses, 'doses', 4).map((d, i) => {
    const x = d as TrialDose;
    if (!Number.isSafeInteger(x?.doseMcg) || !Number.isSafeInteger(x?.givenAt))
      fail(`dose ${i + 1} is malformed`);
    return { doseMcg: x.doseMcg, givenAt: x.givenAt };
  });
  const responses = arr(o.responses, 'responses', 4).map((r, i) => {
    const x = r as TrialResponse;
    if (!['effective', 'inadequate', 'adverse'].includes(x?.response)) fail(`response ${i + 1} is malformed`);
    if (typeof x.reason !== 'string' || !x.reason.trim() || x.reason.length > TRIAL_MAX_REASON_CHARS)
      fail(`response ${i + 1} needs a reason of at most ${TRIAL_MAX_REASON_CHARS} characters`);
    if (!Number.isSafeInteger(x.recordedAt)) fail(`response ${i + 1} time is malformed`);
    return { response: x.response, reason: x.reason, recordedAt: x.recordedAt };
  });
  const assessments = arr(o.assessments, 'assessments', TRIAL_MAX_ASSESSMENTS).map((a, i) => {
    const x = a as TrialAssessment;
    if (
      !Number.isSafeInteger(x?.time) ||
      !Array.isArray(x.kinds) ||
      !x.kinds.every((k) => (ASSESSMENT_KINDS as readonly string[]).includes(k))
    )
      fail(`assessment ${i + 1} is malformed`);
    return structuredClone(x);
  });
  const restored: ScreeningTrialState = {
    version: 1,
    startedAt: o.startedAt as number,
    smallPatient: o.smallPatient as boolean,
    patient: patient!,
    doses,
    responses,
    assessments,
    decision: null,
  };
  const step = trialStep(restored);
  if (step.kind === 'invalid') fail(`the saved trial is off the ladder: ${step.message}`);
  if (o.decision !== null && o.decision !== undefined) {
    const d = o.decision as TrialDecision;
    const expected = step.kind === 'effective' ? 'positive' : step.kind;
    if (d.outcome !== expected)
      fail(`the saved decision "${String(d.outcome)}" does not follow from the record`);
    restored.decision = structuredClone(d);
  } else if (step.kind === 'effective' || step.kind === 'notCandidate' || step.kind === 'stopped') {
    fail('the saved trial has ended but records no decision');
  }
  return restored;
}

/** The ladder's next step (give, observe, or the end), from the doses and recorded responses. */
export function trialStep(s: ScreeningTrialState): ScreeningStep {
  return nextScreeningDose(
    s.doses.map((d) => ({ dose: d.doseMcg * NG_PER_MCG, givenAt: d.givenAt })),
    s.responses.map((r) => r.response),
    { smallPatient: s.smallPatient },
  );
}

/** Moves pump time forward to `time` (no drug given). */
export function advanceTrial(s: ScreeningTrialState, time: number): ScreeningTrialState {
  checkTime(s, time);
  const next = structuredClone(s);
  advancePatient(next.patient, time, 0);
  return next;
}

function checkTime(s: ScreeningTrialState, time: number): void {
  if (!Number.isSafeInteger(time)) fail(`time must be a whole number of seconds, got ${String(time)}`);
  if (time < s.patient.now) fail('time cannot go backwards');
  if (time - s.startedAt > TRIAL_MAX_DURATION_S) fail('a screening trial lasts at most 10 days');
}

/** Gives the next bolus of the ladder by lumbar puncture, now. Refused when it is not the ladder's step. */
export function giveScreeningBolus(s: ScreeningTrialState, doseMcg: number): ScreeningTrialState {
  if (s.decision) fail(`the trial is decided (${s.decision.outcome}): no further screening dose`);
  const step = trialStep(s);
  if (step.kind === 'observe')
    fail(`record the response to the ${step.dose / NG_PER_MCG} mcg dose before the next dose`);
  if (step.kind !== 'give') fail(step.message);
  const g = step as Extract<ScreeningStep, { kind: 'give' }>;
  if (doseMcg !== g.dose / NG_PER_MCG)
    fail(`the next screening dose is ${g.dose / NG_PER_MCG} mcg, not ${String(doseMcg)} mcg`);
  if (g.notBefore !== null && s.patient.now < g.notBefore)
    fail(
      `the next screening dose is due 24 h after the previous one (in ${fmtH(g.notBefore - s.patient.now)})`,
    );
  const next = structuredClone(s);
  applyIntervention(next.patient, { kind: 'lumbarPunctureBolus', doseMcg });
  next.doses.push({ doseMcg, givenAt: next.patient.now });
  return next;
}

/**
 * Airway support (bag-mask or ventilation) for the trial's patient, on or off, now: the label's answer to a
 * depressed respiration after a bolus ("intubate if respiration is depressed"). The model keeps breathing
 * and SpO2 normal while it is on (src/patient, `ventilation`).
 */
export function supportAirway(s: ScreeningTrialState, on: boolean): ScreeningTrialState {
  if (typeof on !== 'boolean') fail('airway support is on or off');
  if (s.patient.ventilated === on)
    fail(on ? 'airway support is already on' : 'airway support is already off');
  const next = structuredClone(s);
  applyIntervention(next.patient, { kind: 'ventilation', on });
  return next;
}

/** The trainee assesses the patient now; only the kinds asked for are recorded. */
export function assessTrial(s: ScreeningTrialState, kinds: readonly AssessmentKind[]): ScreeningTrialState {
  if (!Array.isArray(kinds) || kinds.length === 0) fail('choose at least one thing to assess');
  for (const k of kinds)
    if (!(ASSESSMENT_KINDS as readonly string[]).includes(k))
      fail(`unknown assessment "${String(k)}" (one of ${ASSESSMENT_KINDS.join(', ')})`);
  if (s.assessments.length >= TRIAL_MAX_ASSESSMENTS)
    fail(`at most ${TRIAL_MAX_ASSESSMENTS} assessments in a trial`);
  const f = assessPatient(s.patient);
  const a: TrialAssessment = { time: f.time, kinds: [...new Set(kinds)] };
  if (kinds.includes('tone')) a.modifiedAshworth = f.scores.modifiedAshworth;
  if (kinds.includes('spasms')) a.pennSpasmFrequency = f.scores.pennSpasmFrequency;
  if (kinds.includes('vitals')) {
    const v = f.vitals;
    a.vitals = {
      heartRateBpm: v.heartRateBpm,
      systolicMmHg: v.systolicMmHg,
      diastolicMmHg: v.diastolicMmHg,
      respiratoryRatePerMin: v.respiratoryRatePerMin,
      spo2Percent: v.spo2Percent,
      temperatureC: v.temperatureC,
    };
  }
  if (kinds.includes('sedation'))
    a.sedation = { consciousness: f.consciousness, mentalStatus: f.mentalStatus };
  if (kinds.includes('report')) a.report = { symptoms: [...f.symptoms], hypotonia: f.hypotonia };
  const next = structuredClone(s);
  next.assessments.push(a);
  return next;
}

/**
 * Records the trainee's judgement of the last bolus, with a reason. `effective` and `inadequate` only from
 * 4 h after it (the label's observation, 4-8 h); `adverse` at any time. When this ends the ladder the
 * decision is recorded with the same reason.
 */
export function recordResponse(
  s: ScreeningTrialState,
  response: ScreeningResponse,
  reason: string,
): ScreeningTrialState {
  if (s.decision) fail(`the trial is decided (${s.decision.outcome})`);
  if (response !== 'effective' && response !== 'inadequate' && response !== 'adverse')
    fail('the response is effective, inadequate or adverse');
  if (typeof reason !== 'string' || reason.trim().length === 0) fail('give the reason for the judgement');
  if (reason.length > TRIAL_MAX_REASON_CHARS)
    fail(`the reason is at most ${TRIAL_MAX_REASON_CHARS} characters`);
  const step = trialStep(s);
  if (step.kind !== 'observe') fail('there is no screening dose awaiting a response');
  const o = step as Extract<ScreeningStep, { kind: 'observe' }>;
  if (response !== 'adverse' && s.patient.now < o.assessFrom)
    fail(`judge the response from 4 h after the bolus (in ${fmtH(o.assessFrom - s.patient.now)})`);
  const next = structuredClone(s);
  next.responses.push({ response, reason: reason.trim(), recordedAt: next.patient.now });
  const after = trialStep(next);
  if (after.kind === 'effective' || after.kind === 'notCandidate' || after.kind === 'stopped') {
    const last = next.doses[next.doses.length - 1]!;
    next.decision = {
      outcome: after.kind === 'effective' ? 'positive' : after.kind,
      reason: reason.trim(),
      rule: after.message,
      at: next.patient.now,
      effectiveDoseMcg: after.kind === 'effective' ? last.doseMcg : null,
      observedEffectDurationS: after.kind === 'effective' ? observedEffectDuration(next, last) : null,
    };
  }
  return next;
}

const ASHWORTH_POINTS: Record<MasGrade, number> = { '0': 0, '1': 1, '1+': 1.5, '2': 2, '3': 3, '4': 4 };

/** The last tone assessment at or before `time` (the baseline for a bolus given then). */
function toneBefore(s: ScreeningTrialState, time: number): TrialAssessment | undefined {
  return s.assessments.filter((a) => a.modifiedAshworth !== undefined && a.time <= time).at(-1);
}

/**
 * How long the trainee saw the effect last: from the bolus to the last tone assessment (before the next
 * dose) still at least one Ashworth point below the pre-bolus baseline. A lower bound: the effect may
 * have lasted past the last look. Null without a baseline or any such assessment.
 */
export function observedEffectDuration(s: ScreeningTrialState, dose: TrialDose): number | null {
  const base = toneBefore(s, dose.givenAt);
  if (!base) return null;
  const after = s.assessments.filter(
    (a) =>
      a.time > dose.givenAt &&
      a.modifiedAshworth !== undefined &&
      ASHWORTH_POINTS[base.modifiedAshworth!] - ASHWORTH_POINTS[a.modifiedAshworth] >=
        EFFECTIVE_ASHWORTH_DROP,
  );
  const last = after.at(-1);
  return last ? last.time - dose.givenAt : null;
}

/** What the trainee's assessments after the last bolus suggest (the critique compares it with theirs). */
export function suggestedResponse(s: ScreeningTrialState): ScreeningResponse | null {
  const dose = s.doses.at(-1);
  if (!dose) return null;
  const after = s.assessments.filter(
    (a) => a.time > dose.givenAt && a.time <= dose.givenAt + SCREENING_OBSERVATION_MAX,
  );
  if (after.some(isAdverse)) return 'adverse';
  const base = toneBefore(s, dose.givenAt);
  if (!base) return null;
  const dropped = after.some(
    (a) =>
      a.modifiedAshworth !== undefined &&
      ASHWORTH_POINTS[base.modifiedAshworth!] - ASHWORTH_POINTS[a.modifiedAshworth] >=
        EFFECTIVE_ASHWORTH_DROP,
  );
  if (dropped) return 'effective';
  const lookedAfter4h = after.some(
    (a) => a.modifiedAshworth !== undefined && a.time >= dose.givenAt + SCREENING_OBSERVATION_MIN,
  );
  return lookedAfter4h ? 'inadequate' : null;
}

function isAdverse(a: TrialAssessment): boolean {
  if (
    a.vitals &&
    (a.vitals.respiratoryRatePerMin < ADVERSE_RESPIRATORY_RATE || a.vitals.spo2Percent < ADVERSE_SPO2)
  )
    return true;
  return !!a.sedation && !['alert', 'drowsy'].includes(a.sedation.consciousness);
}

export type TrialFindingCode =
  'NO_BASELINE' | 'MONITORING_GAP' | 'RESPONSE_DIFFERS_FROM_ASSESSMENTS' | 'NO_TONE_ASSESSMENT_IN_WINDOW';

export interface TrialFinding {
  code: TrialFindingCode;
  message: string;
  doseIndex: number;
}

/**
 * The debrief: where the trainee's conduct of the trial departed from the label's (each code is documented
 * in docs/clinical-model.md). Computed from the record, so it can be shown at any time.
 */
export function trialFindings(s: ScreeningTrialState): TrialFinding[] {
  const out: TrialFinding[] = [];
  s.doses.forEach((d, i) => {
    const next = s.doses[i + 1]?.givenAt ?? Infinity;
    if (!toneBefore(s, d.givenAt))
      out.push({
        code: 'NO_BASELINE',
        doseIndex: i,
        message: `No tone assessed before the ${d.doseMcg} mcg dose: the response cannot be judged against a baseline.`,
      });
    // Vital signs at least hourly over the first 4 h (up to now, or to the end of the window).
    const end = Math.min(d.givenAt + MONITORING_WINDOW_S, s.patient.now, next);
    const vitals = s.assessments
      .filter((a) => a.vitals && a.time > d.givenAt && a.time <= end)
      .map((a) => a.time);
    let t = d.givenAt;
    for (const v of [...vitals, end]) {
      if (v - t > MONITORING_INTERVAL_S) {
        out.push({
          code: 'MONITORING_GAP',
          doseIndex: i,
          message: `No vital signs for ${fmtH(v - t)} in the first 4 h after the ${d.doseMcg} mcg dose (from ${fmtH(t - d.givenAt)} to ${fmtH(v - d.givenAt)} after it).`,
        });
      }
      t = v;
    }
    const r = s.responses[i];
    if (r) {
      const inWindow = s.assessments.some(
        (a) =>
          a.modifiedAshworth !== undefined &&
          a.time >= d.givenAt + SCREENING_OBSERVATION_MIN &&
          a.time <= d.givenAt + SCREENING_OBSERVATION_MAX,
      );
      if (!inWindow && r.response !== 'adverse')
        out.push({
          code: 'NO_TONE_ASSESSMENT_IN_WINDOW',
          doseIndex: i,
          message: `Tone was not assessed 4-8 h after the ${d.doseMcg} mcg dose.`,
        });
      const sub: ScreeningTrialState = {
        ...s,
        doses: s.doses.slice(0, i + 1),
        assessments: s.assessments.filter((a) => a.time <= r.recordedAt),
      };
      const suggested = suggestedResponse(sub);
      if (suggested && suggested !== r.response)
        out.push({
          code: 'RESPONSE_DIFFERS_FROM_ASSESSMENTS',
          doseIndex: i,
          message: `Judged ${r.response}; the assessments recorded suggest ${suggested}.`,
        });
    }
  });
  return out;
}

/** The patient's response over time for the chart (bench truth: the model's 15-minute samples). */
export function responseCurve(s: ScreeningTrialState, from = s.startedAt, to = s.patient.now): HistoryRow[] {
  return historyRows(s.patient, from, to);
}

/** The new pump, as implanted. */
export interface NewPump {
  model: PumpModel;
  /** The drug it is filled with, mcg/mL (a whole number within the pump's range). */
  concentration: number;
  /** Catheter length from the implant record, cm (default: the profile's catheter). */
  catheterLengthCm?: number;
}

export interface FirstProgramming {
  effectiveDoseMcg: number;
  /** Null when no assessment showed the effect (then the 2x rule applies: the longer effect is unproven). */
  observedEffectDurationS: number | null;
  startingDailyDoseMcg: number;
  basis: 'twiceScreeningDose' | 'sameAsScreeningDose';
  /** Priming bolus: the empty tubing and catheter, by volume (uL), before the therapy starts. */
  primingVolumeUl: number;
  /** The continuous rate that delivers the starting dose at the fill concentration (uL/day, pump-rounded). */
  rateUlPerDay: number;
  /** The dose that rate delivers (mcg/day, after the pump's rate rounding). */
  deliveredDailyDoseMcg: number;
  programmedAt: number;
  /** No increase before this time (24 h after the start). */
  noIncreaseBefore: number;
  message: string;
}

/**
 * The first programming of the new pump after a positive trial: prime the tubing and catheter, then twice
 * the effective screening dose over 24 h, or the same dose when its effect lasted more than 8 h; no
 * increase in the first 24 h. This hands over to titration (the rule engine, src/shared/clinical/rules.ts).
 */
export function planFirstProgramming(
  s: ScreeningTrialState,
  programmedAt: number,
  pump: NewPump,
): FirstProgramming {
  const d = s.decision;
  if (!d || d.outcome !== 'positive' || d.effectiveDoseMcg === null)
    fail('the first programming follows a positive screening trial');
  const dec = d as TrialDecision & { effectiveDoseMcg: number };
  if (!Number.isSafeInteger(programmedAt) || programmedAt < dec.at)
    fail('the pump is programmed after the trial: a whole second at or after the decision');
  let profile: ReturnType<typeof getProfile> | null = null;
  try {
    profile = getProfile(pump?.model);
  } catch {
    fail(`unknown pump model "${String(pump?.model)}"`);
  }
  const p = profile!;
  if (
    !Number.isSafeInteger(pump.concentration) ||
    pump.concentration < p.concentrationMin ||
    pump.concentration > p.concentrationMax
  )
    fail(
      `the fill concentration must be a whole number of mcg/mL from ${p.concentrationMin} to ${p.concentrationMax}`,
    );
  const catheterCm = pump.catheterLengthCm ?? p.catheterLengthCm;
  if (!Number.isSafeInteger(catheterCm) || catheterCm < 1 || catheterCm > 200)
    fail('the catheter length must be a whole number of cm from 1 to 200');
  const primingVolumeUl = p.pumpTubingVolume + p.catheterVolumePerCm * catheterCm;
  if (primingVolumeUl > p.primingMaxVolume)
    fail(
      `priming ${primingVolumeUl} uL is more than the pump allows (${p.primingMaxVolume} uL): check the catheter length`,
    );
  // Recomputed from every assessment so far: the trainee may keep looking after recording the response.
  const duration = observedEffectDuration(s, s.doses[s.doses.length - 1]!);
  const dailyNg = startingDailyDose(dec.effectiveDoseMcg * NG_PER_MCG, duration ?? 0);
  const startingDailyDoseMcg = dailyNg / NG_PER_MCG;
  const rate = rateForDailyDose(dailyNg, pump.concentration);
  if (rate < p.minRate || rate > p.maxRate)
    fail(
      `${startingDailyDoseMcg} mcg/day at ${pump.concentration} mcg/mL is ${rate} uL/day, outside the pump's ${p.minRate}-${p.maxRate} uL/day: choose another concentration`,
    );
  const deliveredDailyDoseMcg = dailyDoseForRate(rate, pump.concentration) / NG_PER_MCG;
  const long = duration !== null && duration > LONG_SCREENING_EFFECT;
  const prime = `Prime ${primingVolumeUl / 1000} mL (pump tubing and ${catheterCm} cm of catheter).`;
  return {
    effectiveDoseMcg: dec.effectiveDoseMcg,
    observedEffectDurationS: duration,
    startingDailyDoseMcg,
    basis: long ? 'sameAsScreeningDose' : 'twiceScreeningDose',
    primingVolumeUl,
    rateUlPerDay: rate,
    deliveredDailyDoseMcg,
    programmedAt,
    noIncreaseBefore: firstIncreaseAllowedAt(programmedAt),
    message: `${prime} ${
      long
        ? `Start at ${startingDailyDoseMcg} mcg/day: the ${dec.effectiveDoseMcg} mcg effect lasted ${fmtH(duration!)} (more than 8 h), so the same dose over 24 h.`
        : `Start at ${startingDailyDoseMcg} mcg/day: twice the effective ${dec.effectiveDoseMcg} mcg screening dose over 24 h.`
    } No increase in the first 24 h.`,
  };
}

/** A span of the trial in words (the clinical formatter; a span not yet started reads as none). */
function fmtH(seconds: number): string {
  return formatDuration(Math.max(0, Math.round(seconds)));
}
