/**
 * Framing. A frame before the line coding:
 *
 *   offset 0  version  u8   PROTOCOL_VERSION (3)
 *          1  flags    u8   bit 0 AUTH: an 8-byte MAC follows the payload; bits 1-7 zero
 *          2  session  u16  big-endian; 0 before a session is open
 *          4  seq      u16  big-endian
 *          6  type     u8   message type id
 *          7  length   u16  big-endian payload length
 *          9  payload  length bytes
 *          .  mac      8 bytes, only when AUTH
 *          .  crc      u32 big-endian CRC-32/ISO-HDLC of every byte before it
 *
 * On the wire (since version 2): 0x00, FEC(frame), 0x00, where FEC is Reed-Solomon blocks in a zero-free line
 * coding (fec.ts). The leading delimiter ends any garbage before the frame, so a burst of noise costs at
 * most the frame it touches; scattered byte errors are repaired, and the CRC is checked after repair.
 * Version 1 used COBS instead of FEC (docs/protocol.md, version history).
 */
import { crc32 } from './crc';
import { MAC_BYTES, writeMac } from './mac';
import { fecDecode, fecEncodeInto, fecPeek, fecUnmask, frameLengthOfLine, lineLength } from './fec';

/**
 * Version 3: every frame of a session carries a MAC, in both directions, and COMMIT binds a digest of the
 * prepared change (version 2: the FEC line coding replaced COBS; the frame layout itself is unchanged).
 */
export const PROTOCOL_VERSION = 3;
export const HEADER_BYTES = 9;
export const CRC_BYTES = 4;
export const FLAG_AUTH = 0x01;
/** Largest frame before the line coding, header to CRC inclusive. */
export const MAX_FRAME_BYTES = 4096;
export const MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - HEADER_BYTES - MAC_BYTES - CRC_BYTES;
export const MIN_FRAME_BYTES = HEADER_BYTES + CRC_BYTES;
/**
 * Most bytes a receiver buffers between delimiters before it gives up and waits for the next delimiter:
 * the line coding of the largest frame, plus two corrupted delimiters.
 */
export const MAX_ENCODED_BYTES = lineLength(MAX_FRAME_BYTES) + 2;

export interface FrameHeader {
  version: number;
  flags: number;
  session: number;
  seq: number;
  type: number;
}

export interface Frame extends FrameHeader {
  payload: Uint8Array;
  /** Present when flags has AUTH. */
  mac: Uint8Array | null;
  /** The bytes the MAC covers: header and payload. */
  macInput: Uint8Array;
  /** The whole frame before the line coding. */
  raw: Uint8Array;
}

/**
 * Why a frame was not accepted. The first five are link damage (FEC: beyond repair; COBS: version 1's
 * stuffing error, no longer produced): the frame is dropped silently and the
 * sender's retransmission recovers. The others have a trustworthy header (the CRC matched) and are answered.
 */
export type FrameErrorCode =
  'FEC' | 'TOO_SHORT' | 'TOO_LONG' | 'BAD_CRC' | 'BAD_VERSION' | 'BAD_FLAGS' | 'BAD_LENGTH';

export type FrameResult =
  | {
      ok: true;
      frame: Frame;
      /** Symbols (and delimiters) the FEC repaired on the way in; set by FrameDecoder, 0 when clean. */
      corrected?: number;
    }
  | { ok: false; error: FrameErrorCode; header: FrameHeader | null; raw: Uint8Array };

export interface FrameInput {
  session: number;
  seq: number;
  type: number;
  payload: Uint8Array;
  version?: number;
}

/** Build the frame bytes (before the line coding). With `sessionKey`, sets AUTH and appends the MAC. */
export function buildFrame(f: FrameInput, sessionKey?: Uint8Array): Uint8Array {
  if (f.payload.length > MAX_PAYLOAD_BYTES)
    throw new RangeError(`payload of ${f.payload.length} bytes too long`);
  checkField('session', f.session, 0xffff);
  checkField('seq', f.seq, 0xffff);
  checkField('type', f.type, 0xff);
  const auth = sessionKey !== undefined;
  const len = HEADER_BYTES + f.payload.length + (auth ? MAC_BYTES : 0) + CRC_BYTES;
  const out = new Uint8Array(len);
  out[0] = f.version ?? PROTOCOL_VERSION;
  out[1] = auth ? FLAG_AUTH : 0;
  out[2] = f.session >>> 8;
  out[3] = f.session & 0xff;
  out[4] = f.seq >>> 8;
  out[5] = f.seq & 0xff;
  out[6] = f.type;
  out[7] = f.payload.length >>> 8;
  out[8] = f.payload.length & 0xff;
  out.set(f.payload, HEADER_BYTES);
  let p = HEADER_BYTES + f.payload.length;
  if (auth) {
    writeMac(sessionKey, out, p);
    p += MAC_BYTES;
  }
  const crc = crc32(out, 0, p);
  out[p] = crc >>> 24;
  out[p + 1] = (crc >>> 16) & 0xff;
  out[p + 2] = (crc >>> 8) & 0xff;
  out[p + 3] = crc & 0xff;
  return out;
}

function checkField(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} ${v} out of range`);
}

/** The bytes to write: 0x00, FEC(frame), 0x00. */
export function wrapFrame(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(lineLength(raw.length) + 2);
  fecEncodeInto(raw, out, 1);
  return out;
}

export function encodeFrame(f: FrameInput, sessionKey?: Uint8Array): Uint8Array {
  return wrapFrame(buildFrame(f, sessionKey));
}

/**
 * Parse one frame (after FEC decoding). Never throws. The frame's payload, mac and macInput are views into
 * `raw`, which the caller must not change afterwards.
 */
export function parseFrame(raw: Uint8Array): FrameResult {
  return parseRaw(raw, false);
}

/** parseFrame; `crcChecked` when the caller has just verified the CRC (crcOk), so it is not computed twice. */
function parseRaw(raw: Uint8Array, crcChecked: boolean): FrameResult {
  if (raw.length < MIN_FRAME_BYTES) return { ok: false, error: 'TOO_SHORT', header: null, raw };
  if (raw.length > MAX_FRAME_BYTES) return { ok: false, error: 'TOO_LONG', header: null, raw };
  const body = raw.length - CRC_BYTES;
  if (!crcChecked && !crcOk(raw)) return { ok: false, error: 'BAD_CRC', header: null, raw };
  const version = raw[0]!;
  const flags = raw[1]!;
  const session = (raw[2]! << 8) | raw[3]!;
  const seq = (raw[4]! << 8) | raw[5]!;
  const type = raw[6]!;
  const len = (raw[7]! << 8) | raw[8]!;
  const auth = (flags & FLAG_AUTH) !== 0;
  const error: FrameErrorCode | null =
    version !== PROTOCOL_VERSION
      ? 'BAD_VERSION'
      : (flags & ~FLAG_AUTH) !== 0
        ? 'BAD_FLAGS'
        : HEADER_BYTES + len + (auth ? MAC_BYTES : 0) !== body
          ? 'BAD_LENGTH'
          : null;
  if (error !== null) return { ok: false, error, header: { version, flags, session, seq, type }, raw };
  const payloadEnd = HEADER_BYTES + len;
  // Views, not copies: `raw` is this frame's own buffer.
  return {
    ok: true,
    frame: {
      version,
      flags,
      session,
      seq,
      type,
      payload: raw.subarray(HEADER_BYTES, payloadEnd),
      mac: auth ? raw.subarray(payloadEnd, payloadEnd + MAC_BYTES) : null,
      macInput: raw.subarray(0, payloadEnd),
      raw,
    },
  };
}

function crcOk(raw: Uint8Array): boolean {
  if (raw.length < CRC_BYTES) return false;
  const body = raw.length - CRC_BYTES;
  const crc = ((raw[body]! << 24) | (raw[body + 1]! << 16) | (raw[body + 2]! << 8) | raw[body + 3]!) >>> 0;
  return crc === crc32(raw, 0, body);
}

/**
 * Decode one block received between delimiters. Tries the block as received, then without a leading and/or
 * trailing byte (a delimiter corrupted into data glues one byte onto the frame). The first candidate that
 * repairs to a frame with a good CRC wins; failing that, a repaired frame with a bad CRC is parsed (and
 * reported BAD_CRC), or FEC when nothing repairs.
 */
function decodeLine(
  line: Uint8Array,
  erasures: readonly number[] = [],
  trims: readonly (readonly [number, number])[] = TRIMS,
): FrameResult {
  let fallback: FrameResult | null = null;
  for (const [head, tail] of trims) {
    const len = line.length - head - tail;
    if (len <= 0 || frameLengthOfLine(len) === null) continue;
    const seg = head === 0 && tail === 0 ? line : line.subarray(head, head + len);
    if (erasures.length === 0) {
      // Most frames arrive intact: if the data bytes, unmasked, already carry a good CRC, that is the
      // frame, and RS is not needed (the CRC is the integrity check with or without repair).
      const plain = fecUnmask(seg);
      if (plain && crcOk(plain)) {
        const r = parseRaw(plain, true);
        if (r.ok) r.corrected = head + tail;
        return r;
      }
    }
    const d = fecDecode(
      seg,
      erasures.map((e) => e - head).filter((e) => e >= 0 && e < len),
      LEADING_BYTES,
    );
    if (!d) continue;
    if (crcOk(d.frame)) {
      const r = parseRaw(d.frame, true);
      if (r.ok) r.corrected = d.corrected + head + tail;
      return r;
    }
    fallback ??= parseFrame(d.frame);
  }
  return fallback ?? { ok: false, error: 'FEC', header: null, raw: line.slice() };
}

/** What a frame's first two bytes can be (version, flags): lets FEC recover a block's mask from them. */
const LEADING_BYTES: readonly (readonly number[])[] = [[PROTOCOL_VERSION], [0, FLAG_AUTH]];
const TRIMS = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
] as const;
const NO_TRIMS = [[0, 0]] as const;
const GLUED_FRONT_OR_NOT = [
  [1, 0],
  [0, 0],
] as const;

/**
 * Runs that were one frame cut by bytes corrupted into 0x00 (read as delimiters), decoded as one frame with
 * those bytes erased.
 */
function decodeJoined(
  parts: readonly Uint8Array[],
  trims: readonly (readonly [number, number])[],
): FrameResult | null {
  let length = parts.length - 1;
  for (const p of parts) length += p.length;
  if (length > MAX_ENCODED_BYTES) return null;
  const joined = new Uint8Array(length);
  const cuts: number[] = [];
  let at = 0;
  for (const p of parts) {
    if (at > 0) cuts.push(at++);
    joined.set(p, at);
    at += p.length;
  }
  return decodeLine(joined, cuts, trims);
}

/**
 * The line length (between delimiters) of the frame whose start `run` holds, from its header as received
 * (no repair), or 0 when the header cannot be read that way: mask copies that disagree, a run too short to
 * hold the length field, or a version, flags or length that no frame has. With `lostFront`, the run is read
 * as one that lost its first byte (fecPeek).
 */
function declaredLineLength(run: Uint8Array, lostFront = false): number {
  const version = fecPeek(run, 0, lostFront);
  const flags = fecPeek(run, 1, lostFront);
  const hi = fecPeek(run, 7, lostFront);
  const lo = fecPeek(run, 8, lostFront);
  if (version !== PROTOCOL_VERSION || (flags & ~FLAG_AUTH) !== 0 || hi < 0 || lo < 0) return 0;
  const m = HEADER_BYTES + ((hi << 8) | lo) + (flags === FLAG_AUTH ? MAC_BYTES : 0) + CRC_BYTES;
  return m > MAX_FRAME_BYTES ? 0 : lineLength(m);
}

/** Shorter runs cannot be a whole frame, even with a lost end byte put back. */
const SHORTEST_WHOLE_RUN = lineLength(MIN_FRAME_BYTES) - 1;

/** Without a delimiter yet: the last byte may be the trailing delimiter, corrupted. */
const EAGER_TRIMS = [
  [0, 1],
  [1, 1],
] as const;
const EAGER_END_TRIM = [[0, 1]] as const;

/**
 * Stream decoder: feed it byte chunks as they arrive; it returns every complete frame. Buffers at most
 * MAX_ENCODED_BYTES: a longer run without a delimiter is reported once as TOO_LONG and skipped up to the
 * next 0x00, so garbage never grows memory.
 *
 * Two repairs beyond RS: a frame whose trailing delimiter was corrupted is decoded as soon as it is
 * complete (not when the next frame's delimiter arrives, which under stop-and-wait is only after the
 * sender's timeout); and a frame cut in two or three by bytes corrupted into 0x00 is rejoined, those bytes
 * erased.
 */
export class FrameDecoder {
  private buf = new Uint8Array(MAX_ENCODED_BYTES);
  private len = 0;
  private overflow = false;
  /** The previous block, if it failed and only one delimiter followed it: part of a split frame. */
  private failed: Uint8Array | null = null;
  /** The failed block before `failed`, one delimiter apart too: the first of three parts. */
  private failedBefore: Uint8Array | null = null;

  private forgetFailed(): void {
    this.failed = null;
    this.failedBefore = null;
  }

  push(chunk: Uint8Array): FrameResult[] {
    const out: FrameResult[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0) {
        if (this.overflow) {
          this.overflow = false;
          this.forgetFailed();
        } else if (this.len > 0) {
          const run = this.buf.subarray(0, this.len);
          const want = declaredLineLength(run);
          const end = this.rejoinAhead(run, want, chunk, i, out);
          if (end < 0) out.push(this.block(run, want));
          else i = end;
        } else this.forgetFailed();
        this.len = 0;
      } else if (!this.overflow) {
        if (this.len === MAX_ENCODED_BYTES) {
          this.overflow = true;
          this.forgetFailed();
          out.push({ ok: false, error: 'TOO_LONG', header: null, raw: this.buf.slice(0, 16) });
          this.len = 0;
        } else this.buf[this.len++] = b;
      }
    }
    if (this.len > 0 && !this.overflow) {
      const run = this.buf.subarray(0, this.len);
      let r = decodeLine(run, [], EAGER_TRIMS);
      // The run may also be the last part of a frame cut by bytes corrupted into 0x00.
      if (!r.ok && this.failed) r = decodeJoined([this.failed, run], EAGER_TRIMS) ?? r;
      if (!r.ok && this.failed && this.failedBefore)
        r = decodeJoined([this.failedBefore, this.failed, run], EAGER_TRIMS) ?? r;
      // Or a frame whose first byte (a copy of K) was corrupted into 0x00: a run that starts with one copy
      // of K, so its first two bytes differ. Under stop-and-wait nothing follows until the sender's timeout,
      // so this repair (block() makes it once the run is closed) is also made here, with the last byte
      // taken as the corrupted trailing delimiter (the other copy of K may be damaged as well).
      if (!r.ok && run[0] !== run[1]) r = this.padded(run, true, EAGER_END_TRIM) ?? r;
      if (r.ok) {
        // Taken without its trailing delimiter (corrupted). What follows starts a new block, not a skip:
        // the next frame's leading delimiter may be corrupted too, and its bytes must not be thrown away.
        out.push(r);
        this.forgetFailed();
        this.len = 0;
      }
    }
    return out;
  }

  /**
   * A run closed at `chunk[at]` (`want`: its declaredLineLength) that is too short to be a frame, or whose
   * header declares a longer frame, was most likely cut by a byte corrupted into 0x00. When the rest of that
   * frame is already in this chunk (one or two more runs), the parts are joined and decoded first: decoding
   * the first part alone (all its repair hypotheses, each a failing Reed-Solomon decode) and then the
   * second before joining them cost ~20 failed decodes. On a good frame, pushes it and returns the index of
   * the delimiter that closed its last part; otherwise -1 and nothing is consumed (the runs are then
   * decoded one by one, as before: a header can be damaged too, and a short run can be noise before a frame).
   */
  private rejoinAhead(
    run: Uint8Array,
    want: number,
    chunk: Uint8Array,
    at: number,
    out: FrameResult[],
  ): number {
    // `want` is 0 when the header is unreadable: then one more part is joined, no more.
    if (want <= run.length + 1 && run.length >= SHORTEST_WHOLE_RUN) return -1;
    const parts = [run];
    let total = run.length;
    let end = at;
    while (parts.length < 3 && (want === 0 ? parts.length < 2 : total < want)) {
      const next = chunk.indexOf(0, end + 1);
      if (next <= end + 1) return -1; // no whole run follows in this chunk, or an empty one (a true boundary)
      parts.push(chunk.subarray(end + 1, next));
      total += next - end; // the part, and the cut byte before it (erased in the join)
      end = next;
    }
    // Up to two glued delimiter bytes are allowed for: decodeLine trims them.
    if (want !== 0 && (total < want || total > want + 2)) return -1;
    const r = decodeJoined(parts, TRIMS);
    if (!r?.ok) return -1;
    this.forgetFailed();
    out.push(r);
    return end;
  }

  /**
   * Decode a run closed by a delimiter (`want`: its declaredLineLength). `line` is a view into the receive
   * buffer: copied if kept.
   */
  private block(line: Uint8Array, want: number): FrameResult {
    // A run exactly one byte shorter than its header declares most likely lost an end byte (below): that
    // repair is tried first, before the many hypotheses of decoding the run as it is. (A run that lost its
    // first byte has one copy of K left: its header is read that way only when it cannot be read as is.)
    const lost =
      want === line.length + 1
        ? 'end'
        : want === 0 && declaredLineLength(line, true) === line.length + 1
          ? 'front'
          : null;
    if (lost) {
      const p = this.padded(line, lost === 'front');
      if (p) return p;
    }
    const r = decodeLine(line);
    if (r.ok || r.header !== null) {
      this.forgetFailed();
      return r;
    }
    const prev = this.failed;
    const prev2 = this.failedBefore;
    this.failedBefore = prev;
    this.failed = line.slice();
    // Cut once (two runs) or twice (three runs; two bytes corrupted into 0x00 in one frame was the most
    // common cause of a lost frame at 1% corruption, once per ~10^5 frames).
    let j = prev ? decodeJoined([prev, line], TRIMS) : null;
    if (!j?.ok && prev && prev2) j = decodeJoined([prev2, prev, line], TRIMS);
    if (j?.ok) {
      this.forgetFailed();
      return j;
    }
    // A frame byte next to a delimiter corrupted into 0x00 leaves the run one byte short at that end (the
    // byte reads as an empty run or as the delimiter): put an erased byte back at either end.
    for (const front of [false, true]) {
      if (lost === (front ? 'front' : 'end')) continue; // tried first, above
      const p = this.padded(line, front);
      if (p) return p;
    }
    return r;
  }

  /**
   * `line` decoded with an erased byte put back at its front or end (and, with `trims`, glued bytes
   * removed as in decodeLine), if that gives a good frame.
   */
  private padded(
    line: Uint8Array,
    front: boolean,
    trims: readonly (readonly [number, number])[] = NO_TRIMS,
  ): FrameResult | null {
    if (line.length >= MAX_ENCODED_BYTES) return null;
    if (!front && line[0] !== line[1] && line[1] === line[2]) {
      // With the last byte missing, the run still starts with the two copies of K: when they differ but
      // the next two agree, they follow one stray byte (a corrupted leading delimiter), removed as well as
      // not. When neither pair agrees, one copy of K is damaged: the FEC tries both.
      trims = GLUED_FRONT_OR_NOT;
    }
    const padded = new Uint8Array(line.length + 1);
    padded.set(line, front ? 1 : 0);
    padded[front ? 0 : line.length] = 1;
    const p = decodeLine(padded, [front ? 0 : line.length], trims);
    if (!p.ok) return null;
    this.forgetFailed();
    return p;
  }

  /** Bytes currently buffered (for tests of the bound). */
  get buffered(): number {
    return this.len;
  }
}
