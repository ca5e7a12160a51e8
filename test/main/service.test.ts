/**
 * The programmer service against a real firmware-sim child process over a real pty: every operation,
 * the clinical gates on commit, link loss and background reconnect, the unsafe-end warning, and the
 * session record on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimReadyLine } from '../../src/main/service/embedded-pump';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { SessionRecord } from '../../src/main/service/session-record';
import type { ProgrammerEvent } from '../../src/shared/contract';
import { getProfile } from '../../src/shared/device-facts/profiles';
import { proposeBridgeBolus } from '../../src/shared/clinical/refill';
import { bench, FIRST_FILL, unwrap, waitFor } from './helpers';

describe('programmer service against firmware-sim over a pty', () => {
  let dir: string;
  let service: ProgrammerService;
  let ready: SimReadyLine;
  const events: ProgrammerEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-service-'));
    service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      keepaliveMs: 300,
      reconnectDelayMs: 200,
      embedded: { extraArgs: ['--paused'] },
    });
    service.onEvent((e) => events.push(e));
    const r = await service.start();
    if (!r) throw new Error('embedded pump did not start');
    ready = r;
  });

  afterAll(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the embedded port first and refuses a bad typed path without changing state', async () => {
    const ports = unwrap(await service.listPorts({}));
    expect(ports[0]).toMatchObject({ path: ready.port, embedded: true });

    const bad = await service.connect({ target: { kind: 'serial', path: 'relative/tty' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await service.connect({ target: { kind: 'serial', path: '/dev/does-not-exist-itb' } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const malformed = await service.connect({ target: { kind: 'usb' } } as never);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(unwrap(await service.connectionState({})).state).toBe('disconnected');
    expect(await service.interrogate({})).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });
  });

  it('refuses an unknown time zone, a bad patient ID or clinician at connection, changing nothing', async () => {
    for (const bad of [
      { timeZone: 'Mars/Olympus_Mons' },
      { patientId: '<script>' },
      { patientId: 'x'.repeat(33) },
      { clinician: '....' },
    ]) {
      const r = await service.connect({ target: { kind: 'embedded' }, ...bad });
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
      expect(unwrap(await service.connectionState({})).state).toBe('disconnected');
    }
  });

  it('connects to the embedded pump, sets its clock to the clinic zone, and interrogates it', async () => {
    const info = unwrap(
      await service.connect({
        target: { kind: 'embedded' },
        timeZone: 'Europe/Paris',
        patientId: 'MRN-0042',
        clinician: 'Dr Anne Martin',
      }),
    );
    expect(info).toMatchObject({
      state: 'connected',
      portPath: ready.port,
      embedded: true,
      pumpSerial: ready.serial,
      patientId: 'MRN-0042',
      clinician: 'Dr Anne Martin',
      clock: {
        zone: 'Europe/Paris',
        changed: true,
        previous: 'UTC, no daylight saving',
        exact: true,
        rule: 'UTC+01:00, daylight saving +1 h from the last Sunday of March at 02:00 to the last Sunday of October at 03:00',
      },
    });
    expect(info.stats.framesSent).toBeGreaterThan(0);
    const clockSets = async () =>
      unwrap(await service.readLog({ offset: 0, count: 50 })).entries.filter((e) => e.kind === 'CLOCK_SET');
    expect(await clockSets()).toHaveLength(1);
    const status = unwrap(await service.interrogate({}));
    expect(status.serial).toBe(ready.serial);
    // Interrogating again: the pump already has the rule; nothing more is logged, and the screen still
    // says it was set this session and what it replaced.
    expect(unwrap(await service.connectionState({})).clock).toMatchObject({
      changed: true,
      previous: 'UTC, no daylight saving',
    });
    expect(await clockSets()).toHaveLength(1);
    const record = unwrap(await service.sessionRecord({}));
    expect(record.find((e) => e.operation === 'connect')?.request).toMatchObject({
      patientId: 'MRN-0042',
      clinician: 'Dr Anne Martin',
    });
    expect(
      record.some((e) => e.operation === 'event' && JSON.stringify(e.request).includes('Europe/Paris')),
    ).toBe(true);
    const program = unwrap(await service.readProgram({}));
    expect(program.programVersion).toBeGreaterThanOrEqual(0);
    expect(events.some((e) => e.type === 'link' && e.connection.state === 'connected')).toBe(true);
    expect(events.some((e) => e.type === 'frame' && e.frame.direction === 'tx')).toBe(true);
  });

  it('first fill: a warning needs an override reason; then commits and verifies field by field', async () => {
    const proposal = unwrap(await service.proposeChange({ change: FIRST_FILL, origin: 'spinal' }));
    expect(proposal.committable).toBe(true);
    expect(proposal.consequences).toMatchObject({
      rateUlPerDay: 800,
      effectiveDailyDoseNgPerDay: 400_000,
      reservoirVolumeAfterUl: 20_000,
    });
    expect(proposal.rows.find((r) => r.field === 'concentration')).toMatchObject({
      new: '500 mcg/mL',
      changed: true,
    });
    expect(proposal.rows.find((r) => r.field === 'dailyDose')).toMatchObject({ new: '400 mcg/day' });
    expect(proposal.nextRefillTime).not.toBeNull();
    expect(proposal.nextRefillTime!).toBeLessThan(proposal.consequences.lowReservoirAlarmTime!);
    expect(proposal.findings.some((f) => f.severity === 'warning')).toBe(true);

    const refused = await service.commitChange({ proposalId: proposal.proposalId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REASON_REQUIRED' } });
    expect(unwrap(await service.readProgram({})).concentrationMcgPerMl).toBe(0);

    const unknown = await service.commitChange({ proposalId: 'nope', overrideReason: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROPOSAL' } });

    const done = unwrap(
      await service.commitChange({
        proposalId: proposal.proposalId,
        overrideReason: 'Starting dose per screening',
      }),
    );
    expect(done.committed).toBe(true);
    expect(done.verify).toMatchObject({ matches: true, mismatches: [] });
    expect(done.verify!.program).toMatchObject({
      drugName: 'baclofen',
      concentrationMcgPerMl: 500,
      therapy: FIRST_FILL.therapy,
    });
    expect(unwrap(await service.verify({})).matches).toBe(true);
    const status = unwrap(await service.interrogate({}));
    expect(status).toMatchObject({ mode: 'continuous', dailyDoseNgPerDay: 400_000, rateUlPerDay: 800 });
  });

  it('refuses to commit a hard stop (+60% in a day) and a mismatched double-entered concentration', async () => {
    const big = unwrap(
      await service.proposeChange({
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 640_000 } },
        origin: 'spinal',
      }),
    );
    expect(big.findings.some((f) => f.severity === 'hardStop')).toBe(true);
    expect(big.committable).toBe(false);
    expect(await service.commitChange({ proposalId: big.proposalId, overrideReason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'HARD_STOP' },
    });

    const typo = unwrap(
      await service.proposeChange({
        change: {
          refill: {
            withdrawnVolumeUl: 18_000,
            drugName: 'baclofen',
            concentrationMcgPerMl: 500,
            concentrationConfirmMcgPerMl: 50,
            fillVolumeUl: 20_000,
          },
        },
        origin: 'spinal',
      }),
    );
    expect(typo.committable).toBe(false);
    expect(typo.findings.some((f) => f.severity === 'hardStop')).toBe(true);
    expect(unwrap(await service.readProgram({})).concentrationMcgPerMl).toBe(500);
  });

  it('a proposal the pump rejects carries its errors and is not committable', async () => {
    const p = unwrap(
      await service.proposeChange({ change: { lowReservoirAlarmVolumeUl: 19_999_999 }, origin: 'spinal' }),
    );
    expect(p.committable).toBe(false);
    expect(p.errors.length).toBeGreaterThan(0);
    expect(await service.commitChange({ proposalId: p.proposalId, overrideReason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_PROPOSAL' },
    });
  });

  it('warns before ending a session mid-update or with the pump stopped; force needs a reason', async () => {
    const pending = unwrap(
      await service.proposeChange({
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 360_000 } },
        origin: 'spinal',
        sideEffects: true,
      }),
    );
    const mid = unwrap(await service.endSession({}));
    expect(mid).toMatchObject({ ended: false, warning: { code: 'UPDATE_IN_PROGRESS' } });
    const committed = unwrap(
      await service.commitChange({ proposalId: pending.proposalId, overrideReason: 'drowsy' }),
    );
    expect(committed.verify?.matches).toBe(true);

    const stopped = unwrap(await service.stopPump({}));
    expect(stopped.mode).toBe('stopped');
    expect(unwrap(await service.endSession({}))).toMatchObject({
      ended: false,
      warning: { code: 'PUMP_STOPPED' },
    });
    expect(await service.endSession({ force: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    // Punctuation is not a reason (issue 17).
    expect(await service.endSession({ force: true, reason: '.....' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(unwrap(await service.connectionState({})).state).toBe('connected');
    const resumed = unwrap(await service.resumePump({}));
    expect(resumed.mode).not.toBe('stopped');
  });

  it('reports alarms as they arrive and silences them on the pump clock', async () => {
    const status = unwrap(await service.interrogate({}));
    expect(status.lowReservoirAlarmTime).not.toBeNull();
    const r = await bench(ready, 'POST', '/clock/advance', { to: status.lowReservoirAlarmTime! + 60 });
    expect(r.status).toBe(200);
    const alarm = await waitFor('LOW_RESERVOIR event', () =>
      events.find((e) => e.type === 'alarm' && e.code === 'LOW_RESERVOIR' && e.raised),
    );
    expect(alarm).toBeTruthy();
    expect(await service.silenceAlarms({ minutes: 30, code: 'NOT_A_CODE' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const silenced = unwrap(await service.silenceAlarms({ minutes: 30, code: 'LOW_RESERVOIR' }));
    const low = silenced.alarms.find((a) => a.code === 'LOW_RESERVOIR');
    expect(low?.silencedUntil).toBeGreaterThanOrEqual(silenced.pumpTime + 30 * 60 - 5);
    unwrap(await service.alarmTest({}));
    const log = unwrap(await service.readLog({ offset: 0, count: 20 }));
    expect(log.entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['ALARM_TEST', 'ALARM_SILENCED', 'REFILL']),
    );
  });

  it('detects a lost link, refuses commands meanwhile, and reconnects in the background', async () => {
    const recordBefore = service.recordPath;
    expect((await bench(ready, 'POST', '/link-faults', { disconnected: true })).status).toBe(200);
    await waitFor('lost link', async () => unwrap(await service.connectionState({})).state !== 'connected');
    expect(await service.interrogate({})).toMatchObject({ ok: false, error: { code: 'LINK_LOST' } });
    expect(events.some((e) => e.type === 'link' && e.connection.state === 'lost')).toBe(true);
    await waitFor('retrying', () =>
      events.some((e) => e.type === 'link' && e.connection.state === 'retrying'),
    );

    expect((await bench(ready, 'POST', '/link-faults', { disconnected: false })).status).toBe(200);
    await waitFor(
      'reconnected',
      async () => unwrap(await service.connectionState({})).state === 'connected',
      30_000,
    );
    const info = unwrap(await service.connectionState({}));
    expect(info.stats.timeouts).toBeGreaterThan(0);
    expect(unwrap(await service.interrogate({})).serial).toBe(ready.serial);
    expect(service.recordPath).toBe(recordBefore);
    const record = unwrap(await service.sessionRecord({}));
    expect(record.some((e) => e.operation === 'event' && JSON.stringify(e.request).includes('lost'))).toBe(
      true,
    );
    expect(
      record.some((e) => e.operation === 'event' && JSON.stringify(e.request).includes('reconnected')),
    ).toBe(true);
  });

  it('keeps an fsync-ed record on disk with the override reasons, and exports it', async () => {
    const path = service.recordPath!;
    const onDisk = SessionRecord.read(path);
    const inMemory = unwrap(await service.sessionRecord({}));
    expect(onDisk).toEqual(inMemory);
    expect(onDisk.find((e) => e.operation === 'commitChange' && e.result === 'ok')?.reason).toBe(
      'Starting dose per screening',
    );
    expect(onDisk.some((e) => e.operation === 'commitChange' && e.result === 'error')).toBe(true);

    const json = JSON.parse(unwrap(await service.exportRecord({ format: 'json' }))) as { entries: unknown[] };
    expect(json.entries).toEqual(inMemory);
    const summary = unwrap(await service.exportRecord({ format: 'summary' }));
    expect(summary).toContain('Training bench, not a medical device');
    expect(summary).toContain(ready.serial);
    expect(summary).toMatch(/Withdrawn: +0\.0 mL/);
    expect(summary).toMatch(/Filled: +20\.0 mL/);
    expect(summary).toContain('Refill by:');
    expect(summary).toContain('Low-reservoir alarm date:');
  });

  it('warns of the overdue refill, ends with a reason and closes the record; export still works afterwards', async () => {
    // The pump reached its low-reservoir alarm in an earlier test: ending warns of the overdue refill (issue 17).
    const warned = unwrap(await service.endSession({}));
    expect(warned).toMatchObject({ ended: false, warning: { code: 'REFILL_OVERDUE' } });
    expect(warned.warning?.message).toMatch(/refill is overdue/);
    const ended = unwrap(
      await service.endSession({ force: true, reason: 'Refill booked for tomorrow morning' }),
    );
    expect(ended).toMatchObject({ ended: true, warning: { code: 'REFILL_OVERDUE' } });
    expect(unwrap(await service.connectionState({})).state).toBe('disconnected');
    const entries = SessionRecord.read(service.recordPath!);
    expect(entries[entries.length - 1]).toMatchObject({ operation: 'endSession', result: 'ok' });
    expect(unwrap(await service.exportRecord({ format: 'summary' }))).toMatch(
      /Session ended: +(?!open)\S.*\d{1,2}:\d\d/,
    );
  });

  it('knows a dose increase made in an earlier session: at most one increase per 24 h across sessions', async () => {
    unwrap(await service.connect({ target: { kind: 'embedded' } }));
    const up = unwrap(
      await service.proposeChange({
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 396_000 } },
        origin: 'spinal',
      }),
    );
    expect(up.findings.map((f) => f.rule)).not.toContain('INCREASE_WITHIN_24H');
    const done = unwrap(
      await service.commitChange({ proposalId: up.proposalId, overrideReason: 'titration step' }),
    );
    expect(done.verify?.matches).toBe(true);
    // The same pump, still at its low-reservoir alarm: ended with a reason (issue 17 warns of the refill).
    expect(
      unwrap(await service.endSession({ force: true, reason: 'Refill booked for tomorrow' })),
    ).toMatchObject({ ended: true });

    // A new session starts with no memory of its own: the increase comes from the pump's log.
    unwrap(await service.connect({ target: { kind: 'embedded' } }));
    const again = unwrap(
      await service.proposeChange({
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 432_000 } },
        origin: 'spinal',
      }),
    );
    expect(again.findings).toContainEqual(
      expect.objectContaining({ rule: 'INCREASE_WITHIN_24H', severity: 'warning' }),
    );
  });
});

describe('a pump that vanishes', () => {
  it('goes lost and keeps retrying after the sim is killed; a forced end records the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-service-kill-'));
    const service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      keepaliveMs: 300,
      reconnectDelayMs: 200,
      embedded: { extraArgs: ['--paused'] },
    });
    try {
      await service.start();
      unwrap(await service.connect({ target: { kind: 'embedded' } }));
      unwrap(await service.stopPump({}));
      service.embeddedProcess!.kill();
      await waitFor('lost', async () =>
        ['lost', 'retrying'].includes(unwrap(await service.connectionState({})).state),
      );
      // Still stopped as far as we know: ending needs force and a reason, which the record keeps.
      expect(unwrap(await service.endSession({}))).toMatchObject({
        ended: false,
        warning: { code: 'PUMP_STOPPED' },
      });
      const forced = unwrap(
        await service.endSession({ force: true, reason: 'Pump explanted during session' }),
      );
      expect(forced.ended).toBe(true);
      const entries = SessionRecord.read(service.recordPath!);
      expect(entries[entries.length - 1]).toMatchObject({
        operation: 'endSession',
        reason: 'Pump explanted during session',
      });
    } finally {
      await service.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dispose stops the embedded sim process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-service-stop-'));
    const service = new ProgrammerService({ dataDir: dir, linkFactory: createProtocolLink });
    const ready = (await service.start())!;
    expect(existsSync(`/proc/${ready.pid}`)).toBe(true);
    await service.dispose();
    await waitFor('sim exit', () => !existsSync(`/proc/${ready.pid}`) || isZombie(ready.pid));
    rmSync(dir, { recursive: true, force: true });
  });
});

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('issue 16 through the service and a real sim', () => {
  let dir: string;
  let service: ProgrammerService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-service16-'));
    service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      keepaliveMs: 300,
      embedded: { extraArgs: ['--paused'] },
    });
    if (!(await service.start())) throw new Error('embedded pump did not start');
  });

  afterAll(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('#4, #8 and #7: 401 mcg/day at 2000 mcg/mL reads back 402 and verifies; the age group is recorded; a new session knows the start', async () => {
    unwrap(
      await service.connect({
        target: { kind: 'embedded' },
        patient: { origin: 'cerebral', ageGroup: 'childUnder12' },
      }),
    );
    const change = {
      refill: {
        withdrawnVolumeUl: 0,
        drugName: 'baclofen',
        concentrationMcgPerMl: 2000,
        concentrationConfirmMcgPerMl: 2000,
        fillVolumeUl: 20_000,
      },
      therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 401_000 },
    };
    const p = unwrap(await service.proposeChange({ change, origin: 'cerebral', ageGroup: 'childUnder12' }));
    expect(p.clinical.effectiveDailyDose).toBe(402_000);
    expect(p.rows.find((r) => r.field === 'dailyDose')?.new).toBe('402 mcg/day');
    const done = unwrap(
      await service.commitChange({ proposalId: p.proposalId, overrideReason: 'first fill' }),
    );
    expect(done.verify).toMatchObject({ matches: true, mismatches: [] });
    expect(unwrap(await service.verify({})).matches).toBe(true);
    const record = unwrap(await service.sessionRecord({}));
    expect(record.find((e) => e.operation === 'connect')?.request).toMatchObject({
      patient: { origin: 'cerebral', ageGroup: 'childUnder12' },
    });
    expect(record.find((e) => e.operation === 'proposeChange')?.request).toMatchObject({
      ageGroup: 'childUnder12',
    });

    // #7: a new session (no memory of its own) knows from the log that therapy started less than 24 h ago.
    expect(unwrap(await service.endSession({}))).toEqual({ ended: true });
    unwrap(
      await service.connect({
        target: { kind: 'embedded' },
        patient: { origin: 'cerebral', ageGroup: 'childUnder12' },
      }),
    );
    const up = unwrap(
      await service.proposeChange({
        change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 420_000 } },
        origin: 'cerebral',
        ageGroup: 'childUnder12',
      }),
    );
    expect(up.findings).toContainEqual(
      expect.objectContaining({ rule: 'INCREASE_IN_FIRST_24H', severity: 'warning' }),
    );
    expect(up.clinical.phase).toBe('titration');
  });

  it('#3 and #2: the planned bridge (split at 24 h) is accepted; a bolus during it shows what it cancels', async () => {
    const status = unwrap(await service.interrogate({}));
    const profile = getProfile(status.model);
    const plan = proposeBridgeBolus({
      internalVolume: profile.pumpTubingVolume,
      catheterVolume: profile.catheterVolumePerCm * profile.catheterLengthCm,
      oldConcentration: 2000,
      newConcentration: 1000,
      currentRate: status.rateUlPerDay,
      limits: profile,
    });
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.parts.length).toBe(2);
    const refill = {
      withdrawnVolumeUl: status.reservoirVolumeUl,
      drugName: 'baclofen',
      concentrationMcgPerMl: 1000,
      concentrationConfirmMcgPerMl: 1000,
      fillVolumeUl: 20_000,
    };
    const offer = unwrap(
      await service.proposeChange({
        change: { refill, therapy: { mode: 'continuous', dailyDoseNgPerDay: 402_000 } },
        origin: 'cerebral',
      }),
    );
    expect(offer.findings.find((f) => f.rule === 'BRIDGE_BOLUS_SUGGESTED')?.message).toMatch(
      /split into 2 parts/,
    );
    const p = unwrap(
      await service.proposeChange({
        change: { refill, therapy: { mode: 'continuous', dailyDoseNgPerDay: 402_000 }, bolus: plan.bolus },
        origin: 'cerebral',
      }),
    );
    expect(p.errors).toEqual([]);
    expect(p.committable).toBe(true);
    const done = unwrap(
      await service.commitChange({ proposalId: p.proposalId, overrideReason: 'new strength' }),
    );
    expect(done.verify?.matches).toBe(true);
    expect(unwrap(await service.interrogate({})).mode).toBe('bridgeBolus');

    const b = unwrap(
      await service.proposeChange({
        change: { bolus: { kind: 'single', amountNg: 50_000, durationS: 3600 } },
        origin: 'cerebral',
      }),
    );
    expect(b.rows.find((r) => r.field === 'bolus')?.old).toMatch(/^bridge bolus running \(0\.201 mL left/);
    expect(b.findings).toContainEqual(
      expect.objectContaining({ rule: 'RUNNING_BOLUS_CANCELLED', severity: 'warning' }),
    );
    const ctx = unwrap(await service.clinicalContext({}));
    expect(ctx.runningBolus).toMatchObject({ kind: 'bridge', remaining: 201_000 });
  });
});
