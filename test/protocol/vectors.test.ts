/**
 * The byte-level test vectors of docs/protocol.md, parsed out of the document itself and checked both ways
 * (decode the bytes to the message; encode the message to the bytes), so the normative text cannot drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changeDigest, DEFAULT_DEMO_KEY, deriveSessionKey } from '../../src/protocol/session/auth';
import { computeMac } from '../../src/protocol/link/mac';
import { CRC32_CHECK, crc32 } from '../../src/protocol/link/crc';
import { blockSizes, lineLength } from '../../src/protocol/link/fec';
import { buildFrame, CRC_BYTES, FrameDecoder, HEADER_BYTES, wrapFrame } from '../../src/protocol/link/frame';
import { type Codec, describe as describeLayout } from '../../src/protocol/messages/codec';
import {
  alarmEventCodec,
  COMMANDS,
  decodePayload,
  encodePayload,
  hex2,
  type Message,
  messageTypeId,
  nakCodec,
} from '../../src/protocol/messages/messages';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

interface Vector {
  name: string;
  session: number;
  seq: number;
  message: Message;
  auth?: {
    key: 'DEFAULT_DEMO_KEY';
    sessionId: number;
    pumpNonce: Uint8Array;
    programmerNonce: Uint8Array;
    sessionKey: Uint8Array;
    mac: Uint8Array;
  };
}

const hexBytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const reviver = (_k: string, v: unknown) =>
  typeof v === 'string' && v.startsWith('hex:') ? hexBytes(v.slice(4)) : v;

const vectors = [
  ...doc.matchAll(
    /```json vector\n([\s\S]*?)```[\s\S]*?```hex frame\n([\s\S]*?)```[\s\S]*?```hex wire\n([\s\S]*?)```/g,
  ),
].map((m) => ({
  v: JSON.parse(m[1]!, reviver) as Vector,
  frame: hexBytes(m[2]!),
  wire: hexBytes(m[3]!),
}));

describe('docs/protocol.md test vectors', () => {
  it('has the vectors the spec promises', () => {
    expect(vectors.map((x) => x.v.name)).toEqual(
      expect.arrayContaining([
        'open-session',
        'open-session-ack',
        'interrogate-ack',
        'prepare',
        'commit-authenticated',
        'nak-busy',
        'nak-unauthenticated',
        'alarm-event',
        'clock-set',
        'clock-set-ack',
        'read-program-ack-flex',
        'read-log-ack',
      ]),
    );
    expect(doc).toContain(`check \`0x${CRC32_CHECK.toString(16).toUpperCase()}\``);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(CRC32_CHECK);
    expect(doc).toContain(new TextDecoder().decode(DEFAULT_DEMO_KEY));
  });

  for (const { v, frame, wire } of vectors) {
    it(`${v.name}: decodes and encodes byte for byte`, () => {
      // Decode: the wire bytes give exactly one frame, these header fields and this message.
      const results = new FrameDecoder().push(wire);
      expect(results).toHaveLength(1);
      const r = results[0]!;
      if (!r.ok) throw new Error(`${v.name}: ${r.error}`);
      expect(r.frame.raw).toEqual(frame);
      expect({ session: r.frame.session, seq: r.frame.seq }).toEqual({ session: v.session, seq: v.seq });
      const d = decodePayload(r.frame.type, r.frame.payload);
      if (!d.ok) throw new Error(`${v.name}: ${d.field} ${d.detail}`);
      expect(d.message).toEqual(v.message);

      let key: Uint8Array | undefined;
      if (v.auth) {
        key = deriveSessionKey(DEFAULT_DEMO_KEY, v.auth.sessionId, v.auth.pumpNonce, v.auth.programmerNonce);
        expect(key).toEqual(v.auth.sessionKey);
        expect(r.frame.mac).toEqual(v.auth.mac);
        expect(computeMac(key, r.frame.macInput)).toEqual(v.auth.mac);
      } else expect(r.frame.mac).toBeNull();

      // Encode: the message gives exactly these bytes.
      const built = buildFrame(
        { session: v.session, seq: v.seq, type: messageTypeId(v.message), payload: encodePayload(v.message) },
        key,
      );
      expect(built).toEqual(frame);
      expect(wrapFrame(built)).toEqual(wire);
    });
  }
});

describe('docs/protocol.md vectors of a variant payload and a multi-block frame', () => {
  const byName = (n: string) => vectors.find((x) => x.v.name === n)!;

  it('read-program-ack-flex: the flex variant of therapy and a present patientBolus, as section 4 reads them', () => {
    const { v, frame } = byName('read-program-ack-flex');
    if (v.message.kind !== 'ack' || v.message.command !== 'READ_PROGRAM') throw new Error('not READ_PROGRAM');
    expect(v.message.body.therapy.mode).toBe('flex');
    const payload = frame.subarray(HEADER_BYTES, frame.length - 8 - CRC_BYTES);
    // drugName (u8 length + bytes), concentration (u32), then the therapy tag: 2 = flex, then the step count.
    const tagAt = 1 + payload[0]! + 4;
    expect(payload[tagAt]).toBe(2);
    expect(payload[tagAt + 1]).toBe(2);
    // The patientBolus example of section 4 is in this payload, presence byte first.
    const example = '01 00 00 c3 50 00 00 02 58 04 00 00 0e 10';
    expect(doc).toContain('`' + example + '`');
    expect(Buffer.from(payload).toString('hex')).toContain(example.replace(/ /g, ''));
  });

  it('read-log-ack: a frame of more than one Reed-Solomon block, line length m + 18 per block', () => {
    const { frame, wire } = byName('read-log-ack');
    expect(frame.length).toBe(286);
    expect(blockSizes(frame.length)).toEqual([143, 143]);
    expect(wire.length - 2).toBe(lineLength(frame.length));
    expect(wire.length - 2).toBe(286 + 2 * 18);
    expect(doc).toContain('nine entries, a 286-byte frame: two Reed-Solomon blocks of 143 bytes');
  });
});

describe('docs/protocol.md payload layouts', () => {
  it('lists every message type with every field of its generated layout', () => {
    const sections: [string, Codec<unknown>][] = [];
    for (const [name, c] of Object.entries(COMMANDS)) {
      sections.push([`0x${hex2(c.id)} ${name}`, c.request as Codec<unknown>]);
      sections.push([`0x${hex2(c.id)} ${name}`, c.reply as Codec<unknown>]);
    }
    sections.push(
      ['0x7F NAK', nakCodec as Codec<unknown>],
      ['0x40 ALARM_EVENT', alarmEventCodec as Codec<unknown>],
    );
    for (const [heading, codec] of sections) {
      const start = doc.indexOf(`#### ${heading}`);
      expect(start, heading).toBeGreaterThan(0);
      const end = doc.indexOf('\n#### ', start + 5);
      const section = doc.slice(start, end < 0 ? undefined : end);
      for (const row of describeLayout(codec)) {
        const line = new RegExp(
          `\\|\\s*${row.offset ?? '…'}\\s*\\|\\s*${escape(row.field)}\\s*\\|\\s*${escape(row.type)}\\s*\\|`,
        );
        expect(section, `${heading} ${row.field}`).toMatch(line);
      }
    }
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('docs/protocol.md authentication (version 3)', () => {
  const byName = (n: string) => vectors.find((x) => x.v.name === n)!;

  it("COMMIT's change digest is the digest of the PREPARE payload", () => {
    const prepare = byName('prepare').v.message;
    const commit = byName('commit-authenticated').v.message;
    if (commit.kind !== 'command' || commit.command !== 'COMMIT') throw new Error('not a COMMIT');
    expect(commit.body.changeDigest).toEqual(changeDigest(encodePayload(prepare)));
  });

  it('every frame of a session is MACed, except NAK UNAUTHENTICATED; session 0 frames only in OPEN_SESSION ACK', () => {
    for (const { v } of vectors) {
      const unkeyed = v.message.kind === 'nak' && v.message.body.reason === 'UNAUTHENTICATED';
      if (v.session !== 0 && !unkeyed) expect(v.auth, v.name).toBeDefined();
      if (v.session === 0)
        expect(v.auth !== undefined, v.name).toBe(
          v.message.kind === 'ack' && v.message.command === 'OPEN_SESSION',
        );
    }
  });
});
