/**
 * Refill workflow, as pure functions: the task steps (withdraw, drug, fill, bridge bolus, dose), what each
 * step requires before Next, the expected-vs-withdrawn discrepancy as the clinician should read it, the
 * bridge bolus offer, and the ProgramChangeRequest sent for review. Clinical judgements come from
 * src/shared/clinical (evaluateRefill, proposeBridgeBolus); this module arranges them for the screen.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { DeviceProfile } from '../../shared/device-facts/profiles';
import type { PumpStatus } from '../../device/types';
import type { ProgramChangeRequest } from '../../shared/contract';
import { STANDARD_CONCENTRATIONS } from '../../shared/clinical/constants';
import { formatVolume } from '../../shared/clinical/format';
import {
  evaluateRefill,
  proposeBridgeBolus,
  type BridgeBolusProposal,
  type RefillCheckResult,
} from '../../shared/clinical/refill';
import { parseConcentrationEntry, parseDoseEntry, parseVolumeEntry, type Parsed } from './entry';

export type RefillStep = 'withdraw' | 'drug' | 'fill' | 'bridge' | 'dose';

export const STEP_LABELS: Record<RefillStep, string> = {
  withdraw: 'Empty the reservoir',
  drug: 'Drug and concentration',
  fill: 'Fill volume',
  bridge: 'Bridge bolus',
  dose: 'Dose and alarm',
};

export type ConcentrationChoice = `${number}` | 'custom';
export type BridgeDecision = 'undecided' | 'accept' | 'decline';

export interface RefillEntries {
  withdrawn: string;
  drugName: string;
  concentrationChoice: ConcentrationChoice | '';
  concentrationCustom: string;
  /** The concentration typed again, from the label, without looking at the first entry. */
  concentrationConfirm: string;
  fill: string;
  catheterVolume: string;
  bridge: BridgeDecision;
  dose: string;
  lowReservoirAlarm: string;
}

export interface RefillContext {
  status: PumpStatus;
  program: PumpProgram;
  profile: DeviceProfile;
}

export const CONCENTRATION_OPTIONS: readonly number[] = STANDARD_CONCENTRATIONS;

export function initialEntries(
  ctx: RefillContext,
  doseText: string,
  volumeText: (uL: number) => string,
): RefillEntries {
  const { program, profile } = ctx;
  return {
    withdrawn: '',
    drugName: program.drugName || 'Baclofen',
    concentrationChoice: '',
    concentrationCustom: '',
    concentrationConfirm: '',
    fill: '',
    catheterVolume: volumeText(profile.catheterVolumePerCm * profile.catheterLengthCm),
    bridge: 'undecided',
    dose: doseText,
    lowReservoirAlarm: volumeText(program.lowReservoirAlarmVolumeUl || profile.lowReservoirAlarmDefault),
  };
}

/** The concentration chosen (a standard strength or a typed custom dilution). */
export function chosenConcentration(e: RefillEntries): Parsed<number> {
  if (e.concentrationChoice === '')
    return { ok: false, message: 'Choose the concentration on the drug label.' };
  if (e.concentrationChoice === 'custom') return parseConcentrationEntry(e.concentrationCustom);
  return { ok: true, value: Number(e.concentrationChoice) };
}

/** True when the refill changes the concentration the pump holds (a bridge bolus is then offered). */
export function concentrationChanges(e: RefillEntries, ctx: RefillContext): boolean {
  const c = chosenConcentration(e);
  return c.ok && ctx.status.concentrationMcgPerMl > 0 && c.value !== ctx.status.concentrationMcgPerMl;
}

/** The steps of this refill: the bridge-bolus step only when the concentration changes. */
export function refillSteps(e: RefillEntries, ctx: RefillContext): RefillStep[] {
  const all: RefillStep[] = ['withdraw', 'drug', 'fill', 'bridge', 'dose'];
  return concentrationChanges(e, ctx) ? all : all.filter((s) => s !== 'bridge');
}

export type FieldErrors = Partial<Record<keyof RefillEntries, string>>;

const DRUG_NAME = /^[\x20-\x7e]{1,32}$/;

/** What blocks Next on a step, per field (empty when the step is complete). */
export function stepErrors(step: RefillStep, e: RefillEntries, ctx: RefillContext): FieldErrors {
  const out: FieldErrors = {};
  const cap = ctx.status.reservoirCapacityUl;
  const put = (f: keyof RefillEntries, p: Parsed<number>, check?: (v: number) => string | null) => {
    if (!p.ok) out[f] = p.message;
    else {
      const m = check?.(p.value);
      if (m) out[f] = m;
    }
  };
  switch (step) {
    case 'withdraw':
      put('withdrawn', parseVolumeEntry(e.withdrawn), (v) =>
        v > cap ? `More than the ${formatVolume(cap)} reservoir holds: check the syringe reading.` : null,
      );
      break;
    case 'drug': {
      if (!DRUG_NAME.test(e.drugName.trim()))
        out.drugName = 'Enter the drug name (1 to 32 plain characters).';
      const c = chosenConcentration(e);
      if (!c.ok)
        out[e.concentrationChoice === 'custom' ? 'concentrationCustom' : 'concentrationChoice'] = c.message;
      else if (c.value <= 0) out.concentrationCustom = 'The concentration cannot be 0 mcg/mL.';
      const confirm = parseConcentrationEntry(e.concentrationConfirm);
      if (!confirm.ok) out.concentrationConfirm = confirm.message;
      else if (c.ok && confirm.value !== c.value) {
        out.concentrationConfirm = `The two entries differ (${c.value} and ${confirm.value} mcg/mL): read the label again and re-enter.`;
      }
      break;
    }
    case 'fill':
      put('fill', parseVolumeEntry(e.fill), (v) =>
        v === 0
          ? 'Enter the volume injected into the reservoir.'
          : v > cap
            ? `At most ${formatVolume(cap)} (the reservoir capacity).`
            : null,
      );
      break;
    case 'bridge':
      put('catheterVolume', parseVolumeEntry(e.catheterVolume));
      if (e.bridge === 'undecided') out.bridge = 'Accept or decline the bridge bolus.';
      break;
    case 'dose': {
      if (ctx.program.therapy.mode !== 'flex') {
        put('dose', parseDoseEntry(e.dose));
      }
      const { lowReservoirAlarmMin: min, lowReservoirAlarmMax: max } = ctx.profile;
      put('lowReservoirAlarm', parseVolumeEntry(e.lowReservoirAlarm), (v) =>
        v < min || v > max ? `Between ${formatVolume(min)} and ${formatVolume(max)}.` : null,
      );
      break;
    }
  }
  return out;
}

/** The clinical refill check once the volumes and concentration are known (null before). */
export function refillCheck(e: RefillEntries, ctx: RefillContext): RefillCheckResult | null {
  const withdrawn = parseVolumeEntry(e.withdrawn);
  if (!withdrawn.ok) return null;
  const c = chosenConcentration(e);
  const confirm = parseConcentrationEntry(e.concentrationConfirm);
  const fill = parseVolumeEntry(e.fill);
  // Before the later steps are entered, check the volumes alone with neutral placeholders.
  const conc = c.ok ? c.value : ctx.status.concentrationMcgPerMl;
  return evaluateRefill({
    reservoirCapacity: ctx.status.reservoirCapacityUl,
    expectedVolume: ctx.status.reservoirVolumeUl,
    withdrawnVolume: withdrawn.value,
    fillVolume: fill.ok ? fill.value : 1,
    concentration: conc,
    concentrationConfirm: confirm.ok ? confirm.value : conc,
    previousConcentration: ctx.status.concentrationMcgPerMl > 0 ? ctx.status.concentrationMcgPerMl : null,
    drugName: e.drugName,
  });
}

export type DiscrepancyKind = 'asExpected' | 'lessThanExpected' | 'moreThanExpected' | 'overCapacity';

export interface DiscrepancyDisplay {
  kind: DiscrepancyKind;
  /** 'alert' for a flagged gap: it must interrupt the clinician. */
  tone: 'ok' | 'alert';
  title: string;
  message: string;
  /** What to do now, as steps. */
  actions: string[];
}

/** The withdrawn-vs-expected check as the clinician should read it (from evaluateRefill's findings). */
export function discrepancyDisplay(check: RefillCheckResult): DiscrepancyDisplay | null {
  const f = check.findings.find((x) => x.rule.startsWith('WITHDRAWN_'));
  if (!f) return null;
  switch (f.rule) {
    case 'WITHDRAWN_LESS_THAN_EXPECTED':
      return {
        kind: 'lessThanExpected',
        tone: 'alert',
        title: 'Less withdrawn than expected: possible over-infusion or pocket fill',
        message: f.message,
        actions: [
          'Assess the patient now for overdose (drowsiness, respiratory depression, hypotonia).',
          'Check needle placement and the previous refill record (drug may have gone into the pocket).',
          'Record the discrepancy; consider pump and catheter investigation before relying on the alarm date.',
          'Plan a follow-up for underdose and withdrawal: the reservoir may empty before its alarm.',
        ],
      };
    case 'WITHDRAWN_MORE_THAN_EXPECTED':
      return {
        kind: 'moreThanExpected',
        tone: 'alert',
        title: 'More withdrawn than expected: possible under-infusion',
        message: f.message,
        actions: [
          'Check needle placement (fluid from the pocket?) and review the pump log for motor stall.',
          'Assess the patient for underdose and withdrawal (returning spasticity, itching, fever).',
          'Record the discrepancy and investigate before the next refill.',
        ],
      };
    case 'WITHDRAWN_OVER_CAPACITY':
      return {
        kind: 'overCapacity',
        tone: 'alert',
        title: 'Withdrawn volume impossible',
        message: f.message,
        actions: [],
      };
    default:
      return {
        kind: 'asExpected',
        tone: 'ok',
        title: 'Withdrawn volume as expected',
        message: f.message,
        actions: [],
      };
  }
}

/** The bridge bolus proposed for a concentration change (null when the concentration does not change). */
export function bridgeOffer(e: RefillEntries, ctx: RefillContext): BridgeBolusProposal | null {
  if (!concentrationChanges(e, ctx)) return null;
  const c = chosenConcentration(e);
  const cath = parseVolumeEntry(e.catheterVolume);
  if (!c.ok) return null;
  if (!cath.ok) return { ok: false, error: { code: 'INPUT_INVALID', message: cath.message } };
  return proposeBridgeBolus({
    internalVolume: ctx.profile.pumpTubingVolume,
    catheterVolume: cath.value,
    oldConcentration: ctx.status.concentrationMcgPerMl,
    newConcentration: c.value,
    currentRate: ctx.status.rateUlPerDay,
    // The pump's own bolus limits: a bridge longer than its longest bolus is offered in parts.
    limits: ctx.profile,
  });
}

/** The whole refill as one program change: refill + therapy (+ bridge bolus) + low-reservoir alarm. */
export function buildRefillRequest(e: RefillEntries, ctx: RefillContext): Parsed<ProgramChangeRequest> {
  for (const step of refillSteps(e, ctx)) {
    const errs = stepErrors(step, e, ctx);
    const first = Object.values(errs)[0];
    if (first) return { ok: false, message: `${STEP_LABELS[step]}: ${first}` };
  }
  const withdrawn = parseVolumeEntry(e.withdrawn);
  const c = chosenConcentration(e);
  const confirm = parseConcentrationEntry(e.concentrationConfirm);
  const fill = parseVolumeEntry(e.fill);
  const alarm = parseVolumeEntry(e.lowReservoirAlarm);
  if (!withdrawn.ok || !c.ok || !confirm.ok || !fill.ok || !alarm.ok)
    return { ok: false, message: 'Incomplete refill.' };
  const t = ctx.program.therapy;
  let therapy: ProgramChangeRequest['therapy'];
  if (t.mode === 'flex') therapy = { mode: 'flex', steps: t.steps.map((s) => ({ ...s })) };
  else {
    const dose = parseDoseEntry(e.dose);
    if (!dose.ok) return dose;
    therapy = { mode: 'continuous', dailyDoseNgPerDay: dose.value };
  }
  const change: ProgramChangeRequest = {
    refill: {
      withdrawnVolumeUl: withdrawn.value,
      drugName: e.drugName.trim(),
      concentrationMcgPerMl: c.value,
      concentrationConfirmMcgPerMl: confirm.value,
      fillVolumeUl: fill.value,
    },
    therapy,
    lowReservoirAlarmVolumeUl: alarm.value,
  };
  if (e.bridge === 'accept' && concentrationChanges(e, ctx)) {
    const b = bridgeOffer(e, ctx);
    if (!b || !b.ok) return { ok: false, message: b ? b.error.message : 'No bridge bolus to give.' };
    change.bolus = b.bolus;
  }
  return { ok: true, value: change };
}
