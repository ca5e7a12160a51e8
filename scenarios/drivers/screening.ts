/**
 * What the candidacy cases' expert drivers share (issue 21 point 4): the screening desk as a clinician uses
 * it, through the programmer service (`svc.screening`, which goes over the bedside HTTP API to the device
 * host's desk, as the programmer's "Candidacy and screening" screen does). The expert decides only from
 * what it reads there: the case form, the candidacy recommendation, and the assessments it chose to make
 * (Modified Ashworth, vital signs, sedation, what the patient reports). Never the patient model.
 *
 * How it conducts a trial (the label's, docs/clinical-model.md "Screening trial"): a baseline tone and vital
 * signs before each bolus; vital signs, sedation and what the patient reports every hour for the first
 * 4 h (the label: "monitor heart and breathing closely in the first hours"), tone at each hour from 4 h to
 * 8 h; airway support at once if breathing is depressed; an adverse response stops the ladder, and the
 * patient is then watched hourly until awake and breathing normally.
 */
import type { ProgrammerApi, RequestOf } from '../../src/shared/contract';
import type { ScreeningView } from '../../src/shared/screening-view';
import { MAS_GRADES, ok, type Grade } from './clinic';

type Assessment = ScreeningView['assessments'][number];

export async function desk(svc: ProgrammerApi, req: RequestOf<'screening'>): Promise<ScreeningView> {
  return ok(await svc.screening(req), `screening ${req.action}`);
}

/** The case form from the desk, assessed by the candidacy rules at the desk (so the case records it). */
export async function assessAtDesk(
  svc: ProgrammerApi,
): Promise<NonNullable<ScreeningView['candidacy']> & { view: ScreeningView }> {
  const v = await desk(svc, { action: 'view' });
  if (!v.candidate) throw new Error('the desk has no candidate: this case admits none');
  const after = await desk(svc, { action: 'candidacy', case: v.candidate.case });
  if (!after.candidacy) throw new Error('the desk did not answer with a recommendation');
  return { ...after.candidacy, view: after };
}

/** Depressed breathing: the label's reason for airway support (thresholds: docs/clinical-model.md). */
export function breathingDepressed(a: Assessment): boolean {
  return !!a.vitals && (a.vitals.respiratoryRatePerMin < 10 || a.vitals.spo2Percent < 90);
}

/**
 * An adverse response: depressed breathing, or sedation deeper than drowsy (responds only to voice or
 * less), or hypotonia rising above the legs (the label's "rostral progression of hypotonia").
 */
export function adverseSigns(a: Assessment): string[] {
  const out: string[] = [];
  if (a.vitals && a.vitals.respiratoryRatePerMin < 10)
    out.push(`breathing ${a.vitals.respiratoryRatePerMin}/min`);
  if (a.vitals && a.vitals.spo2Percent < 90) out.push(`SpO2 ${a.vitals.spo2Percent} %`);
  if (a.sedation && !['alert', 'drowsy'].includes(a.sedation.consciousness))
    out.push(`consciousness: ${a.sedation.consciousness}`);
  if (a.report && !['none', 'lowerLimbs'].includes(a.report.hypotonia))
    out.push(`hypotonia rising to the ${a.report.hypotonia}`);
  return out;
}

const POINTS: Record<Grade, number> = { '0': 0, '1': 1, '1+': 1.5, '2': 2, '3': 3, '4': 4 };

/** Ashworth points (1+ counted 1.5), as the label's response is judged: a drop of one point or more. */
export function ashworthPoints(g: string): number {
  if (!MAS_GRADES.includes(g as Grade)) throw new RangeError(`not a Modified Ashworth grade: "${g}"`);
  return POINTS[g as Grade];
}

export interface DoseOutcome {
  response: 'effective' | 'inadequate' | 'adverse';
  reason: string;
  view: ScreeningView;
}

const last = (v: ScreeningView): Assessment => {
  const a = v.assessments.at(-1);
  if (!a) throw new Error('the desk recorded no assessment');
  return a;
};

/**
 * One step of the ladder: baseline, the bolus, the observation, the judgement recorded with its reason.
 * Effective: a drop of at least one Ashworth point seen from 4 h (the label's window is 4-8 h), and the
 * expert keeps looking to 8 h so that the effect's duration is known for the starting dose.
 */
export async function screeningDose(svc: ProgrammerApi, doseMcg: number): Promise<DoseOutcome> {
  let v = await desk(svc, { action: 'view' });
  if (v.step?.kind !== 'give' || v.step.doseMcg !== doseMcg)
    throw new Error(`the ladder's next step is not ${doseMcg} mcg: ${v.step?.message ?? 'none'}`);
  // The next dose 24 h after the previous one (the label's interval), with a fresh baseline just before it.
  if (v.step.notBefore !== null && v.now !== null && v.now < v.step.notBefore)
    await desk(svc, { action: 'wait', minutes: Math.ceil((v.step.notBefore - v.now) / 60) });
  v = await desk(svc, { action: 'assess', kinds: ['tone', 'spasms', 'vitals', 'sedation'] });
  const baseline = last(v).modifiedAshworth!;
  await desk(svc, { action: 'bolus', doseMcg });
  let bestDrop = 0;
  for (let h = 1; h <= 8; h++) {
    await desk(svc, { action: 'wait', minutes: 60 });
    v = await desk(svc, { action: 'assess', kinds: ['tone', 'vitals', 'sedation', 'report'] });
    const a = last(v);
    if (breathingDepressed(a) && !v.airwaySupport) await desk(svc, { action: 'airway', on: true });
    const signs = adverseSigns(a);
    if (signs.length) {
      const reason = `Adverse response ${h} h after ${doseMcg} mcg: ${signs.join(', ')}; Modified Ashworth ${a.modifiedAshworth} from ${baseline} (excessive hypotonia). Ladder stopped.`;
      return {
        response: 'adverse',
        reason,
        view: await desk(svc, { action: 'respond', response: 'adverse', reason }),
      };
    }
    const drop = ashworthPoints(baseline) - ashworthPoints(a.modifiedAshworth!);
    // The label judges the response from 4 h (4-8 h); earlier looks are for safety.
    if (h >= 4) bestDrop = Math.max(bestDrop, drop);
  }
  const a = last(v);
  const response = bestDrop >= 1 ? 'effective' : 'inadequate';
  const reason =
    response === 'effective'
      ? `Modified Ashworth ${baseline} before ${doseMcg} mcg, down by ${bestDrop} point(s) at best; still ${a.modifiedAshworth} at 8 h; no sedation or breathing problem.`
      : `No fall in tone after ${doseMcg} mcg: Modified Ashworth ${baseline} before, ${a.modifiedAshworth} at 4-8 h.`;
  return { response, reason, view: await desk(svc, { action: 'respond', response, reason }) };
}

/**
 * After an adverse response: stay at the bedside, vital signs and sedation every hour, airway support while
 * breathing is depressed, until the patient is alert and breathing normally (at most 24 h).
 */
export async function monitorUntilRecovered(svc: ProgrammerApi): Promise<ScreeningView> {
  for (let h = 0; h < 24; h++) {
    const v = await desk(svc, { action: 'assess', kinds: ['vitals', 'sedation', 'report'] });
    const a = last(v);
    if (breathingDepressed(a)) {
      if (!v.airwaySupport) await desk(svc, { action: 'airway', on: true });
    } else if (a.sedation?.consciousness === 'alert') {
      if (v.airwaySupport) await desk(svc, { action: 'airway', on: false });
      return desk(svc, { action: 'view' });
    }
    await desk(svc, { action: 'wait', minutes: 60 });
  }
  throw new Error('the patient did not recover within 24 h');
}
