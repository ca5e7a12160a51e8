/**
 * The compiled struct codec (struct-compiler.ts) against the plain loop over the field codecs that it
 * replaces: the same bytes, the same decoded values, the same first error with the same field path and
 * message, for random field lists, values and bytes.
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

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The reference: each field's own codec in order, the object built key by key, absent optionals left out. */
function looped(fields: Record<string, Codec<unknown>>): Codec<object> {
  const keys = Object.keys(fields);
  return {
    size: null,
    type: 'struct',
    enc(w, v, path) {
      if (typeof v !== 'object' || v === null) throw new EncodeError(path, 'not an object');
      for (const k of keys) fields[k]!.enc(w, (v as Record<string, unknown>)[k], join(path, k));
    },
    dec(r, path) {
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const value = fields[k]!.dec(r, join(path, k));
        if (value !== undefined) out[k] = value;
      }
      return out;
    },
  };
}

interface Kind {
  /** The codec inside the compiled struct and inside the reference (they differ only for nested structs). */
  compiled: Codec<unknown>;
  reference: Codec<unknown>;
  value: fc.Arbitrary<unknown>;
}

const colour = enumOf('Colour', ['red', 'green', 'blue'] as const);
const same = (c: Codec<unknown>, value: fc.Arbitrary<unknown>): Kind => ({
  compiled: c,
  reference: c,
  value,
});
const nestedFields = (inner: (f: Record<string, Codec<unknown>>) => Codec<unknown>) =>
  inner({
    a: u8 as Codec<unknown>,
    b: nullable(bool) as Codec<unknown>,
    c: optional(str(4)) as Codec<unknown>,
  });
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
    compiled: nestedFields((f) => struct(f as never)),
    reference: nestedFields(looped),
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

/** A random struct: both codecs and an arbitrary of its valid values. */
const structs = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.nat({ max: KINDS.length - 1 })), {
    minLength: 0,
    maxLength: 7,
    selector: ([k]) => k,
  })
  .map((fields) => {
    const compiled: Record<string, Codec<unknown>> = {};
    const reference: Record<string, Codec<unknown>> = {};
    const values: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, i] of fields) {
      compiled[k] = KINDS[i]!.compiled;
      reference[k] = KINDS[i]!.reference;
      values[k] = KINDS[i]!.value;
    }
    return { compiled: struct(compiled as never) as Codec<object>, reference: looped(reference), values };
  });

/** What an encode did: its bytes, or the error it threw. */
function encodeOutcome(c: Codec<object>, v: unknown): unknown {
  try {
    return Array.from(encodeAll(c, v as object));
  } catch (e) {
    return e instanceof EncodeError ? { field: e.field, message: e.message } : { other: String(e) };
  }
}

describe('compiled struct codecs', () => {
  it('encode valid values to the same bytes and decode them to the same objects as the field-by-field loop', () => {
    fc.assert(
      fc.property(
        structs.chain((s) => fc.tuple(fc.constant(s), fc.record(s.values, { requiredKeys: [] as never[] }))),
        ([s, v]) => {
          const bytes = encodeOutcome(s.compiled, v);
          expect(bytes).toEqual(encodeOutcome(s.reference, v));
          // Values with an absent required field are refused by both, alike (checked above).
          if (!Array.isArray(bytes)) return;
          const decoded = decodeAll(s.compiled, Uint8Array.from(bytes as number[]));
          expect(decoded).toStrictEqual(decodeAll(s.reference, Uint8Array.from(bytes as number[])));
          expect(decoded.ok).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuse bad values with the same field path and message', () => {
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
          const run = (c: Codec<object>) => {
            try {
              const w = encodeAll(struct({ [path || 'top']: c } as never), { [path || 'top']: v } as object);
              return Array.from(w);
            } catch (e) {
              return e instanceof EncodeError ? e.message : `other: ${String(e)}`;
            }
          };
          expect(run(s.compiled)).toEqual(run(s.reference));
          expect(encodeOutcome(s.compiled, v)).toEqual(encodeOutcome(s.reference, v));
        },
      ),
      { numRuns: 400 },
    );
    for (const notObject of [null, undefined, 3, 'x']) {
      const s = struct({ a: u8 });
      expect(() => encodeAll(s, notObject as never)).toThrow('payload: not an object');
    }
  });

  it('decode any bytes to the same value or the same first error', () => {
    fc.assert(
      fc.property(structs, fc.uint8Array({ maxLength: 40 }), (s, bytes) => {
        expect(decodeAll(s.compiled, bytes)).toStrictEqual(decodeAll(s.reference, bytes));
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
