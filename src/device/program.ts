/** Applying a (validated) program to a working copy: refill, alarm threshold, therapy, patient bolus, bolus. */
import type { Notes } from './alarms';
import { cancelBolus, evaluateReservoir } from './advance';
import { addMass } from './delivery';
import { doseForRate, flexRates, floorDiv, rateForDose, volumeForAmount } from '../shared/device-facts/dose';
import { appendLog, therapyLogDetail } from './log';
import { getProfile } from '../shared/device-facts/profiles';
import { phaseOf, type PumpState, type StoredTherapy } from './state';
import { refillTrueDrug } from './truth';
import type { BolusRequest, ProgramChange, TherapyRequest } from './types';

export function storeTherapy(t: TherapyRequest, concentration: number): StoredTherapy {
  if (t.mode === 'stopped') return { mode: 'stopped' };
  if (t.mode === 'continuous')
    return { mode: 'continuous', rate: rateForDose(t.dailyDoseNgPerDay, concentration) };
  return { mode: 'flex', steps: flexRates(t.steps, concentration) };
}

/** The therapy as the programmer reads it back: effective doses (rate x concentration). */
export function therapyRequestOf(s: PumpState): TherapyRequest {
  const t = s.therapy;
  if (t.mode === 'stopped') return { mode: 'stopped' };
  if (t.mode === 'continuous')
    return { mode: 'continuous', dailyDoseNgPerDay: doseForRate(t.rate, s.concentration) };
  return {
    mode: 'flex',
    steps: t.steps.map((x) => ({
      startSecondOfDay: x.start,
      dailyDoseNgPerDay: doseForRate(x.rate, s.concentration),
    })),
  };
}

export function bolusVolumeNl(b: BolusRequest, concentration: number): number {
  return b.kind === 'priming' ? b.volumeUl * 1000 : volumeForAmount(b.amountNg, concentration);
}

export function beginUpdate(s: PumpState, change: ProgramChange): void {
  cancelBolus(s, 'program update');
  s.updating = { change, since: s.now };
  appendLog(s, 'STOPPED', 'update');
}

export function abortUpdate(s: PumpState): void {
  s.updating = null;
  // The real pump stays stopped when a session is abandoned mid-update: a known withdrawal hazard.
  s.clinicianStopped = true;
  appendLog(s, 'STOPPED', 'update abandoned: pump left stopped');
}

/** Applies the whole change; the caller has validated it against this state. */
export function applyProgramTo(s: PumpState, notes: Notes, change: ProgramChange): void {
  const p = getProfile(s.model);
  cancelBolus(s, 'program update');
  const lockoutRestart = (): void => {
    if (s.patientBolus) s.patientBolusLockoutUntil = s.now + s.patientBolus.lockoutS;
  };
  if (change.refill) {
    const r = change.refill;
    const residualNl = p.residualVolume * 1000;
    // The needle can only aspirate what is there above the residual volume.
    const aspirable = s.trueNl > residualNl ? s.trueNl - residualNl : 0;
    const asked = r.withdrawnVolumeUl * 1000;
    const withdrawn = asked < aspirable ? asked : aspirable;
    s.trueNl -= withdrawn;
    s.ledger.withdrawnNl += withdrawn;
    const fillNl = r.fillVolumeUl * 1000;
    s.ledger.filledNl += fillNl;
    let pocket = floorDiv(fillNl * s.pocketFillPpm, 1_000_000);
    s.pocketFillPpm = 0;
    let into = fillNl - pocket;
    const space = p.reservoirCapacity * 1000 + residualNl - s.trueNl;
    if (into > space) {
      pocket += into - space;
      into = space;
    }
    s.trueNl += into;
    refillTrueDrug(s, withdrawn, into, r.concentrationMcgPerMl, !s.everFilled);
    s.ledger.pocketNl += pocket;
    s.drugName = r.drugName;
    s.concentration = r.concentrationMcgPerMl;
    addMass(s, pocket, 'lost');
    // The pump believes the reservoir was emptied: its calculated volume is the fill volume.
    s.calculatedNl = fillNl;
    s.everFilled = true;
    appendLog(
      s,
      'REFILL',
      `w ${r.withdrawnVolumeUl} f ${r.fillVolumeUl} uL ${r.concentrationMcgPerMl} mcg/mL`,
    );
    lockoutRestart();
  }
  if (change.lowReservoirAlarmVolumeUl !== undefined) {
    s.lowReservoirAlarmVolume = change.lowReservoirAlarmVolumeUl;
    appendLog(s, 'PROGRAM', `low reservoir alarm ${change.lowReservoirAlarmVolumeUl} uL`);
  }
  if (change.therapy) {
    s.therapy = storeTherapy(change.therapy, s.concentration);
    appendLog(s, 'PROGRAM', therapyLogDetail(s.therapy, s.concentration));
  }
  if (change.patientBolus !== undefined) {
    s.patientBolus = change.patientBolus === null ? null : { ...change.patientBolus };
    s.patientBolusHistory = [];
    s.patientBolusLockoutUntil = s.now;
    lockoutRestart();
    appendLog(
      s,
      'PROGRAM',
      change.patientBolus ? `patient bolus ${change.patientBolus.amountNg} ng` : 'patient bolus off',
    );
  }
  // The pump restarts its stroke accounting after an update (the sub-nanolitre remainder is dropped).
  s.carry.basal = 0;
  if (change.bolus) {
    const b = change.bolus;
    const volumeNl = bolusVolumeNl(b, s.concentration);
    s.bolus = {
      kind: b.kind,
      volumeNl,
      amount: b.kind === 'priming' ? b.volumeUl * s.concentration : b.amountNg,
      startTime: s.now,
      endTime: s.now + b.durationS,
    };
    appendLog(s, 'BOLUS_START', `${b.kind} ${volumeNl} nL over ${b.durationS} s`);
  }
  s.programVersion += 1;
  s.programmedAt = s.now;
  s.updating = null;
  s.clinicianStopped = false;
  evaluateReservoir(s, notes);
  const phase = phaseOf(s);
  if (phase === 'infusing' || phase === 'bolusing') appendLog(s, 'RESUMED', 'update complete');
  else appendLog(s, 'STOPPED', `update complete, pump ${phase}`);
}
