/**
 * The patient on the pump's clock. Every pump event time is a patient input change: time moves from event
 * to event (pump.nextEventTime), and over each interval the patient receives the drug mass the pump truly
 * delivered into the CSF in it (truth.trueDeliveredIntrathecalNg), at a constant rate, which is exact because
 * between two events the pump's rate is constant. One case falls between events: the true reservoir running
 * dry before the calculated one (the pump "pumps air"); the instant it ran dry is recovered from the volumes,
 * and the patient gets the drug before it and nothing after.
 */
import type { Pump } from '../src/device/pump-api';
import type { PumpTruth } from '../src/device/types';
import { getProfile } from '../src/shared/device-facts/profiles';
import type { ProfileId, VirtualPatient } from '../src/patient';

export interface PatientConfig {
  profile: ProfileId;
  /** The intrathecal dose the patient is established on, mcg/day; 'pump' = what the pump delivers now. */
  establishedDose: number | 'pump';
  seed: number;
  /** Given on the command line: a stored patient of another profile or seed refuses the start. */
  given: boolean;
}

export const DEFAULT_PATIENT: PatientConfig = {
  profile: 'spinal',
  establishedDose: 'pump',
  seed: 0,
  given: false,
};

export interface CoupledClock {
  now(): number;
  nextEventTime(): number | null;
  /** Advance pump and patient together to `to`. */
  advanceTo(to: number): void;
}

export function couplePatient(pump: Pump, getPatient: () => VirtualPatient): CoupledClock {
  const residualNl = getProfile(pump.model).residualVolume * 1000;

  // The truth after one step is the truth before the next unless a command changed the pump in between:
  // the pump's state is replaced (never mutated) by every event, so its identity tells (VirtualPump).
  const stateOf = (pump as { state?: () => unknown }).state?.bind(pump);
  let cached: { of: unknown; truth: PumpTruth } | null = null;
  const truthNow = (): PumpTruth => {
    const of = stateOf?.();
    if (cached && of !== undefined && cached.of === of) return cached.truth;
    const truth = pump.truth();
    cached = { of, truth };
    return truth;
  };

  const step = (t: number): void => {
    const patient = getPatient();
    const t0 = pump.now();
    const before = truthNow();
    const ng0 = before.trueDeliveredIntrathecalNg ?? before.deliveredIntrathecalNg;
    pump.advanceTo(t);
    const after = truthNow();
    const mcg = ((after.trueDeliveredIntrathecalNg ?? after.deliveredIntrathecalNg) - ng0) / 1000;
    const pumped = after.pumpedNl - before.pumpedNl;
    const demand =
      (((after.motorVolumeNl ?? 0) - (before.motorVolumeNl ?? 0)) * (1e6 + before.overInfusionPpm)) / 1e6;
    if (
      mcg > 0 &&
      after.trueReservoirVolumeNl <= residualNl &&
      before.trueReservoirVolumeNl > residualNl &&
      demand > pumped &&
      t - t0 > 1
    ) {
      // Ran dry inside the interval: the drug came at the full rate until then.
      const dry = Math.min(t, Math.max(t0 + 1, t0 + Math.ceil(((t - t0) * pumped) / demand)));
      patient.advance(dry, mcg);
      patient.advance(t, 0);
      return;
    }
    patient.advance(t, mcg);
  };

  return {
    now: () => pump.now(),
    nextEventTime: () => pump.nextEventTime(),
    advanceTo(to: number): void {
      if (getPatient().now !== pump.now()) getPatient().advance(pump.now(), 0);
      while (pump.now() < to) {
        const next = pump.nextEventTime();
        step(next === null || next > to ? to : next);
      }
    },
  };
}
