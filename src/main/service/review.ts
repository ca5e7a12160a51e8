/**
 * Pure helpers of the programming transaction: the side-by-side review rows (old vs new), the program the
 * pump should hold after a commit, and the field-by-field read-back comparison.
 */
import type { PumpProgram } from '../../device/pump-api';
import type {
  BolusRequest,
  FlexStep,
  PatientBolusSettings,
  ProgramChange,
  ProgramConsequences,
  PumpStatus,
  PumpInstant,
  TherapyRequest,
} from '../../device/types';
import {
  formatAmount,
  formatConcentration,
  formatDose,
  formatDuration,
  formatTimeOfDay,
  formatLocalDateTime,
  formatReservoirVolume,
  formatRate,
  formatVolume,
} from '../../shared/clinical/format';
import { therapyMeanDailyDose, therapyMeanRate } from '../../shared/clinical/arithmetic';
import type { ReviewRow, VerifyResult } from '../../shared/contract';
import type { RunningBolus } from '../../shared/clinical/history';
import { effectiveTherapy } from '../../shared/clinical/rules';

// ---------------------------------------------------------------- formatting (integers in, text out)

/** Local date and time in the host's zone (the programmer's); the zone is named once per text (formatZone). */
export function fmtPumpTime(t: PumpInstant | null): string {
  return t === null ? 'none' : formatLocalDateTime(t);
}
export function fmtSteps(steps: FlexStep[]): string {
  return steps
    .map((st) => `${formatTimeOfDay(st.startSecondOfDay)} ${formatDose(st.dailyDoseNgPerDay)}`)
    .join('; ');
}
export function fmtTherapy(t: TherapyRequest): string {
  switch (t.mode) {
    case 'stopped':
      return 'stopped';
    case 'continuous':
      return `continuous ${formatDose(t.dailyDoseNgPerDay)}`;
    case 'flex':
      return `flex: ${fmtSteps(t.steps)}`;
  }
}
export function fmtBolus(b: BolusRequest | undefined): string {
  if (!b) return 'none';
  if (b.kind === 'priming') return `priming ${formatVolume(b.volumeUl)} over ${formatDuration(b.durationS)}`;
  return `${b.kind} ${formatAmount(b.amountNg)} over ${formatDuration(b.durationS)}`;
}
export function fmtPatientBolus(p: PatientBolusSettings | null): string {
  if (!p) return 'off';
  return `${formatAmount(p.amountNg)} over ${formatDuration(p.durationS)}, max ${p.maxPerDay}/day, lockout ${formatDuration(p.lockoutS)}`;
}

// ---------------------------------------------------------------- review rows

export interface ReviewInput {
  status: PumpStatus;
  program: PumpProgram;
  change: ProgramChange;
  consequences: ProgramConsequences | null;
  nextRefillOld: PumpInstant | null;
  nextRefillNew: PumpInstant | null;
  /** The bolus running now (from the pump log): any program update cancels it. */
  runningBolus?: RunningBolus | null;
}

/** A running bolus in words: kind, what is left, when it would end. */
export function fmtRunningBolus(b: RunningBolus | null | undefined): string {
  if (!b) return 'none';
  const left =
    b.remaining === null ? 'amount left unknown' : `${formatVolume(Math.floor(b.remaining / 1000))} left`;
  const ends = b.endTime === null ? '' : `, ends ${fmtPumpTime(b.endTime)}`;
  return `${b.kind} bolus running (${left}${ends})`;
}

export function buildReviewRows(input: ReviewInput): ReviewRow[] {
  const { status, program, change, consequences: c } = input;
  const concentrationAfter = change.refill?.concentrationMcgPerMl ?? program.concentrationMcgPerMl;
  // The therapy as the pump will store it (rate-rounded): what the read-back will show.
  const newTherapy = change.therapy ? effectiveTherapy(change.therapy, concentrationAfter) : program.therapy;
  const rows: ReviewRow[] = [];
  const row = (field: string, label: string, oldText: string, newText: string) =>
    rows.push({ field, label, old: oldText, new: newText, changed: oldText !== newText });

  row('mode', 'Mode', program.therapy.mode, newTherapy.mode);
  // "Daily dose" is the 24 h total in both columns (a flex pump's status reports its current step), and a
  // program whose therapy and concentration do not change shows the same text on both sides, so the row is
  // "(changed)" only when the value changed.
  const flexNow = program.therapy.mode === 'flex';
  const oldDose = flexNow ? therapyMeanDailyDose(program.therapy) : status.dailyDoseNgPerDay;
  const oldRate = flexNow
    ? therapyMeanRate(program.therapy, program.concentrationMcgPerMl)
    : status.rateUlPerDay;
  const sameTherapy =
    change.therapy === undefined &&
    (change.refill === undefined || change.refill.concentrationMcgPerMl === program.concentrationMcgPerMl);
  row(
    'dailyDose',
    'Daily dose (24 h total)',
    formatDose(oldDose),
    sameTherapy ? formatDose(oldDose) : c ? formatDose(c.effectiveDailyDoseNgPerDay) : '?',
  );
  row(
    'rate',
    flexNow || newTherapy.mode === 'flex' ? 'Rate (24 h mean)' : 'Rate',
    formatRate(oldRate),
    sameTherapy ? formatRate(oldRate) : c ? formatRate(c.rateUlPerDay) : '?',
  );
  row(
    'flexSteps',
    'Flex steps',
    program.therapy.mode === 'flex' ? fmtSteps(program.therapy.steps) : 'none',
    newTherapy.mode === 'flex' ? fmtSteps(newTherapy.steps) : 'none',
  );
  row('drugName', 'Drug', program.drugName, change.refill?.drugName ?? program.drugName);
  row(
    'concentration',
    'Concentration',
    formatConcentration(program.concentrationMcgPerMl),
    formatConcentration(change.refill?.concentrationMcgPerMl ?? program.concentrationMcgPerMl),
  );
  row(
    'reservoirVolume',
    'Reservoir volume',
    formatReservoirVolume(status.reservoirVolumeUl),
    c ? formatReservoirVolume(c.reservoirVolumeAfterUl) : '?',
  );
  row(
    'lowReservoirAlarmVolume',
    'Low-reservoir alarm threshold',
    formatVolume(program.lowReservoirAlarmVolumeUl),
    formatVolume(change.lowReservoirAlarmVolumeUl ?? program.lowReservoirAlarmVolumeUl),
  );
  row(
    'lowReservoirAlarmTime',
    'Low-reservoir alarm date',
    fmtPumpTime(status.lowReservoirAlarmTime),
    c ? fmtPumpTime(c.lowReservoirAlarmTime) : '?',
  );
  row(
    'nextRefillTime',
    'Next refill date',
    fmtPumpTime(input.nextRefillOld),
    fmtPumpTime(input.nextRefillNew),
  );
  const running = input.runningBolus ?? null;
  row(
    'bolus',
    'Bolus',
    fmtRunningBolus(running),
    change.bolus ? fmtBolus(change.bolus) : running ? 'none (the running bolus is cancelled)' : 'none',
  );
  row(
    'patientBolus',
    'Patient bolus',
    fmtPatientBolus(program.patientBolus),
    fmtPatientBolus(change.patientBolus === undefined ? program.patientBolus : change.patientBolus),
  );
  if (change.refill) {
    row('withdrawnVolume', 'Volume withdrawn', '', formatVolume(change.refill.withdrawnVolumeUl));
    row('fillVolume', 'Volume filled', '', formatVolume(change.refill.fillVolumeUl));
  }
  return rows;
}

// ---------------------------------------------------------------- verify

/**
 * The program the pump must hold once `change` is applied over `before`: the therapy as the pump stores it
 * (each dose rounded through its rate at the concentration after the change), not the typed request, so a
 * correct update whose dose is not representable at the pump's rate resolution still verifies.
 */
export function expectedProgram(
  before: PumpProgram,
  change: ProgramChange,
  concentrationAfter: number = change.refill?.concentrationMcgPerMl ?? before.concentrationMcgPerMl,
): Omit<PumpProgram, 'programmedAt'> {
  return {
    drugName: change.refill?.drugName ?? before.drugName,
    concentrationMcgPerMl: change.refill?.concentrationMcgPerMl ?? before.concentrationMcgPerMl,
    therapy: change.therapy ? effectiveTherapy(change.therapy, concentrationAfter) : before.therapy,
    lowReservoirAlarmVolumeUl: change.lowReservoirAlarmVolumeUl ?? before.lowReservoirAlarmVolumeUl,
    patientBolus: change.patientBolus === undefined ? before.patientBolus : change.patientBolus,
    programVersion: before.programVersion,
  };
}

/** Canonical text of a value for comparison: object keys sorted so field order never matters. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * Field-by-field comparison of the read-back program with the expected one. `versionBefore` is the program
 * version before the commit: a commit that took effect must have moved it on.
 */
export function compareProgram(
  expected: Omit<PumpProgram, 'programmedAt'>,
  actual: PumpProgram,
  versionBefore: number | null,
): VerifyResult {
  const mismatches: VerifyResult['mismatches'] = [];
  const check = (field: string, e: unknown, a: unknown, show: (v: never) => string = String) => {
    if (canonical(e) !== canonical(a))
      mismatches.push({ field, expected: show(e as never), actual: show(a as never) });
  };
  check('drugName', expected.drugName, actual.drugName);
  check('concentration', expected.concentrationMcgPerMl, actual.concentrationMcgPerMl, formatConcentration);
  check('therapy', expected.therapy, actual.therapy, fmtTherapy);
  check(
    'lowReservoirAlarmVolume',
    expected.lowReservoirAlarmVolumeUl,
    actual.lowReservoirAlarmVolumeUl,
    formatVolume,
  );
  check('patientBolus', expected.patientBolus, actual.patientBolus, fmtPatientBolus);
  if (versionBefore !== null && actual.programVersion <= versionBefore) {
    mismatches.push({
      field: 'programVersion',
      expected: `> ${versionBefore}`,
      actual: String(actual.programVersion),
    });
  }
  return { matches: mismatches.length === 0, mismatches, program: actual };
}

/** Daily dose of a therapy (flex: the mean over the day): the clinical module's definition. */
export const therapyDailyDose = therapyMeanDailyDose;
