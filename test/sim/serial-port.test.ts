import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { openVirtualPort } from '../../firmware-sim/serial-port';
import { collectBytes } from './harness';

const openClient = async (p: string): Promise<SerialPort> => {
  const sp = new SerialPort({ path: p, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => sp.open((e) => (e ? rej(e) : res())));
  return sp;
};
const closeClient = (sp: SerialPort) => new Promise<void>((r) => sp.close(() => r()));

describe('virtual serial port (node-pty open)', () => {
  it('is binary-safe both ways, survives a programmer closing and a second one reopening, and keeps a symlink', async () => {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sim-pty-')), 'ttyPUMP0');
    const port = openVirtualPort({ link });
    const errors: Error[] = [];
    port.onError((e) => errors.push(e));
    expect(fs.readlinkSync(link)).toBe(port.path);
    const fromProgrammer: number[] = [];
    port.onData((b) => fromProgrammer.push(...b));
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const big = Buffer.alloc(64 * 1024).map((_, i) => (i * 7919) & 0xff);

    for (const round of [1, 2]) {
      fromProgrammer.length = 0;
      const sp = await openClient(round === 1 ? link : port.path);
      const rx = collectBytes(sp, all.length + big.length);
      port.write(all);
      port.write(big); // larger than a pty buffer: exercises the EAGAIN retry
      expect((await rx).equals(Buffer.concat([all, big]))).toBe(true);
      sp.write(all);
      await new Promise<void>((r) => sp.drain(() => r()));
      for (let i = 0; i < 200 && fromProgrammer.length < 256; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(Buffer.from(fromProgrammer).equals(all)).toBe(true);
      await closeClient(sp);
    }
    expect(errors).toEqual([]);
    await port.close();
    expect(fs.existsSync(link)).toBe(false);
  });
});
