import { describe, expect, it } from 'vitest';
import { createClockDriver, type ClockedPump } from '../../firmware-sim/clock';
import { manualTime } from '../support/manual-time';

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

describe('clock driver', () => {
  it('fast: jumps exactly onto every event time, then idles when nothing else will happen', () => {
    const pump = scheduledPump(1000, [5000, 90_000, 1_000_000]);
    const host = manualTime();
    const clock = createClockDriver({
      pump,
      mode: 'fast',
      speed: 1,
      tickMs: 20,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    host.advance(100);
    clock.stop();
    expect(pump.advances).toEqual([5000, 90_000, 1_000_000]);
  });

  it('running at a speed factor: never overshoots an event it can see, and lands on it', () => {
    // At x100000 the event 2000 s ahead is 20 ms of host time away; a driver that slept a whole display tick
    // would skip past it in one big advance.
    const host = manualTime();
    const pump = scheduledPump(0, [2000, 4000]);
    const clock = createClockDriver({
      pump,
      mode: 'running',
      speed: 100_000,
      tickMs: 1000,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    host.advance(19);
    expect(pump.advances).toEqual([]);
    host.advance(1);
    expect(pump.advances).toEqual([2000]);
    host.advance(20);
    clock.stop();
    expect(pump.advances).toEqual([2000, 4000]);
  });

  it('paused: time stands still; advanceTo works while paused; resume re-anchors (no jump for the paused span)', () => {
    const host = manualTime();
    const pump = scheduledPump(100, []);
    const clock = createClockDriver({
      pump,
      mode: 'running',
      speed: 10,
      tickMs: 5,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    clock.pause();
    host.advance(10_000);
    expect(pump.now()).toBe(100);
    clock.advanceTo(500);
    expect(pump.now()).toBe(500);
    expect(clock.info().mode).toBe('paused');
    clock.resume();
    host.advance(1_000); // 1 s after resume at x10
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
    const host = manualTime();
    const clock = createClockDriver({
      pump,
      mode: 'fast',
      speed: 1,
      tickMs: 5,
      maxPumpTime: 250,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    host.advance(50);
    expect(pump.advances).toEqual([100, 200, 250]);
    await expect(clock.advanceTo(251)).rejects.toThrow(/beyond the limit/);
    clock.stop();
  });

  it('a long advance runs in slices of host time; a second one meanwhile is refused; stop ends it', async () => {
    let host = 0;
    const slices = manualTime(); // its immediates are the advance's slices, run when the test says
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
      timers: slices,
    });
    clock.start();
    const done = clock.advanceTo(1000);
    // The first slice ran before advanceTo returned: five steps of 10 s, then it yielded.
    expect(pump.now()).toBe(50);
    expect(clock.info().advancingTo).toBe(1000);
    await expect(clock.advanceTo(2000)).rejects.toThrow(/still running/);
    slices.advance(0); // the queued slices run (each yields after 5 ms of host time)
    expect(pump.now()).toBe(1000);
    await done;
    const again = clock.advanceTo(2000);
    expect(pump.now()).toBe(1050);
    clock.stop();
    await expect(again).rejects.toThrow(/stopped/);
    slices.advance(0);
    expect(pump.now()).toBe(1050);
  });
});

describe('clock driver: auto-pause at a time', () => {
  it('running: cuts the step at the chosen time, pauses there exactly and says so once', () => {
    const host = manualTime();
    const pump = scheduledPump(0, []);
    const fired: number[] = [];
    const clock = createClockDriver({
      pump,
      mode: 'running',
      speed: 100_000,
      tickMs: 50,
      hostNow: host.now,
      timers: host,
      onAutoPause: (at) => fired.push(at),
    });
    clock.start();
    clock.setPauseAt(12_345);
    expect(clock.info().pauseAt).toBe(12_345);
    host.advance(1000); // 100 000 pump seconds' worth of host time
    expect(pump.now()).toBe(12_345);
    expect(clock.info()).toMatchObject({ mode: 'paused', pauseAt: null });
    expect(fired).toEqual([12_345]);
    host.advance(1000);
    expect(pump.now()).toBe(12_345);
    clock.resume(); // resumes as it ran, from there
    host.advance(50); // one tick
    clock.stop();
    expect(clock.info().mode).toBe('running');
    expect(pump.now()).toBe(12_345 + 5000);
  });

  it('fast: stops on it even between two pump events; null cancels', () => {
    const host = manualTime();
    const pump = scheduledPump(0, [1000, 9000, 20_000]);
    const clock = createClockDriver({
      pump,
      mode: 'paused',
      speed: 1,
      tickMs: 20,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    clock.setSpeed('fast');
    clock.setPauseAt(5000);
    clock.resume();
    host.advance(100);
    expect(pump.advances).toEqual([1000, 5000]);
    expect(clock.info().mode).toBe('paused');
    clock.setPauseAt(15_000);
    clock.setPauseAt(null);
    clock.resume();
    host.advance(100);
    clock.stop();
    expect(pump.advances).toEqual([1000, 5000, 9000, 20_000]);
  });

  it('an explicit advance past it pauses at the advance end; a limit beyond maxPumpTime is refused', async () => {
    const host = manualTime();
    const pump = scheduledPump(0, []);
    const clock = createClockDriver({
      pump,
      mode: 'fast',
      speed: 1,
      maxPumpTime: 50_000,
      hostNow: host.now,
      timers: host,
    });
    clock.start();
    clock.setPauseAt(100);
    await clock.advanceTo(200);
    clock.stop();
    expect(pump.now()).toBe(200);
    expect(clock.info()).toMatchObject({ mode: 'paused', pauseAt: null });
    expect(() => clock.setPauseAt(60_000)).toThrow(RangeError);
  });
});
