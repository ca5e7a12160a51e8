/**
 * The host's wiring of the screening desk to a training case (issue 21 point 4), on a real sim process: a
 * candidacy case loaded with --scenario admits its candidate to the desk; desk actions made over the real
 * bedside HTTP API (with the bedside's own token) reach the scenario runner as the learner's facts, named
 * as the expectations match them; a refused action is no fact; a sim restarted on its state file resumes
 * the case with the same candidate and trial. Time: the case's clock is paused and never moved here; the
 * trial runs on its own clock, moved by the desk's "wait".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIBRARY_DIR } from '../../firmware-sim/scenario/library';
import type { Debrief } from '../../src/training/scenario/debrief';
import { ScreeningViewSchema, type ScreeningView } from '../../src/shared/screening-view';
import { Sim, tempDir } from './harness';

const sims: Sim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function bedside(
  sim: Sim,
  method: 'GET' | 'POST',
  p: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const token = fs.readFileSync(sim.ready.bedsideTokenFile!, 'utf8').trim();
  const res = await fetch(`${sim.ready.bedside!}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function desk(sim: Sim, action: string, body: unknown = {}): Promise<ScreeningView> {
  const r = await bedside(sim, 'POST', `/screening/${action}`, body);
  expect(r.status, `${action}: ${JSON.stringify(r.json)}`).toBe(200);
  return ScreeningViewSchema.parse(r.json);
}

/** The learner's desk facts the runner recorded, from the debrief's event log (bench API). */
async function deskFacts(sim: Sim): Promise<string[]> {
  const d = await sim.ok<Debrief>('GET', '/scenario/debrief');
  return d.events.filter((e) => e.kind === 'bedside').map((e) => /^bedside: ([^ ]+)/.exec(e.text)![1]!);
}

describe('a candidacy case on a real sim: the desk’s actions are the case’s facts', () => {
  it('admits the candidate, records each action over HTTP as a fact, and resumes after a restart', async () => {
    const state = path.join(tempDir('screening-case-'), 'pump.json');
    const file = path.join(LIBRARY_DIR, 'candidacy-adverse-first-bolus.json');
    let sim = await Sim.start(state, ['--scenario', file, '--paused']);
    sims.push(sim);

    const first = ScreeningViewSchema.parse((await bedside(sim, 'GET', '/screening')).json);
    expect(first.candidate).toMatchObject({ profile: 'cerebral', seed: 72 });
    expect(first.active).toBe(false);

    await desk(sim, 'candidacy');
    await desk(sim, 'decide', { decision: 'screeningTrial', reason: 'severe generalized spasticity' });
    // Refused (not the case's patient; a bad body): no fact.
    expect(
      (await bedside(sim, 'POST', '/screening/start', { profile: 'spinal', seed: 0, smallPatient: false }))
        .status,
    ).toBe(409);
    expect((await bedside(sim, 'POST', '/screening/bolus', { doseMcg: 'fifty' })).status).toBe(400);
    await desk(sim, 'start', { profile: 'cerebral', seed: 72, smallPatient: false });
    await desk(sim, 'assess', { kinds: ['tone', 'vitals', 'sedation'] });
    await desk(sim, 'bolus', { doseMcg: 50 });
    for (let h = 0; h < 2; h++) {
      await desk(sim, 'wait', { minutes: 60 });
      await desk(sim, 'assess', { kinds: ['vitals', 'sedation', 'report'] });
    }
    await desk(sim, 'respond', {
      response: 'adverse',
      reason: 'responds only to voice; hypotonia of the trunk',
    });

    expect(await deskFacts(sim)).toEqual([
      'candidacyAssessed:considerScreeningTrial',
      'candidacyDecision:screeningTrial',
      'screeningStart',
      'screeningAssess',
      'screeningBolus50mcg',
      'screeningAssess',
      'screeningAssess',
      'screeningResponse:adverse',
      'screeningDecision:stopped',
    ]);

    // Restart on the same state file, without --scenario: the case, its candidate and the trial resume.
    await sim.stop();
    sims.splice(sims.indexOf(sim), 1);
    sim = await Sim.start(state, ['--paused']);
    sims.push(sim);
    const resumed = ScreeningViewSchema.parse((await bedside(sim, 'GET', '/screening')).json);
    expect(resumed.candidate).toMatchObject({ profile: 'cerebral', seed: 72 });
    expect(resumed.decision).toMatchObject({ outcome: 'stopped' });
    for (let h = 0; h < 6; h++) {
      await desk(sim, 'wait', { minutes: 60 });
      await desk(sim, 'assess', { kinds: ['vitals', 'sedation'] });
    }
    await desk(sim, 'decide', {
      decision: 'retrialLowerDose',
      reason: 'excessive response: re-trial at 25 mcg',
    });
    const facts = await deskFacts(sim);
    expect(facts.slice(0, 9)).toContain('screeningDecision:stopped');
    expect(facts).toContain('screeningRecovered');
    expect(facts.at(-1)).toBe('candidacyDecision:retrialLowerDose');
    // The debrief ticks what was met (the trial's conduct is judged at the end of the case).
    const d = await sim.ok<Debrief>('GET', '/scenario/debrief');
    const status = Object.fromEntries(d.expectations.map((e) => [e.id, e.status]));
    expect(status).toMatchObject({
      'bolus-50': 'met',
      'adverse-recognised': 'met',
      recovered: 'met',
      decided: 'met',
    });
  }, 90_000);
});
