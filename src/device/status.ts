/** Derived views of the state: what telemetry shows (status, program) and what only the bench sees (truth). */
import { orderAlarms } from './alarms';
import { doseForRate, floorDiv } from '../shared/device-facts/dose';
import { localSecondOfDay } from '../shared/device-facts/local-clock';
import { therapyRequestOf } from './program';
import { getProfile } from '../shared/device-facts/profiles';
import type { PumpProgram } from './pump-api';
import { phaseOf, suspendReason, type PumpState } from './state';
import { concentrationOf, reservoirNg } from './truth';
import type { InfusionMode, PumpStatus, PumpTruth } from './types';
import { projectReservoir } from './validate';

const BOLUS_MODE: Record<string, InfusionMode> = {
  single: 'singleBolus',
  bridge: 'bridgeBolus',
  priming: 'primingBolus',
  patient: 'patientBolus',
};

/** Rate and dose in effect now (the current flex step for flex; the bolus is reported by `mode`). */
function currentRate(s: PumpState): number {
  const t = s.therapy;
  if (t.mode === 'continuous') return t.rate;
  if (t.mode === 'flex') {
    const sod = localSecondOfDay(s.clock, s.now);
    let rate = t.steps[0]?.rate ?? 0;
    for (const step of t.steps) if (step.start <= sod) rate = step.rate;
    return rate;
  }
  return 0;
}

export function deriveStatus(s: PumpState): PumpStatus {
  const p = getProfile(s.model);
  const phase = phaseOf(s);
  let mode: InfusionMode;
  if (phase === 'bolusing' && s.bolus) mode = BOLUS_MODE[s.bolus.kind] ?? 'singleBolus';
  else if (phase === 'stopped' || phase === 'updating' || phase === 'endOfService') mode = 'stopped';
  else mode = s.therapy.mode;
  const rate = phase === 'stopped' || phase === 'updating' ? 0 : currentRate(s);
  const proj = projectReservoir(s);
  return {
    model: s.model,
    serial: s.serial,
    drugName: s.drugName,
    concentrationMcgPerMl: s.concentration,
    mode,
    deliverySuspended: suspendReason(s) !== null,
    dailyDoseNgPerDay: doseForRate(rate, s.concentration),
    rateUlPerDay: rate,
    reservoirVolumeUl: floorDiv(s.calculatedNl, 1000),
    reservoirCapacityUl: p.reservoirCapacity,
    lowReservoirAlarmVolumeUl: s.lowReservoirAlarmVolume,
    lowReservoirAlarmTime: proj.lowReservoirAlarmTime,
    emptyTime: proj.emptyTime,
    battery: s.endOfService ? 'endOfService' : s.eriTime !== null ? 'eri' : 'ok',
    eriTime: s.eriTime,
    replaceByTime: s.eosTime,
    alarms: orderAlarms(s.alarms).map((a) => ({ ...a })),
    pumpTime: s.now,
  };
}

export function deriveTruth(s: PumpState): Required<PumpTruth> {
  const p = getProfile(s.model);
  const remaining = p.batteryCapacityUnits - s.batteryUsed;
  return {
    trueReservoirVolumeNl: s.trueNl,
    calculatedReservoirVolumeNl: s.calculatedNl,
    pumpedNl: s.ledger.pumpedNl,
    deliveredIntrathecalNg: s.ledger.deliveredIntrathecalNg,
    lostNg: s.ledger.lostNg,
    catheter: s.catheter,
    overInfusionPpm: s.overInfusionPpm,
    batteryRemainingPpm: remaining > 0 ? floorDiv(remaining, p.batteryCapacityUnits / 1_000_000) : 0,
    filledNl: s.ledger.filledNl,
    withdrawnNl: s.ledger.withdrawnNl,
    pocketDivertedNl: s.ledger.pocketNl,
    motorVolumeNl: s.ledger.motorNl,
    trueDeliveredIntrathecalNg: s.ledger.trueDeliveredIntrathecalNg,
    trueReservoirConcentrationMcgPerMl: concentrationOf(s.reservoirDrug.ng, s.reservoirDrug.nl),
    trueReservoirDrugNg: reservoirNg(s),
    line: s.line.map((x) => ({
      volumeNl: x.inNl - x.outNl,
      concentrationMcgPerMl: concentrationOf(x.cNg, x.cNl),
    })),
    nextSyringeConcentrationMcgPerMl: s.syringeConcentration,
  };
}

export function deriveProgram(s: PumpState): PumpProgram {
  return {
    drugName: s.drugName,
    concentrationMcgPerMl: s.concentration,
    therapy: therapyRequestOf(s),
    lowReservoirAlarmVolumeUl: s.lowReservoirAlarmVolume,
    patientBolus: s.patientBolus ? { ...s.patientBolus } : null,
    programmedAt: s.programmedAt,
    programVersion: s.programVersion,
  };
}
