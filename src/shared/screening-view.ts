/**
 * The screening trial as the trainee sees it (issue 21): what was given, what they assessed, what they
 * judged, the ladder's next step, the decision and the first programming. Shared by the device host's
 * screening desk (which runs the trial on the virtual patient, src/training/screening-trial.ts) and the
 * programmer (which shows it). It carries only what a clinician at the bedside could know: the assessments
 * the trainee chose to make, never the patient model's state (CSF concentration, effect, drive).
 *
 * Requests are validated here too, so the desk and the programmer refuse the same bad input with the same
 * words. Times are pump-style seconds (UTC epoch) on the trial's own clock, which the trainee moves with
 * "wait": no pump is implanted yet, so the trial does not move the pump's clock.
 */
import { z } from 'zod';
import { CandidacyCaseSchema, FIRST_LINE_TREATMENTS } from './clinical/candidacy';

export const SCREENING_PROFILES = ['spinal', 'cerebral', 'pediatric-cp'] as const;
export const SCREENING_ASSESSMENTS = ['tone', 'spasms', 'vitals', 'sedation', 'report'] as const;
export type ScreeningAssessmentKind = (typeof SCREENING_ASSESSMENTS)[number];

/** The longest single wait: 24 h (the ladder's interval), so no observation window is skipped unseen. */
export const SCREENING_MAX_WAIT_MINUTES = 24 * 60;

export const ScreeningStartSchema = z.strictObject({
  /** The patient of the case: the virtual patient's profile and seed. */
  profile: z.enum(SCREENING_PROFILES),
  seed: z.number().int().min(0).max(0xffff_ffff),
  /** Very small patient (or one who relies on their spasticity): the ladder starts at 25 mcg. */
  smallPatient: z.boolean(),
});
export type ScreeningStart = z.infer<typeof ScreeningStartSchema>;

export const ScreeningWaitSchema = z.strictObject({
  minutes: z.number().int().min(1).max(SCREENING_MAX_WAIT_MINUTES),
});
export const ScreeningBolusSchema = z.strictObject({
  doseMcg: z.number().int().min(1).max(200),
});
export const ScreeningAssessSchema = z.strictObject({
  kinds: z.array(z.enum(SCREENING_ASSESSMENTS)).min(1).max(SCREENING_ASSESSMENTS.length),
});
export const ScreeningRespondSchema = z.strictObject({
  response: z.enum(['effective', 'inadequate', 'adverse']),
  reason: z.string().trim().min(3).max(500),
});
/** Airway support for the trial's patient (bag-mask or ventilation): on or off. */
export const ScreeningAirwaySchema = z.strictObject({ on: z.boolean() });
export const ScreeningPlanSchema = z.strictObject({
  model: z.enum(['SM2-20', 'SM2-40', 'SM2-20-ENG']),
  /** The fill concentration, mcg/mL. */
  concentration: z.number().int().min(1).max(4000),
  catheterLengthCm: z.number().int().min(1).max(200).optional(),
});
export type ScreeningPlanRequest = z.infer<typeof ScreeningPlanSchema>;

/**
 * The candidacy decision the clinician records (issue 21 point 4), before or after a trial:
 * `screeningTrial` (go ahead with a screening trial), `firstLineFirst` (try first-line treatments first),
 * `notYet` (defer; reconsider later), `contraindicated` (decline), `notCandidate` (after a trial without a
 * satisfactory response), `retrialLowerDose` (after an adverse response: a new trial at a lower dose once
 * recovered). Always with the reason in words.
 */
export const CANDIDACY_DECISIONS = [
  'screeningTrial',
  'firstLineFirst',
  'notYet',
  'contraindicated',
  'notCandidate',
  'retrialLowerDose',
] as const;
export type CandidacyDecisionKind = (typeof CANDIDACY_DECISIONS)[number];

/** Assess candidacy at the desk: the case form sent, or (omitted) the form of the case's candidate. */
export const ScreeningCandidacySchema = z.strictObject({ case: CandidacyCaseSchema.optional() });
export const ScreeningDecideSchema = z.strictObject({
  decision: z.enum(CANDIDACY_DECISIONS),
  reason: z.string().trim().min(3).max(500),
  /** What to try before intrathecal baclofen (required for `firstLineFirst`). */
  tryFirst: z.array(z.enum(FIRST_LINE_TREATMENTS)).max(FIRST_LINE_TREATMENTS.length).optional(),
  /** When to reconsider, in months since the onset (for `notYet`, when one applies). */
  reconsiderAtMonthsSinceOnset: z.number().int().min(0).max(1200).optional(),
});
export type ScreeningDecideRequest = z.infer<typeof ScreeningDecideSchema>;

const masGrade = z.enum(['0', '1', '1+', '2', '3', '4']);

export const ScreeningAssessmentSchema = z.strictObject({
  time: z.number().int(),
  kinds: z.array(z.enum(SCREENING_ASSESSMENTS)),
  modifiedAshworth: masGrade.optional(),
  pennSpasmFrequency: z.number().int().min(0).max(4).optional(),
  vitals: z
    .strictObject({
      heartRateBpm: z.number(),
      systolicMmHg: z.number(),
      diastolicMmHg: z.number(),
      respiratoryRatePerMin: z.number(),
      spo2Percent: z.number(),
      temperatureC: z.number(),
    })
    .optional(),
  sedation: z.strictObject({ consciousness: z.string(), mentalStatus: z.string() }).optional(),
  report: z.strictObject({ symptoms: z.array(z.string()), hypotonia: z.string() }).optional(),
});
export type ScreeningAssessment = z.infer<typeof ScreeningAssessmentSchema>;

export const ScreeningStepViewSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('give'),
    doseMcg: z.number(),
    notBefore: z.number().nullable(),
    message: z.string(),
  }),
  z.strictObject({
    kind: z.literal('observe'),
    doseMcg: z.number(),
    assessFrom: z.number(),
    assessBy: z.number(),
    message: z.string(),
  }),
  z.strictObject({ kind: z.enum(['effective', 'notCandidate', 'stopped', 'invalid']), message: z.string() }),
]);
export type ScreeningStepView = z.infer<typeof ScreeningStepViewSchema>;

export const FirstProgrammingViewSchema = z.strictObject({
  model: z.enum(['SM2-20', 'SM2-40', 'SM2-20-ENG']),
  concentration: z.number(),
  effectiveDoseMcg: z.number(),
  observedEffectDurationS: z.number().nullable(),
  startingDailyDoseMcg: z.number(),
  basis: z.enum(['twiceScreeningDose', 'sameAsScreeningDose']),
  primingVolumeUl: z.number(),
  rateUlPerDay: z.number(),
  deliveredDailyDoseMcg: z.number(),
  programmedAt: z.number(),
  noIncreaseBefore: z.number(),
  message: z.string(),
});
export type FirstProgrammingView = z.infer<typeof FirstProgrammingViewSchema>;

export const ScreeningViewSchema = z.strictObject({
  /** False until a trial is started. */
  active: z.boolean(),
  startedAt: z.number().nullable(),
  now: z.number().nullable(),
  smallPatient: z.boolean(),
  profile: z.enum(SCREENING_PROFILES).nullable(),
  /** The virtual patient's number (seed): the same patient continues after the implant. */
  seed: z.number().int().nullable(),
  doses: z.array(z.strictObject({ doseMcg: z.number(), givenAt: z.number() })),
  assessments: z.array(ScreeningAssessmentSchema),
  responses: z.array(
    z.strictObject({
      response: z.enum(['effective', 'inadequate', 'adverse']),
      reason: z.string(),
      recordedAt: z.number(),
    }),
  ),
  step: ScreeningStepViewSchema.nullable(),
  decision: z
    .strictObject({
      outcome: z.enum(['positive', 'notCandidate', 'stopped']),
      reason: z.string(),
      rule: z.string(),
      at: z.number(),
      effectiveDoseMcg: z.number().nullable(),
      observedEffectDurationS: z.number().nullable(),
    })
    .nullable(),
  /** Where the conduct of the trial departed from the label's (monitoring gaps, no baseline, ...). */
  findings: z.array(z.strictObject({ code: z.string(), message: z.string(), doseIndex: z.number() })),
  firstProgramming: FirstProgrammingViewSchema.nullable(),
  /** Airway support is on for the trial's patient (absent without a trial). */
  airwaySupport: z.boolean().optional(),
  /** In a training case: the candidate the case admitted (its patient and case form), else null. */
  candidate: z
    .strictObject({ profile: z.enum(SCREENING_PROFILES), seed: z.number().int(), case: CandidacyCaseSchema })
    .nullable()
    .optional(),
  /** The last candidacy assessment made at the desk (src/shared/clinical/candidacy.ts), with its time. */
  candidacy: z
    .strictObject({
      at: z.number(),
      recommendation: z.enum(['contraindicated', 'notYet', 'firstLineFirst', 'considerScreeningTrial']),
      summary: z.string(),
      reasons: z.array(
        z.strictObject({
          rule: z.string(),
          text: z.string(),
          quote: z.string(),
          source: z.string(),
          weight: z.enum(['blocks', 'supports', 'note']),
        }),
      ),
      tryFirst: z.array(z.enum(FIRST_LINE_TREATMENTS)),
      reconsiderAtMonthsSinceOnset: z.number().nullable(),
      reconsiderWhen: z.string().nullable(),
      firstScreeningDoseMcg: z.union([z.literal(25), z.literal(50)]).nullable(),
    })
    .nullable()
    .optional(),
  /** The candidacy decisions recorded, oldest first (at most 20). */
  decisions: z
    .array(
      z.strictObject({
        decision: z.enum(CANDIDACY_DECISIONS),
        reason: z.string(),
        tryFirst: z.array(z.enum(FIRST_LINE_TREATMENTS)),
        reconsiderAtMonthsSinceOnset: z.number().nullable(),
        at: z.number(),
      }),
    )
    .optional(),
});
export type ScreeningView = z.infer<typeof ScreeningViewSchema>;

export const EMPTY_SCREENING_VIEW: ScreeningView = {
  active: false,
  startedAt: null,
  now: null,
  smallPatient: false,
  profile: null,
  seed: null,
  doses: [],
  assessments: [],
  responses: [],
  step: null,
  decision: null,
  findings: [],
  firstProgramming: null,
};

/** What "Implant and program" did: a new pump, the trial's patient, the pump's clock at the trial's time. */
export interface ImplantResult {
  model: 'SM2-20' | 'SM2-40' | 'SM2-20-ENG';
  /** Pump time of the implant (the trial's time now). */
  implantedAt: number;
  profile: (typeof SCREENING_PROFILES)[number];
  seed: number;
  /** The plan the first programming follows. */
  plan: FirstProgrammingView;
}
