/**
 * The words of the case form and the trial: each enumeration of src/shared/clinical/candidacy.ts with the
 * label a clinic uses. Only types are imported from there (its zod schemas stay out of the page: the CSP
 * refuses zod's code generation); `satisfies Record<...>` makes the compiler check that every value of the
 * shared enumeration has its words here, so the form cannot fall behind the rules.
 */
import type {
  CandidacyCase,
  Diagnosis,
  FirstLineTreatment,
  FunctionalLimitation,
  OralDrug,
  Recommendation,
  TreatmentOutcome,
} from '../../shared/clinical/candidacy';
import type { ScreeningAssessmentKind } from '../../shared/screening-view';

export const DIAGNOSIS_WORDS = {
  multipleSclerosis: 'Multiple sclerosis',
  spinalCordInjury: 'Spinal cord injury',
  spinalCordDisease: 'Other spinal cord disease',
  stroke: 'Stroke',
  traumaticBrainInjury: 'Traumatic brain injury',
  cerebralPalsy: 'Cerebral palsy',
  otherCerebral: 'Other cerebral origin',
} as const satisfies Record<Diagnosis, string>;

export const OUTCOME_WORDS = {
  notTried: 'Not tried',
  effective: 'Effective',
  partial: 'Partly effective',
  ineffective: 'Not effective',
  notTolerated: 'Not tolerated',
} as const satisfies Record<TreatmentOutcome, string>;

export const ORAL_DRUG_WORDS = {
  baclofen: 'Oral baclofen',
  tizanidine: 'Tizanidine',
  dantrolene: 'Dantrolene',
} as const satisfies Record<OralDrug, string>;

export const LIMITATION_WORDS = {
  pain: 'Pain',
  skinHygiene: 'Skin care and hygiene',
  function: 'Function (transfers, walking, use of the hands)',
  positioning: 'Positioning and seating',
  caregiverBurden: 'Caregiver burden',
  qualityOfLife: 'Quality of life (sleep, daily activities)',
} as const satisfies Record<FunctionalLimitation, string>;

export const CONTRAINDICATION_WORDS = {
  hypersensitivityToBaclofen: 'Hypersensitivity to baclofen',
  activeInfection: 'Active infection',
  insufficientBodySize: 'Body size too small for the pump',
  pumpDeeperThan25mm: 'Pump would sit deeper than 2.5 cm under the skin',
  spinalAnomalies: 'Spinal anomalies that prevent catheter placement',
} as const satisfies Record<keyof CandidacyCase['contraindications'], string>;

export const CAUTION_WORDS = {
  intercurrentProblem: 'An intercurrent problem now (relapse, urinary infection, unhealed wound)',
  cannotReturnForRefills: 'Cannot return to the clinic for titration and refills',
  unrealisticGoals: 'Goals that intrathecal baclofen cannot meet',
  reliesOnSpasticity: 'Relies on the spasticity to stand or transfer',
} as const satisfies Record<keyof CandidacyCase['cautions'], string>;

export const FIRST_LINE_WORDS = {
  positioningAndStretching: 'Positioning and stretching',
  oralMedication: 'Oral antispasticity medication',
  oralBaclofen: 'Oral baclofen',
  botulinumToxin: 'Botulinum toxin injections',
  physicalModalities: 'Physical modalities (physiotherapy, splinting, casting)',
} as const satisfies Record<FirstLineTreatment, string>;

export const RECOMMENDATION_WORDS = {
  considerScreeningTrial: 'Consider a screening trial',
  firstLineFirst: 'Try first-line treatments first',
  notYet: 'Not yet',
  contraindicated: 'Contraindicated',
} as const satisfies Record<Recommendation, string>;

export const ASSESSMENT_WORDS = {
  tone: 'Tone (Modified Ashworth)',
  spasms: 'Spasm frequency (Penn)',
  vitals: 'Vital signs',
  sedation: 'Level of consciousness',
  report: 'What the patient reports',
} as const satisfies Record<ScreeningAssessmentKind, string>;

export const CONSCIOUSNESS_WORDS: Record<string, string> = {
  alert: 'alert',
  drowsy: 'drowsy',
  respondsToVoice: 'responds to voice only',
  respondsToPain: 'responds to pain only',
  unresponsive: 'unresponsive',
};

export const PENN_WORDS = [
  'no spasms',
  'spasms on stimulation only',
  'under 1 an hour',
  '1 to 10 an hour',
  'over 10 an hour',
];

/** A case form as first shown: nothing assumed, every answer to be given. */
export function blankCase(): CandidacyCase {
  return {
    diagnosis: 'multipleSclerosis',
    monthsSinceOnset: 0,
    ageYears: 40,
    weightKg: 70,
    severity: 'severe',
    distribution: 'generalized',
    firstLine: {
      positioningAndStretching: 'notTried',
      oral: [],
      botulinumToxin: 'notTried',
      physicalModalities: 'notTried',
    },
    functionalLimitations: [],
    contraindications: {
      hypersensitivityToBaclofen: false,
      activeInfection: false,
      insufficientBodySize: false,
      pumpDeeperThan25mm: false,
      spinalAnomalies: false,
    },
    cautions: {
      intercurrentProblem: false,
      cannotReturnForRefills: false,
      unrealisticGoals: false,
      reliesOnSpasticity: false,
    },
  };
}
