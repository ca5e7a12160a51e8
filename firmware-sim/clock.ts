/**
 * The clock driver: the pump has no timers of its own, so the host moves its time. Running, pump time is
 * host time times the speed factor; paused, it stands still; fast, it jumps from one event time
 * (pump.nextEventTime()) to the next as fast as the event loop allows. While running it sleeps until the
 * next event or the next display tick, whichever comes first, so a x100000 run neither misses an alarm
 * nor spins. Every change takes effect at once (the pending sleep is cancelled and recomputed).
 */
import type { Seconds } from '../src/device/types';

export interface ClockedPump {
  now(): Seconds;
  advanceTo(to: Seconds): void;
  nextEventTime(): Seconds | null;
}

export type ClockMode = 'running' | 'paused' | 'fast';

export interface ClockDriverInfo {
  mode: ClockMode;
  speed: number;
  pumpTime: Seconds;
  nextEventTime: Seconds | null;
}

export interface ClockDriver {
  start(): void;
  stop(): void;
  pause(): void;
  resume(): void;
  /** A speed factor 1..100000 (switches to running unless paused), or 'fast'. */
  setSpeed(speed: number | 'fast'): void;
  /** Move pump time to `to` (>= now) at once, whatever the mode. */
  advanceTo(to: Seconds): void;
  info(): ClockDriverInfo;
}

export interface ClockDriverOptions {
  pump: ClockedPump;
  mode: ClockMode;
  speed: number;
  /** Display tick, host ms. */
  tickMs?: number;
  /** Called after every change of pump time (for persistence and the bench stream). */
  onAdvance?: () => void;
  onError?: (e: unknown) => void;
  hostNow?: () => number;
  /** Host ms of work per fast-mode slice before yielding to I/O. */
  fastSliceMs?: number;
  /** Host timers; default the global ones. Tests inject their own to move host time themselves. */
  timers?: HostTimers;
}

export interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `fn` after pending I/O (fast mode's yield between slices). */
  setImmediate(fn: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

const GLOBAL_TIMERS: HostTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setImmediate: (fn) => setImmediate(fn),
  clearImmediate: (h) => clearImmediate(h as ReturnType<typeof setImmediate>),
};

export function createClockDriver(o: ClockDriverOptions): ClockDriver {
  const hostNow = o.hostNow ?? (() => performance.now());
  const tickMs = o.tickMs ?? 1000;
  const sliceMs = o.fastSliceMs ?? 5;
  let mode: ClockMode = o.mode;
  let resumeMode: Exclude<ClockMode, 'paused'> = o.mode === 'paused' ? 'running' : o.mode;
  let speed = o.speed;
  let anchorHost = hostNow();
  let anchorPump = o.pump.now();
  let started = false;
  const timers = o.timers ?? GLOBAL_TIMERS;
  let timer: unknown = null;
  let immediate: unknown = null;

  const reanchor = (): void => {
    anchorHost = hostNow();
    anchorPump = o.pump.now();
  };

  const advance = (to: Seconds): void => {
    if (to <= o.pump.now()) return;
    try {
      o.pump.advanceTo(to);
    } catch (e) {
      o.onError?.(e);
    }
    o.onAdvance?.();
  };

  const cancel = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    if (immediate !== null) timers.clearImmediate(immediate);
    timer = null;
    immediate = null;
  };

  const schedule = (): void => {
    cancel();
    if (!started) return;
    if (mode === 'fast') {
      const next = o.pump.nextEventTime();
      if (next !== null && next > o.pump.now()) immediate = timers.setImmediate(step);
      else timer = timers.setTimeout(step, tickMs); // nothing will happen by itself: wait for a change
      return;
    }
    let delay = tickMs;
    if (mode === 'running') {
      const next = o.pump.nextEventTime();
      if (next !== null && next > o.pump.now()) {
        const dueHost = anchorHost + ((next - anchorPump) * 1000) / speed;
        delay = Math.min(tickMs, Math.max(1, Math.ceil(dueHost - hostNow())));
      }
    }
    timer = timers.setTimeout(step, delay);
  };

  function step(): void {
    timer = null;
    immediate = null;
    if (mode === 'running') {
      const target = anchorPump + Math.floor(((hostNow() - anchorHost) * speed) / 1000);
      advance(target);
    } else if (mode === 'fast') {
      const until = hostNow() + sliceMs;
      do {
        const next = o.pump.nextEventTime();
        if (next === null || next <= o.pump.now()) break;
        advance(next);
      } while (hostNow() < until);
    } else {
      o.onAdvance?.(); // paused: a display tick only
    }
    schedule();
  }

  return {
    start() {
      started = true;
      reanchor();
      schedule();
    },
    stop() {
      started = false;
      cancel();
    },
    pause() {
      if (mode !== 'paused') resumeMode = mode;
      mode = 'paused';
      schedule();
    },
    resume() {
      if (mode === 'paused') mode = resumeMode;
      reanchor();
      schedule();
    },
    setSpeed(s) {
      if (s === 'fast') {
        if (mode === 'paused') resumeMode = 'fast';
        else mode = 'fast';
      } else {
        speed = s;
        if (mode === 'paused') resumeMode = 'running';
        else mode = 'running';
      }
      reanchor();
      schedule();
    },
    advanceTo(to) {
      advance(to);
      reanchor();
      schedule();
    },
    info: () => ({ mode, speed, pumpTime: o.pump.now(), nextEventTime: o.pump.nextEventTime() }),
  };
}
