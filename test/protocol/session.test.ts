import { describe, expect, it } from 'vitest';
import { createPump } from '../../src/device/index';
import type { Pump } from '../../src/device/pump-api';
import type { PumpStatus } from '../../src/device/types';
import { LinkTimeoutError, PumpClient, ProtocolError } from '../../src/protocol/session/client';
import { PROTOCOL_VERSION } from '../../src/protocol/link/frame';
import { COMMANDS, encodePayload, TYPE_ALARM_EVENT } from '../../src/protocol/messages/messages';
import { createPumpEndpoint } from '../../src/protocol/session/pump-endpoint';
import { FIRST_FILL, setup, T0, tick, typeOfWrite } from './harness';
import { manualTime } from '../support/manual-time';
import { createPipe } from './memory-link';

async function refused(p: Promise<unknown>): Promise<ProtocolError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ProtocolError);
  return e as ProtocolError;
}

async function filled(o: Parameters<typeof setup>[0] = {}) {
  const h = setup(o);
  await h.client.openSession();
  const p = await h.client.prepare(FIRST_FILL);
  if (!('token' in p)) throw new Error(JSON.stringify(p));
  await h.client.commit(p.token);
  return h;
}

describe('PumpClient and PumpEndpoint over an in-memory link, with the real pump model', () => {
  it('runs a whole clinical session: open, interrogate, prepare, commit, verify, log, stop, resume, close', async () => {
    const { client, pump, endpoint } = setup();
    const s = await client.openSession();
    expect(s).toMatchObject({ pumpSerial: 'NGP000123', model: 'SM2-40', protocolVersion: PROTOCOL_VERSION });
    expect(endpoint.session).toEqual({ id: s.sessionId, programmerId: 'CLINIC-A' });
    expect(await client.interrogate()).toEqual(pump.status());

    const before = await client.readProgram();
    const prepared = await client.prepare(FIRST_FILL);
    expect(prepared).toEqual({
      token: expect.any(Number),
      consequences: expect.objectContaining({ rateUlPerDay: 150 }),
    });
    expect(pump.program().programVersion).toBe(before.programVersion); // prepare changes nothing
    const committed = await client.commit((prepared as { token: number }).token);
    expect(committed).toEqual({ programVersion: before.programVersion + 1 });
    const after = await client.readProgram();
    expect(after).toEqual(pump.program());
    expect(after).toMatchObject({
      drugName: 'Baclofen',
      concentrationMcgPerMl: 2000,
      therapy: FIRST_FILL.therapy,
    });

    await client.stop();
    expect(pump.status().mode).toBe('stopped');
    await client.resume();
    expect(pump.status().mode).toBe('continuous');
    await client.alarmTest();
    // Nothing is sounding yet: the pump's refusal comes back as a NAK with its reason.
    expect((await refused(client.silenceAlarm(T0 + 3600))).reason).toBe('NOT_ALLOWED_IN_STATE');
    expect(await client.keepalive()).toBe(pump.now());
    const log = await client.readLog(0, 50);
    expect(log).toEqual(pump.readLog(0, 50));
    expect(log.entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['REFILL', 'STOPPED', 'RESUMED', 'ALARM_TEST']),
    );
    await client.closeSession();
    expect(endpoint.session).toBeNull();
    expect(client.session).toBeNull();
  });

  it('sets the pump clock (CLOCK_SET): logged once, the same rule again changes nothing, a bad one is refused', async () => {
    const { client, pump } = setup();
    await client.openSession();
    const paris = {
      stdOffset: 60,
      dst: {
        delta: 60,
        start: { month: 3, week: 5, weekday: 0, minute: 120 },
        end: { month: 10, week: 5, weekday: 0, minute: 180 },
      },
    };
    expect(await client.setClock(paris)).toEqual({ changed: true, previous: { stdOffset: 0, dst: null } });
    expect(pump.state().clock).toEqual(paris);
    const total = pump.readLog(0, 1).total;
    expect(pump.readLog(0, 1).entries[0]).toMatchObject({
      kind: 'CLOCK_SET',
      detail: 'std 60 dst 60 3.5.0.120 10.5.0.180',
    });
    expect(await client.setClock(paris)).toEqual({ changed: false, previous: paris });
    expect(pump.readLog(0, 1).total).toBe(total);
    // Both changes on the same day: the pump refuses it with its reason, and keeps Paris.
    const same = { ...paris, dst: { ...paris.dst, end: { ...paris.dst.start, minute: 180 } } };
    const e = await refused(client.setClock(same));
    expect(e.reason).toBe('BAD_VALUE');
    expect(pump.state().clock).toEqual(paris);
  });

  it('answers a retried COMMIT from its cache: applied once', async () => {
    const h = setup();
    await h.client.openSession();
    const p = (await h.client.prepare(FIRST_FILL)) as { token: number };
    let dropped = 0;
    // Lose the pump's first answer to COMMIT: the programmer retries the same frame.
    h.pipe.intercept.toProgrammer = (b) =>
      typeOfWrite(b) === (COMMANDS.COMMIT.id | 0x80) && dropped++ === 0 ? 'drop' : 'pass';
    const v0 = h.pump.program().programVersion;
    expect(await h.client.commit(p.token)).toEqual({ programVersion: v0 + 1 });
    expect(dropped).toBe(2); // the first answer lost, the cached repeat delivered
    expect(h.pump.program().programVersion).toBe(v0 + 1);
    expect(h.pump.readLog(0, 50).entries.filter((e) => e.kind === 'REFILL')).toHaveLength(1);
    expect(h.endpoint.stats.duplicates).toBe(1);
    expect(h.client.stats.retries).toBe(1);
    expect(h.client.stats.timeouts).toBe(1);
  });

  it('refuses therapy changes from a programmer with the wrong key (UNAUTHENTICATED) and changes nothing', async () => {
    const h = await filled();
    const legit = h.endpoint.session!.id;
    const intruder = h.another('CLINIC-A', { key: new TextEncoder().encode('not the configured key') });
    // The pump's OPEN_SESSION answer is MACed under a key the intruder cannot derive: it refuses it, and
    // says why (answers came, none authenticated) rather than "no answer".
    const e = await refused(intruder.openSession());
    expect(e.reason).toBe('UNAUTHENTICATED');
    expect(e.message).toMatch(/failed authentication/);
    expect(intruder.stats.authFailures).toBeGreaterThan(0);
    // Its unproven session never replaced the live one: the real programmer carries on.
    expect(h.endpoint.session!.id).toBe(legit);
    const before = h.pump.status();
    await h.client.interrogate();
    expect(h.pump.status()).toEqual(before);
  });

  it('refuses a replayed command (REPLAY) and never applies it twice', async () => {
    const h = await filled();
    const mark = h.pipe.programmerWrites.length;
    const stops = () => h.pump.readLog(0, 50).entries.filter((e) => e.kind === 'STOPPED').length;
    const stops0 = stops();
    await h.client.stop();
    const stopWrite = h.pipe.programmerWrites[mark]!;
    expect(typeOfWrite(stopWrite)).toBe(COMMANDS.STOP.id);
    await h.client.resume();
    expect(stops()).toBe(stops0 + 1);
    h.endpoint.receive(stopWrite); // an attacker replays the recorded, validly MACed STOP
    await tick();
    expect(h.sent().at(-1)).toBe('NAK STOP REPLAY');
    expect(h.pump.status().mode).toBe('continuous');
    expect(stops()).toBe(stops0 + 1);
  });

  it('answers unknown types and malformed payloads, never ignoring them', async () => {
    const { client } = setup();
    await client.openSession();
    const unknown = await client.rawRequest(0x5a, Uint8Array.of(1, 2, 3));
    expect(unknown).toMatchObject({ kind: 'nak', body: { command: 0x5a, reason: 'UNKNOWN_TYPE' } });
    const malformed = await client.rawRequest(COMMANDS.READ_LOG.id, Uint8Array.of(0, 0, 0, 0, 200));
    expect(malformed).toMatchObject({
      kind: 'nak',
      body: { reason: 'MALFORMED', errors: [{ field: 'count' }] },
    });
    const truncated = await client.rawRequest(COMMANDS.COMMIT.id, Uint8Array.of(1, 2));
    expect(truncated).toMatchObject({ kind: 'nak', body: { reason: 'MALFORMED' } });
    // A pump-to-programmer type sent to the pump is not a command either.
    const wrongWay = await client.rawRequest(TYPE_ALARM_EVENT, new Uint8Array(6));
    expect(wrongWay).toMatchObject({ kind: 'nak', body: { reason: 'UNKNOWN_TYPE' } });
    // Commands needing a MAC without one.
    const bare = await client.rawRequest(COMMANDS.STOP.id, new Uint8Array(0), { auth: false });
    expect(bare).toMatchObject({ kind: 'nak', body: { reason: 'UNAUTHENTICATED' } });
    // And the session still works.
    expect((await client.interrogate()).serial).toBe('NGP000123');
  });

  it('refuses bad values and wrong states with the pump’s own errors', async () => {
    const h = setup();
    await h.client.openSession();
    const e = await refused(h.client.resume());
    expect(e.reason).toBe('NOT_ALLOWED_IN_STATE');
    expect(e.errors[0]).toMatchObject({ code: 'NOT_ALLOWED_IN_STATE' });
    const p = await h.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 300000 } });
    expect(p).toEqual({ errors: [expect.objectContaining({ code: 'NOT_ALLOWED_IN_STATE' })] });
    // Values that do not fit the wire are refused before anything is sent.
    const sentBefore = h.client.stats.framesSent;
    const local = await refused(h.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: -5 } }));
    expect(local.reason).toBe('BAD_VALUE');
    expect(local.message).toMatch(/therapy.dailyDose/);
    expect(h.client.stats.framesSent).toBe(sentBefore);
  });

  it('commits only the latest prepared change while the program is unchanged (STALE_TOKEN)', async () => {
    const h = await filled();
    const a = (await h.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 310000 } })) as {
      token: number;
    };
    const b = (await h.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 320000 } })) as {
      token: number;
    };
    expect((await refused(h.client.commit(a.token))).reason).toBe('STALE_TOKEN');
    expect(await h.client.commit(b.token)).toEqual({ programVersion: expect.any(Number) });
    expect((await refused(h.client.commit(b.token))).reason).toBe('STALE_TOKEN'); // used once
    expect(h.pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 320000 });
    // A change applied after prepare (by another session) makes the token stale too.
    const c = (await h.client.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 330000 } })) as {
      token: number;
    };
    h.pump.apply({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 300000 } });
    expect((await refused(h.client.commit(c.token))).reason).toBe('STALE_TOKEN');
    expect(h.pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 300000 });
  });

  it('allows one programmer at a time (BUSY); the same programmer reopening replaces its session', async () => {
    const h = setup();
    const first = await h.client.openSession();
    const other = h.another('CLINIC-B');
    expect((await refused(other.openSession())).reason).toBe('BUSY');
    const again = await h.client.openSession();
    expect(again.sessionId).not.toBe(first.sessionId);
    // The new session replaces the old one with its first authenticated frame (an OPEN_SESSION alone,
    // which anyone could send under this programmer id, does not).
    expect(h.endpoint.session?.id).toBe(first.sessionId);
    expect((await h.client.interrogate()).serial).toBe('NGP000123');
    expect(h.endpoint.session?.id).toBe(again.sessionId);
  });

  it('expires a silent session so a vanished programmer frees the pump', async () => {
    const h = setup();
    await h.client.openSession();
    h.clock.ms += 9_000;
    await h.client.keepalive(); // activity keeps it alive
    h.clock.ms += 9_000;
    h.endpoint.tick();
    expect(h.endpoint.session).not.toBeNull();
    h.clock.ms += 10_001;
    h.endpoint.tick();
    expect(h.endpoint.session).toBeNull();
    expect((await refused(h.client.interrogate())).reason).toBe('NO_SESSION');
    expect(h.client.session).toBeNull();
    const other = h.another('CLINIC-B');
    expect((await other.openSession()).pumpSerial).toBe('NGP000123');
  });

  it('refuses an unsupported protocol version (BAD_VERSION) and commands without a session (NO_SESSION)', async () => {
    const { client } = setup();
    const open = encodePayload({
      kind: 'command',
      command: 'OPEN_SESSION',
      body: { programmerId: 'X', protocolVersion: PROTOCOL_VERSION + 1, programmerNonce: new Uint8Array(8) },
    });
    expect(await client.rawRequest(COMMANDS.OPEN_SESSION.id, open)).toMatchObject({
      kind: 'nak',
      body: { reason: 'BAD_VERSION' },
    });
    expect(await client.rawRequest(COMMANDS.INTERROGATE.id, new Uint8Array(0))).toMatchObject({
      kind: 'nak',
      body: { reason: 'NO_SESSION' },
    });
    expect((await refused(client.interrogate())).reason).toBe('NO_SESSION');
  });

  it('gives up with LinkTimeoutError after the retry limit', async () => {
    const h = setup({ client: { retries: 2, timeoutMs: 5 } });
    h.pipe.faults.toPump.drop = 1;
    const e = await h.client.openSession().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LinkTimeoutError);
    expect((e as LinkTimeoutError).attempts).toBe(3);
    expect(h.client.stats).toMatchObject({ framesSent: 3, retries: 2, timeouts: 3 });
    // Commands are serialised: the next one runs after the failure, and works once the link is back.
    h.pipe.faults.toPump.drop = 0;
    expect((await h.client.openSession()).pumpSerial).toBe('NGP000123');
  });

  it('sends commands issued together one at a time, in call order, each after the previous answer', async () => {
    const h = setup();
    await h.client.openSession();
    const events: string[] = [];
    h.pipe.intercept.toPump = (b) => {
      events.push(`send ${typeOfWrite(b)}`);
      return 'pass';
    };
    h.pipe.intercept.toProgrammer = () => {
      events.push('answer');
      return 'pass';
    };
    const unknownType = 0x7e;
    // Issued in one go, none awaited: an unknown type (answered NAK) in the middle must not disturb the order.
    const results = await Promise.all([
      h.client.interrogate(),
      h.client.keepalive(),
      h.client.rawRequest(unknownType, new Uint8Array(0)),
      h.client.interrogate(),
    ]);
    expect(events).toEqual([
      `send ${COMMANDS.INTERROGATE.id}`,
      'answer',
      `send ${COMMANDS.KEEPALIVE.id}`,
      'answer',
      `send ${unknownType}`,
      'answer',
      `send ${COMMANDS.INTERROGATE.id}`,
      'answer',
    ]);
    expect(results[0].serial).toBe('NGP000123');
    expect(typeof results[1]).toBe('number');
    expect(results[2]).toMatchObject({ kind: 'nak', body: { reason: 'UNKNOWN_TYPE' } });
    expect(results[3].serial).toBe('NGP000123');
  });

  it('gives every command its own full timeout, however soon it follows an answered one', async () => {
    // The retransmission timer is armed once and not cleared by answers; it must still never cut a later
    // command's wait short. The client's clock and timers are the test's: time moves only when told to.
    const time = manualTime();
    const h = setup({ client: { retries: 2, timeoutMs: 120, now: time.now, timers: time } });
    await h.client.openSession();
    time.advance(70); // the timer armed by OPEN_SESSION is now 50 ms from firing
    const sentAt: number[] = [];
    h.pipe.intercept.toPump = (b) => {
      if (typeOfWrite(b) !== COMMANDS.INTERROGATE.id) return 'pass';
      sentAt.push(time.now());
      return sentAt.length === 1 ? 'drop' : 'pass';
    };
    const answered = h.client.interrogate();
    time.advance(50); // the old timer fires: this command has waited 50 of its 120 ms
    expect(sentAt).toEqual([70]);
    time.advance(69);
    expect(sentAt).toEqual([70]);
    time.advance(1);
    await answered;
    expect(sentAt).toEqual([70, 190]);
    expect(h.client.stats).toMatchObject({ retries: 1, timeouts: 1 });
  });

  it('delivers alarm events reliably: sequenced, acknowledged, retransmitted, queued while no session', async () => {
    const h = await filled();
    const got: string[] = [];
    h.client.on('alarm', (a) => got.push(`${a.raised ? '+' : '-'}${a.code}`));
    // Lose the programmer's first acknowledgement: the pump resends on tick, the programmer re-acks and
    // reports the event once.
    let acks = 0;
    h.pipe.intercept.toPump = (b) => (typeOfWrite(b) === 0x30 && acks++ === 0 ? 'drop' : 'pass');
    const low = h.pump.status().lowReservoirAlarmTime!;
    h.pump.advanceTo(low);
    await tick();
    expect(got).toEqual(['+LOW_RESERVOIR']);
    expect(h.endpoint.pendingEvents).toBe(1);
    h.clock.ms += 300;
    h.endpoint.tick();
    // Two timer hops (resend, then the ack): on a loaded machine they may take more than one tick().
    for (let i = 0; i < 50 && h.endpoint.pendingEvents > 0; i++) await tick();
    expect(h.endpoint.pendingEvents).toBe(0);
    expect(got).toEqual(['+LOW_RESERVOIR']);
    expect(acks).toBe(2);
    const until = h.pump.now() + 3600;
    await h.client.silenceAlarm(until, 'LOW_RESERVOIR');
    expect((await h.client.interrogate()).alarms).toEqual([
      expect.objectContaining({ code: 'LOW_RESERVOIR', silencedUntil: until }),
    ]);

    // No session: the event waits, and goes out as soon as a session opens.
    await h.client.closeSession();
    h.pump.advanceTo(h.pump.status().emptyTime!);
    h.clock.ms += 1000;
    h.endpoint.tick();
    await tick();
    expect(h.endpoint.pendingEvents).toBeGreaterThan(0);
    expect(got).toEqual(['+LOW_RESERVOIR']);
    await h.client.openSession();
    for (let i = 0; i < 5 && h.endpoint.pendingEvents > 0; i++) await tick();
    expect(h.endpoint.pendingEvents).toBe(0);
    expect(got).toContain('+EMPTY_RESERVOIR');
  });

  it('answers every interrogation with the status of that moment, also when it reuses an encoding', async () => {
    const h = await filled();
    const answers = () => h.frames.filter((f) => f.direction === 'tx' && f.summary === 'ACK INTERROGATE');
    const payload = (i: number) => Array.from(answers()[i]!.frame!.payload);
    const first = await h.client.interrogate();
    expect(first).toEqual(h.pump.status());
    expect(await h.client.interrogate()).toEqual(first);
    expect(payload(1)).toEqual(payload(0)); // nothing changed: the same bytes
    h.pump.advanceTo(T0 + 3600);
    const later = await h.client.interrogate();
    expect(later).toEqual(h.pump.status());
    expect(later.pumpTime).toBe(T0 + 3600);
    expect(later.reservoirVolumeUl).toBeLessThan(first.reservoirVolumeUl);
    await h.client.stop();
    expect((await h.client.interrogate()).mode).toBe('stopped');
    // The program read in between answers with its own body, and the next status is not mistaken for it.
    expect((await h.client.readProgram()).programVersion).toBe(h.pump.program().programVersion);
    expect(await h.client.interrogate()).toEqual(h.pump.status());
  });

  it('encodes an answer body that is not frozen afresh every time (it may have changed in place)', async () => {
    const real = createPump({ model: 'SM2-40', serial: 'NGP000123', startTime: T0 });
    expect(real.apply(FIRST_FILL).ok).toBe(true);
    // A Pump whose status is one mutable object, changed in place between interrogations.
    const shared: { -readonly [K in keyof PumpStatus]: PumpStatus[K] } = { ...real.status(), alarms: [] };
    const pump = Object.create(real) as Pump;
    pump.status = () => shared;
    const pipe = createPipe(1);
    const endpoint = createPumpEndpoint({ pump, write: pipe.attachPump((c) => endpoint.receive(c)) });
    const client = new PumpClient(pipe.programmer, { programmerId: 'X', timeoutMs: 200, retries: 8 });
    await client.openSession();
    expect(await client.interrogate()).toEqual(shared);
    shared.reservoirVolumeUl -= 1000;
    shared.mode = 'stopped';
    expect(await client.interrogate()).toMatchObject({
      reservoirVolumeUl: shared.reservoirVolumeUl,
      mode: 'stopped',
    });
    client.dispose();
  });

  it('reports every frame in and out to the monitors', async () => {
    const h = setup();
    const seen: string[] = [];
    h.client.on('frame', (f) => seen.push(`${f.direction} ${f.summary}`));
    await h.client.openSession();
    await h.client.interrogate();
    expect(seen).toEqual(['tx OPEN_SESSION', 'rx ACK OPEN_SESSION', 'tx INTERROGATE', 'rx ACK INTERROGATE']);
    expect(h.frames.map((f) => `${f.direction} ${f.summary}`)).toEqual(
      seen.map((s) => s.replace(/^(tx|rx)/, (d) => (d === 'tx' ? 'rx' : 'tx'))),
    );
    expect(h.frames.every((f) => f.bytes.length > 0 && f.error === null)).toBe(true);
  });
});
