/**
 * --port: firmware-sim attached to an existing serial device through serialport. A pty made here stands in
 * for the cable: the sim opens its slave path as a "real" port, the programmer talks on the master side.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PumpClient } from '../../src/protocol/session/client';
import { openVirtualPort } from '../../firmware-sim/serial-port';
import { Sim, tempDir } from './harness';

const cable = openVirtualPort();
let sim: Sim | null = null;
afterAll(async () => {
  await sim?.stop();
  await cable.close();
});

describe('firmware-sim --port (a real serial port)', () => {
  it('serves the protocol on the given device path', async () => {
    sim = await Sim.start(path.join(tempDir(), 'pump.json'), [
      '--paused',
      '--port',
      cable.path,
      '--serial',
      'NGV303030',
    ]);
    expect(sim.ready.port).toBe(cable.path);
    expect(sim.ready.link).toBeNull();
    const client = new PumpClient(
      {
        write: (b) => cable.write(b),
        onData: (cb) => cable.onData(cb),
      },
      { programmerId: 'CABLE', timeoutMs: 250, retries: 5 },
    );
    const s = await client.openSession();
    expect(s.pumpSerial).toBe('NGV303030');
    expect((await client.interrogate()).serial).toBe('NGV303030');
    await client.closeSession();
    client.dispose();
  });

  it('a port that cannot be opened is a clear start error', async () => {
    await expect(
      Sim.start(path.join(tempDir(), 'pump.json'), ['--port', '/dev/does-not-exist']),
    ).rejects.toThrow(/cannot start|does-not-exist|No such file/);
  });
});
