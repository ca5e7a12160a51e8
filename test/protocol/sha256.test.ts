/**
 * The protocol's own HMAC-SHA256 (src/protocol/sha256.ts, used for every frame MAC) against RFC 4231 and
 * against node:crypto on random keys and messages of every length that matters (block boundaries, keys
 * longer than a block).
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMac, MAC_BYTES, macEquals, macMatches, writeMac } from '../../src/protocol/auth';
import { hmacSha256, macKey, sha256 } from '../../src/protocol/sha256';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('HMAC-SHA256', () => {
  // RFC 4231 section 4: test cases 1, 2, 3, 4, 6 and 7 (5 is a truncation case).
  const cases: [string, Uint8Array, Uint8Array, string][] = [
    [
      '1',
      bytes('0b'.repeat(20)),
      ascii('Hi There'),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    ],
    [
      '2',
      ascii('Jefe'),
      ascii('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      '3',
      bytes('aa'.repeat(20)),
      bytes('dd'.repeat(50)),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    ],
    [
      '4',
      bytes('0102030405060708090a0b0c0d0e0f10111213141516171819'),
      bytes('cd'.repeat(50)),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    [
      '6',
      bytes('aa'.repeat(131)),
      ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      '7',
      bytes('aa'.repeat(131)),
      ascii(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ];
  for (const [name, key, data, mac] of cases) {
    it(`matches RFC 4231 test case ${name}`, () => {
      expect(hex(hmacSha256(macKey(key), data))).toBe(mac);
    });
  }

  it('equals node:crypto for random keys and messages (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 400 }), (key, msg) => {
        expect(hex(hmacSha256(macKey(key), msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
        expect(hex(sha256(msg))).toBe(createHash('sha256').update(msg).digest('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('a prepared key gives the same MAC on every use, and computeMac is its first 8 bytes', () => {
    const key = bytes('42'.repeat(32));
    const k = macKey(key);
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
      const msg = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const expected = createHmac('sha256', key).update(msg).digest();
      expect(hex(hmacSha256(k, msg))).toBe(expected.toString('hex'));
      expect(hex(hmacSha256(k, msg))).toBe(expected.toString('hex'));
      expect(hex(computeMac(key, msg))).toBe(expected.subarray(0, MAC_BYTES).toString('hex'));
    }
  });

  it('compares MACs: equal exactly when every byte is (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 12 }),
        fc.uint8Array({ minLength: 0, maxLength: 12 }),
        fc.nat(11),
        (a, b, flip) => {
          expect(macEquals(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
          expect(macEquals(a, a.slice())).toBe(true);
          if (a.length > 0) {
            const c = a.slice();
            c[flip % a.length] = c[flip % a.length]! ^ 1;
            expect(macEquals(a, c)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes and checks MACs in place, as computeMac computes them (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.nat(MAC_BYTES - 1),
        (key, input, flip) => {
          const mac = computeMac(key, input);
          const buf = new Uint8Array(input.length + MAC_BYTES + 3).fill(0xee);
          buf.set(input);
          writeMac(key, buf, input.length);
          expect(buf.subarray(input.length, input.length + MAC_BYTES)).toEqual(mac);
          expect(buf.subarray(0, input.length)).toEqual(input);
          expect(buf.subarray(input.length + MAC_BYTES)).toEqual(new Uint8Array(3).fill(0xee));
          expect(macMatches(key, input, mac)).toBe(true);
          const bad = mac.slice();
          bad[flip] = bad[flip]! ^ 0x80;
          expect(macMatches(key, input, bad)).toBe(false);
          expect(macMatches(key, input, mac.subarray(0, MAC_BYTES - 1))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
