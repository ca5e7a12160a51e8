/**
 * The virtual patient: a pure model (no I/O, no clock of its own) driven by the baclofen that truly reaches
 * the CSF. Time enters only as `advancePatient(state, to, deliveredMcg)`: the drug delivered over the
 * interval is taken as a constant rate (the host calls it at every pump event, where the rate changes).
 *
 * Structure (docs/patient-model.md):
 *   CSF amount --ke--> out         (first-order elimination, clearance ~ CSF turnover)
 *   CSF conc. --ke0--> effect site (delayed effect)
 *   effect site --> dependence (days), long-term exposure (months: tolerance), withdrawal drive (hours)
 *   withdrawal drive --> complications (rhabdomyolysis, organ failure)
 *   IV benzodiazepine, oral baclofen (gut -> plasma), cyproheptadine: first-order elimination
 * All of that is linear and solved in closed form (./linear.ts); scores, vital signs and stages are
 * instantaneous functions of the states. History samples, stage changes and seizures are taken on a fixed
 * 15-minute grid of pump time, so they too do not depend on how the host cut time up.
 */
import { evaluate, evaluateGrid, solveLinear, type LinearSystem } from './linear';
import { patientParams, PROFILE_IDS } from './profiles';
import { outcomeMeasures } from './outcomes';
import {
  X,
  X_COUNT,
  type Consciousness,
  type HypotoniaExtent,
  type Intervention,
  type MasGrade,
  type MentalStatus,
  type OverdoseStage,
  type PatientEvent,
  type PatientFindings,
  type PatientParams,
  type PatientState,
  type ProfileId,
  type WithdrawalStage,
} from './types';

// Local copies of the state indices: plain constants in the hot loops (not live module bindings).
const I_CSF_MCG = X.csfMcg;
const I_EFFECT_NG_PER_ML = X.effectNgPerMl;
const I_DEPENDENCE_NG_PER_ML = X.dependenceNgPerMl;
const I_EXPOSURE_NG_PER_ML = X.exposureNgPerMl;
const I_WITHDRAWAL_DRIVE_NG_PER_ML = X.withdrawalDriveNgPerMl;
const I_COMPLICATION_NG_PER_ML = X.complicationNgPerMl;
const I_BENZO_DIAZEPAM_EQ_MG = X.benzoDiazepamEqMg;
const I_ORAL_GUT_MG = X.oralGutMg;
const I_ORAL_PLASMA_MG = X.oralPlasmaMg;
const I_CYPROHEPTADINE_MG = X.cyproheptadineMg;
const N_STATES = X_COUNT;
/** The input vector (only the CSF has one), reused: solveLinear reads it and keeps nothing of it. */
const INPUT = new Array<number>(X_COUNT).fill(0);

/** History grid, pump seconds. */
export const HISTORY_INTERVAL_S = 900;
/** Samples kept: 21 days at 15 minutes. */
export const HISTORY_CAPACITY = 21 * 96;
export const EVENTS_CAPACITY = 500;

const H = 3600;
const LN2 = Math.LN2;
const MAS: readonly MasGrade[] = ['0', '1', '1+', '2', '3', '4'];
const CONSCIOUSNESS: readonly Consciousness[] = [
  'alert',
  'drowsy',
  'respondsToVoice',
  'respondsToPain',
  'unresponsive',
];
export const WITHDRAWAL_STAGES: readonly WithdrawalStage[] = [
  'none',
  'early',
  'moderate',
  'severe',
  'lifeThreatening',
];
export const OVERDOSE_STAGES: readonly OverdoseStage[] = ['none', 'mild', 'moderate', 'severe'];

/** Diazepam-equivalent mg per mg (assumption: common equivalence tables, lorazepam 1 mg ~ diazepam 10 mg). */
export const BENZO_DIAZEPAM_EQ = { diazepam: 1, lorazepam: 10, midazolam: 2 } as const;
/** Accepted single doses; anything outside is refused (a bench typo must not become a lethal dose). */
export const INTERVENTION_LIMITS = {
  ivBenzodiazepine: { lorazepam: [0.5, 10], diazepam: [1, 40], midazolam: [0.5, 20] },
  oralBaclofenMg: [2.5, 40],
  cyproheptadineMg: [2, 16],
  csfDrainageMl: [1, 50],
  lumbarPunctureBolusMcg: [5, 200],
} as const;

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const ramp = (v: number, from: number, to: number): number => clamp((v - from) / (to - from), 0, 1);
const POW10 = [1, 10, 100, 1000];
const round = (v: number, digits: number): number => {
  const f = POW10[digits]!;
  return Math.round(v * f) / f;
};

// ------------------------------------------------------------------ the linear system

const systems = new WeakMap<PatientParams, LinearSystem>();

export function linearSystem(p: PatientParams): LinearSystem {
  const cached = systems.get(p);
  if (cached) return cached;
  const ke = LN2 / p.csfHalfLifeH;
  const ke0 = LN2 / p.effectHalfLifeH;
  const kd = LN2 / (p.dependenceHalfLifeDays * 24);
  const kl = LN2 / (p.toleranceHalfLifeDays * 24);
  const kw = LN2 / p.withdrawalHalfLifeH;
  const kk = LN2 / p.complicationHalfLifeH;
  const ka = LN2 / p.oralAbsorptionHalfLifeH;
  const k = new Array<number>(N_STATES);
  k[I_CSF_MCG] = ke;
  k[I_EFFECT_NG_PER_ML] = ke0;
  k[I_DEPENDENCE_NG_PER_ML] = kd;
  k[I_EXPOSURE_NG_PER_ML] = kl;
  k[I_WITHDRAWAL_DRIVE_NG_PER_ML] = kw;
  k[I_COMPLICATION_NG_PER_ML] = kk;
  k[I_BENZO_DIAZEPAM_EQ_MG] = LN2 / p.benzoHalfLifeH;
  k[I_ORAL_GUT_MG] = ka;
  k[I_ORAL_PLASMA_MG] = LN2 / p.oralHalfLifeH;
  k[I_CYPROHEPTADINE_MG] = LN2 / p.cyproHalfLifeH;
  const sys: LinearSystem = {
    k,
    links: [
      // mcg in the CSF -> ng/mL at the effect site: x 1000 / distribution volume.
      { to: X.effectNgPerMl, from: X.csfMcg, gain: (ke0 * 1000) / p.csfDistributionVolumeMl },
      { to: X.dependenceNgPerMl, from: X.effectNgPerMl, gain: kd },
      { to: X.exposureNgPerMl, from: X.effectNgPerMl, gain: kl },
      { to: X.withdrawalDriveNgPerMl, from: X.effectNgPerMl, gain: -kw },
      { to: X.withdrawalDriveNgPerMl, from: X.dependenceNgPerMl, gain: kw },
      { to: X.complicationNgPerMl, from: X.withdrawalDriveNgPerMl, gain: kk },
      { to: X.oralPlasmaMg, from: X.oralGutMg, gain: ka },
    ],
  };
  systems.set(p, sys);
  return sys;
}

// ------------------------------------------------------------------ creation

export interface CreatePatientOptions {
  profile: ProfileId;
  seed?: number;
  /** Pump time of the patient's start. */
  time: number;
  /**
   * The intrathecal daily dose the patient is established on (mcg/day): the patient starts at steady state
   * on it (adapted, tolerant, dependent). 0 = baclofen-naive. Default: the profile's maintenance dose.
   */
  establishedDoseMcgPerDay?: number;
}

export function createPatientState(o: CreatePatientOptions): PatientState {
  if (!(PROFILE_IDS as readonly string[]).includes(o.profile))
    throw new RangeError(`unknown patient profile "${String(o.profile)}" (one of ${PROFILE_IDS.join(', ')})`);
  if (!Number.isSafeInteger(o.time) || o.time < 0)
    throw new RangeError('time must be a non-negative integer');
  const params = patientParams(o.profile, o.seed ?? 0);
  const dose = o.establishedDoseMcgPerDay ?? params.establishedDoseMcgPerDay;
  if (typeof dose !== 'number' || !Number.isFinite(dose) || dose < 0 || dose > 5000)
    throw new RangeError(`established dose must be 0..5000 mcg/day, got ${String(dose)}`);
  const x = new Array<number>(N_STATES).fill(0);
  if (dose > 0) {
    const amount = dose / 24 / (LN2 / params.csfHalfLifeH);
    const c = (amount * 1000) / params.csfDistributionVolumeMl;
    x[I_CSF_MCG] = amount;
    x[I_EFFECT_NG_PER_ML] = c;
    x[I_DEPENDENCE_NG_PER_ML] = c;
    x[I_EXPOSURE_NG_PER_ML] = c;
  }
  const s: PatientState = {
    version: 1,
    params,
    now: o.time,
    x,
    ventilated: false,
    seizureAccumulator: 0,
    seizureCount: 0,
    receivedIntrathecalMcg: 0,
    withdrawalStage: 'none',
    overdoseStage: 'none',
    history: [],
    events: [],
  };
  const d = derive(params, x, false, o.time);
  s.withdrawalStage = d.withdrawalStage;
  s.overdoseStage = d.overdoseStage;
  return s;
}

// ------------------------------------------------------------------ pharmacodynamics and findings

interface Derived {
  csfNgPerMl: number;
  effectSite: number;
  ec50: number;
  effect: number;
  tone: number;
  spasms: number;
  drive: number;
  signs: number;
  complication: number;
  ratio: number;
  depression: number;
  hr: number;
  sbp: number;
  dbp: number;
  temp: number;
  rr: number;
  spo2: number;
  ck: number;
  consciousness: Consciousness;
  mental: MentalStatus;
  hypotonia: HypotoniaExtent;
  pruritus: boolean;
  piloerection: boolean;
  seizurePressure: number;
  withdrawalStage: WithdrawalStage;
  overdoseStage: OverdoseStage;
  benzo: number;
  oral: number;
  cypro: number;
}

function withdrawalStageOf(signs: number, drive: number, complication: number): WithdrawalStage {
  if (complication >= 0.8 && drive >= 0.5) return 'lifeThreatening';
  return signs >= 0.75 ? 'severe' : signs >= 0.4 ? 'moderate' : signs >= 0.1 ? 'early' : 'none';
}

function overdoseStageOf(ratio: number): OverdoseStage {
  return ratio >= 2.5 ? 'severe' : ratio >= 1.6 ? 'moderate' : ratio >= 1 ? 'mild' : 'none';
}

function seizurePressureOf(signs: number, ratio: number): number {
  return ramp(signs, 0.75, 1) + ramp(ratio, 2.5, 3.5);
}

/** Just what the history grid tracks (stages, seizures): the same formulas as derive, fewer of them. */
function gridCore(
  p: PatientParams,
  x: readonly number[],
): { withdrawal: WithdrawalStage; overdose: OverdoseStage; seizurePressure: number } {
  const ce = Math.max(0, x[I_EFFECT_NG_PER_ML]!);
  const dep = Math.max(0, x[I_DEPENDENCE_NG_PER_ML]!);
  const ref = Math.max(dep, 100);
  const drive = clamp(x[I_WITHDRAWAL_DRIVE_NG_PER_ML]! / ref, 0, 1.2);
  const complication = clamp(x[I_COMPLICATION_NG_PER_ML]! / ref, 0, 1.2);
  const benzoMg = Math.max(0, x[I_BENZO_DIAZEPAM_EQ_MG]!);
  const oralMg = Math.max(0, x[I_ORAL_PLASMA_MG]!);
  const signs = drive * (1 - 0.75 * (benzoMg / (benzoMg + 20))) * (1 - 0.35 * (oralMg / (oralMg + 30)));
  const ratio = ce / (p.sedationThresholdNgPerMl + p.sedationAdaptation * dep);
  return {
    withdrawal: withdrawalStageOf(signs, drive, complication),
    overdose: overdoseStageOf(ratio),
    seizurePressure: seizurePressureOf(signs, ratio),
  };
}

/** Every finding as a function of the compartment states (and time, for blood-pressure swings). */
export function derive(p: PatientParams, x: readonly number[], ventilated: boolean, time: number): Derived {
  const amount = Math.max(0, x[I_CSF_MCG]!);
  const csfNgPerMl = (amount * 1000) / p.csfDistributionVolumeMl;
  const ce = Math.max(0, x[I_EFFECT_NG_PER_ML]!);
  const dep = Math.max(0, x[I_DEPENDENCE_NG_PER_ML]!);
  const ec50 = p.ec50NgPerMl + p.toleranceGain * Math.max(0, x[I_EXPOSURE_NG_PER_ML]!);
  const r = ce / ec50;
  const rn = r ** p.hill;
  const effect = rn / (1 + rn);
  // Withdrawal is measured against what the patient depends on (at least a floor, so that a naive
  // patient's tiny dependence cannot give a large relative fall).
  const ref = Math.max(dep, 100);
  const drive = clamp(x[I_WITHDRAWAL_DRIVE_NG_PER_ML]! / ref, 0, 1.2);
  const complication = clamp(x[I_COMPLICATION_NG_PER_ML]! / ref, 0, 1.2);
  const benzoMg = Math.max(0, x[I_BENZO_DIAZEPAM_EQ_MG]!);
  const oralMg = Math.max(0, x[I_ORAL_PLASMA_MG]!);
  const cyproMg = Math.max(0, x[I_CYPROHEPTADINE_MG]!);
  const benzo = benzoMg / (benzoMg + 20);
  const oral = oralMg / (oralMg + 30);
  const cypro = cyproMg / (cyproMg + 6);
  const signs = drive * (1 - 0.75 * benzo) * (1 - 0.35 * oral);
  const ratio = ce / (p.sedationThresholdNgPerMl + p.sedationAdaptation * dep);
  const depression = ratio + 1.4 * benzo + 0.5 * oral;

  const flaccid = ramp(ratio, 1, 2);
  const tone = clamp(p.baselineTone * (1 - effect) * (1 - flaccid) + 1.6 * signs, 0, 5);
  const spasms = clamp(p.baselineSpasms * (1 - effect) * (1 - flaccid) + 1.8 * signs, 0, 4);

  const phase = (2 * Math.PI * time) / (3 * H);
  const lability = ramp(signs, 0.35, 0.9);
  let sbp = p.systolicMmHg + 12 * signs;
  let hrSwing = 0;
  if (lability > 0) {
    // Autonomic instability: blood pressure and heart rate swing (a deterministic 3-hour wave).
    sbp += 30 * lability * Math.sin(phase);
    // T6 and above: spasms and a full bladder trigger autonomic dysreflexia (hypertensive surges).
    if (p.autonomicDysreflexiaRisk) sbp += 45 * lability * Math.max(0, Math.sin(phase * 1.7)) ** 4;
    hrSwing = 8 * lability * Math.sin(phase * 1.3);
  }
  sbp -= 35 * ramp(ratio, 1.5, 3);
  const dbp = p.diastolicMmHg + (sbp - p.systolicMmHg) * 0.55;
  const hr =
    p.heartRateBpm + 60 * ramp(signs, 0.05, 0.9) * (1 - 0.65 * cypro) - 22 * ramp(ratio, 1.6, 3) + hrSwing;
  let fever = 3.4 * ramp(signs, 0.3, 1);
  fever -= Math.min(fever, 2 * cypro);
  const temp = p.temperatureC + fever - 1.8 * ramp(ratio, 1.6, 3);
  const spontaneousRr = p.respiratoryRatePerMin * (1 + 0.5 * signs) * (1 - 0.8 * ramp(depression, 1.3, 2.8));
  const rr = ventilated ? Math.max(spontaneousRr, p.respiratoryRatePerMin) : spontaneousRr;
  const spo2 = ventilated ? 97 : 97 - 30 * ramp(depression, 1.6, 3);
  const ck = 120 + 180 * signs + 40_000 * ramp(complication, 0.45, 1) ** 2;

  const consciousness: Consciousness =
    depression < 1
      ? 'alert'
      : depression < 1.6
        ? 'drowsy'
        : depression < 2
          ? 'respondsToVoice'
          : depression < 2.5
            ? 'respondsToPain'
            : 'unresponsive';
  const mental: MentalStatus = signs >= 0.75 ? 'hallucinating' : signs >= 0.4 ? 'confused' : 'normal';
  const hypotonia: HypotoniaExtent =
    ratio >= 2.5
      ? 'generalized'
      : ratio >= 2
        ? 'upperLimbs'
        : ratio >= 1.6
          ? 'trunk'
          : ratio >= 1 || effect >= 0.93
            ? 'lowerLimbs'
            : 'none';
  const itch = drive * (1 - 0.75 * benzo) * (1 - 0.8 * cypro);
  const withdrawalStage = withdrawalStageOf(signs, drive, complication);
  const overdoseStage = overdoseStageOf(ratio);
  return {
    csfNgPerMl,
    effectSite: ce,
    ec50,
    effect,
    tone,
    spasms,
    drive,
    signs,
    complication,
    ratio,
    depression,
    hr,
    sbp,
    dbp,
    temp,
    rr,
    spo2,
    ck,
    consciousness,
    mental,
    hypotonia,
    pruritus: itch >= 0.1 && signs >= 0.1,
    piloerection: signs >= 0.1 && signs < 0.75,
    seizurePressure: seizurePressureOf(signs, ratio),
    withdrawalStage,
    overdoseStage,
    benzo: benzoMg,
    oral: oralMg,
    cypro: cyproMg,
  };
}

function symptoms(d: Derived, seizures: number): string[] {
  const out: string[] = [];
  if (d.withdrawalStage !== 'none') {
    if (d.tone > 0) out.push('return of spasticity');
    if (d.pruritus) out.push('pruritus without rash');
    if (d.hr >= 100) out.push('tachycardia');
    if (d.piloerection) out.push('piloerection');
    if (d.temp >= 38) out.push('fever');
    if (d.mental === 'confused') out.push('altered mental status');
    if (d.mental === 'hallucinating') out.push('hallucinations');
    if (d.signs >= 0.4) out.push('autonomic instability (blood pressure swings)');
    if (d.signs >= 0.75) out.push('rigidity');
    if (d.ck >= 1000) out.push('rhabdomyolysis (CK rising)');
    if (d.withdrawalStage === 'lifeThreatening') out.push('multi-organ failure');
  }
  // A side effect of more drug than the patient needs (seed document: hypotonia, urinary retention, drowsiness).
  if (d.effect >= 0.93 || d.ratio >= 1) out.push('urinary retention');
  if (d.depression >= 1) out.push('drowsiness', 'dizziness');
  if (d.depression >= 1.3) out.push('somnolence');
  if (d.hypotonia !== 'none') out.push(`hypotonia (${hypotoniaWords(d.hypotonia)})`);
  if (d.rr < 10 || d.spo2 < 92) out.push('respiratory depression');
  if (d.temp < 35.5) out.push('hypothermia');
  if (d.hr < 50) out.push('bradycardia');
  if (d.sbp < 90) out.push('hypotension');
  if (d.consciousness === 'unresponsive') out.push('coma');
  if (d.seizurePressure > 0) out.push(seizures > 0 ? 'seizures' : 'seizure risk');
  return [...new Set(out)];
}

function hypotoniaWords(h: HypotoniaExtent): string {
  return {
    none: '',
    lowerLimbs: 'legs',
    trunk: 'legs and trunk',
    upperLimbs: 'legs, trunk and arms',
    generalized: 'generalized',
  }[h];
}

// ------------------------------------------------------------------ time

/** The fields of a history sample after its time, in order (see historyRows). */
export const HISTORY_FIELDS = [
  'csfBaclofenNgPerMl',
  'effectSiteNgPerMl',
  'effect',
  'toneScore',
  'modifiedAshworthIndex',
  'pennSpasmFrequency',
  'heartRateBpm',
  'systolicMmHg',
  'diastolicMmHg',
  'temperatureC',
  'respiratoryRatePerMin',
  'spo2Percent',
  'consciousnessIndex',
  'withdrawalStageIndex',
  'withdrawalSignSeverity',
  'overdoseStageIndex',
  'overdoseRatio',
  'ckUPerL',
] as const;

/**
 * Numbers per history sample: the time, the compartment states (rounded to 1/1000) and ventilation (0/1).
 * Rows are derived from them when asked for (historyRows): the grid itself only tracks stages and seizures,
 * which keeps a simulated year cheap.
 */
export const HISTORY_STRIDE = N_STATES + 2;

function pushSample(h: number[], x: readonly number[], ventilated: boolean, time: number): void {
  h.push(time);
  for (let i = 0; i < N_STATES; i += 1) h.push(Math.round(x[i]! * 1000) / 1000);
  h.push(ventilated ? 1 : 0);
}

function pushEvent(s: PatientState, e: PatientEvent): void {
  s.events.push(e);
  if (s.events.length > EVENTS_CAPACITY + EVENTS_CAPACITY / 4)
    s.events.splice(0, s.events.length - EVENTS_CAPACITY);
}

/** A grid instant: record the sample, stage changes and seizures. */
function onGrid(s: PatientState, x: readonly number[], time: number): void {
  const d = gridCore(s.params, x);
  pushSample(s.history, x, s.ventilated, time);
  const samples = s.history.length / HISTORY_STRIDE;
  if (samples > HISTORY_CAPACITY + HISTORY_CAPACITY / 4)
    s.history.splice(0, (samples - HISTORY_CAPACITY) * HISTORY_STRIDE);
  if (d.withdrawal !== s.withdrawalStage) {
    s.withdrawalStage = d.withdrawal;
    pushEvent(s, { time, kind: 'withdrawalStage', stage: d.withdrawal });
  }
  if (d.overdose !== s.overdoseStage) {
    s.overdoseStage = d.overdose;
    pushEvent(s, { time, kind: 'overdoseStage', stage: d.overdose });
  }
  // Assumption: at full pressure one generalised seizure every 2 h.
  s.seizureAccumulator += (d.seizurePressure * HISTORY_INTERVAL_S) / (2 * H);
  if (d.seizurePressure === 0) s.seizureAccumulator = 0;
  while (s.seizureAccumulator >= 1) {
    s.seizureAccumulator -= 1;
    s.seizureCount += 1;
    pushEvent(s, { time, kind: 'seizure' });
  }
}

/**
 * Advances the patient (mutates `s`) from s.now to `to`, with `deliveredMcg` of baclofen reaching the CSF
 * evenly over the interval (all at once when `to` equals now: a bolus).
 */
export function advancePatient(s: PatientState, to: number, deliveredMcg: number): void {
  if (!Number.isSafeInteger(to)) throw new RangeError(`time must be an integer number of seconds: ${to}`);
  if (to < s.now) throw new RangeError(`time cannot go backwards (now ${s.now}, requested ${to})`);
  if (!Number.isFinite(deliveredMcg) || deliveredMcg < 0)
    throw new RangeError(`delivered drug must be a non-negative number of mcg, got ${deliveredMcg}`);
  s.receivedIntrathecalMcg += deliveredMcg;
  if (to === s.now) {
    s.x[I_CSF_MCG]! += deliveredMcg;
    return;
  }
  const sys = linearSystem(s.params);
  INPUT[I_CSF_MCG] = deliveredMcg / ((to - s.now) / H);
  const sol = solveLinear(sys, s.x, INPUT);
  const start = s.now;
  const firstGrid = (Math.floor(start / HISTORY_INTERVAL_S) + 1) * HISTORY_INTERVAL_S;
  if (firstGrid <= to) {
    const count = Math.floor((to - firstGrid) / HISTORY_INTERVAL_S) + 1;
    evaluateGrid(sol, (firstGrid - start) / H, HISTORY_INTERVAL_S / H, count, (x, i) =>
      onGrid(s, x, firstGrid + i * HISTORY_INTERVAL_S),
    );
  }
  s.x = evaluate(sol, (to - start) / H, []);
  s.now = to;
}

// ------------------------------------------------------------------ interventions

/** Throws a RangeError naming the problem when an intervention is malformed (nothing changes). */
export function checkIntervention(iv: Intervention): void {
  const bad = (m: string): never => {
    throw new RangeError(`invalid intervention: ${m}`);
  };
  const within = (v: unknown, [lo, hi]: readonly [number, number], what: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) bad(`${what} must be ${lo}..${hi}`);
  };
  switch (iv?.kind) {
    case 'ivBenzodiazepine': {
      const lim = INTERVENTION_LIMITS.ivBenzodiazepine[iv.drug];
      if (!lim) bad('drug must be lorazepam, diazepam or midazolam');
      within(iv.doseMg, lim, `${iv.drug} doseMg`);
      return;
    }
    case 'oralBaclofen':
      within(iv.doseMg, INTERVENTION_LIMITS.oralBaclofenMg, 'oral baclofen doseMg');
      return;
    case 'cyproheptadine':
      within(iv.doseMg, INTERVENTION_LIMITS.cyproheptadineMg, 'cyproheptadine doseMg');
      return;
    case 'csfDrainage':
      within(iv.volumeMl, INTERVENTION_LIMITS.csfDrainageMl, 'CSF drainage volumeMl');
      return;
    case 'ventilation':
      if (typeof iv.on !== 'boolean') bad('ventilation "on" must be true or false');
      return;
    case 'lumbarPunctureBolus':
      within(iv.doseMcg, INTERVENTION_LIMITS.lumbarPunctureBolusMcg, 'lumbar puncture bolus doseMcg');
      return;
    default:
      bad(`unknown kind "${String((iv as { kind?: unknown })?.kind)}"`);
  }
}

/** Applies an intervention at s.now (mutates `s`). */
export function applyIntervention(s: PatientState, iv: Intervention): void {
  checkIntervention(iv);
  switch (iv.kind) {
    case 'ivBenzodiazepine':
      s.x[I_BENZO_DIAZEPAM_EQ_MG]! += iv.doseMg * BENZO_DIAZEPAM_EQ[iv.drug];
      break;
    case 'oralBaclofen':
      s.x[I_ORAL_GUT_MG]! += iv.doseMg;
      break;
    case 'cyproheptadine':
      s.x[I_CYPROHEPTADINE_MG]! += iv.doseMg;
      break;
    case 'csfDrainage': {
      // The CSF removed carries the drug at the CSF concentration, at most half of the drug present.
      const removed = Math.min(0.5, iv.volumeMl / s.params.csfDistributionVolumeMl);
      s.x[I_CSF_MCG]! *= 1 - removed;
      break;
    }
    case 'ventilation':
      s.ventilated = iv.on;
      break;
    case 'lumbarPunctureBolus':
      s.x[I_CSF_MCG]! += iv.doseMcg;
      s.receivedIntrathecalMcg += iv.doseMcg;
      break;
  }
  pushEvent(s, { time: s.now, kind: 'intervention', intervention: { ...iv } });
}

// ------------------------------------------------------------------ views

export function assessPatient(s: PatientState): PatientFindings {
  const p = s.params;
  const d = derive(p, s.x, s.ventilated, s.now);
  return {
    time: s.now,
    profile: p.profile,
    seed: p.seed,
    pk: {
      csfBaclofenNgPerMl: round(d.csfNgPerMl, 1),
      effectSiteNgPerMl: round(d.effectSite, 1),
      csfBaclofenMcg: round(Math.max(0, s.x[I_CSF_MCG]!), 3),
      dependenceNgPerMl: round(Math.max(0, s.x[I_DEPENDENCE_NG_PER_ML]!), 1),
      toleranceEc50NgPerMl: round(d.ec50, 1),
      receivedIntrathecalMcg: round(s.receivedIntrathecalMcg, 3),
    },
    effect: round(d.effect, 3),
    scores: {
      modifiedAshworth: MAS[Math.round(d.tone)]!,
      toneScore: round(d.tone, 2),
      pennSpasmFrequency: Math.round(d.spasms) as 0 | 1 | 2 | 3 | 4,
      spasmScore: round(d.spasms, 2),
    },
    outcomes: outcomeMeasures({
      tone: d.tone,
      spasms: d.spasms,
      withdrawalSigns: d.signs,
      depression: d.depression,
      hypotonia: d.hypotonia,
    }),
    vitals: {
      heartRateBpm: Math.round(d.hr),
      systolicMmHg: Math.round(d.sbp),
      diastolicMmHg: Math.round(d.dbp),
      temperatureC: round(d.temp, 1),
      respiratoryRatePerMin: Math.round(d.rr),
      spo2Percent: Math.round(d.spo2),
      ventilated: s.ventilated,
    },
    consciousness: d.consciousness,
    mentalStatus: d.mental,
    hypotonia: d.hypotonia,
    pruritus: d.pruritus,
    piloerection: d.piloerection,
    ckUPerL: Math.round(d.ck),
    seizureCount: s.seizureCount,
    withdrawal: { stage: d.withdrawalStage, signSeverity: round(d.signs, 3), drive: round(d.drive, 3) },
    overdose: { stage: d.overdoseStage, ratio: round(d.ratio, 3) },
    interventions: {
      benzodiazepineDiazepamEqMg: round(d.benzo, 2),
      oralBaclofenPlasmaMg: round(d.oral, 2),
      cyproheptadineMg: round(d.cypro, 2),
    },
    symptoms: symptoms(d, s.seizureCount),
  };
}

export type HistoryRow = { time: number } & Record<(typeof HISTORY_FIELDS)[number], number> & {
    modifiedAshworth: MasGrade;
    consciousness: Consciousness;
    withdrawalStage: WithdrawalStage;
    overdoseStage: OverdoseStage;
  };

/** History samples with from <= time <= to, as named rows. */
export function historyRows(s: PatientState, from: number, to: number): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const h = s.history;
  for (let k = 0; k < h.length; k += HISTORY_STRIDE) {
    const t = h[k]!;
    if (t < from || t > to) continue;
    const x = h.slice(k + 1, k + 1 + N_STATES);
    const d = derive(s.params, x, h[k + 1 + N_STATES] === 1, t);
    rows.push({
      time: t,
      csfBaclofenNgPerMl: round(d.csfNgPerMl, 1),
      effectSiteNgPerMl: round(d.effectSite, 1),
      effect: round(d.effect, 3),
      toneScore: round(d.tone, 2),
      modifiedAshworthIndex: Math.round(d.tone),
      modifiedAshworth: MAS[Math.round(d.tone)]!,
      pennSpasmFrequency: Math.round(d.spasms),
      heartRateBpm: Math.round(d.hr),
      systolicMmHg: Math.round(d.sbp),
      diastolicMmHg: Math.round(d.dbp),
      temperatureC: round(d.temp, 1),
      respiratoryRatePerMin: Math.round(d.rr),
      spo2Percent: Math.round(d.spo2),
      consciousnessIndex: CONSCIOUSNESS.indexOf(d.consciousness),
      consciousness: d.consciousness,
      withdrawalStageIndex: WITHDRAWAL_STAGES.indexOf(d.withdrawalStage),
      withdrawalStage: d.withdrawalStage,
      withdrawalSignSeverity: round(d.signs, 3),
      overdoseStageIndex: OVERDOSE_STAGES.indexOf(d.overdoseStage),
      overdoseStage: d.overdoseStage,
      overdoseRatio: round(d.ratio, 3),
      ckUPerL: Math.round(d.ck),
    });
  }
  return rows;
}
