/**
 * A training case as the learner meets it (issue 19): the library's cases by title and objective with
 * their brief, the case in progress (messages to the learner, its time), and the debrief at the end. The
 * device host answers in these shapes on its bedside API (firmware-sim/scenario/learner-routes.ts); the
 * programmer shows them. What the learner must not know before the end (the timeline, the handlers, the
 * expectations, the truth) is not here, except in the debrief, which is written for after the case.
 *
 * The debrief's types are defined here, not in src/training, so the programmer (which may not import the
 * training engines) and the engine that builds it (src/training/scenario/debrief.ts) share one definition.
 */

/** A case of the library, as listed for the learner. */
export interface TrainingCaseSummary {
  id: string;
  title: string;
  kind: 'training' | 'alarmTest';
  /** The part of the clinical document or reference it teaches. */
  source: string;
  /** Who the patient is, why they came. */
  patient: string;
  /** What they report, if anything. */
  reports: string | null;
  objectives: string[];
  /** The Connect screen's facts for this patient. */
  origin: 'spinal' | 'cerebral';
  ageGroup: 'adult' | 'childUnder12';
  /** The case's length, seconds of pump time. */
  durationS: number;
}

export interface TrainingMessage {
  /** Pump time. */
  t: number;
  text: string;
}

/** The case in progress (or just ended), without its secrets. */
export type TrainingCaseStatus =
  | { active: false }
  | {
      active: true;
      summary: TrainingCaseSummary;
      startTime: number;
      now: number;
      endTime: number;
      ended: boolean;
      endReason: string | null;
      messages: TrainingMessage[];
    };

// ---------------------------------------------------------------- the debrief

export type ExpectationStatus = 'met' | 'missed' | 'pending';

export interface ExpectationResult {
  id: string;
  description: string;
  weight: number;
  critical: boolean;
  expect: 'happens' | 'never';
  status: ExpectationStatus;
  /** When it was met (happens) or broken (never), pump time; null when neither happened. */
  t: number | null;
  /** The reference time (`from`) and the deadline, pump time; null when the reference never happened. */
  from: number | null;
  deadline: number | null;
  /** The fact that decided it, in words. */
  evidence: string;
  source: string | null;
}

/** The chart's series, one value per sample (sampled at each clock step of the runner). */
export interface Series {
  /** Pump time of each sample. */
  t: number[];
  /** The dose the pump is programmed to deliver now, mcg/day (0 while stopped or suspended). */
  programmedMcgPerDay: number[];
  /** The dose that truly reached the spinal fluid over the last step, mcg/day. */
  deliveredMcgPerDay: number[];
  /** The reservoir: what the pump calculates and what truly is in it, mL. */
  reservoirCalculatedMl: number[];
  reservoirTrueMl: number[];
  /** Spasticity: the Modified Ashworth grade as a number (0, 1, 1.5 for 1+, 2, 3, 4). */
  ashworth: number[];
  /** Spasm frequency: the Penn score 0 (none) .. 4 (more than ten an hour). */
  pennSpasms: number[];
  /**
   * The document's other expected benefits (docs/patient-model.md, "Outcome measures"): pain 0-10 (NRS),
   * times woken a night, daily activities 0-100 (100 = independent), caregiver burden 0-10.
   */
  painNrs: number[];
  awakeningsPerNight: number[];
  dailyActivities: number[];
  caregiverBurden: number[];
  /** Withdrawal stage 0 (none) .. 4 (life-threatening); overdose stage 0 (none) .. 3 (severe). */
  withdrawalStage: number[];
  overdoseStage: number[];
}

export interface DebriefEvent {
  t: number;
  /** The fact's kind: alarm, command, intervention, bedside, withdrawal, overdose, message, ... */
  kind: string;
  /** Who or what: the learner, the pump, the patient, the case. */
  actor: 'learner' | 'pump' | 'patient' | 'case' | 'programmer';
  text: string;
}

export interface Debrief {
  scenario: {
    id: string;
    title: string;
    kind: 'training' | 'alarmTest';
    source: string;
    objectives: string[];
  };
  startTime: number;
  endTime: number;
  /** Pump time the facts run to. */
  now: number;
  ended: boolean;
  endReason: string | null;
  outcome: 'passed' | 'failed' | 'inProgress';
  score: { met: number; total: number; percent: number };
  /** Critical expectations first, then the others, each in the file's order. */
  expectations: ExpectationResult[];
  criticalMissed: string[];
  events: DebriefEvent[];
  series: Series;
  /** How many facts the evaluation used. */
  factCount: number;
}
