/**
 * The programmer service's smaller parts on their own: the end-of-session check on the real pump model,
 * the bedside operations over a stand-in bedside client, the session log and the embedded host without
 * a pump. (The service's tests run them all together over a pty.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pump } from '../../src/device';
import type { PumpProgram } from '../../src/device/pump-api';
import { BedsideError, type BedsideClient } from '../../src/main/service/bedside-client';
import { BedsideOperations, type BedsideDeps } from '../../src/main/service/bedside-operations';
import { EmbeddedHost } from '../../src/main/service/embedded-host';
import { pumpStateWarning } from '../../src/main/service/end-session-check';
import { OpError } from '../../src/main/service/op-error';
import { SessionLog } from '../../src/main/service/session-log';
import { SessionRecord } from '../../src/main/service/session-record';
import { filledPump, refusal } from './helpers';

const T0 = 1_800_000_000;

describe('the end-of-session check', () => {
  let pump: Pump;
  beforeEach(() => {
    pump = filledPump(T0);
  });
  const check = () => pumpStateWarning(pump.status(), pump.program());

  it('says nothing for a pump that delivers, nor when nothing was ever read', () => {
    expect(check()).toBeUndefined();
    expect(pumpStateWarning(null, null)).toBeUndefined();
  });

  it('warns of a stopped pump, in words', () => {
    expect(pump.stop().ok).toBe(true);
    expect(check()).toMatchObject({ code: 'PUMP_STOPPED', message: expect.stringMatching(/withdrawal/) });
    // A program whose therapy is "stopped" counts too, when the status could not be read.
    const stoppedTherapy = { ...pump.program(), therapy: { mode: 'stopped' } } as unknown as PumpProgram;
    expect(pumpStateWarning(null, stoppedTherapy)).toMatchObject({ code: 'PUMP_STOPPED' });
  });

  it('warns of the battery: end of service before the replacement indicator', () => {
    pump.injectFault({ kind: 'battery', to: 'eri' });
    expect(check()).toMatchObject({ code: 'BATTERY_ERI', message: expect.stringMatching(/replaced by/) });
    pump.injectFault({ kind: 'battery', to: 'endOfService' });
    expect(check()).toMatchObject({ code: 'END_OF_SERVICE', message: /replacement/ });
  });

  it('warns of a refill overdue once the reservoir is at its low alarm', () => {
    const low = pump.status().lowReservoirAlarmTime;
    expect(low).not.toBeNull();
    pump.advanceTo(low! + 3600);
    expect(pump.status().alarms.some((a) => a.code === 'LOW_RESERVOIR' || a.code === 'EMPTY_RESERVOIR')).toBe(
      true,
    );
    expect(check()).toMatchObject({
      code: 'REFILL_OVERDUE',
      message: expect.stringMatching(/mL calculated/),
    });
  });
});

describe('the bedside operations', () => {
  const calls: string[] = [];
  let open = false;
  let screening: unknown;
  const client: Partial<BedsideClient> = {
    examine: async () => {
      throw new BedsideError(409, 'the patient is asleep');
    },
    order: async () => {
      throw new BedsideError(400, 'no such order');
    },
    screening: async (action) => (calls.push(`screening ${action}`), screening),
    training: async (path, body) => {
      calls.push(`training ${path}${body ? ` ${JSON.stringify(body)}` : ''}`);
      return path === '/cases' ? [{ id: 'known-case', title: 'A known case' }] : { id: 'known-case' };
    },
  };
  const deps = (over: Partial<BedsideDeps> = {}): BedsideDeps => ({
    bedside: () => client as BedsideClient,
    restart: async (args) => void calls.push(`restart ${args.join(' ')}`),
    sessionOpen: () => open,
    recordEntries: () => [
      { at: '2026-01-01T00:00:00.000Z', operation: 'connect', request: {}, result: 'ok', detail: null },
      { at: '2026-01-01T00:00:01.000Z', operation: 'event', request: {}, result: 'ok', detail: null },
    ],
    ...over,
  });
  beforeEach(() => {
    calls.length = 0;
    open = false;
    screening = { not: 'a screening view' };
  });

  it('has no bedside without an embedded pump', async () => {
    const ops = new BedsideOperations(deps({ bedside: () => null }));
    expect(await refusal(ops.actions())).toMatchObject({ code: 'BEDSIDE', message: /not running/ });
  });

  it("passes the bedside's refusals on: 400 as a bad request, anything else as the bedside's", async () => {
    const ops = new BedsideOperations(deps());
    expect(await refusal(ops.order({ kind: 'x' } as never))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Bedside: no such order',
    });
    expect(await refusal(ops.examine())).toMatchObject({ code: 'BEDSIDE' });
  });

  it('refuses a malformed screening answer', async () => {
    const ops = new BedsideOperations(deps());
    expect(await refusal(ops.screening({ action: 'view' } as never))).toMatchObject({
      code: 'BEDSIDE',
      message: /malformed/,
    });
  });

  it('implants no new pump while a session is open, nor without a positive trial; restarts nothing', async () => {
    open = true;
    const ops = new BedsideOperations(deps());
    expect(await refusal(ops.implantNewPump())).toMatchObject({
      code: 'BAD_REQUEST',
      message: /End the session/,
    });
    open = false;
    expect(await refusal(ops.implantNewPump())).toMatchObject({ code: 'BAD_REQUEST', message: /positive/ });
    expect(calls.filter((c) => c.startsWith('restart'))).toEqual([]);
  });

  it('starts only a case of the library, on a restarted pump, and never during a session', async () => {
    const ops = new BedsideOperations(deps());
    open = true;
    expect(await refusal(ops.startTrainingCase('known-case'))).toMatchObject({ code: 'BAD_REQUEST' });
    open = false;
    expect(await refusal(ops.startTrainingCase('unknown-case'))).toMatchObject({
      code: 'BAD_REQUEST',
      message: /no training case "unknown-case"/,
    });
    expect(calls).not.toContain('restart --scenario unknown-case');
    await ops.startTrainingCase('known-case');
    expect(calls.slice(-2)).toEqual(['restart --scenario known-case', 'training /case']);
  });

  it("finishes a case with the session record's operations, not its events", async () => {
    await new BedsideOperations(deps()).finishTrainingCase();
    expect(calls).toEqual([
      'training /case/finish {"sessionRecord":[{"at":"2026-01-01T00:00:00.000Z","operation":"connect","result":"ok"}]}',
    ]);
  });
});

describe('the session log and the embedded host', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-parts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the open record, then the last one after the session ends; exports need one', () => {
    const log = new SessionLog(dir);
    expect(() => log.export('json')).toThrow(OpError);
    log.append('connect', {}, 'ok', null); // between sessions: nowhere, and no error
    log.open('V1');
    log.append('connect', {}, 'ok', null);
    const path = log.record!.path;
    log.close();
    expect(log.record).toBeNull();
    expect(log.latest?.path).toBe(path);
    expect(SessionRecord.read(path)).toHaveLength(1);
    expect(JSON.parse(log.export('json'))).toMatchObject({ file: path, entries: [{ operation: 'connect' }] });
  });

  it('without an embedded pump: no ready line, no bedside, a restart refused, only the listed ports', async () => {
    const host = new EmbeddedHost(dir, null);
    expect(await host.start()).toBeNull();
    expect(host.ready).toBeNull();
    expect(host.bedside()).toBeNull();
    expect(await refusal(host.restart(['--reset']))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await host.ports(async () => [{ path: '/dev/ttyUSB0' }])).toEqual([
      { path: '/dev/ttyUSB0', embedded: false },
    ]);
    expect(await host.ports(async () => Promise.reject(new Error('no udev')))).toEqual([]);
  });
});
