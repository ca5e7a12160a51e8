/**
 * The clock driver: the pump has no timers of its own, so the host moves its time. Running, pump time is
 * host time times the speed factor; paused, it stands still; fast, it jumps from one event time
 * (pump.nextEventTime()) to the next as fast as the event loop allows. While running it sleeps until the
 * next event or the next display tick, whichever comes first, so a x100000 run neither misses an alarm
 * nor spins. Every change takes effect at once (the pending sleep is cancelled and recomputed).
 *
 * Bounded: pump time never passes `maxPumpTime` (the pump's u32 time fields must still hold its
 * projections), and a long advance runs in slices of a few milliseconds of host time, yielding to the event
 * loop between them, so the bench, the telemetry line and signals are answered while years go by.
 */
import type { PumpInstant } from '../src/device/types';

export interface ClockedPump {
  now(): PumpInstant;
  advanceTo(to: PumpInstant): void;
  nextEventTime(): PumpInstant | null;
}

export type ClockMode = 'running' | 'paused' | 'fast';

export interface ClockDriverInfo {
  mode: ClockMode;
  speed: number;
  pumpTime: PumpInstant;
  nextEventTime: PumpInstant | null;
  /** The latest pump time the clock moves to (null: no limit). */
  maxPumpTime: PumpInstant | null;
  /** Target of the advance in progress, or null. */
  advancingTo: PumpInstant | null;
  /** The pump time at which running or fast time pauses by itself (the instructor's auto-pause), or null. */
  pauseAt: PumpInstant | null;
}

export interface ClockDriver {
  start(): void;
  stop(): void;
  pause(): void;
  resume(): void;
  /** A speed factor 1..100000 (switches to running unless paused), or 'fast'. */
  setSpeed(speed: number | 'fast'): void;
  /**
   * Move pump time to `to` (now..maxPumpTime), whatever the mode: in slices that yield to the event loop.
   * The first slice runs before this returns (a short advance is done when it returns). Rejects with
   * ClockBusyError while another advance runs, with ClockStoppedError when the driver stops first.
   */
  advanceTo(to: PumpInstant): Promise<void>;
  /** The advance in progress (its target), or null. */
  readonly advancing: PumpInstant | null;
  info(): ClockDriverInfo;
  /**
   * Pause by itself when pump time reaches `at` (running or fast: the step is cut there, so time stops on
   * it exactly; an explicit advance past it pauses at its end). Null cancels. Used once, then cleared.
   */
  setPauseAt(at: PumpInstant | null): void;
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
  /** Host ms of work per fast-mode or advance slice before yielding to I/O. */
  fastSliceMs?: number;
  /** The latest pump time the driver moves to (running and fast stop there). Default: no limit. */
  maxPumpTime?: PumpInstant;
  /** Pump seconds per step of a long advance (each step is one pump.advanceTo). Default 7 days. */
  advanceStepSeconds?: number;
  /** Host timers; default the global ones. Tests inject their own to move host time themselves. */
  timers?: HostTimers;
  /** Called when the clock paused itself at `pauseAt`. */
  onAutoPause?: (at: PumpInstant) => void;
}

export interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `fn` after pending I/O (the yield between fast-mode and advance slices). */
  setImmediate(fn: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

const GLOBAL_TIMERS: HostTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setImmediate: (fn) => setImmediate(fn),
  clearImmediate: (h) => clearImmediate(h as ReturnType<typeof setImmediate>),
};

/** Another advance is running: the bench answers 409. */
export class ClockBusyError extends Error {
  override name = 'ClockBusyError';
}

/** The driver stopped (the sim is shutting down) before the advance reached its target. */
export class ClockStoppedError extends Error {
  override name = 'ClockStoppedError';
}

export function createClockDriver(o: ClockDriverOptions): ClockDriver {
  const hostNow = o.hostNow ?? (() => performance.now());
  const tickMs = o.tickMs ?? 1000;
  const sliceMs = o.fastSliceMs ?? 5;
  const maxTime = o.maxPumpTime ?? Number.MAX_SAFE_INTEGER;
  const stepSeconds = o.advanceStepSeconds ?? 7 * 86_400;
  let mode: ClockMode = o.mode;
  let resumeMode: Exclude<ClockMode, 'paused'> = o.mode === 'paused' ? 'running' : o.mode;
  let speed = o.speed;
  let anchorHost = hostNow();
  let anchorPump = o.pump.now();
  let started = false;
  const timers = o.timers ?? GLOBAL_TIMERS;
  let timer: unknown = null;
  let immediate: unknown = null;
  /** The advance in progress: its target, its next slice, and how it ends. */
  let pauseAt: PumpInstant | null = null;
  let job: {
    to: PumpInstant;
    next: unknown;
    resolve: () => void;
    reject: (e: Error) => void;
  } | null = null;

  const reanchor = (): void => {
    anchorHost = hostNow();
    anchorPump = o.pump.now();
  };

  /** Advance the pump (never past the limit); false when it did not move (error or at the limit). */
  const move = (to: PumpInstant): boolean => {
    const before = o.pump.now();
    if (to > maxTime) to = maxTime;
    if (to <= before) return false;
    try {
      o.pump.advanceTo(to);
    } catch (e) {
      o.onError?.(e);
    }
    return o.pump.now() > before;
  };
  const advance = (to: PumpInstant): void => {
    move(pauseAt !== null && to > pauseAt ? pauseAt : to);
    autoPause();
    o.onAdvance?.();
  };
  /** The auto-pause target reached: pause (once), and say so. */
  const autoPause = (): void => {
    if (pauseAt === null || o.pump.now() < pauseAt) return;
    const at = pauseAt;
    pauseAt = null;
    if (mode !== 'paused') resumeMode = mode;
    mode = 'paused';
    o.onAutoPause?.(at);
  };

  const cancel = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    if (immediate !== null) timers.clearImmediate(immediate);
    timer = null;
    immediate = null;
  };

  /** The next pump time worth stopping at: the pump's next event or the auto-pause, whichever is first. */
  const nextStop = (): PumpInstant | null => {
    const next = o.pump.nextEventTime();
    if (pauseAt === null || pauseAt <= o.pump.now()) return next;
    return next === null || pauseAt < next ? pauseAt : next;
  };

  const schedule = (): void => {
    cancel();
    // While an advance runs it owns the pump's time; the mode takes over again when it ends.
    if (!started || job) return;
    if (mode === 'fast') {
      const next = nextStop();
      if (next !== null && next > o.pump.now() && o.pump.now() < maxTime)
        immediate = timers.setImmediate(step);
      else timer = timers.setTimeout(step, tickMs); // nothing will happen by itself: wait for a change
      return;
    }
    let delay = tickMs;
    if (mode === 'running') {
      const next = nextStop();
      if (next !== null && next > o.pump.now() && next <= maxTime) {
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
        const next = nextStop();
        if (next === null || next <= o.pump.now()) break;
        if (!move(next)) break;
        autoPause();
      } while (mode === 'fast' && hostNow() < until);
      o.onAdvance?.();
    } else {
      o.onAdvance?.(); // paused: a display tick only
    }
    schedule();
  }

  /** One slice of the advance in progress: steps of `stepSeconds` until the slice's host time is spent. */
  const slice = (): void => {
    const j = job;
    if (!j) return;
    j.next = null;
    const until = hostNow() + sliceMs;
    let stuck = false;
    while (o.pump.now() < j.to) {
      if (!move(Math.min(j.to, o.pump.now() + stepSeconds))) {
        stuck = true;
        break;
      }
      if (hostNow() >= until) break;
    }
    o.onAdvance?.();
    if (o.pump.now() >= j.to || stuck) {
      job = null;
      autoPause();
      reanchor();
      schedule();
      if (stuck)
        j.reject(new Error(`the pump did not advance past ${o.pump.now()} (see the clockError event)`));
      else j.resolve();
      return;
    }
    j.next = timers.setImmediate(slice);
  };

  return {
    start() {
      started = true;
      reanchor();
      schedule();
    },
    stop() {
      started = false;
      cancel();
      const j = job;
      if (j) {
        job = null;
        if (j.next !== null) timers.clearImmediate(j.next);
        j.reject(new ClockStoppedError(`the clock stopped at ${o.pump.now()} before reaching ${j.to}`));
      }
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
      if (job) return Promise.reject(new ClockBusyError(`an advance to ${job.to} is still running`));
      if (to > maxTime) return Promise.reject(new RangeError(`${to} is beyond the limit ${maxTime}`));
      if (to <= o.pump.now()) return Promise.resolve();
      cancel();
      const p = new Promise<void>((resolve, reject) => {
        job = { to, next: null, resolve, reject };
      });
      slice();
      return p;
    },
    get advancing() {
      return job?.to ?? null;
    },
    info: () => ({
      mode,
      speed,
      pumpTime: o.pump.now(),
      nextEventTime: o.pump.nextEventTime(),
      maxPumpTime: o.maxPumpTime ?? null,
      advancingTo: job?.to ?? null,
      pauseAt,
    }),
    setPauseAt(at) {
      if (at !== null && at > maxTime) throw new RangeError(`${at} is beyond the limit ${maxTime}`);
      pauseAt = at;
      autoPause(); // a time already reached pauses now
      schedule();
    },
  };
}
