/**
 * PumpState: everything the pump is, as plain JSON-safe data (the machine's context and the snapshot).
 * Volumes inside are nanolitres; the program keeps microlitres as the clinician entered them.
 */
import { UTC_RULE, type ClockRule } from '../shared/device-facts/local-clock';
import { getProfile } from '../shared/device-facts/profiles';
import type { LineSegment, ReservoirDrug } from './truth';
import type {
  Alarm,
  CatheterState,
  LogEntry,
  McgPerMl,
  Microlitres,
  Nanograms,
  Nanolitres,
  PatientBolusSettings,
  ProgramChange,
  PumpModel,
  PumpInstant,
} from './types';

/** The therapy as stored: the pump keeps rates (uL/day); doses are derived as rate x concentration. */
export type StoredTherapy =
  | { mode: 'stopped' }
  | { mode: 'continuous'; rate: number }
  | { mode: 'flex'; steps: { start: number; rate: number }[] };

export type BolusKind = 'single' | 'bridge' | 'priming' | 'patient';

export interface ActiveBolus {
  kind: BolusKind;
  /** Total volume to deliver, nL; the bolus replaces the basal rate while it runs. */
  volumeNl: Nanolitres;
  /** Drug amount (ng) for drug boluses; priming reports its volume's drug content. */
  amount: Nanograms;
  startTime: PumpInstant;
  endTime: PumpInstant;
}

export interface Ledger {
  /** Everything that ever entered the reservoir (factory fluid in the dead space, then every fill). */
  filledNl: Nanolitres;
  /** What the clinician actually aspirated (bounded by what was there). */
  withdrawnNl: Nanolitres;
  /** Fill volume that went into the pocket instead of the reservoir (pocket fill fault, overflow). */
  pocketNl: Nanolitres;
  /** Drug that truly left the reservoir through the pump. */
  pumpedNl: Nanolitres;
  /** What the motor moved according to the pump (drug or air): the calculated volume's decrease. */
  motorNl: Nanolitres;
  deliveredIntrathecalNl: Nanolitres;
  /** Pumped but lost at the catheter (partial-occlusion backflow, disconnection leak). */
  catheterLostNl: Nanolitres;
  deliveredIntrathecalNg: Nanograms;
  lostNg: Nanograms;
  /** The drug mass truly delivered / lost at the catheter, at the true concentrations (see truth.ts). */
  trueDeliveredIntrathecalNg: Nanograms;
  trueCatheterLostNg: Nanograms;
}

export interface Carries {
  /** Basal integration remainder, numerator over 86400 (nL x s / day units). */
  basal: number;
  /** Over-infusion remainder, over 1e6. */
  trueDemand: number;
  /** Partial occlusion split remainder, over 2. */
  catheterSplit: number;
  deliveredNg: number;
  lostNg: number;
}

export interface PumpState {
  model: PumpModel;
  serial: string;
  manufacturedAt: PumpInstant;
  now: PumpInstant;
  /** The patient's local clock: the pump counts UTC and keeps this rule, set by the programmer (CLOCK_SET). */
  clock: ClockRule;

  drugName: string;
  concentration: McgPerMl;
  therapy: StoredTherapy;
  lowReservoirAlarmVolume: Microlitres;
  patientBolus: PatientBolusSettings | null;
  programmedAt: PumpInstant;
  programVersion: number;

  /** Stopped by the clinician (STOP, or an abandoned update). */
  clinicianStopped: boolean;
  /** A program being written: the pump is stopped until it is committed or abandoned. */
  updating: { change: ProgramChange; since: PumpInstant } | null;
  bolus: ActiveBolus | null;
  patientBolusHistory: PumpInstant[];
  patientBolusLockoutUntil: PumpInstant;

  /** False until the first refill: an unfilled pump never raises reservoir alarms. */
  everFilled: boolean;
  calculatedNl: Nanolitres;
  trueNl: Nanolitres;
  ledger: Ledger;
  carry: Carries;

  /** The drug truly in the reservoir (truth.ts). */
  reservoirDrug: ReservoirDrug;
  /** Tubing and catheter contents, front (catheter tip) first; replaced, never mutated in place. */
  line: LineSegment[];
  /** Bench truth: the concentration the next refill's syringe holds; null = the one entered. */
  syringeConcentration: McgPerMl | null;
  /** Partial-occlusion split remainder of the true drug mass, over 2. */
  trueSplitCarry: number;

  catheter: CatheterState;
  occludedSince: PumpInstant | null;
  overInfusionPpm: number;
  pocketFillPpm: number;

  batteryUsed: number;
  eriTime: PumpInstant | null;
  eosTime: PumpInstant | null;
  endOfService: boolean;

  stallUntil: PumpInstant | null;
  memoryError: 'none' | 'nonCritical' | 'critical';

  alarms: Alarm[];
  log: LogEntry[];
  nextLogSeq: number;
}

/** Pump tubing plus catheter volume (nL): fluid that leaves the reservoir reaches the CSF this much later. */
export function deadSpaceNl(model: PumpModel): Nanolitres {
  const p = getProfile(model);
  return (p.pumpTubingVolume + p.catheterVolumePerCm * p.catheterLengthCm) * 1000;
}

export function initialState(model: PumpModel, serial: string, startTime: PumpInstant): PumpState {
  const p = getProfile(model);
  if (!Number.isSafeInteger(startTime) || startTime < 0)
    throw new RangeError('startTime must be a non-negative integer');
  if (typeof serial !== 'string' || serial.length === 0 || serial.length > 32) {
    throw new RangeError('serial must be 1 to 32 characters');
  }
  const residual = p.residualVolume * 1000;
  return {
    model,
    serial,
    manufacturedAt: startTime,
    now: startTime,
    clock: UTC_RULE,
    drugName: '',
    concentration: 0,
    therapy: { mode: 'stopped' },
    lowReservoirAlarmVolume: p.lowReservoirAlarmDefault,
    patientBolus: null,
    programmedAt: startTime,
    programVersion: 0,
    clinicianStopped: false,
    updating: null,
    bolus: null,
    patientBolusHistory: [],
    patientBolusLockoutUntil: startTime,
    everFilled: false,
    calculatedNl: 0,
    // The dead space leaves the factory full (of sterile water): counted as filled so conservation holds.
    trueNl: residual,
    ledger: {
      filledNl: residual,
      withdrawnNl: 0,
      pocketNl: 0,
      pumpedNl: 0,
      motorNl: 0,
      deliveredIntrathecalNl: 0,
      catheterLostNl: 0,
      deliveredIntrathecalNg: 0,
      lostNg: 0,
      trueDeliveredIntrathecalNg: 0,
      trueCatheterLostNg: 0,
    },
    carry: { basal: 0, trueDemand: 0, catheterSplit: 0, deliveredNg: 0, lostNg: 0 },
    reservoirDrug: { seq: 1, ng: 0, nl: residual, drainedNl: 0, drainedNg: 0 },
    line: [{ seq: 0, cNg: 0, cNl: 1000, inNl: deadSpaceNl(model), inNg: 0, outNl: 0, outNg: 0 }],
    syringeConcentration: null,
    trueSplitCarry: 0,
    catheter: 'patent',
    occludedSince: null,
    overInfusionPpm: 0,
    pocketFillPpm: 0,
    batteryUsed: 0,
    eriTime: null,
    eosTime: null,
    endOfService: false,
    stallUntil: null,
    memoryError: 'none',
    alarms: [],
    log: [],
    nextLogSeq: 1,
  };
}

/** A working copy for the reducers: nested records copied, arrays replaced on write. */
export function draft(s: PumpState): PumpState {
  return { ...s, ledger: { ...s.ledger }, carry: { ...s.carry }, alarms: s.alarms.map((a) => ({ ...a })) };
}

export type Phase = 'stopped' | 'infusing' | 'bolusing' | 'updating' | 'suspended' | 'endOfService';

export type SuspendReason = 'motorStall' | 'emptyReservoir' | 'criticalMemoryError' | 'endOfService';

export function suspendReason(s: PumpState): SuspendReason | null {
  if (s.endOfService) return 'endOfService';
  if (s.stallUntil !== null) return 'motorStall';
  if (s.memoryError === 'critical') return 'criticalMemoryError';
  if (s.alarms.some((a) => a.code === 'EMPTY_RESERVOIR')) return 'emptyReservoir';
  return null;
}

/** The machine state a context belongs in: the machine routes to it after every event. */
export function phaseOf(s: PumpState): Phase {
  if (s.endOfService) return 'endOfService';
  if (s.updating) return 'updating';
  if (suspendReason(s) !== null) return 'suspended';
  if (s.clinicianStopped) return 'stopped';
  if (s.bolus) return 'bolusing';
  if (s.therapy.mode === 'stopped') return 'stopped';
  return 'infusing';
}
