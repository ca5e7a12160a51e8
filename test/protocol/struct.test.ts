/**
 * Struct codecs (codec.ts `struct`): the plain field-by-field encoder and decoder, for random field lists,
 * values and bytes: round trips, canonical decoding (what decodes re-encodes to the same bytes), refusals
 * naming the field, and the fixed size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  array,
  bool,
  type Codec,
  decodeAll,
  encodeAll,
  EncodeError,
  enumOf,
  nullable,
  optional,
  ranged,
  str,
  struct,
  u16,
  u32,
  u8,
  unit,
} from '../../src/protocol/messages/codec';

interface Kind {
  codec: Codec<unknown>;
  value: fc.Arbitrary<unknown>;
}

const colour = enumOf('Colour', ['red', 'green', 'blue'] as const);
const same = (codec: Codec<unknown>, value: fc.Arbitrary<unknown>): Kind => ({ codec, value });
const KINDS: Kind[] = [
  same(u8 as Codec<unknown>, fc.integer({ min: 0, max: 0xff })),
  same(u16 as Codec<unknown>, fc.integer({ min: 0, max: 0xffff })),
  same(u32 as Codec<unknown>, fc.integer({ min: 0, max: 0xffffffff })),
  same(ranged(u16, 3, 900) as Codec<unknown>, fc.integer({ min: 3, max: 900 })),
  same(ranged(u8, 0, 9) as Codec<unknown>, fc.integer({ min: 0, max: 9 })),
  same(unit('s') as Codec<unknown>, fc.integer({ min: 0, max: 0xffffffff })),
  same(bool as Codec<unknown>, fc.boolean()),
  same(colour as Codec<unknown>, fc.constantFrom('red', 'green', 'blue')),
  same(nullable(u32) as Codec<unknown>, fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: null })),
  same(nullable(colour) as Codec<unknown>, fc.option(fc.constantFrom('red', 'blue'), { nil: null })),
  same(
    nullable(ranged(u8, 1, 9)) as Codec<unknown>,
    fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
  ),
  same(str(8) as Codec<unknown>, fc.string({ maxLength: 8 })),
  same(optional(u16) as Codec<unknown>, fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined })),
  same(array(u8, 3) as Codec<unknown>, fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength: 3 })),
  {
    codec: struct({ a: u8, b: nullable(bool), c: optional(str(4)) } as never),
    value: fc.record(
      {
        a: fc.integer({ min: 0, max: 0xff }),
        b: fc.option(fc.boolean(), { nil: null }),
        c: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: ['a', 'b'] },
    ),
  },
];

// Keys that are not identifiers, or that name Object.prototype members, must work as well as plain ones
// ('constructor' too, but toStrictEqual reads an own 'constructor' as the object's class).
const KEYS = ['model', 'x', 'with space', 'a-b', '0', 'quote"d', 'back\\slash', 'valueOf', 'toString'];

/** A random struct: its codec, its keys and an arbitrary of its valid values. */
const structs = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.nat({ max: KINDS.length - 1 })), {
    minLength: 0,
    maxLength: 7,
    selector: ([k]) => k,
  })
  .map((fields) => {
    const codecs: Record<string, Codec<unknown>> = {};
    const values: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, i] of fields) {
      codecs[k] = KINDS[i]!.codec;
      values[k] = KINDS[i]!.value;
    }
    return { codec: struct(codecs as never) as Codec<object>, codecs, keys: Object.keys(codecs), values };
  });

describe('struct codecs', () => {
  it('decode what they encode, in the field order given, at the fixed size when there is one (property)', () => {
    fc.assert(
      fc.property(
        structs.chain((s) => fc.tuple(fc.constant(s), fc.record(s.values))),
        ([s, v]) => {
          const bytes = encodeAll(s.codec, v);
          if (s.codec.size !== null) expect(bytes.length).toBe(s.codec.size);
          const decoded = decodeAll(s.codec, bytes);
          expect(decoded.ok).toBe(true);
          // toEqual: an undefined field (absent optional) equals a missing one.
          if (decoded.ok) expect(decoded.value).toEqual(v);
          if (decoded.ok) expect(Object.values(decoded.value)).not.toContain(undefined);
          // The wire order is the order of the fields: each field's own bytes, one after the other.
          const parts = s.keys.map((k) =>
            Array.from(encodeAll(s.codecs[k]!, (v as Record<string, unknown>)[k])),
          );
          expect(Array.from(bytes)).toEqual(parts.flat());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuse a bad value with an EncodeError naming the field, or encode it canonically (property)', () => {
    const anyValue = fc.oneof(
      fc.anything(),
      fc.integer({ min: -5, max: 0x1_0000_0005 }),
      fc.double(),
      fc.constantFrom('red', 'mauve', null, undefined, true, 2 ** 53),
    );
    fc.assert(
      fc.property(
        structs,
        fc.dictionary(fc.constantFrom(...KEYS), anyValue),
        fc.constantFrom('', 'outer', 'list.3'),
        (s, v, path) => {
          const top = path || 'top';
          const outer = struct({ [top]: s.codec } as never);
          try {
            const bytes = encodeAll(outer, { [top]: v } as never);
            // Accepted: it decodes, and re-encodes to the same bytes.
            const back = decodeAll(outer, bytes);
            expect(back.ok).toBe(true);
            if (back.ok) expect(Array.from(encodeAll(outer, back.value as never))).toEqual(Array.from(bytes));
          } catch (e) {
            expect(e).toBeInstanceOf(EncodeError);
            const field = (e as EncodeError).field;
            // The field path: the struct's own, or one of its fields (and below).
            expect(field === top || s.keys.some((k) => field.startsWith(`${top}.${k}`))).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
    for (const notObject of [null, undefined, 3, 'x']) {
      const s = struct({ a: u8 });
      expect(() => encodeAll(s, notObject as never)).toThrow('payload: not an object');
    }
  });

  it('decode any bytes to a value that re-encodes to exactly those bytes, or to an error naming a field (property)', () => {
    fc.assert(
      fc.property(structs, fc.uint8Array({ maxLength: 40 }), (s, bytes) => {
        const d = decodeAll(s.codec, bytes);
        if (d.ok) expect(Array.from(encodeAll(s.codec, d.value))).toEqual(Array.from(bytes));
        else expect(d.field === '' || s.keys.some((k) => d.field.startsWith(k))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('name the field of a nested struct by its path', () => {
    const inner = struct({ level: ranged(u8, 1, 5), colour: nullable(colour) });
    const outer = struct({ id: u16, items: array(inner, 2) });
    expect(decodeAll(outer, Uint8Array.of(0, 1, 2, 3, 0, 2, 1, 7))).toEqual({
      ok: false,
      field: 'items.1.colour',
      message: '7 is not a Colour (0..2)',
    });
    expect(decodeAll(outer, Uint8Array.of(0, 1, 1, 9, 0))).toEqual({
      ok: false,
      field: 'items.0.level',
      message: '9 not in 1..5',
    });
    expect(() => encodeAll(outer, { id: 1, items: [{ level: 2, colour: 'teal' }] } as never)).toThrow(
      'items.0.colour: teal is not a Colour',
    );
  });

  it('refuse a field named __proto__ when the struct is defined', () => {
    expect(() => struct(JSON.parse('{"__proto__": 1}') as never)).toThrow('cannot be named __proto__');
  });
});
