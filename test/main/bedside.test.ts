/**
 * The bedside through the programmer service (issue 20, point 2): the contract's bedside operations reach
 * the embedded pump's bedside API (never the bench), bad orders are refused before anything is sent, the
 * calls go into the session record, and without an embedded pump there is no patient. The order form's
 * parsing (buildOrder) is checked here too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { buildOrder } from '../../src/renderer/bedside/BedsideScreen';
import type { BedsideAction } from '../../src/shared/bedside';
import { bench, unwrap } from './helpers';

describe('programmer service: the bedside', () => {
  let dir: string;
  let service: ProgrammerService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-bedside-svc-'));
    service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      embedded: { extraArgs: ['--paused'] },
    });
    await service.start();
  });
  afterAll(async () => {
    await service?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('examines, reads the syringe and gives orders through the bedside API, with pump times', async () => {
    const exam = unwrap(await service.bedsideExamine({}));
    const state = (await bench(service.embedded!, 'GET', '/state')).json as { clock: { pumpTime: number } };
    expect(exam.time).toBe(state.clock.pumpTime);
    expect(exam.vitals.heartRateBpm).toBeGreaterThan(0);
    // A fresh pump's reservoir holds only its residual volume: nothing for the needle.
    expect(unwrap(await service.bedsideRefillSyringe({})).volumeMl).toBe(0);
    const a = unwrap(
      await service.bedsideOrder({ order: { kind: 'ivBenzodiazepine', drug: 'diazepam', doseMg: 10 } }),
    );
    expect(a).toMatchObject({ action: 'ivBenzodiazepine', detail: { drug: 'diazepam', doseMg: 10 } });
    const actions = unwrap(await service.bedsideActions({}));
    expect(actions.map((x) => x.action)).toEqual(['examine', 'refillSyringe', 'ivBenzodiazepine']);
    // The bench sees the same record.
    expect(((await bench(service.embedded!, 'GET', '/bedside/actions')).json as BedsideAction[]).length).toBe(
      3,
    );
  });

  it('refuses a bad order at the contract (BAD_REQUEST), nothing sent or recorded', async () => {
    const before = unwrap(await service.bedsideActions({})).length;
    for (const order of [
      { kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 11 },
      { kind: 'csfDrainage', volumeMl: 0 },
      { kind: 'advanceClock', by: 60 },
      { kind: 'callForHelp', token: 'x' },
    ]) {
      const r = await service.bedsideOrder({ order } as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    expect(unwrap(await service.bedsideActions({}))).toHaveLength(before);
  });

  it('writes the bedside calls into the open session record', async () => {
    unwrap(await service.connect({ target: { kind: 'embedded' } }));
    unwrap(await service.bedsideOrder({ order: { kind: 'callForHelp' } }));
    const record = unwrap(await service.sessionRecord({}));
    const entry = record.find((e) => e.operation === 'bedsideOrder');
    expect(entry).toMatchObject({ result: 'ok', request: { order: { kind: 'callForHelp' } } });
    // The service never held the bench token: it is not in the record.
    const benchToken = readFileSync(service.embedded!.tokenFile, 'utf8').trim();
    expect(JSON.stringify(record)).not.toContain(benchToken);
    unwrap(await service.endSession({}));
  });

  it('without an embedded pump there is no patient: a BEDSIDE error in words', async () => {
    const none = new ProgrammerService({ dataDir: dir, linkFactory: createProtocolLink, embedded: null });
    await none.start();
    const r = await none.bedsideExamine({});
    expect(r).toMatchObject({ ok: false, error: { code: 'BEDSIDE' } });
    if (!r.ok) expect(r.error.message).toMatch(/No patient at the bedside/);
    await none.dispose();
  });
});

describe('the order form (buildOrder)', () => {
  it('builds each order with its dose in clinical units', () => {
    expect(buildOrder('ivBenzodiazepine', 'midazolam', '2,5')).toEqual({
      order: { kind: 'ivBenzodiazepine', drug: 'midazolam', doseMg: 2.5 },
    });
    expect(buildOrder('csfDrainage', 'lorazepam', '30')).toEqual({
      order: { kind: 'csfDrainage', volumeMl: 30 },
    });
    expect(buildOrder('lumbarPunctureBolus', 'lorazepam', '50')).toEqual({
      order: { kind: 'lumbarPunctureBolus', doseMcg: 50 },
    });
    expect(buildOrder('xray', 'lorazepam', '')).toEqual({ order: { kind: 'imaging', study: 'xray' } });
    expect(buildOrder('airwayVentilate', 'lorazepam', '')).toEqual({
      order: { kind: 'airway', support: 'ventilate' },
    });
    expect(buildOrder('callForHelp', 'lorazepam', '')).toEqual({ order: { kind: 'callForHelp' } });
  });

  it('says what is wrong with a dose before anything is given', () => {
    expect(buildOrder('ivBenzodiazepine', 'lorazepam', '')).toEqual({ error: 'Enter the dose in mg.' });
    expect(buildOrder('ivBenzodiazepine', 'lorazepam', '2 mg')).toEqual({ error: 'Enter the dose in mg.' });
    expect(buildOrder('ivBenzodiazepine', 'lorazepam', '-1')).toEqual({ error: 'Enter the dose in mg.' });
    expect(buildOrder('ivBenzodiazepine', 'lorazepam', '20')).toEqual({
      error: 'The dose must be 0.5-10 mg.',
    });
    expect(buildOrder('csfDrainage', 'lorazepam', '60')).toEqual({ error: 'The volume must be 1-50 mL.' });
  });
});
