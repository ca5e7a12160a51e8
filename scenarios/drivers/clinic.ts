/**
 * What every expert driver of the library does the way a clinician does it, through the programmer service
 * (the same ProgrammerApi the screens use) and the bedside of the case handle: open a session, interrogate,
 * program with the review's findings read (a hard stop is never committed; a warning is committed only with
 * a reason in words, as the screens ask), verify, refill with the volume the syringe reads, end the session.
 * Nothing here reads the bench's truth. The pure parts (dose steps, grades, the bridge bolus) are tested in
 * test/scenarios/clinic.test.ts.
 */
import type { PumpProgram } from '../../src/device/pump-api';
import type { PumpStatus } from '../../src/device/types';
import type { ProgrammerApi, Proposal, Result, RequestOf, VerifyResult } from '../../src/shared/contract';
import type { BedsideFindings, CaseHandle } from '../../src/training/scenario/driver';
import { proposeBridgeBolus } from '../../src/shared/clinical/refill';
import { getProfile } from '../../src/shared/device-facts/profiles';

export const HOUR = 3600;
export const DAY = 86_400;

/** The value of a service result, or an error naming what failed (a driver that cannot act must say so). */
export function ok<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

// ---------------------------------------------------------------- pure helpers

/** Modified Ashworth grades in order (1+ between 1 and 2). */
export const MAS_GRADES = ['0', '1', '1+', '2', '3', '4'] as const;
export type Grade = (typeof MAS_GRADES)[number];

/** True when `grade` is `min` or worse. */
export function masAtLeast(grade: string, min: Grade): boolean {
  const g = MAS_GRADES.indexOf(grade as Grade);
  if (g < 0) throw new RangeError(`not a Modified Ashworth grade: "${grade}"`);
  return g >= MAS_GRADES.indexOf(min);
}

/**
 * A titration step: the dose raised by `percent`, rounded DOWN to a whole mcg/day so that the step never
 * exceeds the band it was chosen in (label: spinal 10-30%, cerebral and children 5-15% per 24 h).
 */
export function increasedDose(currentNgPerDay: number, percent: number): number {
  if (!Number.isSafeInteger(currentNgPerDay) || currentNgPerDay <= 0)
    throw new RangeError('the current dose must be a positive whole number of ng/day');
  if (!(percent > 0 && percent <= 50)) throw new RangeError('the step must be 0-50%');
  const mcg = Math.floor((currentNgPerDay / 1000) * (1 + percent / 100));
  return Math.max(mcg * 1000, currentNgPerDay);
}

/** The syringe's reading (mL, as read at its graduation: REFILL_SYRINGE) as the programmer's withdrawn volume, uL. */
export function syringeToMicrolitres(volumeMl: number): number {
  if (!(volumeMl >= 0 && Number.isFinite(volumeMl))) throw new RangeError('a syringe reads 0 mL or more');
  return Math.round(volumeMl * 10) * 100;
}

/**
 * The bridge bolus after a concentration change (clinical-model.md, "Bridge bolus": the old drug in the
 * pump tubing and catheter delivered at the rate in force before the refill), from what the programmer
 * read and the catheter volume of the implant record.
 */
export function bridgeBolusFor(
  status: Pick<PumpStatus, 'model' | 'concentrationMcgPerMl' | 'rateUlPerDay'>,
  newConcentration: number,
  catheterVolumeUl: number,
): { kind: 'bridge'; amountNg: number; durationS: number } {
  const profile = getProfile(status.model);
  const b = proposeBridgeBolus({
    internalVolume: profile.pumpTubingVolume,
    catheterVolume: catheterVolumeUl,
    oldConcentration: status.concentrationMcgPerMl,
    newConcentration,
    currentRate: status.rateUlPerDay,
    limits: profile,
  });
  if (!b.ok) throw new Error(`bridge bolus: ${b.error.message}`);
  if (b.parts.length > 1) throw new Error('bridge bolus in several parts: not expected in the library');
  return b.bolus;
}

/** The continuous daily dose of a program (the library's patients are on continuous therapy). */
export function continuousDose(p: Pick<PumpProgram, 'therapy'>): number {
  if (p.therapy.mode !== 'continuous')
    throw new Error(`expected continuous therapy, found ${p.therapy.mode}`);
  return p.therapy.dailyDoseNgPerDay;
}

// ---------------------------------------------------------------- the clinician's routines

/** Open a programming session with the case's pump (the patient context as the case's Connect screen). */
export async function openSession(svc: ProgrammerApi, c: CaseHandle): Promise<PumpStatus> {
  const info = ok(await svc.connectionState({}), 'connection state');
  if (info.state !== 'connected')
    ok(await svc.connect({ target: { kind: 'embedded' }, patient: c.patient }), 'connect');
  return ok(await svc.interrogate({}), 'interrogate');
}

export async function interrogate(svc: ProgrammerApi): Promise<PumpStatus> {
  return ok(await svc.interrogate({}), 'interrogate');
}

export async function readProgram(svc: ProgrammerApi): Promise<PumpProgram> {
  return ok(await svc.readProgram({}), 'read program');
}

/** End the session; a pump left stopped on purpose is ended with the reason in words. */
export async function closeSession(svc: ProgrammerApi, reasonIfUnsafe?: string): Promise<void> {
  const r = ok(await svc.endSession({}), 'end session');
  if (r.ended) return;
  if (!reasonIfUnsafe)
    throw new Error(`the session would not end: ${r.warning?.message ?? 'no reason given'}`);
  const forced = ok(await svc.endSession({ force: true, reason: reasonIfUnsafe }), 'end session (forced)');
  if (!forced.ended) throw new Error('the session would not end even with a reason');
}

export interface ProgramOptions {
  /** The reason recorded when the review warns (the screens ask for it in words). */
  reason: string;
  sideEffects?: boolean;
  /** Rules whose warning this clinician accepts; any other warning stops the driver (default: all). */
  acceptWarnings?: readonly string[];
}

/**
 * Propose, read the review, commit and verify. A hard stop is never committed: the driver throws with the
 * programmer's message (an expert who meets one has made an error). Returns the proposal that was committed.
 */
export async function program(
  svc: ProgrammerApi,
  c: CaseHandle,
  change: RequestOf<'proposeChange'>['change'],
  o: ProgramOptions,
): Promise<{ proposal: Proposal; verify: VerifyResult }> {
  const proposal = ok(
    await svc.proposeChange({
      change,
      origin: c.patient.origin,
      ageGroup: c.patient.ageGroup,
      ...(o.sideEffects ? { sideEffects: true } : {}),
    }),
    'propose',
  );
  const stops = proposal.findings.filter((f) => f.severity === 'hardStop');
  if (stops.length > 0 || !proposal.committable)
    throw new Error(
      `the programmer refused the change: ${[...stops.map((f) => `${f.rule}: ${f.message}`), ...proposal.errors.map((e) => e.message)].join('; ')}`,
    );
  const warnings = proposal.findings.filter((f) => f.severity === 'warning');
  if (o.acceptWarnings) {
    const unexpected = warnings.filter((w) => !o.acceptWarnings!.includes(w.rule));
    if (unexpected.length > 0)
      throw new Error(
        `unexpected warning(s): ${unexpected.map((w) => `${w.rule}: ${w.message}`).join('; ')}`,
      );
  }
  const committed = ok(
    await svc.commitChange({
      proposalId: proposal.proposalId,
      ...(warnings.length > 0 ? { overrideReason: o.reason } : {}),
    }),
    'commit',
  );
  if (!committed.committed) throw new Error('the pump did not apply the change');
  const verify = ok(await svc.verify({}), 'verify');
  if (!verify.matches)
    throw new Error(`read-back differs: ${verify.mismatches.map((m) => m.field).join(', ')}`);
  return { proposal, verify };
}

export interface RefillPlan {
  concentration: number;
  fillMl: number;
  /** Needed when the concentration changes (the rate is re-derived to keep this dose). */
  therapyDailyDose?: number;
  /** Catheter volume of the implant record, uL: a bridge bolus is programmed when the concentration changes. */
  bridgeCatheterUl?: number;
  reason: string;
  acceptWarnings?: readonly string[];
}

/** Aspirate, read the syringe, and program the refill with what it read (the review compares the volumes). */
export async function refill(
  svc: ProgrammerApi,
  c: CaseHandle,
  status: PumpStatus,
  plan: RefillPlan,
): Promise<{ proposal: Proposal; withdrawnUl: number }> {
  const { volumeMl } = await c.bedside.aspirateReservoir();
  const withdrawnUl = syringeToMicrolitres(volumeMl);
  const change: RequestOf<'proposeChange'>['change'] = {
    refill: {
      withdrawnVolumeUl: withdrawnUl,
      drugName: 'baclofen',
      concentrationMcgPerMl: plan.concentration,
      concentrationConfirmMcgPerMl: plan.concentration,
      fillVolumeUl: Math.round(plan.fillMl * 1000),
    },
  };
  if (plan.therapyDailyDose !== undefined)
    change.therapy = { mode: 'continuous', dailyDoseNgPerDay: plan.therapyDailyDose };
  if (plan.bridgeCatheterUl !== undefined && plan.concentration !== status.concentrationMcgPerMl)
    change.bolus = bridgeBolusFor(status, plan.concentration, plan.bridgeCatheterUl);
  const { proposal } = await program(svc, c, change, {
    reason: plan.reason,
    ...(plan.acceptWarnings ? { acceptWarnings: plan.acceptWarnings } : {}),
  });
  return { proposal, withdrawnUl };
}

/** Examine the patient (what a clinician observes now). */
export async function examine(c: CaseHandle): Promise<BedsideFindings> {
  return c.bedside.examine();
}

/** Signs a clinician reads as overdose: reduced consciousness, slow breathing or low saturation. */
export function looksOverdosed(f: BedsideFindings): boolean {
  return f.consciousness !== 'alert' || f.vitals.respiratoryRatePerMin < 10 || f.vitals.spo2Percent < 92;
}

/** Signs a clinician reads as withdrawal: itching, fever, a racing heart, confusion, or rebound spasticity. */
export function looksLikeWithdrawal(f: BedsideFindings, usualGrade: Grade): boolean {
  const rebound = MAS_GRADES.indexOf(f.modifiedAshworth as Grade) > MAS_GRADES.indexOf(usualGrade);
  return (
    f.pruritus ||
    f.vitals.temperatureC >= 38 ||
    f.vitals.heartRateBpm >= 100 ||
    f.mentalStatus !== 'normal' ||
    rebound
  );
}
