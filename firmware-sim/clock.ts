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
}

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
  let timer: ReturnType<typeof setTimeout> | null = null;
  let immediate: ReturnType<typeof setImmediate> | null = null;

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
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  };

  const schedule = (): void => {
    cancel();
    if (!started) return;
    if (mode === 'fast') {
      const next = o.pump.nextEventTime();
      if (next !== null && next > o.pump.now()) immediate = setImmediate(step);
      else timer = setTimeout(step, tickMs); // nothing will happen by itself: wait for a change
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
    timer = setTimeout(step, delay);
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
