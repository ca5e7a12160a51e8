/**
 * A man-in-the-middle on the telemetry line of a real firmware-sim: the programmer's PumpClient talks to
 * this relay, which talks to the sim's pty. Every frame in either direction passes a hook that may pass it,
 * drop it, or replace it with other frames; the relay can also inject frames of its own. It holds no key:
 * it sees what anyone on the line sees (session ids, sequence numbers, payloads) and nothing more.
 */
import type { SerialPort } from 'serialport';
import { PumpClient } from '../../src/protocol/session/client';
import { crc32 } from '../../src/protocol/link/crc';
import { randomBytes } from 'node:crypto';
import { buildFrame, type Frame, FrameDecoder, wrapFrame } from '../../src/protocol/link/frame';
import {
  decodePayload,
  encodePayload,
  type Message,
  messageTypeId,
} from '../../src/protocol/messages/messages';
import { createSerialPort } from '../../src/main/service/serial-transport';

/** What a hook does with a frame: pass it, drop it, or send these frames (raw, before FEC) instead. */
export type Verdict = 'pass' | 'drop' | Uint8Array[];
export type Hook = (f: Frame, m: Message | null) => Verdict;

export interface Mitm {
  client: PumpClient;
  /** Frames from the programmer towards the pump. */
  toPump: Hook;
  /** Frames from the pump towards the programmer. */
  toProgrammer: Hook;
  /** Every frame the pump sent, as it sent it (before the hook). */
  readonly fromPump: { f: Frame; m: Message | null }[];
  /** Send a frame of our own to the pump. */
  inject(raw: Uint8Array): void;
  /** Send a frame of our own to the programmer. */
  injectToProgrammer(raw: Uint8Array): void;
  close(): Promise<void>;
}

const pass: Hook = () => 'pass';

export function decode(f: Frame): Message | null {
  const d = decodePayload(f.type, f.payload);
  return d.ok ? d.message : null;
}

/**
 * A frame built by someone without the key: without a MAC, or with a MAC computed under a key of its own
 * choosing (a forged MAC: the best guess anyone without the key can make).
 */
export function forge(h: { session: number; seq: number }, m: Message, mac: 'none' | 'forged'): Uint8Array {
  const frame = { session: h.session, seq: h.seq, type: messageTypeId(m), payload: encodePayload(m) };
  return buildFrame(frame, mac === 'forged' ? new Uint8Array(randomBytes(32)) : undefined);
}

/** Recompute the CRC of a frame after its bytes were changed (anyone can: the CRC is not a secret). */
export function recrc(raw: Uint8Array): Uint8Array {
  const out = Uint8Array.from(raw);
  const body = out.length - 4;
  const c = crc32(out, 0, body);
  out[body] = c >>> 24;
  out[body + 1] = (c >>> 16) & 0xff;
  out[body + 2] = (c >>> 8) & 0xff;
  out[body + 3] = c & 0xff;
  return out;
}

export async function startMitm(portPath: string, programmerId = 'SECURITY-TEST'): Promise<Mitm> {
  const port: SerialPort = createSerialPort(portPath, 115200);
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  port.on('error', () => undefined);
  const toClient = new Set<(b: Uint8Array) => void>();
  const fromClient = new FrameDecoder();
  const fromSim = new FrameDecoder();
  const writePort = (raw: Uint8Array) => {
    const w = wrapFrame(raw);
    port.write(Buffer.from(w.buffer, w.byteOffset, w.byteLength));
  };
  const writeClient = (raw: Uint8Array) => {
    const w = wrapFrame(raw);
    for (const cb of toClient) cb(w);
  };
  const fromPump: { f: Frame; m: Message | null }[] = [];
  const relay = (
    results: ReturnType<FrameDecoder['push']>,
    hook: () => Hook,
    out: (raw: Uint8Array) => void,
    record?: (f: Frame, m: Message | null) => void,
  ) => {
    for (const r of results) {
      if (!r.ok) continue; // a clean pty: nothing is damaged
      const m = decode(r.frame);
      record?.(r.frame, m);
      const v = hook()(r.frame, m);
      if (v === 'pass') out(r.frame.raw);
      else if (v !== 'drop') v.forEach(out);
    }
  };
  const mitm: Mitm = {
    client: null as unknown as PumpClient,
    toPump: pass,
    toProgrammer: pass,
    fromPump,
    inject: writePort,
    injectToProgrammer: writeClient,
    async close() {
      mitm.client.dispose();
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
    },
  };
  port.on('data', (d: Buffer) =>
    relay(
      fromSim.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)),
      () => mitm.toProgrammer,
      writeClient,
      (f, m) => fromPump.push({ f, m }),
    ),
  );
  mitm.client = new PumpClient(
    {
      write: (b) => relay(fromClient.push(b), () => mitm.toPump, writePort),
      onData: (cb) => {
        toClient.add(cb);
        return () => toClient.delete(cb);
      },
    },
    { programmerId, timeoutMs: 300, retries: 3 },
  );
  return mitm;
}
