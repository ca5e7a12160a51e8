/**
 * The runner in the real sim process (issue 19, point 2): the case's starting state, timeline events at
 * their exact pump time, handlers reacting to a learner's bedside action, bad requests refused with their
 * path and changing nothing, and a restart that resumes the case where it was.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sim, tempDir } from '../sim/harness';
import type { BenchState } from '../../firmware-sim/bench-schema';
import type { CaseStatus, LearnerMessage } from '../../src/training/scenario/driver';
import type { Debrief } from '../../src/training/scenario/debrief';
import type { Fact } from '../../src/training/scenario/facts';
import { LIBRARY_DIR } from '../../tools/scenario/json-schema';

const CASE = path.join(LIBRARY_DIR, 'unsensed-occlusion-withdrawal.json');
const START = Date.parse('2026-03-02T08:00:00Z') / 1000;
const sims: Sim[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.stop().catch(() => undefined);
});
const start = async (state: string, extra: string[]): Promise<Sim> => {
  const s = await Sim.start(state, extra);
  sims.push(s);
  return s;
};

describe('the scenario runner in the sim', () => {
  it('plays a case, refuses bad requests, and resumes after a restart', async () => {
    const state = path.join(tempDir('scenario-run-'), 'pump.json');
    let sim = await start(state, ['--scenario', CASE, '--paused']);
    const bench = await sim.ok<BenchState>('GET', '/state');
    expect(bench.status.pumpTime).toBe(START);
    expect(bench.status.concentrationMcgPerMl).toBe(500);
    expect(bench.status.dailyDoseNgPerDay).toBe(400_000);
    expect(bench.status.reservoirVolumeUl).toBe(12_000);
    expect(bench.model).toBe('SM2-20');
    let st = await sim.ok<CaseStatus & { brief: { objectives: string[] } }>('GET', '/scenario');
    expect(st).toMatchObject({
      startTime: START,
      endTime: START + 4 * 86_400,
      ended: false,
      timelineFired: [],
    });
    expect(st.brief.objectives.length).toBeGreaterThan(0);

    // Bad requests: every problem with its path, nothing changed.
    const bad = await sim.http('POST', '/scenario/until', {
      condition: { kind: 'alarm', code: 'NOPE' },
      limit: 'soon',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('condition.code');
    expect(JSON.stringify(bad.json)).toContain('limit');
    expect((await sim.http('POST', '/scenario/bedside', { action: '' })).status).toBe(400);
    expect((await sim.http('PUT', '/scenario/debrief')).status).toBe(405);
    expect((await sim.ok<CaseStatus>('GET', '/scenario')).now).toBe(START);

    // Time moves to the first withdrawal signs; the occlusion fired at its exact time on the way.
    const hit = await sim.ok<{ met: boolean; t: number }>('POST', '/scenario/until', {
      condition: { kind: 'withdrawal', atLeast: 'early' },
      limit: '1d',
    });
    expect(hit.met).toBe(true);
    expect(hit.t).toBeGreaterThan(START + 3600);
    expect(hit.t).toBeLessThan(START + 86_400);
    let facts = await sim.ok<Fact[]>('GET', '/scenario/facts');
    expect(facts.find((f) => f.kind === 'timeline')).toEqual({
      t: START + 3600,
      kind: 'timeline',
      id: 'occlusion',
    });
    expect((await sim.ok<BenchState>('GET', '/state')).truth.catheter).toBe('fullOcclusion');

    // A learner's bedside action fires the handler at once, with its message.
    await sim.ok('POST', '/scenario/bedside', { action: 'catheterImaging', detail: 'contrast study' });
    const msgs = await sim.ok<LearnerMessage[]>('GET', '/scenario/messages');
    expect(msgs.map((m) => m.text).join(' ')).toMatch(/occluded/);
    st = await sim.ok('GET', '/scenario');
    expect(st.handlersFired).toEqual(['imaging-result']);
    // The instructor's message to the learner joins the case's messages with its pump time; an empty one
    // is refused and changes nothing.
    expect((await sim.http('POST', '/scenario/message', { text: ' ' })).status).toBe(400);
    const withMessage = await sim.ok<LearnerMessage[]>('POST', '/scenario/message', {
      text: 'The surgeon is on her way.',
    });
    expect(withMessage.at(-1)).toEqual({ t: st.now, text: 'The surgeon is on her way.' });
    expect(withMessage).toHaveLength(msgs.length + 1);
    st = await sim.ok('GET', '/scenario');
    const factsBefore = st.facts;
    const pumpTimeBefore = st.now;

    // Restart: the case resumes where it was (nothing on the command line names it).
    await sim.stop();
    sims.splice(0);
    sim = await start(state, ['--paused']);
    st = await sim.ok('GET', '/scenario');
    expect(st).toMatchObject({
      startTime: START,
      now: pumpTimeBefore,
      timelineFired: ['occlusion'],
      handlersFired: ['imaging-result'],
      ended: false,
    });
    expect(st.facts).toBeGreaterThanOrEqual(factsBefore);

    // Played to its end without a revision: the critical "restore" expectation is missed.
    await sim.ok('POST', '/clock/advance', { to: START + 4 * 86_400 });
    const d = await sim.ok<Debrief>('GET', '/scenario/debrief');
    expect(d.ended).toBe(true);
    expect(d.outcome).toBe('failed');
    expect(d.criticalMissed).toContain('restore');
    // The investigation came before the phone call its deadline counts from: it does not count.
    expect(d.expectations.find((e) => e.id === 'investigate')).toMatchObject({
      status: 'missed',
      evidence: 'no such fact was recorded',
    });
    facts = await sim.ok<Fact[]>('GET', '/scenario/facts');
    expect(facts.find((f) => f.kind === 'timeline' && f.id === 'phone-call')?.t).toBe(START + 14 * 3600);
    const html = await fetch(`${sim.ready.bench}/scenario/debrief.html`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Debrief: Unsensed catheter occlusion');
  });

  it('a sim without a case has no /scenario', async () => {
    const sim = await start(path.join(tempDir('scenario-none-'), 'pump.json'), ['--paused']);
    const r = await sim.http('GET', '/scenario');
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.json)).toMatch(/no training case is loaded/);
  });

  it('a bad scenario file is refused at start with every error (exit 2)', async () => {
    const { runCli } = await import('../sim/harness');
    const r = await runCli(['--scenario', path.join(LIBRARY_DIR, 'scenario.schema.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format: /);
  });
});
