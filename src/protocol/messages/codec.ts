/**
 * A small declarative binary codec: fixed layouts of big-endian unsigned integers, enums, length-prefixed
 * UTF-8 strings, optionals and bounded arrays. Every message payload is built from these, so encode,
 * decode, round-trip and fuzz tests are generic, and the layout tables in docs/protocol.md are generated
 * from the same definitions (`describe`).
 *
 * Decoding validates every field (range, enum, length, count, trailing bytes) and reports the first
 * problem with its field path; it never throws to its caller. Encoding a value that does not fit its field
 * throws `EncodeError`: that is a programming error on the sending side, caught before anything is sent.
 */

export class EncodeError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field || 'payload'}: ${message}`);
    this.name = 'EncodeError';
  }
}

/** Internal: thrown inside the decoder only, turned into a result at the boundary. */
class DecodeFail {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
}

/** For custom codecs: reject the input at `field`. */
export function fail(field: string, message: string): never {
  throw new DecodeFail(field, message);
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf[this.length++] = v >>> 8;
    this.buf[this.length++] = v & 0xff;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf[this.length++] = v >>> 24;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  private need(n: number, field: string): void {
    if (this.pos + n > this.buf.length) throw new DecodeFail(field, 'payload too short');
  }
  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/** One row of a generated layout table: offset is null once a variable-length field has come before. */
export interface LayoutRow {
  offset: number | null;
  field: string;
  type: string;
  note: string;
}

export interface Codec<T> {
  enc(w: Writer, v: T, path: string): void;
  dec(r: Reader, path: string): T;
  /** Fixed encoded size in bytes, or null when variable. */
  readonly size: number | null;
  /** Human description of the type for docs/protocol.md. */
  readonly type: string;
  /** Sub-rows for composite types (structs), used by `describe`. */
  readonly rows?: (prefix: string) => { field: string; type: string; size: number | null; note: string }[];
}

const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));

function uint(bits: 8 | 16 | 32, max: number): Codec<number> {
  return {
    size: bits / 8,
    type: `u${bits}`,
    enc(w, v, path) {
      if (!Number.isInteger(v) || v < 0 || v > max) throw new EncodeError(path, `${v} is not a u${bits}`);
      if (bits === 8) w.u8(v);
      else if (bits === 16) w.u16(v);
      else w.u32(v);
    },
    dec(r, path) {
      return bits === 8 ? r.u8(path) : bits === 16 ? r.u16(path) : r.u32(path);
    },
  };
}

export const u8 = uint(8, 0xff);
export const u16 = uint(16, 0xffff);
export const u32 = uint(32, 0xffffffff);

/** An unsigned integer with an inclusive range, validated both ways. */
export function ranged(base: Codec<number>, min: number, max: number, unit = ''): Codec<number> {
  return {
    size: base.size,
    type: `${base.type} ${min}..${max}${unit ? ' ' + unit : ''}`,
    enc(w, v, path) {
      if (!Number.isInteger(v) || v < min || v > max)
        throw new EncodeError(path, `${v} not in ${min}..${max}`);
      base.enc(w, v, path);
    },
    dec(r, path) {
      const v = base.dec(r, path);
      if (v < min || v > max) throw new DecodeFail(path, `${v} not in ${min}..${max}`);
      return v;
    },
  };
}

/** A u32 in a named unit (documentation only; the value is an integer count of that unit). */
export function unit(name: string): Codec<number> {
  return { ...u32, type: `u32 ${name}` };
}

export const bool: Codec<boolean> = {
  size: 1,
  type: 'u8 bool (0 false, 1 true)',
  enc(w, v) {
    w.u8(v ? 1 : 0);
  },
  dec(r, path) {
    const v = r.u8(path);
    if (v > 1) throw new DecodeFail(path, `${v} is not a boolean`);
    return v === 1;
  },
};

/** An enumeration encoded as a u8 index into `values` (order is part of the protocol: append only). */
export function enumOf<T extends string>(
  name: string,
  values: readonly T[],
): Codec<T> & { values: readonly T[] } {
  return {
    values,
    size: 1,
    type: `u8 ${name}`,
    enc(w, v, path) {
      const i = values.indexOf(v);
      if (i < 0) throw new EncodeError(path, `${String(v)} is not a ${name}`);
      w.u8(i);
    },
    dec(r, path) {
      const i = r.u8(path);
      const v = values[i];
      if (v === undefined) throw new DecodeFail(path, `${i} is not a ${name} (0..${values.length - 1})`);
      return v;
    },
  };
}

const utf8 = new TextEncoder();
const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 string with a u8 byte-length prefix, at most `maxBytes` bytes. `truncate` shortens over-long text
 * on encode (for human-readable messages only) instead of refusing it; decode is always strict.
 */
export function str(maxBytes: number, opts: { truncate?: boolean; ascii?: boolean } = {}): Codec<string> {
  if (maxBytes > 255) throw new Error('str max is 255 bytes');
  return {
    size: null,
    type: `str (u8 length + ${opts.ascii ? 'printable ASCII' : 'UTF-8'}, max ${maxBytes} bytes)`,
    enc(w, v, path) {
      if (typeof v !== 'string') throw new EncodeError(path, 'not a string');
      let b = utf8.encode(v);
      if (b.length > maxBytes) {
        if (!opts.truncate) throw new EncodeError(path, `longer than ${maxBytes} bytes`);
        // Cut on a character boundary: drop continuation bytes (10xxxxxx) at the cut.
        let n = maxBytes;
        while (n > 0 && (b[n]! & 0xc0) === 0x80) n--;
        b = b.subarray(0, n);
      }
      if (opts.ascii && b.some((c) => c < 0x20 || c > 0x7e))
        throw new EncodeError(path, 'not printable ASCII');
      w.u8(b.length);
      w.bytes(b);
    },
    dec(r, path) {
      const n = r.u8(path);
      if (n > maxBytes) throw new DecodeFail(path, `string of ${n} bytes exceeds ${maxBytes}`);
      const b = r.bytes(n, path);
      if (opts.ascii && b.some((c) => c < 0x20 || c > 0x7e))
        throw new DecodeFail(path, 'not printable ASCII');
      try {
        return utf8Fatal.decode(b);
      } catch {
        throw new DecodeFail(path, 'invalid UTF-8');
      }
    },
  };
}

/** Exactly `n` raw bytes (nonces). */
export function fixedBytes(n: number): Codec<Uint8Array> {
  return {
    size: n,
    type: `${n} bytes`,
    enc(w, v, path) {
      if (!(v instanceof Uint8Array) || v.length !== n) throw new EncodeError(path, `not ${n} bytes`);
      w.bytes(v);
    },
    dec(r, path) {
      return r.bytes(n, path);
    },
  };
}

/** `T | null`: a presence byte (0 absent = null, 1 present) then the value. */
export function nullable<T>(c: Codec<T>): Codec<T | null> {
  return {
    size: null,
    type: `u8 presence (0 null, 1 present) + ${c.type}`,
    enc(w, v, path) {
      if (v === null || v === undefined) w.u8(0);
      else {
        w.u8(1);
        c.enc(w, v, path);
      }
    },
    dec(r, path) {
      const p = r.u8(path);
      if (p > 1) throw new DecodeFail(path, `presence byte ${p} is not 0 or 1`);
      return p === 1 ? c.dec(r, path) : null;
    },
    rows: c.rows, // a nullable struct's fields are listed under it
  };
}

/** An optional object property: same encoding as `nullable`, absent decodes as undefined. */
export function optional<T>(c: Codec<T>): Codec<T | undefined> {
  const n = nullable(c);
  return {
    size: null,
    type: `u8 presence (0 absent, 1 present) + ${c.type}`,
    enc: (w, v, path) => n.enc(w, v ?? null, path),
    dec: (r, path) => n.dec(r, path) ?? undefined,
    rows: c.rows,
  };
}

/** An array with a u8 count prefix, at most `max` items. `truncate` keeps the first `max` on encode. */
export function array<T>(c: Codec<T>, max: number, opts: { truncate?: boolean } = {}): Codec<T[]> {
  if (max > 255) throw new Error('array max is 255');
  return {
    size: null,
    type: `u8 count (max ${max}) + count x ${c.rows ? 'item' : c.type}`,
    enc(w, v, path) {
      if (!Array.isArray(v)) throw new EncodeError(path, 'not an array');
      let items = v;
      if (items.length > max) {
        if (!opts.truncate) throw new EncodeError(path, `more than ${max} items`);
        items = items.slice(0, max);
      }
      w.u8(items.length);
      items.forEach((item, i) => c.enc(w, item, join(path, i)));
    },
    dec(r, path) {
      const n = r.u8(path);
      if (n > max) throw new DecodeFail(path, `${n} items exceeds ${max}`);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(c.dec(r, join(path, i)));
      return out;
    },
    rows: c.rows ? (prefix) => c.rows!(`${prefix}[i]`) : undefined,
  };
}

type Fields<T> = { [K in keyof T]-?: Codec<T[K]> };

/** A record: its fields in declaration order (the order of the object literal is the wire order). */
export function struct<T extends object>(
  fields: Fields<T>,
  notes: Partial<Record<keyof T, string>> = {},
): Codec<T> {
  const entries = Object.entries(fields) as [keyof T & string, Codec<unknown>][];
  // Assigned to an object, this key would set its prototype instead of a field.
  if (entries.some(([k]) => k === '__proto__')) throw new Error('struct: a field cannot be named __proto__');
  const fixed = entries.every(([, c]) => c.size !== null);
  return {
    size: fixed ? entries.reduce((s, [, c]) => s + (c.size ?? 0), 0) : null,
    type: 'struct',
    enc(w, v, path) {
      if (typeof v !== 'object' || v === null) throw new EncodeError(path, 'not an object');
      for (const [k, c] of entries) c.enc(w, (v as Record<string, unknown>)[k], join(path, k));
    },
    dec(r, path) {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) {
        const value = c.dec(r, join(path, k));
        if (value !== undefined) out[k] = value; // an absent optional field stays absent
      }
      return out as T;
    },
    rows(prefix) {
      return entries.flatMap(([k, c]) => {
        const name = prefix ? `${prefix}.${k}` : k;
        const note = (notes as Record<string, string | undefined>)[k] ?? '';
        const head = { field: name, type: c.type, size: c.size, note };
        if (!c.rows) return [head];
        const sub = c.rows(name);
        return c.type === 'struct' ? sub : [head, ...sub];
      });
    },
  };
}

/** A tagged union: a u8 tag selecting one of `variants` (each a struct of the remaining fields). */
export function union<T extends object, K extends keyof T & string>(
  tagField: K,
  variants: { [tag: string]: Codec<never> },
): Codec<T> {
  const tags = Object.keys(variants);
  return {
    size: null,
    type: `u8 ${tagField} (${tags.map((t, i) => `${i} ${t}`).join(', ')}) + variant`,
    enc(w, v, path) {
      const tag = (v as Record<string, unknown>)[tagField] as string;
      const i = tags.indexOf(tag);
      if (i < 0) throw new EncodeError(join(path, tagField), `${tag} is not a valid ${tagField}`);
      w.u8(i);
      (variants[tag] as unknown as Codec<unknown>).enc(w, v, path);
    },
    dec(r, path) {
      const i = r.u8(join(path, tagField));
      const tag = tags[i];
      if (tag === undefined) throw new DecodeFail(join(path, tagField), `${i} is not a valid ${tagField}`);
      const body = (variants[tag] as unknown as Codec<object>).dec(r, path);
      return { [tagField]: tag, ...body } as T; // the tag first, as on the wire
    },
    rows(prefix) {
      return tags.flatMap((t) => {
        const c = variants[t] as unknown as Codec<unknown>;
        return (c.rows?.(prefix) ?? []).map((row) => ({
          ...row,
          note: `when ${tagField} = ${t}; ${row.note}`,
        }));
      });
    },
  };
}

/** Decode a whole payload: every byte must be consumed. Never throws. */
export function decodeAll<T>(c: Codec<T>, bytes: Uint8Array): DecodeResult<T> {
  const r = new Reader(bytes);
  try {
    const value = c.dec(r, '');
    if (r.pos !== bytes.length)
      return { ok: false, field: '', message: `${bytes.length - r.pos} trailing bytes` };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof DecodeFail) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: '', message: e instanceof Error ? e.message : String(e) };
  }
}

export function encodeAll<T>(c: Codec<T>, v: T): Uint8Array {
  const w = new Writer();
  c.enc(w, v, '');
  return w.finish();
}

/** Layout rows of a codec for the docs: offsets are exact until the first variable-length field. */
export function describe(c: Codec<unknown>): LayoutRow[] {
  const rows = !c.rows
    ? [{ field: '(value)', type: c.type, size: c.size, note: '' }]
    : c.type === 'struct'
      ? c.rows('')
      : [{ field: '(tag)', type: c.type, size: null, note: '' }, ...c.rows('')];
  let offset: number | null = 0;
  return rows.map((r) => {
    const row = { offset, field: r.field, type: r.type, note: r.note };
    // Struct/array header rows (whose sub-rows follow) do not advance the offset themselves.
    if (offset !== null) offset = r.size === null ? null : offset + r.size;
    return row;
  });
}
