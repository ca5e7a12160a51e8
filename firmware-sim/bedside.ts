/**
 * The bedside in the device host: the patient as a clinician meets them. It reads the patient's findings and
 * the pump's truth, and gives back only what could be observed: an examination (vital signs, scores,
 * consciousness, what the patient says), the refill syringe's reading, and the results of the orders
 * named by the clinical document (docs/clinical-model.md "The bedside"). Every action is recorded with its
 * pump time (bounded: MAX_BEDSIDE_ACTIONS), and listeners (the scenario runner) hear each one.
 */
import type { Pump } from '../src/device/pump-api';
import type { CatheterState } from '../src/device/types';
import { getProfile } from '../src/shared/device-facts/profiles';
import type { Intervention, PatientFindings } from '../src/patient';
import {
  MAX_BEDSIDE_ACTIONS,
  REFILL_SYRINGE,
  type BedsideAction,
  type BedsideActionKind,
  type BedsideExam,
  type BedsideOrder,
  type BedsideReferral,
  type SyringeReading,
} from '../src/shared/bedside';

/** The learner fact the scenario runner takes (issue 19): `{kind:'bedside', action, detail, time}`. */
export interface BedsideFact {
  kind: 'bedside';
  action: BedsideActionKind;
  detail: Record<string, unknown>;
  time: number;
  outcome: string;
  /** The treatment the patient model received, for an order that gave one (the runner's intervention fact). */
  intervention?: Intervention;
}

/** A well-formed request the patient or the state does not allow now (answered 409, nothing changed). */
export class BedsideConflict extends Error {
  override name = 'BedsideConflict';
}
/** A dose or value outside what is accepted (answered 400, nothing changed). */
export class BedsideRefused extends Error {
  override name = 'BedsideRefused';
}

export interface BedsideDeps {
  pump: Pick<Pump, 'now' | 'truth' | 'model'>;
  findings(): PatientFindings;
  /** Give the patient an intervention (the host persists and tells the bench); throws RangeError if refused. */
  intervene(iv: Intervention): void;
}

export interface Bedside {
  examine(): BedsideExam;
  refillSyringe(): SyringeReading;
  order(o: BedsideOrder): BedsideAction;
  actions(): BedsideAction[];
  /** Hear every action as it is recorded; returns the unsubscribe function. */
  onAction(listener: (fact: BedsideFact, action: BedsideAction) => void): () => void;
}

/** Round half up to a multiple of `step` (a reading on a graduated scale), without float residue. */
export function readAt(value: number, step: number): number {
  const n = Math.round(value / step + 1e-9);
  return Number((n * step).toFixed(6));
}

/** The syringe reading of `aspirableNl` nanolitres. */
export function syringeReading(aspirableNl: number, time: number): SyringeReading {
  const ml = aspirableNl / 1e6;
  const volumeMl = readAt(ml, REFILL_SYRINGE.resolutionMl);
  return {
    time,
    volumeMl,
    resolutionMl: REFILL_SYRINGE.resolutionMl,
    syringeMl: REFILL_SYRINGE.syringeMl,
    syringes: Math.max(1, Math.ceil(volumeMl / REFILL_SYRINGE.syringeMl)),
  };
}

/**
 * The refill syringe's reading now: what the needle can draw (everything above the model's residual
 * volume, as src/device/program.ts withdraws at a refill), read at the syringe's graduation. The one
 * reading for the trainee's bedside and the headless drivers' `/scenario/aspirate`.
 */
export function refillSyringeReading(pump: Pick<Pump, 'now' | 'truth' | 'model'>): SyringeReading {
  const residualNl = getProfile(pump.model).residualVolume * 1000;
  const aspirable = Math.max(0, pump.truth().trueReservoirVolumeNl - residualNl);
  return syringeReading(aspirable, pump.now());
}

/** Words a patient uses, from what the model finds (never the model's own names for its states). */
export function patientWords(f: PatientFindings): string[] {
  if (f.consciousness === 'respondsToPain' || f.consciousness === 'unresponsive') return [];
  if (f.vitals.ventilated) return [];
  const s = new Set(f.symptoms);
  const out: string[] = [];
  if (s.has('return of spasticity')) out.push('"My legs are stiff again."');
  if (f.scores.pennSpasmFrequency >= 3) out.push('"The spasms keep waking me up."');
  if (f.pruritus) out.push('"I\'m itching all over."');
  if (s.has('fever')) out.push('"I feel hot and shivery."');
  if (f.mentalStatus === 'hallucinating') out.push('"There are people in the corner of the room."');
  else if (f.mentalStatus === 'confused') out.push('"Where am I? What day is it?"');
  if (s.has('dizziness')) out.push('"I feel dizzy and light-headed."');
  if (s.has('drowsiness') || s.has('somnolence')) out.push('"I just want to sleep."');
  if (s.has('urinary retention')) out.push('"I can\'t pass water."');
  if (f.hypotonia !== 'none') out.push('"My legs feel floppy and weak."');
  if (out.length === 0 && f.consciousness === 'alert') out.push('"I feel all right."');
  return out;
}

/**
 * The outcome measures as asked at a visit: pain is the patient's own rating, so none when they cannot
 * speak (the same rule as patientWords); sleep, daily activities and burden are told by the nurses or the
 * caregiver.
 */
export function examOutcomes(f: PatientFindings): BedsideExam['outcomes'] {
  const speaks =
    !f.vitals.ventilated && f.consciousness !== 'respondsToPain' && f.consciousness !== 'unresponsive';
  return {
    painNrs: speaks ? f.outcomes.painNrs : null,
    awakeningsPerNight: f.outcomes.awakeningsPerNight,
    dailyActivities: f.outcomes.dailyActivities,
    caregiverBurden: f.outcomes.caregiverBurden,
  };
}

/** Signs a clinician sees at the bedside (the vital signs are given as numbers beside them). */
export function observedSigns(f: PatientFindings, seizures: number): string[] {
  const s = new Set(f.symptoms);
  const out: string[] = [];
  if (f.piloerection) out.push('goose bumps (piloerection)');
  if (f.pruritus) out.push('scratching, no rash');
  if (s.has('rigidity')) out.push('rigid limbs');
  if (s.has('autonomic instability (blood pressure swings)'))
    out.push('blood pressure swinging between readings (autonomic instability)');
  if (f.hypotonia !== 'none') {
    const where = {
      none: '',
      lowerLimbs: 'the legs',
      trunk: 'the legs and trunk',
      upperLimbs: 'the legs, trunk and arms',
      generalized: 'the whole body',
    }[f.hypotonia];
    out.push(`floppy ${where} (hypotonia)`);
  }
  if (seizures > 0) out.push(seizures === 1 ? 'a seizure was witnessed' : `${seizures} seizures witnessed`);
  if (f.consciousness === 'unresponsive') out.push('no response to pain (coma)');
  return out;
}

/** The result of aspirating through the catheter access port, from the catheter's true state. */
export function aspirationOutcome(c: CatheterState): string {
  switch (c) {
    case 'patent':
      return 'CSF aspirated freely through the catheter access port: the catheter is open to its tip.';
    case 'partialOcclusion':
      return 'CSF comes back slowly, against resistance: the catheter is partly obstructed.';
    case 'fullOcclusion':
      return 'No CSF can be aspirated through the catheter access port: the catheter is blocked.';
    case 'disconnected':
      return 'No CSF: the syringe draws air and tissue fluid without resistance, as from a leak or a break in the catheter.';
  }
}

/** The result of imaging, from the catheter's true state. */
export function imagingOutcome(study: 'xray' | 'contrastStudy', c: CatheterState): string {
  if (study === 'xray') {
    switch (c) {
      case 'patent':
      case 'fullOcclusion':
        // A blocked tip does not show on a plain film: the normal film must not reassure.
        return 'Pump and catheter in place, catheter course continuous: no break, kink or disconnection seen (a blocked tip does not show on a plain film).';
      case 'partialOcclusion':
        return 'A kink in the catheter where it enters the spine.';
      case 'disconnected':
        return 'A break in the catheter: its ends lie apart.';
    }
  }
  switch (c) {
    case 'patent':
      return 'Contrast flows freely into the intrathecal space: the catheter is patent.';
    case 'partialOcclusion':
      return 'Contrast reaches the intrathecal space slowly, held up at a kink: a partial obstruction.';
    case 'fullOcclusion':
      return 'Contrast does not enter the intrathecal space: the catheter is blocked.';
    case 'disconnected':
      return 'Contrast leaks into the tissues at a break in the catheter: it is broken or disconnected.';
  }
}

const toIntervention = (o: BedsideOrder): Intervention | null => {
  switch (o.kind) {
    case 'ivBenzodiazepine':
      return { kind: 'ivBenzodiazepine', drug: o.drug, doseMg: o.doseMg };
    case 'oralBaclofen':
      return { kind: 'oralBaclofen', doseMg: o.doseMg };
    case 'cyproheptadine':
      return { kind: 'cyproheptadine', doseMg: o.doseMg };
    case 'csfDrainage':
      return { kind: 'csfDrainage', volumeMl: o.volumeMl };
    case 'lumbarPunctureBolus':
      return { kind: 'lumbarPunctureBolus', doseMcg: o.doseMcg };
    case 'airway':
      return { kind: 'ventilation', on: o.support === 'ventilate' };
    default:
      return null;
  }
};

const REFERRAL_OUTCOME: Record<BedsideReferral, string> = {
  catheterRevision: 'Neurosurgery is asked to revise the catheter.',
  urgentPumpReplacement: 'The pump is to be replaced urgently (end of service: delivery has stopped).',
  schedulePumpReplacement: 'Pump replacement is scheduled before the end of service.',
};

const GIVEN: Partial<Record<BedsideOrder['kind'], string>> = {
  ivBenzodiazepine: 'Given intravenously.',
  oralBaclofen: 'Given by mouth.',
  cyproheptadine: 'Given by mouth.',
  csfDrainage: 'Lumbar puncture done; the CSF was drained.',
  lumbarPunctureBolus: 'Lumbar puncture done; the baclofen was injected intrathecally.',
};

export function createBedside(deps: BedsideDeps): Bedside {
  const record: BedsideAction[] = [];
  const listeners = new Set<(fact: BedsideFact, action: BedsideAction) => void>();
  // Seizures are counted from when the bedside opened: the first examination reports those since then.
  let lastExamSeizures = deps.findings().seizureCount;

  const recordAction = (
    action: BedsideActionKind,
    detail: Record<string, unknown>,
    outcome: string,
    intervention?: Intervention,
    exam?: BedsideExam,
  ): BedsideAction => {
    const a: BedsideAction = { seq: record.length + 1, time: deps.pump.now(), action, detail, outcome };
    if (exam) a.exam = exam;
    record.push(a);
    const fact: BedsideFact = { kind: 'bedside', action, detail, time: a.time, outcome };
    if (intervention) fact.intervention = intervention;
    for (const l of listeners) {
      try {
        l(fact, a);
      } catch {
        // A listener's failure is its own; the action stands.
      }
    }
    return a;
  };
  const roomFor = (what: string): void => {
    if (record.length >= MAX_BEDSIDE_ACTIONS)
      throw new BedsideConflict(
        `the bedside record is full (${MAX_BEDSIDE_ACTIONS} actions): ${what} not done; restart the case`,
      );
  };

  return {
    examine() {
      roomFor('examination');
      const f = deps.findings();
      const seizures = Math.max(0, f.seizureCount - lastExamSeizures);
      lastExamSeizures = f.seizureCount;
      const exam: BedsideExam = {
        time: deps.pump.now(),
        vitals: { ...f.vitals },
        modifiedAshworth: f.scores.modifiedAshworth,
        pennSpasmFrequency: f.scores.pennSpasmFrequency,
        consciousness: f.consciousness,
        mentalStatus: f.mentalStatus,
        seizuresSinceLastExam: seizures,
        outcomes: examOutcomes(f),
        signs: observedSigns(f, seizures),
        patientSays: patientWords(f),
      };
      const v = exam.vitals;
      recordAction(
        'examine',
        {},
        `HR ${v.heartRateBpm}/min, BP ${v.systolicMmHg}/${v.diastolicMmHg} mmHg, T ${v.temperatureC} °C, ` +
          `RR ${v.respiratoryRatePerMin}/min, SpO2 ${v.spo2Percent}%, Ashworth ${exam.modifiedAshworth}, ` +
          `Penn ${exam.pennSpasmFrequency}, ${exam.consciousness}, ` +
          `pain ${exam.outcomes.painNrs === null ? 'not rated' : `${exam.outcomes.painNrs}/10`}, ` +
          `woken ${exam.outcomes.awakeningsPerNight}x a night, daily activities ${exam.outcomes.dailyActivities}/100, ` +
          `caregiver burden ${exam.outcomes.caregiverBurden}/10`,
        undefined,
        exam,
      );
      return exam;
    },
    refillSyringe() {
      roomFor('syringe reading');
      const reading = refillSyringeReading(deps.pump);
      recordAction(
        'refillSyringe',
        {},
        `${reading.volumeMl.toFixed(1)} mL in the syringe (read at ${reading.resolutionMl} mL)`,
      );
      return reading;
    },
    order(o) {
      roomFor('order');
      const iv = toIntervention(o);
      const { kind, ...detail } = o;
      if (iv) {
        try {
          deps.intervene(iv);
        } catch (e) {
          if (e instanceof RangeError)
            throw new BedsideRefused(e.message.replace(/^invalid intervention: /, ''));
          throw new BedsideConflict((e as Error).message);
        }
      }
      const truth = (): CatheterState => deps.pump.truth().catheter;
      let outcome: string;
      switch (o.kind) {
        case 'resumeIntrathecal':
          outcome =
            'Intrathecal delivery is resumed with the programmer: interrogate the pump, find why it stopped, and restart or reprogram it.';
          break;
        case 'airway':
          outcome =
            o.support === 'ventilate'
              ? 'Intubated and ventilated: breathing is supported until the drug is cleared.'
              : 'Extubated: the patient breathes on their own.';
          break;
        case 'catheterAspiration':
          outcome = aspirationOutcome(truth());
          break;
        case 'imaging':
          outcome = imagingOutcome(o.study, truth());
          break;
        case 'callForHelp':
          outcome = 'Help is on the way: the anaesthetist and the intrathecal team are called.';
          break;
        case 'pocketAspiration': {
          // The drug that went into the pocket at the last refill is what can be drawn from it (truth).
          const pocketMl = (deps.pump.truth().pocketDivertedNl ?? 0) / 1_000_000;
          outcome =
            pocketMl >= 0.5
              ? `About ${Math.round(pocketMl)} mL of clear fluid is aspirated from the pump pocket: drug went into the pocket, not the reservoir.`
              : 'Dry tap: no fluid in the pump pocket.';
          break;
        }
        case 'referral':
          outcome = REFERRAL_OUTCOME[o.to];
          break;
        default:
          outcome = GIVEN[o.kind] ?? 'Done.';
      }
      void kind;
      return recordAction(o.kind, detail, outcome, iv ?? undefined);
    },
    actions: () => record.map((a) => ({ ...a, detail: { ...a.detail } })),
    onAction(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
