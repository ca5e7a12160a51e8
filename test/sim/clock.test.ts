import { describe, expect, it } from 'vitest';
import { createClockDriver, type ClockedPump } from '../../firmware-sim/clock';

/** A pump whose only behaviour is events at fixed times; records every advance it is asked for. */
function scheduledPump(start: number, events: number[]): ClockedPump & { advances: number[] } {
  let t = start;
  const advances: number[] = [];
  return {
    advances,
    now: () => t,
    advanceTo(to) {
      if (to < t) throw new Error('backwards');
      advances.push(to);
      t = to;
    },
    nextEventTime: () => events.find((e) => e > t) ?? null,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('clock driver', () => {
  it('fast: jumps exactly onto every event time, then idles when nothing else will happen', async () => {
    const pump = scheduledPump(1000, [5000, 90_000, 1_000_000]);
    const clock = createClockDriver({ pump, mode: 'fast', speed: 1, tickMs: 20 });
    clock.start();
    for (let i = 0; i < 100 && pump.now() < 1_000_000; i++) await sleep(5);
    clock.stop();
    expect(pump.advances).toEqual([5000, 90_000, 1_000_000]);
  });

  it('running at a speed factor: never overshoots an event it can see, and lands on it', async () => {
    // At x100000 the event 2000 s ahead is 20 ms of host time away; a driver that slept a whole display tick
    // would skip past it in one big advance.
    let host = 0;
    const pump = scheduledPump(0, [2000, 4000]);
    const clock = createClockDriver({
      pump,
      mode: 'running',
      speed: 100_000,
      tickMs: 1000,
      hostNow: () => host,
    });
    clock.start();
    host = 20;
    await sleep(40);
    clock.stop();
    expect(pump.advances[0]).toBe(2000);
  });

  it('paused: time stands still; advanceTo works while paused; resume re-anchors (no jump for the paused span)', async () => {
    let host = 0;
    const pump = scheduledPump(100, []);
    const clock = createClockDriver({ pump, mode: 'running', speed: 10, tickMs: 5, hostNow: () => host });
    clock.start();
    clock.pause();
    host = 10_000;
    await sleep(20);
    expect(pump.now()).toBe(100);
    clock.advanceTo(500);
    expect(pump.now()).toBe(500);
    expect(clock.info().mode).toBe('paused');
    clock.resume();
    host = 11_000; // 1 s after resume at x10
    await sleep(20);
    clock.stop();
    expect(pump.now()).toBe(510);
  });

  it('setSpeed while paused stays paused and applies on resume; fast and back', () => {
    const pump = scheduledPump(0, []);
    const clock = createClockDriver({ pump, mode: 'paused', speed: 1 });
    clock.setSpeed(60);
    expect(clock.info()).toMatchObject({ mode: 'paused', speed: 60 });
    clock.resume();
    expect(clock.info().mode).toBe('running');
    clock.setSpeed('fast');
    expect(clock.info().mode).toBe('fast');
    clock.pause();
    clock.resume();
    expect(clock.info().mode).toBe('fast');
    clock.stop();
  });

  it('never passes maxPumpTime: fast mode stops there, and an advance beyond it is refused', async () => {
    const pump = scheduledPump(0, [100, 200, 300]);
    const clock = createClockDriver({ pump, mode: 'fast', speed: 1, tickMs: 5, maxPumpTime: 250 });
    clock.start();
    for (let i = 0; i < 50 && pump.now() < 250; i++) await sleep(2);
    await sleep(20);
    expect(pump.advances).toEqual([100, 200, 250]);
    await expect(clock.advanceTo(251)).rejects.toThrow(/beyond the limit/);
    clock.stop();
  });

  it('a long advance runs in slices of host time; a second one meanwhile is refused; stop ends it', async () => {
    let host = 0;
    const pump = scheduledPump(0, []);
    const orig = pump.advanceTo.bind(pump);
    pump.advanceTo = (to) => {
      host += 1; // each step costs 1 ms of (injected) host time
      orig(to);
    };
    const clock = createClockDriver({
      pump,
      mode: 'paused',
      speed: 1,
      fastSliceMs: 5,
      advanceStepSeconds: 10,
      hostNow: () => host,
    });
    clock.start();
    const done = clock.advanceTo(1000);
    // The first slice ran before advanceTo returned: five steps of 10 s, then it yielded.
    expect(pump.now()).toBe(50);
    expect(clock.info().advancingTo).toBe(1000);
    await expect(clock.advanceTo(2000)).rejects.toThrow(/still running/);
    await new Promise((r) => setImmediate(r)); // queued after the advance's next slice
    expect(pump.now()).toBeGreaterThan(50);
    clock.stop();
    await expect(done).rejects.toThrow(/stopped/);
    expect(pump.now()).toBeLessThan(1000);
  });
});
