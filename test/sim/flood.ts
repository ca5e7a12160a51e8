/**
 * Floods for the bounded-queue tests (issue 15, point 6): bytes written into a sim's pty by a party that
 * never reads what the sim answers, and the sim's memory as the kernel reports it.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { buildFrame, wrapFrame } from '../../src/protocol/link/frame';
import { COMMANDS, encodePayload } from '../../src/protocol/messages/messages';

/** Resident memory of a process, bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Write `bytes` into the pty at `path` as fast as the sim takes them, never reading: returns when done. */
export async function floodPty(path: string, chunks: Iterable<Uint8Array>): Promise<number> {
  const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  let total = 0;
  try {
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) {
        try {
          off += fs.writeSync(fd, chunk, off, chunk.length - off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          // The pty is full: the sim has not read it yet. Let it.
          await new Promise((r) => setImmediate(r));
        }
      }
      total += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

/**
 * OPEN_SESSION frames (each a fresh nonce, so each is answered with a new session's ACK), batched into
 * chunks of about 64 KiB: `bytes` of them in all.
 */
export function* openSessionFlood(bytes: number): Generator<Uint8Array> {
  let sent = 0;
  let seq = 0;
  while (sent < bytes) {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < 64 * 1024) {
      const payload = encodePayload({
        kind: 'command',
        command: 'OPEN_SESSION',
        body: { programmerId: 'FLOOD', protocolVersion: 3, programmerNonce: new Uint8Array(randomBytes(8)) },
      });
      const w = wrapFrame(
        buildFrame({ session: 0, seq: seq++ & 0xffff, type: COMMANDS.OPEN_SESSION.id, payload }),
      );
      parts.push(w);
      size += w.length;
    }
    sent += size;
    yield Buffer.concat(parts);
  }
}

/** Line noise without a single 0x00 (no frame boundary anywhere): `bytes` of it, in 64 KiB chunks. */
export function* noiseFlood(bytes: number): Generator<Uint8Array> {
  for (let sent = 0; sent < bytes; sent += 64 * 1024) {
    const b = new Uint8Array(randomBytes(64 * 1024));
    for (let i = 0; i < b.length; i++) if (b[i] === 0) b[i] = 1;
    yield b;
  }
}
