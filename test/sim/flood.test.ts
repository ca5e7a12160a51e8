/**
 * Bounded queues through the real sim process (issue 15, point 6): a flood answered into a line nobody
 * reads, line noise with link faults on, and a slow baud set back. Memory stays bounded (drops are counted
 * and visible in the bench state), and the programmer is not locked out afterwards.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchState } from '../../firmware-sim/bench-schema';
import { MAX_DELAYED_BYTES, MAX_HELD_RUN_BYTES } from '../../firmware-sim/link-faults';
import { MAX_TX_QUEUE_BYTES } from '../../firmware-sim/serial-port';
import { LinkTimeoutError } from '../../src/protocol/session/client';
import { connectProgrammer, Sim, tempDir, type Programmer } from './harness';
import { floodPty, noiseFlood, openSessionFlood, rssOf } from './flood';

let sim: Sim | null = null;
let prog: Programmer | null = null;
afterEach(async () => {
  await prog?.close();
  prog = null;
  await sim?.stop();
  sim = null;
});

const MB = 1024 * 1024;

describe('bounded queues', () => {
  it('a flood with nobody reading: the output queue stays bounded, drops are counted, no lockout after', async () => {
    sim = await Sim.start(path.join(tempDir('sim-flood-'), 'pump.json'), ['--paused']);
    const rss0 = rssOf(sim.ready.pid);
    const sent = await floodPty(sim.ready.port, openSessionFlood(MB));
    const s = await sim.state();
    // Every frame was answered (about 1.7 bytes out per byte in), far more than the queue may hold.
    expect(s.line.inbound.bytesIn).toBeGreaterThanOrEqual(sent);
    expect(s.line.port.queuedBytes).toBeLessThanOrEqual(MAX_TX_QUEUE_BYTES);
    expect(s.line.port.droppedWrites).toBeGreaterThan(0);
    expect(s.line.port.droppedBytes).toBeGreaterThan(MB / 2);
    expect(rssOf(sim.ready.pid) - rss0).toBeLessThan(48 * MB);
    // The programmer that opens the line next is answered within its usual timeouts.
    prog = await connectProgrammer(sim.ready.port, { programmerId: 'FLOOD', timeoutMs: 250, retries: 5 });
    await prog.client.openSession();
    expect((await prog.client.interrogate()).serial).toBe(sim.ready.serial);
  });

  it('line noise with link faults on: the injector holds at most a frame, counts what it discards', async () => {
    sim = await Sim.start(path.join(tempDir('sim-flood-'), 'pump.json'), ['--paused']);
    await sim.ok('POST', '/link-faults', { dropRate: 0.01, duplicateRate: 0.01 });
    const rss0 = rssOf(sim.ready.pid);
    await floodPty(sim.ready.port, noiseFlood(20 * MB));
    const s = await sim.state();
    expect(s.line.inbound.bytesQueued).toBeLessThanOrEqual(MAX_HELD_RUN_BYTES);
    expect(s.line.inbound.bytesOverlong).toBeGreaterThan(19 * MB);
    expect(rssOf(sim.ready.pid) - rss0).toBeLessThan(48 * MB);
    await sim.ok('POST', '/link-faults', { dropRate: 0, duplicateRate: 0 });
    prog = await connectProgrammer(sim.ready.port);
    await prog.client.openSession();
    expect((await prog.client.interrogate()).serial).toBe(sim.ready.serial);
  });

  it('a backlog queued at 1200 baud leaves at the new speed once the baud is set back', async () => {
    sim = await Sim.start(path.join(tempDir('sim-flood-'), 'pump.json'), ['--paused']);
    prog = await connectProgrammer(sim.ready.port, { timeoutMs: 250, retries: 2 });
    await prog.client.openSession();
    await sim.ok('POST', '/link-faults', { baud: 1200 });
    // At 120 bytes/s a command and its status answer take about 1.5 s, longer than the programmer waits
    // (three attempts of 250 ms): it times out, and its attempts (and their answers) queue up.
    const e = await prog.client.interrogate().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LinkTimeoutError);
    const slow = await sim.state();
    expect(slow.line.inbound.bytesQueued + slow.line.outbound.bytesQueued).toBeGreaterThan(0);
    expect(slow.line.outbound.bytesQueued).toBeLessThanOrEqual(MAX_DELAYED_BYTES);
    await sim.ok('POST', '/link-faults', { baud: 0 });
    // Answered at once: the queued bytes no longer wait for the old line speed.
    await prog.close();
    prog = await connectProgrammer(sim.ready.port, { timeoutMs: 250, retries: 1 });
    await prog.client.openSession();
    expect((await prog.client.interrogate()).serial).toBe(sim.ready.serial);
    const after: BenchState = await sim.state();
    expect(after.line.inbound.bytesQueued + after.line.outbound.bytesQueued).toBe(0);
  });
});
