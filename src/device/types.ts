/**
 * The pump's data shapes: the one definition that the device model, the wire protocol, the device host,
 * the programmer service and the screens share. Plain serialisable data only (LoopKit MockKit style):
 * everything the pump is lives in `PumpState`; everything shown is derived from it by pure functions.
 *
 * Units are integers in named fixed-point units, never floats (docs/clinical-model.md, "Units"), branded
 * in src/shared/units.ts so that one unit passed where another is expected does not compile:
 *   Microlitres (uL)         volumes on the wire and in the program
 *   Nanolitres (nL)          internal delivery integration and the bench's truth (1 uL = 1000 nL)
 *   MicrolitresPerDay        flow rate; the pump's programmed quantity (resolution 1 uL/day)
 *   McgPerMl                 concentration, micrograms per millilitre (= nanograms per microlitre)
 *   NanogramsPerDay          daily dose; exactly rate(uL/day) * concentration(mcg/mL)
 *   Nanograms                drug amount (bolus, delivered totals)
 *   PumpInstant              an instant: seconds since 1970-01-01T00:00:00Z on the pump's own clock
 *   DurationSeconds          a duration in seconds (bolus length, lockout, tone repeat)
 *   SecondOfDay              seconds since 00:00 UTC of the pump's day, 0..86399 (a flex day starts 00:00 UTC)
 * Field names on the wire, the bench API and the programmer contract end in their unit (`reservoirVolumeUl`,
 * `trueReservoirVolumeNl`, `dailyDoseNgPerDay`); instants end in `Time` or `At`, durations in `S`.
 */
export type {
  DurationSeconds,
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  Nanograms,
  NanogramsPerDay,
  Nanolitres,
  PumpInstant,
  SecondOfDay,
} from '../shared/units';
import type {
  DurationSeconds,
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  Nanograms,
  NanogramsPerDay,
  Nanolitres,
  PumpInstant,
  SecondOfDay,
} from '../shared/units';

export type PumpModel = 'SM2-20' | 'SM2-40' | 'SM2-20-ENG';

export type CatheterState = 'patent' | 'partialOcclusion' | 'fullOcclusion' | 'disconnected';

/** One step of a flex schedule: from `start` (second of day) until the next step's start, at `dailyDoseNgPerDay`. */
export interface FlexStep {
  startSecondOfDay: SecondOfDay;
  dailyDoseNgPerDay: NanogramsPerDay;
}

/** What the clinician programs as the basal therapy. */
export type TherapyRequest =
  | { mode: 'stopped' }
  | { mode: 'continuous'; dailyDoseNgPerDay: NanogramsPerDay }
  | { mode: 'flex'; steps: FlexStep[] };

/** A bolus the clinician programs. `amountNg` is drug mass; volume = amount / concentration. */
export type BolusRequest =
  | { kind: 'single'; amountNg: Nanograms; durationS: DurationSeconds }
  | { kind: 'bridge'; amountNg: Nanograms; durationS: DurationSeconds }
  /** Priming fills the empty pump tubing and catheter: specified by volume, not drug. */
  | { kind: 'priming'; volumeUl: Microlitres; durationS: DurationSeconds };

export interface PatientBolusSettings {
  amountNg: Nanograms;
  durationS: DurationSeconds;
  maxPerDay: number;
  lockoutS: DurationSeconds;
}

export interface RefillRequest {
  /** Volume the clinician aspirated from the reservoir before filling (measured with the syringe). */
  withdrawnVolumeUl: Microlitres;
  drugName: string;
  concentrationMcgPerMl: McgPerMl;
  fillVolumeUl: Microlitres;
}

/**
 * A proposed program: any combination of parts, applied together or not at all.
 * A concentration change (refill) re-derives the rate of every dose in the therapy, so a refill that
 * changes the concentration must carry the therapy too (rule CONCENTRATION_CHANGE_NEEDS_THERAPY).
 */
export interface ProgramChange {
  therapy?: TherapyRequest;
  bolus?: BolusRequest;
  refill?: RefillRequest;
  lowReservoirAlarmVolumeUl?: Microlitres;
  /** null disables patient-activated boluses. */
  patientBolus?: PatientBolusSettings | null;
}

export type ProgramErrorCode =
  | 'OUT_OF_RANGE'
  | 'NOT_INTEGER'
  | 'VOLUME_OVER_CAPACITY'
  | 'WITHDRAWN_OVER_VOLUME'
  | 'FLEX_TOO_MANY_STEPS'
  | 'FLEX_STEPS_OVERLAP'
  | 'FLEX_STEPS_UNORDERED'
  | 'FLEX_FIRST_STEP_NOT_MIDNIGHT'
  | 'FLEX_STEP_TOO_SHORT'
  | 'RATE_BELOW_MINIMUM'
  | 'RATE_ABOVE_MAXIMUM'
  | 'BOLUS_LARGER_THAN_RESERVOIR'
  | 'BOLUS_RATE_ABOVE_MAXIMUM'
  | 'DRUG_NAME_INVALID'
  | 'CONCENTRATION_CHANGE_NEEDS_THERAPY'
  | 'ALARM_THRESHOLD_OUT_OF_RANGE'
  | 'EMPTY_PROGRAM'
  | 'NOT_ALLOWED_IN_STATE';

export interface ProgramError {
  code: ProgramErrorCode;
  /** Dotted path of the offending field, e.g. "therapy.steps.3.startSecondOfDay". */
  field: string;
  message: string;
}

export interface ProgramConsequences {
  /** Flow rate for continuous mode, or the mean over the day for flex. */
  rateUlPerDay: MicrolitresPerDay;
  /** Daily dose actually delivered after rounding the rate to the pump's resolution. */
  effectiveDailyDoseNgPerDay: NanogramsPerDay;
  reservoirVolumeAfterUl: Microlitres;
  lowReservoirAlarmTime: PumpInstant | null;
  emptyTime: PumpInstant | null;
  /**
   * Days (x1000, fixed point) until the calculated reservoir is empty; 0 when it already is; null when
   * nothing is delivered.
   */
  daysToEmptyX1000: number | null;
}

export type ValidationResult =
  { ok: true; consequences: ProgramConsequences } | { ok: false; errors: ProgramError[] };

export type AlarmCode =
  | 'LOW_RESERVOIR'
  | 'EMPTY_RESERVOIR'
  | 'ERI'
  | 'END_OF_SERVICE'
  | 'MOTOR_STALL'
  | 'MEMORY_ERROR_NONCRITICAL'
  | 'MEMORY_ERROR_CRITICAL'
  | 'CATHETER_OCCLUSION';

export type AlarmPriority = 'critical' | 'nonCritical';

/** How an alarm sounds: tone segments played in order, then silence until the next repeat. */
export interface TonePattern {
  segments: { frequencyHz: number; durationMs: number }[];
  repeatIntervalS: DurationSeconds;
}

export interface Alarm {
  code: AlarmCode;
  priority: AlarmPriority;
  raisedAt: PumpInstant;
  /** Silenced until this pump time; null if sounding. The alarm stays active until its cause is gone. */
  silencedUntil: PumpInstant | null;
  /** Next time the tone sounds. */
  nextToneAt: PumpInstant;
}

export type LogKind =
  | 'PROGRAM'
  | 'REFILL'
  | 'BOLUS_START'
  | 'BOLUS_END'
  | 'PATIENT_BOLUS'
  | 'PATIENT_BOLUS_REFUSED'
  | 'ALARM_RAISED'
  | 'ALARM_CLEARED'
  | 'ALARM_SILENCED'
  | 'ALARM_TEST'
  | 'MOTOR_STALL'
  | 'MOTOR_STALL_RECOVERY'
  | 'STOPPED'
  | 'RESUMED'
  | 'MEMORY_ERROR'
  | 'CLOCK_SET';

export interface LogEntry {
  /** Monotonic sequence number, never reused even after the bounded log drops old entries. */
  seq: number;
  time: PumpInstant;
  kind: LogKind;
  /** Short machine-readable detail, e.g. the alarm code or "dose 400000 ng/day". At most 64 ASCII chars. */
  detail: string;
}

export interface LogPage {
  entries: LogEntry[];
  /** Total entries retained. */
  total: number;
}

export type InfusionMode =
  'stopped' | 'continuous' | 'flex' | 'singleBolus' | 'bridgeBolus' | 'primingBolus' | 'patientBolus';

export type BatteryState = 'ok' | 'eri' | 'endOfService';

/** What telemetry can know: the pump's belief, never the bench's truth. */
export interface PumpStatus {
  model: PumpModel;
  serial: string;
  drugName: string;
  concentrationMcgPerMl: McgPerMl;
  mode: InfusionMode;
  /** Set when delivery is halted by a fault (stall, empty, end of service, critical memory error). */
  deliverySuspended: boolean;
  dailyDoseNgPerDay: NanogramsPerDay;
  rateUlPerDay: MicrolitresPerDay;
  reservoirVolumeUl: Microlitres;
  reservoirCapacityUl: Microlitres;
  lowReservoirAlarmVolumeUl: Microlitres;
  lowReservoirAlarmTime: PumpInstant | null;
  emptyTime: PumpInstant | null;
  battery: BatteryState;
  eriTime: PumpInstant | null;
  replaceByTime: PumpInstant | null;
  alarms: Alarm[];
  pumpTime: PumpInstant;
}

/** The bench's view: the truth beside the belief. */
export interface PumpTruth {
  trueReservoirVolumeNl: Nanolitres;
  calculatedReservoirVolumeNl: Nanolitres;
  pumpedNl: Nanolitres;
  /** Drug that actually reached the spinal fluid. */
  deliveredIntrathecalNg: Nanograms;
  /** Drug pumped but lost (occlusion backflow, leak at a disconnection, pocket fill). */
  lostNg: Nanograms;
  catheter: CatheterState;
  overInfusionPpm: number;
  batteryRemainingPpm: number;
  /** Ledger for the conservation check: filled = trueReservoirVolume + pumped + withdrawn + pocketDiverted. */
  filledNl?: Nanolitres;
  /** Volume actually aspirated at refills (bounded by what was in the reservoir). */
  withdrawnNl?: Nanolitres;
  /** Fill volume that went into the pocket instead of the reservoir. */
  pocketDivertedNl?: Nanolitres;
  /** Volume the motor moved by the pump's own reckoning (drug or air). */
  motorVolumeNl?: Nanolitres;
  /**
   * Drug mass that truly reached the spinal fluid, at the concentrations truly in the reservoir and in the
   * pump tubing and catheter (which still hold the old drug after a refill). `deliveredIntrathecalNg` above
   * is the same volume at the programmed concentration: the two differ after a concentration entry error.
   */
  trueDeliveredIntrathecalNg?: Nanograms;
  /** Concentration truly in the reservoir now (mixed with what was left at the last refill), mcg/mL. */
  trueReservoirConcentrationMcgPerMl?: McgPerMl;
  /** Drug mass in the reservoir now. */
  trueReservoirDrugNg?: Nanograms;
  /** Tubing and catheter contents from the reservoir outlet to the catheter tip, front (tip) first. */
  line?: { volumeNl: Nanolitres; concentrationMcgPerMl: McgPerMl }[];
  /** The concentration the next refill's syringe truly holds (bench), or null: the one entered. */
  nextSyringeConcentrationMcgPerMl?: McgPerMl | null;
}

/** Faults the bench can inject; none of them is reachable over telemetry. */
export type DeviceFault =
  | { kind: 'catheter'; state: CatheterState }
  /** Delivered volume = programmed * (1 + ppm/1e6); negative under-infuses. */
  | { kind: 'overInfusion'; ppm: number }
  /** The next refill's fill volume goes into the pocket instead of the reservoir (this fraction, ppm). */
  | { kind: 'pocketFill'; ppm: number }
  | { kind: 'battery'; to: 'eri' | 'endOfService' }
  | { kind: 'motorStall'; recoveryDelayS: DurationSeconds }
  | { kind: 'memoryError'; critical: boolean }
  /** The next refill's syringe truly holds this concentration, whatever is entered (one refill only). */
  | { kind: 'syringeConcentration'; concentrationMcgPerMl: McgPerMl }
  /** The drug in the reservoir now truly has this concentration (a scenario's starting truth). */
  | { kind: 'reservoirConcentration'; concentrationMcgPerMl: McgPerMl };

/** Faults that can be cleared; the drug-truth settings are not faults that end, they are set again. */
export type FaultKind = Exclude<DeviceFault['kind'], 'syringeConcentration' | 'reservoirConcentration'>;
