/**
 * Who should get a pump: the clinical document's decision algorithm and the label's contraindications, as
 * one pure function. From a structured case (zod-validated: bad input is refused with a clear error, never
 * half-evaluated) it answers one of four recommendations, each reason naming its rule and quoting the
 * sentence it comes from. docs/clinical-model.md, "Candidacy", has the table.
 *
 * Not re-exported from ./index: it carries a zod schema, and the renderer's CSP forbids the code generation
 * zod may try (src/renderer/api.ts). A screen imports its types only and asks the service for a decision.
 */
import { z } from 'zod';

// ------------------------------------------------------------------ sources

/** The clinical document this project started from (copy: docs/itb-indications.txt). */
export const SEED = 'Clinical document: Indications for Intrathecal Baclofen Therapy/Pump';
/** The Lioresal Intrathecal prescriber page quoting the label's indication and contraindications. */
export const LIORESAL_SCREENING =
  'Lioresal Intrathecal HCP, Screening Trial (https://lioresal.com/hcp/screening-trial/)';
export const LABEL_SCREENING =
  'Lioresal Intrathecal / Gablofen label, Dosage and Administration, Screening Phase';
export const LABEL_PEDIATRIC =
  'Lioresal Intrathecal / Gablofen label, Use in Specific Populations, Pediatric Use';
export const PANEL_2016 = 'Saulino et al. 2016, best-practice panel, Neuromodulation (PubMed 27434197)';
export const BENCH_ASSUMPTION = 'Bench assumption (docs/clinical-model.md, Candidacy)';

// ------------------------------------------------------------------ constants

/** Post-stroke: "as early as 3-6 months after stroke" (seed). The earliest is 3 months. */
export const STROKE_EARLIEST_MONTHS = 3;
/** Post-stroke: the guideline window closes at 6 months; before that the trial is an early one. */
export const STROKE_USUAL_MONTHS = 6;
/** Traumatic brain injury: "wait at least one year after the injury" (label, via Lioresal HCP). */
export const TBI_EARLIEST_MONTHS = 12;
/** Safety not established below age 4 (label, Pediatric Use; itb-domain.md section 6 "age >= 4"). */
export const MINIMUM_AGE_YEARS = 4;
/** "Very small patients": no source gives a number; assumed below 20 kg. */
export const SMALL_PATIENT_KG = 20;
export const SCREENING_DOSE_MCG = 50;
export const SCREENING_DOSE_SMALL_MCG = 25;

/**
 * The largest daily oral doses (mg/day) of the oral labels, for "failed ... maximum doses of oral
 * medications" (seed). Oral baclofen 80 mg/day, tizanidine 36 mg/day, dantrolene 400 mg/day: from the
 * oral products' labels as commonly cited; not retrieved verbatim in this project (marked in the doc).
 */
export const ORAL_MAXIMUM_MG_PER_DAY = { baclofen: 80, tizanidine: 36, dantrolene: 400 } as const;

// ------------------------------------------------------------------ the case

export const DIAGNOSES = [
  'multipleSclerosis',
  'spinalCordInjury',
  'spinalCordDisease',
  'stroke',
  'traumaticBrainInjury',
  'cerebralPalsy',
  'otherCerebral',
] as const;
export type Diagnosis = (typeof DIAGNOSES)[number];

/** Spinal origin: the label reserves the pump for oral baclofen failure or intolerance. */
export const SPINAL_DIAGNOSES: readonly Diagnosis[] = [
  'multipleSclerosis',
  'spinalCordInjury',
  'spinalCordDisease',
];

export const FUNCTIONAL_LIMITATIONS = [
  'pain',
  'skinHygiene',
  'function',
  'positioning',
  'caregiverBurden',
  'qualityOfLife',
] as const;
export type FunctionalLimitation = (typeof FUNCTIONAL_LIMITATIONS)[number];

/** The outcome of a first-line treatment, in the words of a clinic's notes. */
export const TREATMENT_OUTCOMES = [
  'notTried',
  'effective',
  'partial',
  'ineffective',
  'notTolerated',
] as const;
export type TreatmentOutcome = (typeof TREATMENT_OUTCOMES)[number];

export const ORAL_DRUGS = ['baclofen', 'tizanidine', 'dantrolene'] as const;
export type OralDrug = (typeof ORAL_DRUGS)[number];

const outcome = z.enum(TREATMENT_OUTCOMES);

export const OralTrialSchema = z
  .object({
    drug: z.enum(ORAL_DRUGS),
    /** The highest daily dose reached, mg/day. */
    maxDailyDoseMg: z.number().finite().min(0).max(2000),
    outcome: z.enum(['effective', 'partial', 'ineffective', 'notTolerated']),
    /** Side effects that limited the dose (drowsiness, weakness, confusion...); free text, bounded. */
    sideEffects: z.array(z.string().trim().min(1).max(80)).max(10),
  })
  .strict();
export type OralTrial = z.infer<typeof OralTrialSchema>;

export const CandidacyCaseSchema = z
  .object({
    diagnosis: z.enum(DIAGNOSES),
    /** Months since the onset (stroke, injury, diagnosis). */
    monthsSinceOnset: z.number().int().min(0).max(1200),
    ageYears: z.number().finite().min(0).max(120),
    weightKg: z.number().finite().min(1).max(350),
    severity: z.enum(['mild', 'moderate', 'severe']),
    distribution: z.enum(['focal', 'generalized']),
    firstLine: z
      .object({
        positioningAndStretching: outcome,
        oral: z.array(OralTrialSchema).max(10),
        botulinumToxin: outcome,
        physicalModalities: outcome,
      })
      .strict(),
    functionalLimitations: z.array(z.enum(FUNCTIONAL_LIMITATIONS)).max(FUNCTIONAL_LIMITATIONS.length),
    contraindications: z
      .object({
        hypersensitivityToBaclofen: z.boolean(),
        activeInfection: z.boolean(),
        insufficientBodySize: z.boolean(),
        pumpDeeperThan25mm: z.boolean(),
        spinalAnomalies: z.boolean(),
      })
      .strict(),
    cautions: z
      .object({
        /** MS relapse, urinary infection, unhealed wound: do not screen during it. */
        intercurrentProblem: z.boolean(),
        /** Cannot return to the clinic for titration and refills. */
        cannotReturnForRefills: z.boolean(),
        unrealisticGoals: z.boolean(),
        /** The patient relies on the spasticity to stand or transfer (25 mcg trial dose). */
        reliesOnSpasticity: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type CandidacyCase = z.infer<typeof CandidacyCaseSchema>;

// ------------------------------------------------------------------ the decision

export type Recommendation = 'contraindicated' | 'notYet' | 'firstLineFirst' | 'considerScreeningTrial';

export interface CandidacyReason {
  rule: CandidacyRule;
  /** What it means for this patient, in a clinic's words. */
  text: string;
  /** The sentence it comes from, verbatim where a source exists. */
  quote: string;
  source: string;
  /** `blocks`: this reason alone decides against a trial now; `supports` or `note`: informs. */
  weight: 'blocks' | 'supports' | 'note';
}

export const FIRST_LINE_TREATMENTS = [
  'positioningAndStretching',
  'oralMedication',
  'oralBaclofen',
  'botulinumToxin',
  'physicalModalities',
] as const;
export type FirstLineTreatment = (typeof FIRST_LINE_TREATMENTS)[number];

export interface CandidacyDecision {
  recommendation: Recommendation;
  /** One line a clinician reads first. */
  summary: string;
  reasons: CandidacyReason[];
  /** For `firstLineFirst`: what to try before a trial. */
  tryFirst: FirstLineTreatment[];
  /** For `notYet`: the months since onset (or age in months) at which to reconsider, when one applies. */
  reconsiderAtMonthsSinceOnset: number | null;
  /** For `notYet`: when to reconsider, in words. */
  reconsiderWhen: string | null;
  /** For `considerScreeningTrial`: the first screening bolus (25 mcg for very small patients). */
  firstScreeningDoseMcg: 25 | 50 | null;
}

/** Every rule, its quote and its source (documented in docs/clinical-model.md, Candidacy). */
export const CANDIDACY_RULES = {
  HYPERSENSITIVITY: {
    quote: 'This therapy is contraindicated in patients who are hypersensitive to baclofen.',
    source: LIORESAL_SCREENING,
  },
  IMPLANT_CONTRAINDICATED: {
    quote:
      'Implantation of the infusion system is contraindicated if the patient is of insufficient body size, requires a pump implant deeper than 2.5 cm, or, in the presence of spinal anomalies or active infection.',
    source: LIORESAL_SCREENING,
  },
  ACTIVE_INFECTION: {
    quote:
      'Implantation of the infusion system is contraindicated ... in the presence of ... active infection.',
    source: `${LIORESAL_SCREENING}; deferral until treated: ${PANEL_2016}`,
  },
  INTERCURRENT_PROBLEM: {
    quote:
      'Good candidates for a treatment with Lioresal Intrathecal are those who are clinically stable ...',
    source: `${LIORESAL_SCREENING}; do not screen during a relapse, urinary infection or unhealed wound: ${PANEL_2016}`,
  },
  CANNOT_RETURN: {
    quote: '... are able to return to the clinic for dosage titration and periodic pump refills ...',
    source: LIORESAL_SCREENING,
  },
  UNREALISTIC_GOALS: {
    quote: 'Relative contraindications include unrealistic goals, psychosocial or compliance problems.',
    source: PANEL_2016,
  },
  AGE_UNDER_4: {
    quote: 'Safety and effectiveness in pediatric patients below the age of 4 have not been established.',
    source: LABEL_PEDIATRIC,
  },
  STROKE_TOO_EARLY: {
    quote:
      'Can be considered as early as 3-6 months after stroke for patients with severe spastic hypertonia refractory to other treatments',
    source: SEED,
  },
  STROKE_EARLY_WINDOW: {
    quote:
      'Can be considered as early as 3-6 months after stroke for patients with severe spastic hypertonia refractory to other treatments',
    source: SEED,
  },
  STROKE_FDA_NOTE: {
    quote:
      'Note: While the FDA label does not specifically indicate baclofen for stroke, clinical guidelines support its use in severe post-stroke spasticity',
    source: SEED,
  },
  TBI_TOO_EARLY: {
    quote:
      'Patients with spasticity due to traumatic brain injury should wait at least one year after the injury before consideration of long term intrathecal baclofen therapy.',
    source: LIORESAL_SCREENING,
  },
  NOT_SEVERE: {
    quote:
      'Intrathecal baclofen therapy is indicated primarily for severe spastic hypertonia that does not respond to other interventions',
    source: SEED,
  },
  NO_FUNCTIONAL_LIMITATION: {
    quote: 'Consider ITB when: ... Spasticity causes significant functional limitations',
    source: SEED,
  },
  FUNCTIONAL_LIMITATION: {
    quote:
      'Spasticity causes significant functional limitations: Pain, Poor skin hygiene, Decreased function, Interference with positioning, Increased caregiver burden, Reduced quality of life',
    source: SEED,
  },
  FOCAL_BOTULINUM_FIRST: {
    quote:
      'First-line treatments (try these before considering ITB): ... Targeted botulinum toxin injections for focal spasticity',
    source: SEED,
  },
  FOCAL_NOT_GENERALIZED: {
    quote: 'Consider ITB when: Spasticity is severe and generalized',
    source: SEED,
  },
  GENERALIZED_SEVERE: {
    quote: 'Consider ITB when: Spasticity is severe and generalized',
    source: SEED,
  },
  POSITIONING_FIRST: {
    quote:
      'First-line treatments (try these before considering ITB): Positioning, passive stretching, and range of motion exercises',
    source: SEED,
  },
  ORAL_NOT_TRIED: {
    quote:
      'First-line treatments (try these before considering ITB): ... Oral antispasticity medications (tizanidine, oral baclofen, dantrolene)',
    source: SEED,
  },
  ORAL_BELOW_MAXIMUM: {
    quote: 'Consider ITB when: ... Patient has failed or cannot tolerate maximum doses of oral medications',
    source: `${SEED}; oral maxima: oral labels (${BENCH_ASSUMPTION})`,
  },
  ORAL_EFFECTIVE: {
    quote:
      'Intrathecal baclofen therapy is indicated primarily for severe spastic hypertonia that does not respond to other interventions, including oral antispasticity medications',
    source: SEED,
  },
  SPINAL_ORAL_BACLOFEN_REQUIRED: {
    quote:
      'For spasticity of spinal cord origin, ITB Therapy via an implantable infusion system should be reserved for patients unresponsive to oral baclofen or those who experience intolerable CNS side effects at effective doses.',
    source: LIORESAL_SCREENING,
  },
  ORAL_FAILED: {
    quote:
      'Refractory Spasticity: Patients who have failed oral baclofen therapy; Patients who experience intolerable side effects from oral medications',
    source: SEED,
  },
  MODALITIES_ALONGSIDE: {
    quote:
      'First-line treatments (try these before considering ITB): ... Physical modalities (NMES, vibration)',
    source: `${SEED}; ITB need not be held back until every other approach fails: ${PANEL_2016}`,
  },
  SPINAL_INDICATION: {
    quote:
      'Spasticity of Spinal Origin: Multiple sclerosis with severe spasticity; Spinal cord injury with disabling spasticity; Spinal cord diseases with significant spasticity',
    source: SEED,
  },
  SCREENING_TRIAL: {
    quote:
      'Trial before implantation: A test dose of intrathecal baclofen should be administered ... Proceed with pump implantation only if satisfactory response is observed',
    source: SEED,
  },
  SMALL_PATIENT_25: {
    quote: 'A 25 mcg screening dose may be used in very small patients.',
    source: `${LABEL_SCREENING}; "very small" below ${SMALL_PATIENT_KG} kg and patients relying on their spasticity: ${BENCH_ASSUMPTION} (Boster et al. 2016)`,
  },
} as const satisfies Record<string, { quote: string; source: string }>;
export type CandidacyRule = keyof typeof CANDIDACY_RULES;

/** Bad input: the case is refused, with every problem named. */
export class CandidacyInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`The case cannot be assessed: ${issues.join('; ')}`);
    this.name = 'CandidacyInputError';
  }
}

/** Validates a case (unknown input at a boundary); throws CandidacyInputError naming each field. */
export function parseCandidacyCase(input: unknown): CandidacyCase {
  const r = CandidacyCaseSchema.safeParse(input);
  if (r.success) return r.data;
  throw new CandidacyInputError(
    r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'case'}: ${i.message}`),
  );
}

const LIMITATION_WORDS: Record<FunctionalLimitation, string> = {
  pain: 'pain',
  skinHygiene: 'poor skin hygiene',
  function: 'decreased function',
  positioning: 'interference with positioning',
  caregiverBurden: 'increased caregiver burden',
  qualityOfLife: 'reduced quality of life',
};

const DRUG_WORDS: Record<OralDrug, string> = {
  baclofen: 'oral baclofen',
  tizanidine: 'tizanidine',
  dantrolene: 'dantrolene',
};

/** An oral trial counts as failed when it did not work at the maximum dose, or was not tolerated. */
function oralFailed(t: OralTrial): boolean {
  if (t.outcome === 'notTolerated') return true;
  if (t.outcome === 'effective') return false;
  return t.maxDailyDoseMg >= ORAL_MAXIMUM_MG_PER_DAY[t.drug];
}

/**
 * The recommendation for a case. Throws CandidacyInputError for input that is not a valid case (nothing
 * else throws). Order: contraindications, then "not yet" (timing, age, stability), then the first-line
 * treatments, then a screening trial.
 */
export function assessCandidacy(input: unknown): CandidacyDecision {
  const c = parseCandidacyCase(input);
  const reasons: CandidacyReason[] = [];
  const add = (rule: CandidacyRule, weight: CandidacyReason['weight'], text: string): void => {
    reasons.push({ rule, text, weight, ...CANDIDACY_RULES[rule] });
  };
  const blocked = (): CandidacyReason[] => reasons.filter((r) => r.weight === 'blocks');

  // 1. Contraindications (permanent for this patient): no trial.
  if (c.contraindications.hypersensitivityToBaclofen)
    add(
      'HYPERSENSITIVITY',
      'blocks',
      'Hypersensitivity to baclofen: intrathecal baclofen is contraindicated.',
    );
  const implant: string[] = [];
  if (c.contraindications.insufficientBodySize) implant.push('insufficient body size for the pump');
  if (c.contraindications.pumpDeeperThan25mm) implant.push('the pump would sit deeper than 2.5 cm');
  if (c.contraindications.spinalAnomalies) implant.push('spinal anomalies');
  if (implant.length)
    add('IMPLANT_CONTRAINDICATED', 'blocks', `Implantation is contraindicated: ${implant.join(', ')}.`);
  if (c.diagnosis === 'stroke')
    add(
      'STROKE_FDA_NOTE',
      'note',
      'Stroke is not a labelled indication; the guidelines support it for severe post-stroke spasticity (off-label use: say so when consenting).',
    );
  if (blocked().length)
    return decide('contraindicated', 'Contraindicated: no screening trial.', reasons, [], null, null);

  // 2. Not yet: timing, age, stability. Each gives when to reconsider.
  let reconsiderAt: number | null = null;
  const when: string[] = [];
  if (c.diagnosis === 'stroke' && c.monthsSinceOnset < STROKE_EARLIEST_MONTHS) {
    add(
      'STROKE_TOO_EARLY',
      'blocks',
      `${c.monthsSinceOnset} months after the stroke: too early; reconsider from ${STROKE_EARLIEST_MONTHS} months if the spasticity stays severe and refractory.`,
    );
    reconsiderAt = STROKE_EARLIEST_MONTHS;
    when.push(`${STROKE_EARLIEST_MONTHS} months after the stroke`);
  }
  if (c.diagnosis === 'traumaticBrainInjury' && c.monthsSinceOnset < TBI_EARLIEST_MONTHS) {
    add(
      'TBI_TOO_EARLY',
      'blocks',
      `${c.monthsSinceOnset} months after the brain injury: wait until one year after it.`,
    );
    reconsiderAt = TBI_EARLIEST_MONTHS;
    when.push('one year after the injury');
  }
  if (c.ageYears < MINIMUM_AGE_YEARS) {
    add(
      'AGE_UNDER_4',
      'blocks',
      `Age ${c.ageYears}: safety is not established below age ${MINIMUM_AGE_YEARS}.`,
    );
    const monthsToAge4 = Math.ceil((MINIMUM_AGE_YEARS - c.ageYears) * 12);
    const at = c.monthsSinceOnset + monthsToAge4;
    reconsiderAt = Math.max(reconsiderAt ?? 0, at);
    when.push(`age ${MINIMUM_AGE_YEARS}`);
  }
  if (c.contraindications.activeInfection) {
    add(
      'ACTIVE_INFECTION',
      'blocks',
      'Active infection: defer the trial and the implant until it is treated and healed.',
    );
    when.push('the infection is treated and healed');
  }
  if (c.cautions.intercurrentProblem) {
    add(
      'INTERCURRENT_PROBLEM',
      'blocks',
      'Not clinically stable (relapse, infection or unhealed wound): a trial now would mislead.',
    );
    when.push('the patient is clinically stable');
  }
  if (c.cautions.cannotReturnForRefills) {
    add(
      'CANNOT_RETURN',
      'blocks',
      'No way yet to return for titration and refills: an empty pump means withdrawal.',
    );
    when.push('titration and refill visits are arranged');
  }
  if (c.cautions.unrealisticGoals)
    add(
      'UNREALISTIC_GOALS',
      'note',
      'Goals to agree before a trial: what intrathecal baclofen can and cannot do.',
    );
  if (blocked().length)
    return decide(
      'notYet',
      `Not yet: reconsider when ${when.join(' and ')}.`,
      reasons,
      [],
      reconsiderAt,
      when.join('; '),
    );

  // 3. Is this the spasticity the therapy is for?
  if (c.severity !== 'severe') {
    add(
      'NOT_SEVERE',
      'blocks',
      `The spasticity is ${c.severity}: intrathecal baclofen is for severe spasticity; continue first-line treatment.`,
    );
  }
  if (c.functionalLimitations.length === 0) {
    add(
      'NO_FUNCTIONAL_LIMITATION',
      'blocks',
      'No functional limitation recorded: the spasticity must cause one.',
    );
  } else {
    add(
      'FUNCTIONAL_LIMITATION',
      'supports',
      `The spasticity causes ${c.functionalLimitations.map((l) => LIMITATION_WORDS[l]).join(', ')}.`,
    );
  }
  if (blocked().length)
    return decide(
      'notYet',
      'Not yet: intrathecal baclofen is for severe spasticity that limits function.',
      reasons,
      [],
      null,
      'the spasticity becomes severe and causes a functional limitation despite first-line treatment',
    );

  // 4. First-line treatments.
  const tryFirst: FirstLineTreatment[] = [];
  if (c.firstLine.positioningAndStretching === 'notTried') {
    add(
      'POSITIONING_FIRST',
      'blocks',
      'Positioning, passive stretching and range of motion have not been tried.',
    );
    tryFirst.push('positioningAndStretching');
  }
  if (c.distribution === 'focal') {
    if (c.firstLine.botulinumToxin === 'notTried' || c.firstLine.botulinumToxin === 'effective') {
      add(
        'FOCAL_BOTULINUM_FIRST',
        'blocks',
        c.firstLine.botulinumToxin === 'effective'
          ? 'Focal spasticity controlled by botulinum toxin: continue it.'
          : 'Focal spasticity: targeted botulinum toxin injections first.',
      );
      tryFirst.push('botulinumToxin');
    }
  }
  const spinal = SPINAL_DIAGNOSES.includes(c.diagnosis);
  const oralFailures = c.firstLine.oral.filter(oralFailed);
  const oralEffective = c.firstLine.oral.filter((t) => t.outcome === 'effective');
  if (c.firstLine.oral.length === 0) {
    add(
      'ORAL_NOT_TRIED',
      'blocks',
      'No oral antispasticity medication has been tried (tizanidine, oral baclofen, dantrolene).',
    );
    tryFirst.push(spinal ? 'oralBaclofen' : 'oralMedication');
  } else if (oralEffective.length) {
    add(
      'ORAL_EFFECTIVE',
      'blocks',
      `${oralEffective.map((t) => DRUG_WORDS[t.drug]).join(', ')} controls the spasticity: continue it.`,
    );
    tryFirst.push('oralMedication');
  } else if (spinal && !c.firstLine.oral.some((t) => t.drug === 'baclofen' && oralFailed(t))) {
    const b = c.firstLine.oral.find((t) => t.drug === 'baclofen');
    add(
      'SPINAL_ORAL_BACLOFEN_REQUIRED',
      'blocks',
      b
        ? `Spinal origin: oral baclofen reached ${b.maxDailyDoseMg} mg/day without intolerable side effects; raise it towards ${ORAL_MAXIMUM_MG_PER_DAY.baclofen} mg/day first.`
        : 'Spinal origin: oral baclofen has not been tried.',
    );
    tryFirst.push('oralBaclofen');
  } else if (oralFailures.length === 0) {
    const below = c.firstLine.oral
      .map((t) => `${DRUG_WORDS[t.drug]} ${t.maxDailyDoseMg} of ${ORAL_MAXIMUM_MG_PER_DAY[t.drug]} mg/day`)
      .join(', ');
    add(
      'ORAL_BELOW_MAXIMUM',
      'blocks',
      `Oral medication not yet at its maximum dose and tolerated: ${below}.`,
    );
    tryFirst.push('oralMedication');
  } else {
    add(
      'ORAL_FAILED',
      'supports',
      oralFailures
        .map((t) =>
          t.outcome === 'notTolerated'
            ? `${DRUG_WORDS[t.drug]} not tolerated at ${t.maxDailyDoseMg} mg/day${t.sideEffects.length ? ` (${t.sideEffects.join(', ')})` : ''}`
            : `${DRUG_WORDS[t.drug]} ${t.outcome === 'partial' ? 'insufficient' : 'ineffective'} at ${t.maxDailyDoseMg} mg/day`,
        )
        .join('; ') + '.',
    );
  }
  if (c.firstLine.physicalModalities === 'notTried')
    add(
      'MODALITIES_ALONGSIDE',
      'note',
      'Physical modalities (NMES, vibration) not tried: offer them alongside; they need not delay a trial.',
    );
  if (blocked().length)
    return decide('firstLineFirst', 'Try these first-line treatments first.', reasons, tryFirst, null, null);

  if (c.distribution === 'focal') {
    add(
      'FOCAL_NOT_GENERALIZED',
      'blocks',
      'Focal spasticity after botulinum toxin: intrathecal baclofen is considered for generalized spasticity.',
    );
    return decide(
      'notYet',
      'Not yet: the spasticity is focal.',
      reasons,
      [],
      null,
      'the spasticity becomes generalized',
    );
  }

  // 5. A screening trial.
  add('GENERALIZED_SEVERE', 'supports', 'Severe, generalized spasticity.');
  if (spinal) add('SPINAL_INDICATION', 'supports', 'Spasticity of spinal origin: a labelled indication.');
  if (c.diagnosis === 'stroke') {
    add(
      'STROKE_EARLY_WINDOW',
      c.monthsSinceOnset < STROKE_USUAL_MONTHS ? 'note' : 'supports',
      c.monthsSinceOnset < STROKE_USUAL_MONTHS
        ? `${c.monthsSinceOnset} months after the stroke: within the early 3-6 month window the guidelines allow.`
        : `${c.monthsSinceOnset} months after the stroke: past the 3-6 month window.`,
    );
  }
  const small = c.weightKg < SMALL_PATIENT_KG || c.cautions.reliesOnSpasticity;
  if (small)
    add(
      'SMALL_PATIENT_25',
      'note',
      c.weightKg < SMALL_PATIENT_KG
        ? `${c.weightKg} kg: start the screening at 25 mcg.`
        : 'The patient relies on the spasticity to stand or transfer: start the screening at 25 mcg.',
    );
  add(
    'SCREENING_TRIAL',
    'supports',
    'A screening trial decides: implant only after a satisfactory response.',
  );
  return decide(
    'considerScreeningTrial',
    `Consider a screening trial, starting at ${small ? SCREENING_DOSE_SMALL_MCG : SCREENING_DOSE_MCG} mcg by lumbar puncture.`,
    reasons,
    [],
    null,
    null,
    small ? SCREENING_DOSE_SMALL_MCG : SCREENING_DOSE_MCG,
  );
}

function decide(
  recommendation: Recommendation,
  summary: string,
  reasons: CandidacyReason[],
  tryFirst: FirstLineTreatment[],
  reconsiderAtMonthsSinceOnset: number | null,
  reconsiderWhen: string | null,
  firstScreeningDoseMcg: 25 | 50 | null = null,
): CandidacyDecision {
  return {
    recommendation,
    summary,
    reasons,
    tryFirst,
    reconsiderAtMonthsSinceOnset,
    reconsiderWhen,
    firstScreeningDoseMcg,
  };
}
