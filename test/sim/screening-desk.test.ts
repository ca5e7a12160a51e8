import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScreeningDesk, screeningRoute } from '../../firmware-sim/screening-desk';
import { ScreeningViewSchema, type ScreeningView } from '../../src/shared/screening-view';

const T0 = 1_800_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'screening-desk-'));
  dirs.push(d);
  return path.join(d, 'screening.json');
}

const ok = (desk: ScreeningDesk, sub: string, body: unknown = {}): ScreeningView => {
  const r = screeningRoute(desk, 'POST', sub, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return ScreeningViewSchema.parse(r.body);
};

/** The trainee's way through a positive trial: baseline, 50 mcg, hourly vitals, tone at 4 h, judge. */
function positiveTrial(desk: ScreeningDesk): ScreeningView {
  ok(desk, '/start', { profile: 'spinal', seed: 1, smallPatient: false });
  ok(desk, '/assess', { kinds: ['tone', 'spasms', 'vitals'] });
  ok(desk, '/bolus', { doseMcg: 50 });
  for (let h = 1; h <= 4; h++) {
    ok(desk, '/wait', { minutes: 60 });
    ok(desk, '/assess', { kinds: ['vitals', 'sedation'] });
  }
  return ok(desk, '/assess', { kinds: ['tone', 'spasms', 'report'] });
}

describe('screening desk (the device host keeps the trial; the trainee sees only what they assessed)', () => {
  it('runs a positive trial to the first programming', () => {
    const desk = new ScreeningDesk({ file: null, now: () => T0 });
    let v = positiveTrial(desk);
    expect(v.step).toMatchObject({ kind: 'observe', doseMcg: 50 });
    const base = v.assessments[0]!.modifiedAshworth!;
    const at4h = v.assessments.at(-1)!.modifiedAshworth!;
    expect(at4h).not.toBe(base); // the model responds at 50 mcg for this seed
    v = ok(desk, '/respond', { response: 'effective', reason: 'Ashworth fell from 3 to 1 at 4 h' });
    expect(v.decision).toMatchObject({ outcome: 'positive', effectiveDoseMcg: 50 });
    expect(v.findings).toEqual([]); // hourly vitals, a baseline and tone in the window: nothing to critique
    v = ok(desk, '/plan', { model: 'SM2-20', concentration: 500 });
    expect(v.firstProgramming).toMatchObject({ startingDailyDoseMcg: 100, basis: 'twiceScreeningDose' });
    expect(v.firstProgramming!.noIncreaseBefore - v.firstProgramming!.programmedAt).toBe(24 * 3600);
  });

  it('tells a training case each completed action, named for exact matching; a refused one is not told', () => {
    const heard: [string, string][] = [];
    const desk = new ScreeningDesk({ file: null, now: () => T0, onAction: (a, d) => heard.push([a, d]) });
    positiveTrial(desk);
    // Refused (the next dose must wait for the response): nothing told.
    expect(screeningRoute(desk, 'POST', '/bolus', { doseMcg: 75 })).toMatchObject({ status: 409 });
    ok(desk, '/respond', { response: 'effective', reason: 'Ashworth fell from 3 to 1 at 4 h' });
    ok(desk, '/plan', { model: 'SM2-20', concentration: 500 });
    const actions = heard.map(([a]) => a);
    expect(actions[0]).toBe('screeningStart');
    expect(actions.filter((a) => a.startsWith('screeningBolus'))).toEqual(['screeningBolus50mcg']);
    expect(actions.filter((a) => a === 'screeningAssess').length).toBeGreaterThanOrEqual(5);
    expect(actions.slice(-3)).toEqual([
      'screeningResponse:effective',
      'screeningDecision:positive',
      'screeningPlan',
    ]);
    // The trial's own clock goes with the words (the pump's clock does not move during a trial).
    expect(heard.find(([a]) => a === 'screeningBolus50mcg')![1]).toBe(
      '50 mcg by lumbar puncture [trial time 0 h 00 min]',
    );
    expect(heard.find(([a]) => a === 'screeningPlan')![1]).toMatch(/\[trial time 4 h 00 min\]$/);
    // A listener that throws does not undo the action.
    const desk2 = new ScreeningDesk({
      file: null,
      now: () => T0,
      onAction: () => {
        throw new Error('listener down');
      },
    });
    expect(ok(desk2, '/start', { profile: 'spinal', seed: 1, smallPatient: false }).active).toBe(true);
  });

  it('never shows the patient model (no concentrations, effect, drive or parameters) in the view', () => {
    const desk = new ScreeningDesk({ file: null, now: () => T0 });
    const v = positiveTrial(desk);
    const text = JSON.stringify(v);
    for (const word of ['csf', 'effectSite', 'drive', 'dependence', 'params', 'ec50', 'x'])
      expect(text.toLowerCase()).not.toContain(`"${word.toLowerCase()}"`);
    expect(ScreeningViewSchema.strict().safeParse(v).success).toBe(true);
  });

  it('refuses bad or off-ladder requests with a clear error and changes nothing', () => {
    const desk = new ScreeningDesk({ file: null, now: () => T0 });
    expect(screeningRoute(desk, 'POST', '/bolus', { doseMcg: 50 })).toMatchObject({ status: 404 });
    ok(desk, '/start', { profile: 'spinal', seed: 1, smallPatient: false });
    const before = JSON.stringify(desk.view());
    const cases: [string, unknown, number, RegExp][] = [
      ['/bolus', { doseMcg: 75 }, 409, /next screening dose is 50 mcg/],
      ['/bolus', { doseMcg: '50' }, 400, /doseMcg/],
      ['/wait', { minutes: 0 }, 400, /minutes/],
      ['/wait', { minutes: 24 * 60 + 1 }, 400, /minutes/],
      ['/assess', { kinds: ['mind-reading'] }, 400, /kinds/],
      ['/respond', { response: 'effective', reason: 'ok' }, 400, /reason/],
      ['/respond', { response: 'effective', reason: 'tone fell' }, 409, /no screening dose awaiting/],
      ['/plan', { model: 'SM2-20', concentration: 500 }, 409, /positive screening trial/],
      ['/start', { profile: 'spinal', seed: 2, smallPatient: false }, 409, /in progress/],
      ['/start', { profile: 'spinal', seed: 2, smallPatient: false, extra: 1 }, 400, /extra|Unrecognized/],
      ['/teleport', {}, 404, /no such screening operation/],
    ];
    for (const [sub, body, status, re] of cases) {
      const r = screeningRoute(desk, 'POST', sub, body);
      expect(r.status, sub).toBe(status);
      expect((r.body as { error: string }).error).toMatch(re);
      expect(JSON.stringify(desk.view())).toBe(before);
    }
    expect(screeningRoute(desk, 'DELETE', '', {}).status).toBe(405);
  });

  it('the 24 h interval: the next dose is refused before it is due', () => {
    const desk = new ScreeningDesk({ file: null, now: () => T0 });
    ok(desk, '/start', { profile: 'spinal', seed: 1, smallPatient: false });
    ok(desk, '/assess', { kinds: ['tone'] });
    ok(desk, '/bolus', { doseMcg: 50 });
    ok(desk, '/wait', { minutes: 5 * 60 });
    ok(desk, '/respond', { response: 'inadequate', reason: 'no change in tone at 5 h' });
    const r = screeningRoute(desk, 'POST', '/bolus', { doseMcg: 75 });
    expect(r.status).toBe(409);
    expect((r.body as { error: string }).error).toMatch(/due 24 h after the previous one/);
    ok(desk, '/wait', { minutes: 19 * 60 });
    expect(ok(desk, '/bolus', { doseMcg: 75 }).doses.map((d) => d.doseMcg)).toEqual([50, 75]);
  });

  it('a restarted host resumes the trial from its file; a damaged file is kept aside, not trusted', () => {
    const file = tmpFile();
    const warnings: string[] = [];
    const desk = new ScreeningDesk({ file, now: () => T0, warn: (m) => warnings.push(m) });
    const v = positiveTrial(desk);
    const again = new ScreeningDesk({ file, now: () => T0 + 999, warn: (m) => warnings.push(m) });
    expect(again.view()).toEqual(v);
    // Off the ladder: a third dose recorded without responses. restoreTrial refuses it.
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    saved.trial.doses.push({ doseMcg: 75, givenAt: T0 + 1 }, { doseMcg: 100, givenAt: T0 + 2 });
    fs.writeFileSync(file, JSON.stringify(saved));
    const damaged = new ScreeningDesk({ file, now: () => T0, warn: (m) => warnings.push(m) });
    expect(damaged.view().active).toBe(false);
    expect(warnings.at(-1)).toMatch(/damaged .*kept as screening\.json\.damaged-/);
    expect(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('screening.json.damaged-'))).toBe(
      true,
    );
  });

  it('a trial that cannot be saved is not done', () => {
    const file = path.join(tmpFile(), 'no-such-dir', 'screening.json');
    const desk = new ScreeningDesk({ file, now: () => T0 });
    expect(() => desk.start({ profile: 'spinal', seed: 1, smallPatient: false })).toThrow(/ENOENT/);
    expect(desk.view().active).toBe(false);
  });
});
