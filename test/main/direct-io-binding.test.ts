// The programmer's serial binding (reads and writes on the event loop's thread) over a real pty, the sim's
// own virtual port at the other end.
import { describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { openVirtualPort } from '../../firmware-sim/serial-port';
import { collectBytes } from '../sim/harness';
import { createSerialPort, directIoBinding } from '../../src/main/service/direct-io-binding';

const open = (sp: SerialPort) => new Promise<void>((res, rej) => sp.open((e) => (e ? rej(e) : res())));
const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('direct I/O serial binding', () => {
  it('replaces read and write of the Unix binding, and nothing else', async () => {
    const pty = openVirtualPort();
    const sp = createSerialPort(pty.path, 115200);
    await open(sp);
    const port = (sp as unknown as { port: { read: unknown; write: unknown; fd: number } }).port;
    expect(typeof port.fd).toBe('number');
    expect((port.read as { name: string }).name).not.toBe('read'); // ours, not LinuxPortBinding.read
    expect(typeof directIoBinding().list).toBe('function');
    await new Promise<void>((r) => sp.close(() => r()));
    await pty.close();
  });

  it('carries every byte value both ways, including writes larger than the line buffer', async () => {
    const pty = openVirtualPort();
    const fromProgrammer: number[] = [];
    pty.onData((b) => fromProgrammer.push(...b));
    const sp = createSerialPort(pty.path, 115200);
    await open(sp);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    // 256 KiB in one write: the pty holds a few KiB, so the write meets EAGAIN and waits for writability.
    const big = Buffer.alloc(256 * 1024).map((_, i) => (i * 7919 + (i >> 8)) & 0xff);
    const written = new Promise<void>((res, rej) => sp.write(big, (e) => (e ? rej(e) : res())));
    sp.write(all);
    await written;
    await new Promise<void>((r) => sp.drain(() => r()));
    await waitFor(() => fromProgrammer.length >= big.length + all.length, 'the pump end to read everything');
    expect(Buffer.from(fromProgrammer).equals(Buffer.concat([big, all]))).toBe(true);

    const rx = collectBytes(sp, all.length * 3);
    pty.write(all);
    pty.write(all);
    pty.write(all);
    expect((await rx).equals(Buffer.concat([all, all, all]))).toBe(true);
    await new Promise<void>((r) => sp.close(() => r()));
    await pty.close();
  });

  it('closes quietly while a read is pending, and reports the other end going away as a close', async () => {
    const pty = openVirtualPort();
    const a = createSerialPort(pty.path, 115200);
    await open(a);
    const errors: Error[] = [];
    a.on('error', (e) => errors.push(e));
    a.on('data', () => undefined); // a read is now waiting for readability
    await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((r) => a.close(() => r()));
    expect(errors).toEqual([]);

    const b = createSerialPort(pty.path, 115200);
    await open(b);
    b.on('error', () => undefined); // EIO from a vanished pty is the expected way to learn of it
    b.on('data', () => undefined);
    const closed = new Promise<void>((r) => b.once('close', () => r()));
    await pty.close(); // the pump end disappears
    await closed;
    expect(b.isOpen).toBe(false);
  });
});
