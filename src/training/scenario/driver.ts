/**
 * The driver interface: how a headless run (npm run scenario -- run ... --driver D) acts as a clinician.
 * A driver is a TypeScript module whose default export (or `drive` export) is one async function of the
 * programmer service (the same ProgrammerApi the screens use) and the case handle below. It returns when
 * the clinician is done; the runner then plays the case to its end and writes the debrief.
 *
 *   import type { Driver } from '../src/training/scenario/driver';
 *   const drive: Driver = async (svc, c) => {
 *     await c.advanceBy('1d');
 *     const hit = await c.until({ kind: 'withdrawal', atLeast: 'early' }, { limit: '3d' });
 *     ...
 *   };
 *   export default drive;
 */
import type { ProgrammerApi } from '../../shared/contract';
import type { Intervention, MasGrade, Consciousness, MentalStatus } from '../../patient';
import type { Condition, Scenario } from './schema';

/** A condition as written (durations may be strings like "2h"). */
export type ConditionInput = Condition | Record<string, unknown>;
export type DurationInput = number | string;

export interface LearnerMessage {
  /** Pump time. */
  t: number;
  text: string;
}

/** What a clinician can observe at the bedside now (never the bench's truth: no concentrations, no stages). */
export interface BedsideFindings {
  t: number;
  vitals: {
    heartRateBpm: number;
    systolicMmHg: number;
    diastolicMmHg: number;
    temperatureC: number;
    respiratoryRatePerMin: number;
    spo2Percent: number;
  };
  modifiedAshworth: MasGrade;
  pennSpasmFrequency: number;
  consciousness: Consciousness;
  mentalStatus: MentalStatus;
  pruritus: boolean;
  seizures: number;
  /** What the patient says or what is seen, in words. */
  symptoms: string[];
}

export interface CaseStatus {
  scenario: string;
  title: string;
  /** Pump time of the start of the case, and now. */
  startTime: number;
  now: number;
  endTime: number;
  ended: boolean;
  endReason: string | null;
  timelineFired: string[];
  handlersFired: string[];
  facts: number;
}

export interface CaseHandle {
  readonly scenario: Scenario;
  /** Pump time at the start of the case. */
  readonly startTime: number;
  /** The patient as the programmer is told at the start (pass it to connect and proposeChange). */
  readonly patient: { origin: 'spinal' | 'cerebral'; ageGroup: 'adult' | 'childUnder12' };
  /** Pump time now. */
  now(): Promise<number>;
  status(): Promise<CaseStatus>;
  /** Move pump time (and the patient and the case) to this pump time; handlers fire on the way. */
  advanceTo(pumpTime: number): Promise<void>;
  advanceBy(d: DurationInput): Promise<void>;
  /**
   * Move time until the condition holds (checked at every clock step, at most 15 min of pump time apart)
   * or `limit` from now has passed. `met` says which; `t` is the pump time then.
   */
  until(condition: ConditionInput, o: { limit: DurationInput }): Promise<{ met: boolean; t: number }>;
  /** Messages the case has sent the learner so far. */
  messages(): Promise<LearnerMessage[]>;
  bedside: {
    examine(): Promise<BedsideFindings>;
    /** Give a treatment (recorded as a learner intervention). */
    intervene(iv: Intervention): Promise<void>;
    /** Aspirate the reservoir at a refill: the bedside syringe's reading (mL, at its 0.2 mL graduation). */
    aspirateReservoir(): Promise<{ volumeMl: number; resolutionMl: number }>;
    /** Any other bedside action or order, recorded for the expectations (e.g. "call for help"). */
    record(action: string, detail?: string): Promise<void>;
  };
}

/** The driver: one async function of the programmer service and the case. */
export type Driver = (service: ProgrammerApi, c: CaseHandle) => Promise<void>;
