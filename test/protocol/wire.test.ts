import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_KEY, deriveSessionKey } from '../../src/protocol/session/auth';
import { computeMac } from '../../src/protocol/link/mac';
import { decodeAll, encodeAll, EncodeError } from '../../src/protocol/messages/codec';
import { CRC32_CHECK, crc32 } from '../../src/protocol/link/crc';
import {
  buildFrame,
  FrameDecoder,
  MAX_ENCODED_BYTES,
  MAX_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  parseFrame,
  PROTOCOL_VERSION,
  wrapFrame,
} from '../../src/protocol/link/frame';
import {
  COMMANDS,
  decodePayload,
  encodePayload,
  type Message,
  messageTypeId,
  programChangeCodec,
  pumpStatusCodec,
} from '../../src/protocol/messages/messages';
import { anyMessage, messagesByType, pumpStatus, u16 } from './arbitraries';

const ascii = (s: string) => new TextEncoder().encode(s);

function frameOf(m: Message, session = 0x1234, seq = 7, key?: Uint8Array): Uint8Array {
  return buildFrame({ session, seq, type: messageTypeId(m), payload: encodePayload(m) }, key);
}

describe('CRC-32/ISO-HDLC', () => {
  it('has the catalogue check value over "123456789"', () => {
    expect(CRC32_CHECK).toBe(0xcbf43926);
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });
  it('is 0 for empty input and matches a known value', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
  it('equals the CRC-32 of node:zlib over any range of any bytes (the four-bytes-per-step loop and its tail)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (b, x, y) => {
        const start = x % (b.length + 1);
        const end = start + (y % (b.length - start + 1));
        expect(crc32(b, start, end)).toBe(zlibCrc32(b.subarray(start, end)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('frames and messages', () => {
  it('round-trip every message type through the wire (property)', () => {
    for (const [label, arb] of Object.entries(messagesByType)) {
      fc.assert(
        fc.property(arb, u16, u16, fc.boolean(), (m, session, seq, auth) => {
          const key = auth
            ? deriveSessionKey(DEFAULT_DEMO_KEY, 1, new Uint8Array(8), new Uint8Array(8))
            : undefined;
          const wire = wrapFrame(frameOf(m, session, seq, key));
          const results = new FrameDecoder().push(wire);
          expect(results).toHaveLength(1);
          const r = results[0]!;
          if (!r.ok) throw new Error(`${label}: ${r.error}`);
          expect(r.frame.session).toBe(session);
          expect(r.frame.seq).toBe(seq);
          expect(r.frame.mac !== null).toBe(auth);
          if (key) expect(r.frame.mac).toEqual(computeMac(key, r.frame.macInput));
          const d = decodePayload(r.frame.type, r.frame.payload);
          if (!d.ok) throw new Error(`${label}: ${d.field} ${d.detail}`);
          expect(d.message).toEqual(m);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('covers every command and its ACK', () => {
    for (const name of Object.keys(COMMANDS)) {
      expect(messagesByType[name], name).toBeDefined();
      expect(messagesByType[`ACK ${name}`], name).toBeDefined();
    }
  });

  it('the largest messages fit in a frame', () => {
    // 50 log entries with 64-byte details and 16 alarms are the biggest payloads.
    const bigLog = encodePayload({
      kind: 'ack',
      command: 'READ_LOG',
      body: {
        entries: Array.from({ length: 50 }, (_, i) => ({
          seq: i,
          time: i,
          kind: 'PROGRAM',
          detail: 'x'.repeat(64),
        })),
        total: 50,
      },
    });
    expect(bigLog.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const flex = encodePayload({
      kind: 'command',
      command: 'PREPARE',
      body: {
        change: {
          therapy: {
            mode: 'flex',
            steps: Array.from({ length: 64 }, (_, i) => ({
              startSecondOfDay: i * 1000,
              dailyDoseNgPerDay: 1,
            })),
          },
          refill: {
            withdrawnVolumeUl: 1,
            drugName: 'é'.repeat(16),
            concentrationMcgPerMl: 1,
            fillVolumeUl: 1,
          },
        },
      },
    });
    expect(flex.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it('decoders validate every field and report where', () => {
    const status = fc.sample(pumpStatus, { numRuns: 1, seed: 3 })[0]!;
    const good = encodeAll(pumpStatusCodec, { ...status, alarms: [] });
    expect(decodeAll(pumpStatusCodec, good).ok).toBe(true);
    const badModel = good.slice();
    badModel[0] = 9;
    expect(decodeAll(pumpStatusCodec, badModel)).toMatchObject({ ok: false, field: 'model' });
    expect(decodeAll(pumpStatusCodec, Uint8Array.of(...good, 0))).toMatchObject({
      ok: false,
      message: '1 trailing bytes',
    });
    expect(decodeAll(pumpStatusCodec, good.subarray(0, good.length - 1))).toMatchObject({
      ok: false,
      field: 'pumpTime',
    });
    // A flex step start beyond the day, a presence byte of 2, a string longer than its limit.
    const flex = encodeAll(programChangeCodec, {
      therapy: { mode: 'flex', steps: [{ startSecondOfDay: 0, dailyDoseNgPerDay: 5 }] },
    });
    const badStart = flex.slice();
    badStart.set([0, 1, 0x51, 0x80], 3); // 86400 (presence, mode, count, then start)
    expect(decodeAll(programChangeCodec, badStart)).toMatchObject({
      ok: false,
      field: 'therapy.steps.0.startSecondOfDay',
    });
    const badPresence = flex.slice();
    badPresence[0] = 2;
    expect(decodeAll(programChangeCodec, badPresence)).toMatchObject({ ok: false, field: 'therapy' });
    const longName = Uint8Array.of(
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      33,
      ...new Uint8Array(33).fill(0x41),
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
      0,
      0,
    );
    expect(decodeAll(programChangeCodec, longName)).toMatchObject({ ok: false, field: 'refill.drugName' });
  });

  it('encoders refuse values that do not fit, naming the field', () => {
    const bad = (change: unknown) => () => encodeAll(programChangeCodec, change as never);
    expect(bad({ therapy: { mode: 'continuous', dailyDoseNgPerDay: -1 } })).toThrow(EncodeError);
    expect(bad({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 1.5 } })).toThrow(/therapy.dailyDose/);
    expect(bad({ therapy: { mode: 'bogus' } })).toThrow(/therapy.mode/);
    expect(
      bad({
        refill: { withdrawnVolumeUl: 0, drugName: 'x'.repeat(33), concentrationMcgPerMl: 1, fillVolumeUl: 1 },
      }),
    ).toThrow(/refill.drugName/);
    expect(
      bad({
        therapy: { mode: 'flex', steps: new Array(65).fill({ startSecondOfDay: 0, dailyDoseNgPerDay: 1 }) },
      }),
    ).toThrow(/65|64/);
  });

  it('answers UNKNOWN_TYPE and MALFORMED as results, never throwing', () => {
    expect(decodePayload(0x5a, new Uint8Array(0))).toMatchObject({ ok: false, reason: 'UNKNOWN_TYPE' });
    expect(decodePayload(COMMANDS.READ_LOG.id, Uint8Array.of(0, 0, 0, 0, 0))).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
      field: 'count',
    });
    expect(decodePayload(COMMANDS.STOP.id, Uint8Array.of(1))).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
    });
  });
});

describe('decoder robustness', () => {
  it('random bytes never throw and never yield a frame with a wrong CRC', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
        const dec = new FrameDecoder();
        for (const c of chunks)
          for (const r of dec.push(c)) {
            if (r.ok) {
              const body = r.frame.raw.length - 4;
              const dv = new DataView(r.frame.raw.buffer, r.frame.raw.byteOffset);
              expect(dv.getUint32(body)).toBe(crc32(r.frame.raw, 0, body));
            }
            if (r.ok) decodePayload(r.frame.type, r.frame.payload);
          }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid frames are rejected (CRC), and a forged MAC never verifies', () => {
    const key = deriveSessionKey(
      DEFAULT_DEMO_KEY,
      0x1234,
      new Uint8Array(8).fill(1),
      new Uint8Array(8).fill(2),
    );
    fc.assert(
      fc.property(
        anyMessage,
        fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (m, flips) => {
          const raw = frameOf(m, 0x1234, 9, key);
          const mutated = raw.slice();
          for (const f of flips) {
            const i = f.at % mutated.length;
            mutated[i] = mutated[i]! ^ f.xor;
          }
          const changed = mutated.some((b, i) => b !== raw[i]);
          const r = parseFrame(mutated);
          if (changed) expect(r.ok).toBe(false);
          // Same mutation inside the MAC-covered bytes, with the CRC recomputed (an attacker, not noise):
          // the MAC no longer matches.
          const p = parseFrame(raw);
          if (!p.ok) throw new Error('valid frame rejected');
          const forgedInput = p.frame.macInput.slice();
          const i = flips[0]!.at % forgedInput.length;
          forgedInput[i] = forgedInput[i]! ^ flips[0]!.xor;
          expect(computeMac(key, forgedInput)).not.toEqual(p.frame.mac);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('resynchronises after garbage: every frame after a burst is received', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 5 }),
        fc.uint8Array({ maxLength: 200 }),
        (ms, junk) => {
          const dec = new FrameDecoder();
          dec.push(junk); // garbage, possibly a partial frame with no delimiter
          const frames = ms.map((m, i) => wrapFrame(frameOf(m, 1, i)));
          const out = frames.flatMap((f) => dec.push(f)).filter((r) => r.ok);
          expect(out.map((r) => (r.ok ? r.frame.seq : -1))).toEqual(ms.map((_, i) => i));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits across arbitrary chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 17 }),
        (ms, size) => {
          const wire = Buffer.concat(ms.map((m, i) => wrapFrame(frameOf(m, 1, i))));
          const dec = new FrameDecoder();
          const got = [];
          for (let i = 0; i < wire.length; i += size) got.push(...dec.push(wire.subarray(i, i + size)));
          expect(got.filter((r) => r.ok)).toHaveLength(ms.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('bounds buffering on a flood without delimiters and recovers at the next one', () => {
    const dec = new FrameDecoder();
    const flood = new Uint8Array(100_000).fill(0x41);
    const results = dec.push(flood);
    expect(results).toEqual([expect.objectContaining({ ok: false, error: 'TOO_LONG' })]);
    expect(dec.buffered).toBeLessThanOrEqual(MAX_ENCODED_BYTES);
    const good = wrapFrame(frameOf({ kind: 'command', command: 'KEEPALIVE', body: {} } as Message));
    const after = dec.push(good);
    expect(after.filter((r) => r.ok)).toHaveLength(1);
  });

  it('refuses frames larger than the maximum, and short ones', () => {
    expect(() =>
      buildFrame({ session: 0, seq: 0, type: 1, payload: new Uint8Array(MAX_PAYLOAD_BYTES + 1) }),
    ).toThrow();
    const big = new Uint8Array(MAX_FRAME_BYTES + 1).fill(1);
    expect(parseFrame(big)).toMatchObject({ ok: false, error: 'TOO_LONG' });
    expect(parseFrame(new Uint8Array(12))).toMatchObject({ ok: false, error: 'TOO_SHORT' });
  });

  it('reports version, flags and length errors with the header so they can be answered', () => {
    const f = frameOf({ kind: 'command', command: 'KEEPALIVE', body: {} } as Message);
    const reCrc = (b: Uint8Array) => {
      const c = crc32(b, 0, b.length - 4);
      new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, c);
      return b;
    };
    const v2 = f.slice();
    v2[0] = PROTOCOL_VERSION + 1;
    expect(parseFrame(reCrc(v2))).toMatchObject({ ok: false, error: 'BAD_VERSION', header: { seq: 7 } });
    const flags = f.slice();
    flags[1] = 0x80;
    expect(parseFrame(reCrc(flags))).toMatchObject({ ok: false, error: 'BAD_FLAGS' });
    const len = f.slice();
    len[8] = 3;
    expect(parseFrame(reCrc(len))).toMatchObject({ ok: false, error: 'BAD_LENGTH' });
  });
});
