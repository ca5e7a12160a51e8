/**
 * The programming transaction on its own (programming-transaction.ts): over a stand-in link that drives
 * the real pump model the way the pump endpoint does (a prepare token, refused as stale once the program
 * changed), with a real session record on disk. The service's tests run the same transaction over a pty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pump } from '../../src/device';
import type { ProgramChange } from '../../src/device/types';
import type { RequestOf } from '../../src/shared/contract';
import { readClinicalHistory } from '../../src/main/service/dose-history';
import { refusalError } from '../../src/main/service/op-error';
import type { PumpLink } from '../../src/main/service/pump-link';
import { ProgrammingTransaction } from '../../src/main/service/programming-transaction';
import { SessionRecord } from '../../src/main/service/session-record';
import { filledPump, refusal } from './helpers';

const T0 = 1_800_000_000;
const DAY = 86_400;

/** The pump endpoint's rules for PREPARE and COMMIT (src/protocol/session/pump-endpoint.ts), on a real pump. */
function standInLink(pump: Pump, tamper?: (c: ProgramChange) => ProgramChange) {
  let next = 1;
  let pending: { token: number; change: ProgramChange; version: number } | null = null;
  const calls = { prepare: 0, commit: 0 };
  const link: Partial<PumpLink> = {
    interrogate: async () => pump.status(),
    readProgram: async () => pump.program(),
    readLog: async (offset, count) => pump.readLog(offset, count),
    async prepare(change) {
      calls.prepare++;
      const v = pump.validate(change);
      if (!v.ok) return { ok: false, errors: v.errors };
      pending = { token: next++, change, version: pump.program().programVersion };
      return { ok: true, token: pending.token, consequences: v.consequences };
    },
    async commit(token) {
      calls.commit++;
      if (!pending || pending.token !== token || pump.program().programVersion !== pending.version)
        throw Object.assign(new Error('STALE_TOKEN'), { name: 'ProtocolError', reason: 'STALE_TOKEN' });
      const r = pump.apply(tamper ? tamper(pending.change) : pending.change);
      pending = null;
      return r.ok ? { ok: true, programVersion: r.value.programVersion } : { ok: false, errors: r.errors };
    },
  };
  return { link: link as PumpLink, calls };
}

describe('the programming transaction', () => {
  let dir: string;
  let pump: Pump;
  let record: SessionRecord;

  function transaction(link: PumpLink, into: () => SessionRecord = () => record) {
    // As the service wires it: each exchange's refusals become the operation's errors (pump-connection.ts).
    const withLink = async <T>(fn: (l: PumpLink) => Promise<T>): Promise<T> => {
      try {
        return await fn(link);
      } catch (e) {
        throw refusalError(e);
      }
    };
    return new ProgrammingTransaction({
      withLink,
      refreshStatus: () => withLink((l) => l.interrogate()),
      readHistory: (status) => readClinicalHistory((o, c) => withLink((l) => l.readLog(o, c)), status),
      programRead: () => undefined,
      record: into,
      pumpSerial: () => pump.serial,
      connected: () => true,
      sessionsDir: join(dir, 'sessions'),
    });
  }

  const dose = (mcgPerDay: number): RequestOf<'proposeChange'> => ({
    change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: mcgPerDay * 1000 } },
    origin: 'spinal',
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'itb-transaction-'));
    record = SessionRecord.create(join(dir, 'sessions'), 'V1');
    // 20 mL of 2000 mcg/mL at 400 mcg/day, three days ago: a dose change of a few percent is within guidance.
    pump = filledPump(T0);
    pump.advanceTo(T0 + 3 * DAY);
  });

  afterEach(() => {
    record.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proposes, commits (written ahead) and verifies by reading back', async () => {
    const { link } = standInLink(pump);
    const tx = transaction(link);
    const p = await tx.propose(dose(420));
    expect(p).toMatchObject({ committable: true, errors: [] });
    expect(p.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(tx.pendingWarning()).toMatchObject({ code: 'UPDATE_IN_PROGRESS' });

    const before = pump.program().programVersion;
    const r = await tx.commit({ proposalId: p.proposalId });
    expect(r).toMatchObject({ committed: true, errors: [], verify: { matches: true, mismatches: [] } });
    expect(pump.program().programVersion).toBe(before + 1);
    expect(pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 420_000 });
    // The intent is on disk, with what the read-back must show, before the command left.
    const intent = SessionRecord.read(record.path).find((e) => e.result === 'intent');
    expect(intent).toMatchObject({
      operation: 'commitChange',
      request: { proposalId: p.proposalId },
      detail: { pumpSerial: 'V1', versionBefore: before },
    });
    expect(tx.pendingWarning()).toBeUndefined();
    // The proposal is spent: committing it again is refused and sends nothing.
    expect(await refusal(tx.commit({ proposalId: p.proposalId }))).toMatchObject({
      code: 'UNKNOWN_PROPOSAL',
    });
  });

  it('keeps one live proposal: a newer one replaces the older, which can no longer be committed', async () => {
    const { link, calls } = standInLink(pump);
    const tx = transaction(link);
    const first = await tx.propose(dose(410));
    const second = await tx.propose(dose(420));
    expect(second.proposalId).not.toBe(first.proposalId);
    expect(await refusal(tx.commit({ proposalId: first.proposalId }))).toMatchObject({
      code: 'UNKNOWN_PROPOSAL',
    });
    expect(calls.commit).toBe(0);
    expect(pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 400_000 });
    expect((await tx.commit({ proposalId: second.proposalId })).committed).toBe(true);
    expect(pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 420_000 });
  });

  it('refuses a commit without a proposal, sending nothing and writing no intent', async () => {
    const { link, calls } = standInLink(pump);
    const tx = transaction(link);
    expect(await refusal(tx.commit({ proposalId: 'never-proposed' }))).toMatchObject({
      code: 'UNKNOWN_PROPOSAL',
    });
    expect(calls.commit).toBe(0);
    expect(record.list()).toEqual([]);
    expect(tx.pendingWarning()).toBeUndefined();
  });

  it('a change the pump refuses at prepare is no live proposal', async () => {
    const { link } = standInLink(pump);
    const tx = transaction(link);
    // Beyond the pump's own limit: the pump's errors come back, nothing to commit.
    const p = await tx.propose(dose(100_000));
    expect(p.committable).toBe(false);
    expect(p.errors.length).toBeGreaterThan(0);
    expect(tx.pendingWarning()).toBeUndefined();
    expect(await refusal(tx.commit({ proposalId: p.proposalId }))).toMatchObject({
      code: 'UNKNOWN_PROPOSAL',
    });
  });

  it('a warning beyond guidance needs a stated reason before anything is sent', async () => {
    const { link, calls } = standInLink(pump);
    const tx = transaction(link);
    const p = await tx.propose(dose(600)); // +50% in a day
    const warnings = p.findings.filter((f) => f.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(p.committable).toBe(true);
    const e = await refusal(tx.commit({ proposalId: p.proposalId, overrideReason: '  ' }));
    expect(e).toMatchObject({ code: 'OVERRIDE_REASON_REQUIRED' });
    expect(calls.commit).toBe(0);
    const r = await tx.commit({ proposalId: p.proposalId, overrideReason: 'severe spasms, team decision' });
    expect(r.committed).toBe(true);
    expect(SessionRecord.read(record.path)[0]).toMatchObject({
      result: 'intent',
      reason: 'severe spasms, team decision',
    });
  });

  it('refuses the commit when the pump changed between propose and commit, and the pump keeps its program', async () => {
    const { link } = standInLink(pump);
    const tx = transaction(link);
    const p = await tx.propose(dose(420));
    // Another programmer (or the pump itself) changed the program after the review.
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 380_000 } }).ok).toBe(true);
    const changed = pump.program();
    const e = await refusal(tx.commit({ proposalId: p.proposalId }));
    expect(e).toMatchObject({ code: 'PUMP_REFUSED', details: { reason: 'STALE_TOKEN' } });
    expect(pump.program()).toBe(changed);
    // Nothing was applied: the reviewed change is still the one not sent, and ending now says so.
    expect(tx.pendingWarning()).toMatchObject({ code: 'UPDATE_IN_PROGRESS' });
  });

  it('a reconnect voids the prepared token: the proposal can no longer be committed and nothing is sent', async () => {
    const { link, calls } = standInLink(pump);
    const tx = transaction(link);
    const p = await tx.propose(dose(420));
    tx.voidToken();
    expect(await refusal(tx.commit({ proposalId: p.proposalId }))).toMatchObject({ code: 'HARD_STOP' });
    expect(calls.commit).toBe(0);
    // A proposal that cannot be sent leaves nothing half-done.
    expect(tx.pendingWarning()).toBeUndefined();
  });

  it('verify reports a read-back that differs from the change committed, and the update stays unverified', async () => {
    // The pump applies something else than what was reviewed (a fault between prepare and apply).
    const { link } = standInLink(pump, (c) => ({
      ...c,
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 440_000 },
    }));
    const tx = transaction(link);
    const p = await tx.propose(dose(420));
    const r = await tx.commit({ proposalId: p.proposalId });
    expect(r.committed).toBe(true);
    expect(r.verify?.matches).toBe(false);
    expect(r.verify?.mismatches.length).toBeGreaterThan(0);
    expect(tx.pendingWarning()).toMatchObject({ code: 'UNVERIFIED_UPDATE' });
    const again = await tx.verify();
    expect(again.matches).toBe(false);
    expect(tx.pendingWarning()).toMatchObject({ code: 'UNVERIFIED_UPDATE' });
    tx.clear();
    expect(tx.pendingWarning()).toBeUndefined();
  });

  it('verify after a change made behind the programmer: the last committed change no longer matches', async () => {
    const { link } = standInLink(pump);
    const tx = transaction(link);
    // Nothing committed this session: the program as read is by definition what is expected.
    expect(await tx.verify()).toMatchObject({ matches: true, mismatches: [] });
    const p = await tx.propose(dose(420));
    expect((await tx.commit({ proposalId: p.proposalId })).verify?.matches).toBe(true);
    expect(pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 300_000 } }).ok).toBe(true);
    const v = await tx.verify();
    expect(v.matches).toBe(false);
    expect(v.program.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 300_000 });
  });

  it('reconciles an earlier session’s commit intent against the read-back: applied, or not applied', async () => {
    const { link } = standInLink(pump);
    // An earlier programmer wrote its intent and died before recording the outcome.
    const earlier = SessionRecord.create(join(dir, 'sessions'), 'V1', new Date(Date.now() - 60_000));
    const tx0 = transaction(link, () => earlier);
    const p = await tx0.propose(dose(420));
    await tx0.commit({ proposalId: p.proposalId });
    // Only its intent survived (its outcome is what the service records after `commit` returns).
    earlier.close();
    expect(SessionRecord.read(earlier.path).map((e) => e.result)).toEqual(['intent']);

    await transaction(link).reconcileIntents();
    const resolved = SessionRecord.read(earlier.path);
    expect(resolved[1]).toMatchObject({
      operation: 'commitChange',
      result: 'ok',
      detail: { outcome: 'applied' },
    });
    expect(record.list()).toMatchObject([
      { operation: 'event', result: 'ok', detail: { outcome: 'applied' } },
    ]);
    // Reconciled once: the next connection finds nothing open.
    await transaction(link).reconcileIntents();
    expect(record.list()).toHaveLength(1);
  });
});
