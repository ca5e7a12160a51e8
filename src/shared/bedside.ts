/**
 * The bedside: what a clinician at the patient's side can observe and do, as plain types and constants
 * (no zod: the renderer imports this; the request schemas are in contract.ts). The device host's bedside
 * API (firmware-sim/bedside-server.ts) answers in exactly these shapes, and never with the bench's truth
 * (no drug concentration in the spinal fluid, no effect site, no withdrawal drive or stage, no reservoir
 * truth): only what is seen, measured at the bedside or said by the patient. docs/bedside-api.md.
 */

export type BenzodiazepineDrug = 'lorazepam' | 'diazepam' | 'midazolam';

/**
 * Accepted single doses, the same ranges the virtual patient accepts (src/patient/model.ts
 * INTERVENTION_LIMITS; test/sim/bedside-api.test.ts checks they agree). Outside: refused, nothing given.
 */
export const BEDSIDE_DOSE_LIMITS = {
  ivBenzodiazepineMg: { lorazepam: [0.5, 10], diazepam: [1, 40], midazolam: [0.5, 20] },
  oralBaclofenMg: [2.5, 40],
  cyproheptadineMg: [2, 16],
  csfDrainageMl: [1, 50],
  lumbarPunctureBolusMcg: [5, 200],
} as const;

/**
 * Interventions and orders the clinical document and the references name (docs/clinical-model.md,
 * "The bedside"). Doses in clinical units: mg, mcg, mL.
 */
export type BedsideOrder =
  /** Withdrawal: restore intrathecal delivery. At the bedside this is a prompt: use the programmer. */
  | { kind: 'resumeIntrathecal' }
  | { kind: 'ivBenzodiazepine'; drug: BenzodiazepineDrug; doseMg: number }
  | { kind: 'oralBaclofen'; doseMg: number }
  | { kind: 'cyproheptadine'; doseMg: number }
  /** Overdose: lumbar puncture and removal of 30-40 mL of CSF (label). */
  | { kind: 'csfDrainage'; volumeMl: number }
  /** Withdrawal with a failed pump or catheter: an intrathecal bolus by lumbar puncture. */
  | { kind: 'lumbarPunctureBolus'; doseMcg: number }
  /** Overdose with respiratory depression: intubation and ventilation until the drug is cleared. */
  | { kind: 'airway'; support: 'ventilate' | 'extubate' }
  /** Catheter investigation: aspirate through the catheter access port. */
  | { kind: 'catheterAspiration' }
  /** Catheter investigation: imaging of the pump and catheter. */
  | { kind: 'imaging'; study: 'xray' | 'contrastStudy' }
  | { kind: 'callForHelp' }
  /** Pocket fill suspected at a refill: aspirate the pump pocket (subcutaneous tissue around the pump). */
  | { kind: 'pocketAspiration' }
  /** A referral the bedside cannot do itself: the surgeon revises the catheter or replaces the pump. */
  | { kind: 'referral'; to: BedsideReferral };

/** Surgical referrals (the clinical document: catheter revision; the pump's ERI/EOS: pump replacement). */
export type BedsideReferral = 'catheterRevision' | 'urgentPumpReplacement' | 'schedulePumpReplacement';
export const BEDSIDE_REFERRALS: readonly BedsideReferral[] = [
  'catheterRevision',
  'urgentPumpReplacement',
  'schedulePumpReplacement',
];

export type BedsideOrderKind = BedsideOrder['kind'];

export const BEDSIDE_ORDER_KINDS: readonly BedsideOrderKind[] = [
  'resumeIntrathecal',
  'ivBenzodiazepine',
  'oralBaclofen',
  'cyproheptadine',
  'csfDrainage',
  'lumbarPunctureBolus',
  'airway',
  'catheterAspiration',
  'imaging',
  'callForHelp',
  'pocketAspiration',
  'referral',
];

/** Everything recorded at the bedside: an examination, a syringe reading or an order. */
export type BedsideActionKind = 'examine' | 'refillSyringe' | BedsideOrderKind;

export type Consciousness = 'alert' | 'drowsy' | 'respondsToVoice' | 'respondsToPain' | 'unresponsive';
export type MentalStatus = 'normal' | 'confused' | 'hallucinating';

/** An examination now: observed, measured at the bedside, or said by the patient. */
export interface BedsideExam {
  /** Pump time of the examination (seconds since 1970 on the pump's clock). */
  time: number;
  vitals: {
    heartRateBpm: number;
    systolicMmHg: number;
    diastolicMmHg: number;
    temperatureC: number;
    respiratoryRatePerMin: number;
    spo2Percent: number;
    /** On a ventilator (ordered at the bedside). */
    ventilated: boolean;
  };
  /** Modified Ashworth grade of the legs: 0, 1, 1+, 2, 3, 4. */
  modifiedAshworth: '0' | '1' | '1+' | '2' | '3' | '4';
  /** Penn spasm frequency score, 0 (none) .. 4 (more than ten an hour). */
  pennSpasmFrequency: 0 | 1 | 2 | 3 | 4;
  consciousness: Consciousness;
  mentalStatus: MentalStatus;
  /** Seizures since the previous examination (witnessed or reported by the nurses). */
  seizuresSinceLastExam: number;
  /**
   * The expected benefits the clinical document lists, as a clinician asks about them at a visit
   * (docs/patient-model.md, "Outcome measures"). Pain is the patient's own rating: null when they cannot
   * give it (not alert enough to speak, or ventilated); the others come from the patient, the nurses or the
   * caregiver and are always there.
   */
  outcomes: {
    /** "How bad is your pain today, from 0 (none) to 10 (the worst imaginable)?" */
    painNrs: number | null;
    /** "How many times a night do the spasms wake you?" (0..10) */
    awakeningsPerNight: number;
    /** Independence in daily activities, 0..100 in steps of 5 (Barthel-like; 100 = independent). */
    dailyActivities: number;
    /** "How much is caring for them weighing on you?", 0 (not at all) .. 10 (overwhelming), the caregiver. */
    caregiverBurden: number;
  };
  /** Signs the clinician sees, in words. */
  signs: string[];
  /** What the patient says, in their words (nothing when they cannot speak). */
  patientSays: string[];
}

/** The syringe reading at a refill: the reservoir emptied through the refill needle. */
export interface SyringeReading {
  time: number;
  /** The volume read off the syringe, mL, at the syringe's resolution. */
  volumeMl: number;
  /** The resolution it is read at, mL (docs/clinical-model.md, "The bedside"). */
  resolutionMl: number;
  /** The syringe used, mL. */
  syringeMl: number;
  /** How many syringes it took. */
  syringes: number;
}

/** One action done at the bedside, with its pump time. */
export interface BedsideAction {
  /** 1, 2, 3 ... in the order done. */
  seq: number;
  /** Pump time. */
  time: number;
  action: BedsideActionKind;
  /** The order as given (for an examination or a syringe reading, an empty object). */
  detail: Record<string, unknown>;
  /** What came of it, in words. */
  outcome: string;
  /** For an examination: what it found (so the visits can be tabled and charted over time). */
  exam?: BedsideExam;
}

/** The answer to an order: the action recorded, and the patient examined right after. */
export interface BedsideOrderResult {
  action: BedsideAction;
}

/** At most this many actions are kept; beyond, new actions are refused (409), none is forgotten. */
export const MAX_BEDSIDE_ACTIONS = 2000;

/** The syringe: 10 mL syringes read at 0.2 mL (docs/clinical-model.md "The bedside"; an assumption). */
export const REFILL_SYRINGE = { syringeMl: 10, resolutionMl: 0.2 } as const;

export const REFERRAL_WORDS: Record<BedsideReferral, string> = {
  catheterRevision: 'Refer for catheter revision',
  urgentPumpReplacement: 'Refer for urgent pump replacement',
  schedulePumpReplacement: 'Schedule pump replacement',
};

/** The order in words, with its dose, for lists and the session record. */
export function describeOrder(o: BedsideOrder): string {
  switch (o.kind) {
    case 'resumeIntrathecal':
      return 'Resume intrathecal baclofen';
    case 'ivBenzodiazepine':
      return `IV ${o.drug} ${o.doseMg} mg`;
    case 'oralBaclofen':
      return `Oral baclofen ${o.doseMg} mg`;
    case 'cyproheptadine':
      return `Cyproheptadine ${o.doseMg} mg by mouth`;
    case 'csfDrainage':
      return `Lumbar puncture: drain ${o.volumeMl} mL of CSF`;
    case 'lumbarPunctureBolus':
      return `Intrathecal baclofen ${o.doseMcg} mcg by lumbar puncture`;
    case 'airway':
      return o.support === 'ventilate' ? 'Airway: intubate and ventilate' : 'Airway: extubate';
    case 'catheterAspiration':
      return 'Catheter access port aspiration';
    case 'imaging':
      return o.study === 'xray'
        ? 'X-ray of the pump and catheter'
        : 'Contrast study through the catheter access port';
    case 'callForHelp':
      return 'Call for help';
    case 'pocketAspiration':
      return 'Pump pocket aspiration';
    case 'referral':
      return REFERRAL_WORDS[o.to];
  }
}

/** An action in words: "Examined the patient", "Read the refill syringe", or the order. */
export function describeAction(a: Pick<BedsideAction, 'action' | 'detail'>): string {
  if (a.action === 'examine') return 'Examined the patient';
  if (a.action === 'refillSyringe') return 'Emptied the reservoir into the refill syringe';
  return describeOrder({ ...a.detail, kind: a.action } as BedsideOrder);
}

/** Daily activities (0-100) in words: the Barthel index's usual bands (Shah, Vanclay and Cooper 1989). */
export function dailyActivitiesWords(score: number): string {
  if (score >= 100) return 'independent';
  if (score >= 91) return 'slightly dependent';
  if (score >= 61) return 'moderately dependent';
  if (score >= 21) return 'severely dependent';
  return 'totally dependent';
}

/** Caregiver burden (0-10) in words (docs/patient-model.md; an assumption: the scale cut in four). */
export function caregiverBurdenWords(score: number): string {
  return score <= 2 ? 'light' : score <= 5 ? 'moderate' : score <= 8 ? 'heavy' : 'very heavy';
}
