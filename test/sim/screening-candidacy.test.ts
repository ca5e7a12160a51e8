/**
 * The screening desk's candidacy side (issue 21 point 4): a training case's candidate admitted to the desk,
 * the candidacy rules run at the desk, the clinician's decision with its reason, airway support, and the
 * facts the desk tells a case (each finding once, the recovery after an adverse response). Every refusal
 * is clear and changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScreeningDesk, screeningRoute, type DeskCandidate } from '../../firmware-sim/screening-desk';
import { readScenarioFile } from '../../firmware-sim/scenario/load';
import { LIBRARY_DIR } from '../../firmware-sim/scenario/library';
import { ScreeningViewSchema, type ScreeningView } from '../../src/shared/screening-view';

const T0 = 1_800_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'screening-candidacy-'));
  dirs.push(d);
  return path.join(d, 'screening.json');
}

/** The candidate of a library case, as the host admits it. */
function candidateOf(id: string): DeskCandidate {
  const s = readScenarioFile(path.join(LIBRARY_DIR, `${id}.json`));
  return { profile: s.start.patient.profile, seed: s.start.patient.seed, case: s.start.screening!.case };
}

const ok = (desk: ScreeningDesk, sub: string, body: unknown = {}): ScreeningView => {
  const r = screeningRoute(desk, 'POST', sub, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return ScreeningViewSchema.parse(r.body);
};
const refused = (desk: ScreeningDesk, sub: string, body: unknown, status: number, re: RegExp): void => {
  const before = JSON.stringify(desk.view());
  const r = screeningRoute(desk, 'POST', sub, body);
  expect(r.status, `${sub} ${JSON.stringify(r.body)}`).toBe(status);
  expect((r.body as { error: string }).error).toMatch(re);
  expect(JSON.stringify(desk.view()), `${sub} changed the desk`).toBe(before);
};

function heardDesk(file: string | null = null): { desk: ScreeningDesk; heard: [string, string][] } {
  const heard: [string, string][] = [];
  const desk = new ScreeningDesk({ file, now: () => T0, onAction: (a, d) => heard.push([a, d]) });
  return { desk, heard };
}

describe('screening desk: a case admits its candidate', () => {
  it('shows the candidate and its case form; a trial only on that patient', () => {
    const { desk, heard } = heardDesk();
    desk.admit(candidateOf('candidacy-adverse-first-bolus'), true);
    const v = ScreeningViewSchema.parse(desk.view());
    expect(v.candidate).toMatchObject({
      profile: 'cerebral',
      seed: 72,
      case: { diagnosis: 'traumaticBrainInjury' },
    });
    refused(
      desk,
      '/start',
      { profile: 'cerebral', seed: 73, smallPatient: false },
      409,
      /candidate is the cerebral patient with seed 72/,
    );
    expect(heard).toEqual([]);
    expect(ok(desk, '/start', { profile: 'cerebral', seed: 72, smallPatient: false }).active).toBe(true);
  });

  it('a case starting now empties the desk; a resumed case keeps it', () => {
    const file = tmpFile();
    const { desk } = heardDesk(file);
    desk.admit(candidateOf('candidacy-ms-positive'), true);
    ok(desk, '/candidacy');
    ok(desk, '/start', { profile: 'spinal', seed: 0, smallPatient: false });
    const resumed = new ScreeningDesk({ file, now: () => T0 });
    resumed.admit(candidateOf('candidacy-ms-positive'), false);
    expect(resumed.view()).toEqual(desk.view());
    const next = new ScreeningDesk({ file, now: () => T0 });
    next.admit(candidateOf('candidacy-ms-positive'), true);
    expect(next.view()).toMatchObject({ active: false, candidacy: null, decisions: [] });
  });
});

describe('screening desk: candidacy assessed and decided, as facts', () => {
  it('assesses the case form (sent, or the candidate’s) with every reason and its source', () => {
    const { desk, heard } = heardDesk();
    refused(desk, '/candidacy', {}, 409, /no case form/);
    const stroke = candidateOf('candidacy-stroke-too-early');
    let v = ok(desk, '/candidacy', { case: stroke.case });
    expect(v.candidacy).toMatchObject({ recommendation: 'notYet', reconsiderAtMonthsSinceOnset: 3, at: T0 });
    expect(v.candidacy!.reasons.map((r) => r.rule)).toContain('STROKE_TOO_EARLY');
    for (const r of v.candidacy!.reasons) {
      expect(r.quote.length).toBeGreaterThan(10);
      expect(r.source.length).toBeGreaterThan(10);
    }
    desk.admit(candidateOf('candidacy-child-cp-25'), false);
    v = ok(desk, '/candidacy');
    expect(v.candidacy).toMatchObject({
      recommendation: 'considerScreeningTrial',
      firstScreeningDoseMcg: 25,
    });
    expect(heard.map(([a]) => a)).toEqual([
      'candidacyAssessed:notYet',
      'candidacyAssessed:considerScreeningTrial',
    ]);
    refused(desk, '/candidacy', { case: { ...stroke.case, ageYears: -1 } }, 400, /case\.ageYears/);
    refused(desk, '/candidacy', { case: stroke.case, extra: 1 }, 400, /extra|Unrecognized/);
  });

  it('records the decision with its reason, what to try first and when to reconsider', () => {
    const { desk, heard } = heardDesk();
    refused(desk, '/decide', { decision: 'notYet', reason: 'no' }, 400, /reason/);
    refused(desk, '/decide', { decision: 'maybe', reason: 'not sure yet' }, 400, /decision/);
    refused(desk, '/decide', { decision: 'firstLineFirst', reason: 'oral drugs first' }, 400, /tryFirst/);
    refused(
      desk,
      '/decide',
      { decision: 'retrialLowerDose', reason: 'try 25 mcg' },
      409,
      /follows a trial stopped for an adverse response/,
    );
    const v = ok(desk, '/decide', {
      decision: 'notYet',
      reason: 'Two months after the stroke; botulinum toxin first',
      tryFirst: ['botulinumToxin', 'botulinumToxin'],
      reconsiderAtMonthsSinceOnset: 3,
    });
    expect(v.decisions).toEqual([
      {
        decision: 'notYet',
        reason: 'Two months after the stroke; botulinum toxin first',
        tryFirst: ['botulinumToxin'],
        reconsiderAtMonthsSinceOnset: 3,
        at: T0,
      },
    ]);
    expect(heard.map(([a]) => a)).toEqual([
      'candidacyDecision:notYet',
      'candidacyTryFirst:botulinumToxin',
      'candidacyReconsider',
    ]);
    expect(heard[2]![1]).toBe('at 3 months since the onset');
    expect(heard[0]![1]).toBe('Two months after the stroke; botulinum toxin first');
  });

  it('refuses a decision while a trial awaits its judgement, and one the trial contradicts', () => {
    const { desk } = heardDesk();
    ok(desk, '/start', { profile: 'spinal', seed: 1_000_042, smallPatient: false });
    ok(desk, '/assess', { kinds: ['tone'] });
    ok(desk, '/bolus', { doseMcg: 50 });
    refused(desk, '/decide', { decision: 'notCandidate', reason: 'no response' }, 409, /judge its response/);
    for (const [dose, wait] of [
      [50, 0],
      [75, 19],
      [100, 19],
    ] as const) {
      if (wait) {
        ok(desk, '/wait', { minutes: wait * 60 });
        ok(desk, '/assess', { kinds: ['tone'] });
        ok(desk, '/bolus', { doseMcg: dose });
      }
      ok(desk, '/wait', { minutes: 5 * 60 });
      ok(desk, '/respond', { response: 'inadequate', reason: `no change in tone after ${dose} mcg` });
    }
    expect(desk.view().decision?.outcome).toBe('notCandidate');
    refused(desk, '/decide', { decision: 'screeningTrial', reason: 'try again' }, 409, /not a candidate/);
    refused(desk, '/decide', { decision: 'retrialLowerDose', reason: 'try 25 mcg' }, 409, /adverse/);
    expect(
      ok(desk, '/decide', { decision: 'notCandidate', reason: 'no response to 100 mcg' }).decisions,
    ).toHaveLength(1);
  });

  it('keeps at most 20 decisions; they survive a restart; a damaged list makes the file damaged', () => {
    const file = tmpFile();
    const { desk } = heardDesk(file);
    for (let i = 0; i < 20; i++) ok(desk, '/decide', { decision: 'notYet', reason: `review ${i + 1}` });
    refused(desk, '/decide', { decision: 'notYet', reason: 'one more' }, 409, /at most 20/);
    const again = new ScreeningDesk({ file, now: () => T0 });
    expect(again.view().decisions).toHaveLength(20);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    saved.decisions[3].decision = 'implantTomorrow';
    fs.writeFileSync(file, JSON.stringify(saved));
    const warnings: string[] = [];
    const damaged = new ScreeningDesk({ file, now: () => T0, warn: (m) => warnings.push(m) });
    expect(damaged.view().decisions).toEqual([]);
    expect(warnings.at(-1)).toMatch(/candidacy decision 4 is malformed/);
  });
});

describe('screening desk: an adverse first bolus (cerebral patient, seed 72)', () => {
  it('tells the adverse response, the findings once each, airway support and the recovery once', () => {
    const { desk, heard } = heardDesk();
    desk.admit(candidateOf('candidacy-adverse-first-bolus'), true);
    ok(desk, '/start', { profile: 'cerebral', seed: 72, smallPatient: false });
    // No baseline, and no vital signs for 2 h: both findings, told once each however often seen again.
    ok(desk, '/bolus', { doseMcg: 50 });
    ok(desk, '/wait', { minutes: 120 });
    let v = ok(desk, '/assess', { kinds: ['vitals', 'sedation', 'report'] });
    const a = v.assessments.at(-1)!;
    expect(a.sedation!.consciousness).toBe('respondsToVoice'); // the model's excessive response
    expect(a.report!.hypotonia).toBe('trunk');
    ok(desk, '/respond', { response: 'adverse', reason: 'responds only to voice; hypotonia of the trunk' });
    v = ok(desk, '/airway', { on: true });
    expect(v.airwaySupport).toBe(true);
    refused(desk, '/airway', { on: true }, 409, /already on/);
    refused(desk, '/airway', { on: 'yes' }, 400, /on/);
    // Still drowsy or worse for hours: no recovery yet.
    for (let h = 0; h < 3; h++) {
      ok(desk, '/wait', { minutes: 60 });
      ok(desk, '/assess', { kinds: ['vitals', 'sedation'] });
    }
    expect(heard.map(([x]) => x)).not.toContain('screeningRecovered');
    for (let h = 0; h < 6; h++) {
      ok(desk, '/wait', { minutes: 60 });
      ok(desk, '/assess', { kinds: ['vitals', 'sedation'] });
    }
    ok(desk, '/airway', { on: false });
    ok(desk, '/decide', { decision: 'retrialLowerDose', reason: 'excessive response: re-trial at 25 mcg' });
    const names = heard.map(([x]) => x);
    expect(names.filter((n) => n === 'screeningFinding:NO_BASELINE')).toHaveLength(1);
    expect(names.filter((n) => n === 'screeningFinding:MONITORING_GAP')).toHaveLength(1);
    expect(names.filter((n) => n === 'screeningRecovered')).toHaveLength(1);
    expect(names).toEqual(
      expect.arrayContaining([
        'screeningResponse:adverse',
        'screeningDecision:stopped',
        'screeningAirwaySupport:on',
        'screeningAirwaySupport:off',
        'candidacyDecision:retrialLowerDose',
      ]),
    );
    expect(heard.find(([x]) => x === 'screeningRecovered')![1]).toMatch(
      /^alert, breathing \d+\/min, SpO2 \d+ %/,
    );
    expect(names.indexOf('screeningRecovered')).toBeLessThan(
      names.indexOf('candidacyDecision:retrialLowerDose'),
    );
    // The re-trial at 25 mcg is a new trial, critiqued afresh: its own missing baseline is told again.
    ok(desk, '/start', { profile: 'cerebral', seed: 72, smallPatient: true });
    ok(desk, '/bolus', { doseMcg: 25 });
    expect(heard.map(([x]) => x).filter((n) => n === 'screeningFinding:NO_BASELINE')).toHaveLength(2);
    expect(desk.view().decisions!.map((d) => d.decision)).toEqual(['retrialLowerDose']);
  });
});
