/**
 * Compiled struct codecs: for each `struct()` one encoder and one decoder function generated from its field
 * list, with the integer, enum and boolean fields (and nullable ones) read and written inline and the
 * result built as one object literal. The generic struct loop calls a different closure for every field
 * and builds its object key by key: a status answer then touches dozens of small functions and megamorphic
 * inline caches, which costs little in a hot loop but several microseconds when the process wakes with
 * cold caches, as it does for every frame on a real link. Same wire format, same checks and error
 * messages as the field codecs themselves (codec.ts); the codec tests run against the compiled form.
 *
 * The generated source holds only field indices, numbers and JSON-quoted strings from the codec
 * definitions, never data from the wire.
 */
import type { Reader, Writer } from './codec';

/** A field a struct can encode and decode inline, without calling its codec. */
export type InlineField =
  | {
      kind: 'uint';
      bits: 8 | 16 | 32;
      min: number;
      max: number;
      /** Whether the codec is `ranged` (its messages say "not in min..max" rather than "is not a uN"). */
      ranged: boolean;
    }
  | { kind: 'enum'; name: string; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'nullable'; inner: InlineField };

/** A struct field: its key and its codec (called for what it cannot do inline). */
export interface StructField {
  key: string;
  codec: {
    readonly inline?: InlineField;
    enc(w: Writer, v: unknown, path: string): void;
    dec(r: Reader, path: string): unknown;
  };
}

/** What the generated code throws: the codec module's own errors. */
export interface CodecErrors {
  fail(field: string, message: string): never;
  encodeError(field: string, message: string): Error;
}

export type StructDecoder = (r: Reader, path: string) => object;
export type StructEncoder = (w: Writer, v: unknown, path: string) => void;

const lit = (s: string): string => JSON.stringify(s);
const FULL = { 8: 0xff, 16: 0xffff, 32: 0xffffffff } as const;

/** Statements that read field `i` (spec `f`) into `out`; `p` is the field's path expression. */
function decodeInline(f: InlineField, i: number, out: string, p: string): string {
  switch (f.kind) {
    case 'uint': {
      const read = `${out} = r.u${f.bits}(${p});`;
      if (!f.ranged && f.min === 0 && f.max === FULL[f.bits]) return read;
      return `${read} if (${out} < ${f.min} || ${out} > ${f.max}) fail(${p}, String(${out}) + ${lit(` not in ${f.min}..${f.max}`)});`;
    }
    case 'enum':
      return (
        `{ const t = r.u8(${p}); ${out} = X[${i}][t];` +
        ` if (${out} === undefined) fail(${p}, String(t) + ${lit(` is not a ${f.name} (0..${f.values.length - 1})`)}); }`
      );
    case 'bool':
      return `{ const t = r.u8(${p}); if (t > 1) fail(${p}, String(t) + " is not a boolean"); ${out} = t === 1; }`;
    case 'nullable':
      return (
        `{ const t = r.u8(${p}); if (t > 1) fail(${p}, "presence byte " + String(t) + " is not 0 or 1");` +
        ` if (t === 1) { ${decodeInline(f.inner, i, out, p)} } else ${out} = null; }`
      );
  }
}

/** Statements that write `x` (field `i`, spec `f`); `p` is the field's path expression. */
function encodeInline(f: InlineField, i: number, x: string, p: string): string {
  switch (f.kind) {
    case 'uint': {
      const message = f.ranged ? lit(` not in ${f.min}..${f.max}`) : lit(` is not a u${f.bits}`);
      return (
        `if (!Number.isInteger(${x}) || ${x} < ${f.min} || ${x} > ${f.max})` +
        ` throw E(${p}, String(${x}) + ${message}); w.u${f.bits}(${x});`
      );
    }
    case 'enum':
      return (
        `{ const t = X[${i}].indexOf(${x});` +
        ` if (t < 0) throw E(${p}, String(${x}) + ${lit(` is not a ${f.name}`)}); w.u8(t); }`
      );
    case 'bool':
      return `w.u8(${x} ? 1 : 0);`;
    case 'nullable':
      return `if (${x} === null || ${x} === undefined) w.u8(0); else { w.u8(1); ${encodeInline(f.inner, i, x, p)} }`;
  }
}

/** The enum value lists by field index (X[i] in the generated code). */
function enumValues(fields: readonly StructField[]): (readonly string[] | null)[] {
  const of = (f: InlineField | undefined): readonly string[] | null =>
    !f ? null : f.kind === 'enum' ? f.values : f.kind === 'nullable' ? of(f.inner) : null;
  return fields.map((f) => of(f.codec.inline));
}

/**
 * The decoder of a struct with these fields. `paths(path)` gives the field paths under `path` (the keys
 * themselves at the top level). Fields decode in order, so the first bad one is the one reported; a field
 * whose codec returns undefined (an absent optional) is left out of the object, as the generic loop does.
 */
export function compileDecoder(
  fields: readonly StructField[],
  paths: (path: string) => readonly string[],
  errors: CodecErrors,
): StructDecoder {
  const lines = ['const p = path === "" ? K : P(path);'];
  const called: number[] = [];
  fields.forEach((f, i) => {
    lines.push(`let v${i};`);
    const inline = f.codec.inline;
    if (inline) lines.push(decodeInline(inline, i, `v${i}`, `p[${i}]`));
    else {
      lines.push(`v${i} = C[${i}].dec(r, p[${i}]);`);
      called.push(i);
    }
  });
  const literal = `{ ${fields.map((f, i) => `${lit(f.key)}: v${i}`).join(', ')} }`;
  if (called.length === 0) lines.push(`return ${literal};`);
  else {
    lines.push(`if (${called.map((i) => `v${i} !== undefined`).join(' && ')}) return ${literal};`);
    lines.push('const o = {};');
    fields.forEach((f, i) => {
      const store = `o[${lit(f.key)}] = v${i};`;
      lines.push(called.includes(i) ? `if (v${i} !== undefined) ${store}` : store);
    });
    lines.push('return o;');
  }
  return generate(
    `function decodeStruct(r, path) {\n${lines.join('\n')}\n}`,
    fields,
    paths,
    errors,
  ) as StructDecoder;
}

/** The encoder of a struct with these fields (`paths` as for compileDecoder). */
export function compileEncoder(
  fields: readonly StructField[],
  paths: (path: string) => readonly string[],
  errors: CodecErrors,
): StructEncoder {
  const lines = [
    'if (typeof v !== "object" || v === null) throw E(path, "not an object");',
    'const p = path === "" ? K : P(path);',
  ];
  fields.forEach((f, i) => {
    const x = `x${i}`;
    lines.push(`const ${x} = v[${lit(f.key)}];`);
    const inline = f.codec.inline;
    lines.push(inline ? encodeInline(inline, i, x, `p[${i}]`) : `C[${i}].enc(w, ${x}, p[${i}]);`);
  });
  return generate(
    `function encodeStruct(w, v, path) {\n${lines.join('\n')}\n}`,
    fields,
    paths,
    errors,
  ) as StructEncoder;
}

/**
 * The function whose source is `fn`, with its constants in scope: K the keys, P the paths function, C the
 * field codecs, X the enum value lists, fail and E the codec module's errors.
 */
function generate(
  fn: string,
  fields: readonly StructField[],
  paths: (path: string) => readonly string[],
  errors: CodecErrors,
): unknown {
  const make = new Function('K', 'P', 'C', 'X', 'fail', 'E', `return ${fn};`) as (...a: unknown[]) => unknown;
  return make(
    fields.map((f) => f.key),
    paths,
    fields.map((f) => f.codec),
    enumValues(fields),
    errors.fail,
    errors.encodeError,
  );
}
