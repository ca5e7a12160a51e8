/**
 * The virtual patient's data shapes. Plain JSON-safe data; every quantity names its unit in its field
 * name (Mcg, NgPerMl, Bpm, MmHg, C, PerMin, Percent, UPerL, H, Days, Ml, Kg). Times are pump seconds
 * (seconds since 1970 on the pump's clock), the clock the patient is advanced on.
 */
export type ProfileId = 'spinal' | 'cerebral' | 'pediatric-cp';

export interface PatientParams {
  profile: ProfileId;
  seed: number;
  description: string;
  /** False for the non-responder seeds (profiles.ts NON_RESPONDER_SEEDS): no antispastic effect to speak of. */
  responder: boolean;
  weightKg: number;
  csfHalfLifeH: number;
  csfClearanceMlPerH: number;
  /** Apparent volume the intrathecal drug spreads in: clearance x half-life / ln 2. */
  csfDistributionVolumeMl: number;
  effectHalfLifeH: number;
  /** Effect-site concentration giving half the maximal antispastic effect in a baclofen-naive patient. */
  ec50NgPerMl: number;
  hill: number;
  /** EC50 rises by this much per ng/mL of long-term exposure (tolerance). */
  toleranceGain: number;
  toleranceHalfLifeDays: number;
  dependenceHalfLifeDays: number;
  withdrawalHalfLifeH: number;
  complicationHalfLifeH: number;
  /** Effect-site concentration where CNS depression begins in a naive patient. */
  sedationThresholdNgPerMl: number;
  /** The sedation threshold rises by this much per ng/mL of dependence (adaptation). */
  sedationAdaptation: number;
  /** Muscle tone without drug on a continuous 0-5 scale (the Modified Ashworth grades 0,1,1+,2,3,4). */
  baselineTone: number;
  /** Spasm frequency without drug on the continuous Penn scale 0-4. */
  baselineSpasms: number;
  heartRateBpm: number;
  systolicMmHg: number;
  diastolicMmHg: number;
  respiratoryRatePerMin: number;
  temperatureC: number;
  autonomicDysreflexiaRisk: boolean;
  establishedDoseMcgPerDay: number;
  benzoHalfLifeH: number;
  oralAbsorptionHalfLifeH: number;
  oralHalfLifeH: number;
  cyproHalfLifeH: number;
}

/** Indices into PatientState.x (the linear compartment states). */
export const X = {
  csfMcg: 0,
  effectNgPerMl: 1,
  dependenceNgPerMl: 2,
  exposureNgPerMl: 3,
  withdrawalDriveNgPerMl: 4,
  complicationNgPerMl: 5,
  benzoDiazepamEqMg: 6,
  oralGutMg: 7,
  oralPlasmaMg: 8,
  cyproheptadineMg: 9,
} as const;
export const X_COUNT = 10;

export type MasGrade = '0' | '1' | '1+' | '2' | '3' | '4';
export type Consciousness = 'alert' | 'drowsy' | 'respondsToVoice' | 'respondsToPain' | 'unresponsive';
export type MentalStatus = 'normal' | 'confused' | 'hallucinating';
export type WithdrawalStage = 'none' | 'early' | 'moderate' | 'severe' | 'lifeThreatening';
export type OverdoseStage = 'none' | 'mild' | 'moderate' | 'severe';
export type HypotoniaExtent = 'none' | 'lowerLimbs' | 'trunk' | 'upperLimbs' | 'generalized';

export type Intervention =
  | { kind: 'ivBenzodiazepine'; drug: 'lorazepam' | 'diazepam' | 'midazolam'; doseMg: number }
  | { kind: 'oralBaclofen'; doseMg: number }
  | { kind: 'cyproheptadine'; doseMg: number }
  | { kind: 'csfDrainage'; volumeMl: number }
  | { kind: 'ventilation'; on: boolean }
  | { kind: 'lumbarPunctureBolus'; doseMcg: number };

export type InterventionKind = Intervention['kind'];

export type PatientEvent =
  | { time: number; kind: 'intervention'; intervention: Intervention }
  | { time: number; kind: 'seizure' }
  | { time: number; kind: 'withdrawalStage'; stage: WithdrawalStage }
  | { time: number; kind: 'overdoseStage'; stage: OverdoseStage };

/** The history, flat: each sample is HISTORY_STRIDE numbers, [time, then HISTORY_FIELDS in order]. */
export type HistoryBuffer = number[];

export interface PatientState {
  version: 1;
  params: PatientParams;
  /** Pump time the state describes. */
  now: number;
  /** Linear compartment states (see X). */
  x: number[];
  ventilated: boolean;
  /** Seizure pressure integrated on the history grid; a seizure each time it passes 1. */
  seizureAccumulator: number;
  seizureCount: number;
  /** Intrathecal baclofen received, all routes (pump and lumbar puncture), mcg. */
  receivedIntrathecalMcg: number;
  withdrawalStage: WithdrawalStage;
  overdoseStage: OverdoseStage;
  /** Flat (one array, not one per sample: a year of samples costs no allocation each). */
  history: HistoryBuffer;
  events: PatientEvent[];
}

/** The expected benefits the clinical document lists, as measures (./outcomes.ts; docs/patient-model.md). */
export interface OutcomeMeasures {
  /** Pain on the 0-10 numeric rating scale (0 no pain, 10 worst imaginable), the patient's own rating. */
  painNrs: number;
  /** Times a night the patient is woken (by spasms, or by withdrawal's itching and restlessness), 0..10. */
  awakeningsPerNight: number;
  /** Independence in daily activities, 0 (dependent for all care) .. 100 (independent), steps of 5. */
  dailyActivities: number;
  /** Caregiver burden, 0 (none) .. 10 (overwhelming), as the caregiver rates it. */
  caregiverBurden: number;
}

/** What a clinician could assess at the bedside, and the model's internals beside it (bench truth). */
export interface PatientFindings {
  time: number;
  profile: ProfileId;
  seed: number;
  pk: {
    csfBaclofenNgPerMl: number;
    effectSiteNgPerMl: number;
    csfBaclofenMcg: number;
    dependenceNgPerMl: number;
    toleranceEc50NgPerMl: number;
    receivedIntrathecalMcg: number;
  };
  /** Antispastic effect, 0 (none) .. 1 (maximal). */
  effect: number;
  scores: {
    modifiedAshworth: MasGrade;
    /** Continuous tone behind the grade (0 = grade 0 ... 5 = grade 4). */
    toneScore: number;
    pennSpasmFrequency: 0 | 1 | 2 | 3 | 4;
    /** Continuous spasm frequency behind the Penn score (0..4). */
    spasmScore: number;
  };
  /** Pain, sleep, daily activities and caregiver burden (the document's expected benefits). */
  outcomes: OutcomeMeasures;
  vitals: {
    heartRateBpm: number;
    systolicMmHg: number;
    diastolicMmHg: number;
    temperatureC: number;
    respiratoryRatePerMin: number;
    spo2Percent: number;
    ventilated: boolean;
  };
  consciousness: Consciousness;
  mentalStatus: MentalStatus;
  hypotonia: HypotoniaExtent;
  pruritus: boolean;
  piloerection: boolean;
  ckUPerL: number;
  seizureCount: number;
  withdrawal: {
    stage: WithdrawalStage;
    /** Severity of the signs, 0..1+ (after benzodiazepine, oral baclofen and cyproheptadine blunting). */
    signSeverity: number;
    /** The underlying drive, 0..1+: how far the effect has fallen below what the patient depends on. */
    drive: number;
  };
  overdose: {
    stage: OverdoseStage;
    /** Effect-site concentration over the patient's sedation threshold (1 = threshold). */
    ratio: number;
  };
  interventions: {
    benzodiazepineDiazepamEqMg: number;
    oralBaclofenPlasmaMg: number;
    cyproheptadineMg: number;
  };
  symptoms: string[];
}
