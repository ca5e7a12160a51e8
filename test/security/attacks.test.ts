/**
 * The protocol attacks of issue 15 (point 1), replayed against the real sim process over its pty, with a
 * man-in-the-middle relay (test/security/mitm.ts) that holds no key. Each was possible with protocol
 * version 2 (PREPARE and reads unauthenticated, answers never MACed); version 3 refuses each.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeDigest } from '../../src/protocol/session/auth';
import { ProtocolError } from '../../src/protocol/session/client';
import { COMMANDS, encodePayload, type Message } from '../../src/protocol/messages/messages';
import type { ProgramChange } from '../../src/device/types';
import { FIRST_FILL, Sim, tempDir } from '../sim/harness';
import { forge, recrc as recrcOf, startMitm, type Mitm } from './mitm';

let sim: Sim | null = null;
let mitm: Mitm | null = null;
afterEach(async () => {
  await mitm?.close();
  mitm = null;
  await sim?.stop();
  sim = null;
});

const DOSE = 115_000;
const titration: ProgramChange = { therapy: { mode: 'continuous', dailyDoseNgPerDay: DOSE } };

/** A sim with a filled pump, and a programmer behind the man in the middle with an open session. */
async function setup(): Promise<Mitm> {
  sim = await Sim.start(path.join(tempDir('sim-security-'), 'pump.json'), ['--paused']);
  mitm = await startMitm(sim.ready.port);
  await mitm.client.openSession();
  const p = await mitm.client.prepare(FIRST_FILL);
  if ('errors' in p) throw new Error(JSON.stringify(p.errors));
  const c = await mitm.client.commit(p.token);
  if ('errors' in c) throw new Error(JSON.stringify(c.errors));
  return mitm;
}

const refusal = async (p: Promise<unknown>): Promise<ProtocolError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ProtocolError);
  return e as ProtocolError;
};

const pumpDose = async (): Promise<unknown> => (await sim!.state()).program.therapy;

describe('man in the middle: strip the MAC and change the dose', () => {
  it("PREPARE with its MAC stripped and the dose x10 is refused; the programmer's COMMIT never applies it", async () => {
    const m = await setup();
    const before = (await sim!.state()).program;
    let tampered = 0;
    m.toPump = (f, msg) => {
      if (msg?.kind !== 'command' || msg.command !== 'PREPARE') return 'pass';
      tampered++;
      const evil: Message = {
        kind: 'command',
        command: 'PREPARE',
        body: { change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: DOSE * 10 } } },
      };
      return [forge(f, evil, 'none')];
    };
    const e = await refusal(m.client.prepare(titration));
    expect(e.reason).toBe('UNAUTHENTICATED');
    expect(tampered).toBeGreaterThan(0);
    // Nothing prepared: the commit the programmer would send cannot apply anything.
    expect((await refusal(m.client.commit(1))).reason).toBe('STALE_TOKEN');
    expect((await sim!.state()).program).toEqual(before);

    // Also with a forged MAC in place of the stripped one.
    m.toPump = (f, msg) =>
      msg?.kind === 'command' && msg.command === 'PREPARE'
        ? [
            forge(
              f,
              {
                kind: 'command',
                command: 'PREPARE',
                body: { change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: DOSE * 10 } } },
              },
              'forged',
            ),
          ]
        : 'pass';
    expect((await refusal(m.client.prepare(titration))).reason).toBe('UNAUTHENTICATED');
    expect((await sim!.state()).program).toEqual(before);

    // The line clean again: the same session carries on, and the dose is the one the programmer sent.
    m.toPump = () => 'pass';
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    await m.client.commit(p.token);
    expect(await pumpDose()).toEqual({ mode: 'continuous', dailyDoseNgPerDay: DOSE });
  });
});

describe('swap the change between PREPARE and COMMIT', () => {
  it('an injected PREPARE without the key does not replace the prepared change', async () => {
    const m = await setup();
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    // The attacker knows the session id and the next seq from the line; it has no key.
    const last = m.fromPump.at(-1)!.f;
    for (const mac of ['none', 'forged'] as const)
      m.inject(
        forge(
          { session: last.session, seq: last.seq + 1 },
          {
            kind: 'command',
            command: 'PREPARE',
            body: { change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: DOSE * 10 } } },
          },
          mac,
        ),
      );
    // Both refused, unauthenticated (and the refusals carry no MAC).
    const naks = () =>
      m.fromPump.filter((x) => x.m?.kind === 'nak' && x.m.body.reason === 'UNAUTHENTICATED' && !x.f.mac);
    await until(() => naks().length === 2);
    const c = await m.client.commit(p.token);
    expect(c).toHaveProperty('programVersion');
    expect(await pumpDose()).toEqual({ mode: 'continuous', dailyDoseNgPerDay: DOSE });
  });

  it("COMMIT binds the change's digest: a token committed with another change's digest applies nothing", async () => {
    const m = await setup();
    const before = (await sim!.state()).program;
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    // A COMMIT (MACed by the programmer's own session) naming the right token but another change.
    const other = encodePayload({
      kind: 'command',
      command: 'PREPARE',
      body: { change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: DOSE * 10 } } },
    });
    const commit = encodePayload({
      kind: 'command',
      command: 'COMMIT',
      body: { token: p.token, changeDigest: changeDigest(other) },
    });
    const answer = await m.client.rawRequest(COMMANDS.COMMIT.id, commit);
    expect(answer).toMatchObject({ kind: 'nak', body: { reason: 'CHANGE_MISMATCH' } });
    expect((await sim!.state()).program).toEqual(before);
    // And the prepared change is gone: the token cannot be committed afterwards either.
    const e = await m.client.commit(p.token).catch((x: unknown) => x);
    expect((e as ProtocolError).reason).toBe('STALE_TOKEN');
    expect((await sim!.state()).program).toEqual(before);
  });

  it('a COMMIT altered on the line (another token, same MAC) is refused', async () => {
    const m = await setup();
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    m.toPump = (f, msg) => {
      if (msg?.kind !== 'command' || msg.command !== 'COMMIT') return 'pass';
      const raw = Uint8Array.from(f.raw);
      raw[9] = raw[9]! ^ 0x01; // one bit of the token
      return [recrcOf(raw)];
    };
    expect((await refusal(m.client.commit(p.token))).reason).toBe('UNAUTHENTICATED');
    expect(await pumpDose()).toEqual(FIRST_FILL.therapy);
  });
});

describe('forge an answer', () => {
  it('a forged read-back (no MAC, or a forged one) is never taken; the real one is', async () => {
    const m = await setup();
    const real = (await sim!.state()).program;
    let forged = 0;
    // The attacker answers READ_PROGRAM itself with the program the programmer hoped for, and drops the
    // pump's first answer.
    m.toProgrammer = (f, msg) => {
      if (msg?.kind !== 'ack' || msg.command !== 'READ_PROGRAM' || forged >= 2) return 'pass';
      forged++;
      const lie: Message = {
        kind: 'ack',
        command: 'READ_PROGRAM',
        body: { ...msg.body, therapy: { mode: 'continuous', dailyDoseNgPerDay: 999_000 } },
      };
      return [forge(f, lie, forged === 1 ? 'none' : 'forged')];
    };
    const program = await m.client.readProgram();
    expect(program).toEqual(real);
    expect(forged).toBe(2);
    expect(m.client.stats.authFailures).toBe(2);
  });

  it('answers that never authenticate end in UNAUTHENTICATED, not in a value', async () => {
    const m = await setup();
    m.toProgrammer = (f, msg) =>
      msg?.kind === 'ack' && msg.command === 'INTERROGATE'
        ? [forge(f, { ...msg, body: { ...msg.body, alarms: [] } }, 'none')]
        : 'pass';
    const e = await refusal(m.client.interrogate());
    expect(e.reason).toBe('UNAUTHENTICATED');
    expect(e.message).toMatch(/failed authentication/);
  });

  it('a forged alarm event is not reported, and a forged EVENT_ACK does not silence a real one', async () => {
    const m = await setup();
    const seen: string[] = [];
    m.client.on('alarm', (a) => seen.push(`${a.raised ? '+' : '-'}${a.code}`));
    const sid = m.client.session!.sessionId;
    m.injectToProgrammer(
      forge(
        { session: sid, seq: 4000 },
        { kind: 'alarmEvent', body: { raised: true, code: 'MOTOR_STALL', time: 1 } },
        'none',
      ),
    );
    // The attacker withholds the pump's first copy of each alarm event and acknowledges it itself, so that
    // the pump would drop it from its queue and the programmer never hear of it.
    let withheld = 0;
    m.toProgrammer = (f, msg) => {
      if (msg?.kind !== 'alarmEvent' || withheld > 0) return 'pass';
      withheld++;
      m.inject(forge(f, { kind: 'eventAck' }, 'none'));
      m.inject(forge(f, { kind: 'eventAck' }, 'forged'));
      return 'drop';
    };
    await sim!.ok('POST', '/faults', { kind: 'battery', to: 'eri' });
    // The pump resends the event it still holds unacknowledged; the programmer hears it.
    await until(() => seen.includes('+ERI'));
    expect(withheld).toBe(1);
    expect(seen).not.toContain('+MOTOR_STALL');
    expect(m.client.stats.authFailures).toBeGreaterThan(0);
  });
});

describe('sequence exhaustion', () => {
  it('KEEPALIVE at seq 65535 without the key moves nothing: the programmer carries on', async () => {
    const m = await setup();
    const sid = m.client.session!.sessionId;
    for (const mac of ['none', 'forged'] as const)
      m.inject(
        forge(
          { session: sid, seq: 0xffff },
          { kind: 'command', command: 'KEEPALIVE', body: {} as never },
          mac,
        ),
      );
    await until(() => m.fromPump.filter((x) => x.f.seq === 0xffff).length === 2);
    expect(
      m.fromPump.filter((x) => x.f.seq === 0xffff).map((x) => x.m?.kind === 'nak' && x.m.body.reason),
    ).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    // No REPLAY for the real programmer: its next commands, reads and a therapy change all work.
    expect((await m.client.interrogate()).serial).toBe(sim!.ready.serial);
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    await m.client.commit(p.token);
    expect(await pumpDose()).toEqual({ mode: 'continuous', dailyDoseNgPerDay: DOSE });
  });

  it('an unauthenticated read in an authenticated session is refused too', async () => {
    const m = await setup();
    const sid = m.client.session!.sessionId;
    m.inject(
      forge(
        { session: sid, seq: 900 },
        { kind: 'command', command: 'INTERROGATE', body: {} as never },
        'none',
      ),
    );
    await until(() => m.fromPump.some((x) => x.f.seq === 900));
    const answer = m.fromPump.find((x) => x.f.seq === 900)!;
    expect(answer.m).toMatchObject({ kind: 'nak', body: { reason: 'UNAUTHENTICATED' } });
  });

  it("an OPEN_SESSION under the programmer's id does not end its session or drop its prepared change", async () => {
    const m = await setup();
    const p = await m.client.prepare(titration);
    if ('errors' in p) throw new Error(JSON.stringify(p.errors));
    m.inject(
      forge(
        { session: 0, seq: 77 },
        {
          kind: 'command',
          command: 'OPEN_SESSION',
          body: { programmerId: 'SECURITY-TEST', protocolVersion: 3, programmerNonce: new Uint8Array(8) },
        },
        'none',
      ),
    );
    await until(() => m.fromPump.some((x) => x.f.seq === 77 && x.m?.kind === 'ack'));
    expect(await m.client.commit(p.token)).toHaveProperty('programVersion');
    expect(await pumpDose()).toEqual({ mode: 'continuous', dailyDoseNgPerDay: DOSE });
  });
});

/** Wait for something the sim does in answer to what we sent (bounded; no fixed sleeps). */
async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
