import type { PumpProgram } from '../../../src/device/pump-api';
import type { PumpStatus } from '../../../src/device/types';
import type { Proposal } from '../../../src/shared/contract';
import type { ClinicalHistory } from '../../../src/shared/clinical/history';

/** The pump's log as the rules read it: therapy started `startedDaysAgo` days before T0 at 400 mcg/day. */
export function history(startedDaysAgo = 3, over: Partial<ClinicalHistory> = {}): ClinicalHistory {
  return {
    pumpTime: T0,
    doseEvents: [{ time: T0 - startedDaysAgo * 86_400, dose: 400_000 }],
    complete: true,
    lastRefillAt: T0 - startedDaysAgo * 86_400,
    previousConcentration: null,
    runningBolus: null,
    ...over,
  };
}

export const T0 = 1_780_000_000;

/** A 20 mL pump, 500 mcg/mL baclofen at 400 mcg/day (800 uL/day), 12 mL calculated in the reservoir. */
export function status(over: Partial<PumpStatus> = {}): PumpStatus {
  return {
    model: 'SM2-20',
    serial: 'NGP000123',
    drugName: 'Baclofen',
    concentrationMcgPerMl: 500,
    mode: 'continuous',
    deliverySuspended: false,
    dailyDoseNgPerDay: 400_000,
    rateUlPerDay: 800,
    reservoirVolumeUl: 12_000,
    reservoirCapacityUl: 20_000,
    lowReservoirAlarmVolumeUl: 2_000,
    lowReservoirAlarmTime: null,
    emptyTime: null,
    battery: 'ok',
    eriTime: null,
    replaceByTime: null,
    alarms: [],
    pumpTime: T0,
    ...over,
  };
}

export function program(over: Partial<PumpProgram> = {}): PumpProgram {
  return {
    drugName: 'Baclofen',
    concentrationMcgPerMl: 500,
    therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
    lowReservoirAlarmVolumeUl: 2_000,
    patientBolus: null,
    programmedAt: T0 - 86_400,
    programVersion: 3,
    ...over,
  };
}

export function proposal(over: Partial<Proposal> = {}): Proposal {
  return {
    proposalId: 'p-1',
    change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 440_000 } },
    clinical: {
      phase: 'maintenance',
      currentDailyDose: 400_000,
      effectiveDailyDose: 440_000,
      changePer24hBp: 1000,
    },
    rows: [
      { field: 'dailyDose', label: 'Daily dose', old: '400 mcg/day', new: '440 mcg/day', changed: true },
    ],
    consequences: {
      rateUlPerDay: 880,
      effectiveDailyDoseNgPerDay: 440_000,
      reservoirVolumeAfterUl: 12_000,
      lowReservoirAlarmTime: T0 + 11 * 86_400,
      emptyTime: T0 + 13 * 86_400,
      daysToEmptyX1000: 13_636,
    },
    nextRefillTime: T0 + 8 * 86_400,
    findings: [],
    committable: true,
    errors: [],
    ...over,
  };
}
