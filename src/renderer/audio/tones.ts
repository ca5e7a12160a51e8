/**
 * Alarm tones with Web Audio, following the pump's tone patterns (critical: 3-second two-tone; non-critical:
 * 1-second single tone). The programmer plays the tone of the most urgent unsilenced alarm, repeats it while
 * that alarm stays active and unsilenced, and stops when it is silenced or cleared.
 *
 * Every scheduled tone is appended to a log (in the page: `window.__toneLog`) so tests can observe the
 * schedule without listening: Chromium runs headless and an AudioContext may stay suspended there.
 */
import { TONE_PATTERNS } from '../../shared/device-facts/profiles';
import type { AlarmCode, AlarmPriority, TonePattern } from '../../device/types';

export type ToneSegment = TonePattern['segments'][number];

/** The device's tone patterns (src/shared/device-facts/profiles.ts): what the pump itself sounds. */
export const DEFAULT_TONE_PATTERNS: Record<AlarmPriority, TonePattern> = TONE_PATTERNS;

export interface ToneLogEntry {
  /** The alarm whose tone this is, or ALARM_TEST for the clinician's alarm test. */
  code: AlarmCode | 'ALARM_TEST';
  priority: AlarmPriority;
  /** Host time (ms) at which the tone was scheduled. */
  at: number;
  segments: ToneSegment[];
}

// The parts of Web Audio used here, so tests can pass a fake context.
export interface AudioParamLike {
  value: number;
}
export interface OscillatorLike {
  frequency: AudioParamLike;
  connect(node: never): unknown;
  start(when: number): void;
  stop(when: number): void;
}
export interface GainLike {
  gain: AudioParamLike;
  connect(node: never): unknown;
}
export interface AudioContextLike {
  readonly currentTime: number;
  readonly destination: unknown;
  readonly state?: string;
  createOscillator(): OscillatorLike;
  createGain(): GainLike;
  resume?(): Promise<void>;
}

/** Duration of a pattern's sound (ms). */
export function patternDurationMs(pattern: TonePattern): number {
  return pattern.segments.reduce((sum, s) => sum + s.durationMs, 0);
}

/**
 * Schedule the segments back to back from `startAt` (context seconds); returns the end time.
 * One oscillator per segment: changing frequency on one oscillator would click between tones.
 */
export function scheduleSegments(
  ctx: AudioContextLike,
  segments: readonly ToneSegment[],
  startAt: number,
): number {
  let t = startAt;
  for (const seg of segments) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = seg.frequencyHz;
    gain.gain.value = 0.2;
    osc.connect(gain as never);
    gain.connect(ctx.destination as never);
    osc.start(t);
    t += seg.durationMs / 1000;
    osc.stop(t);
  }
  return t;
}

export interface SoundingAlarm {
  code: AlarmCode;
  priority: AlarmPriority;
}

/** The alarm whose tone plays: critical before non-critical, else the first given (callers sort by age). */
export function selectTone(sounding: readonly SoundingAlarm[]): SoundingAlarm | null {
  return sounding.find((a) => a.priority === 'critical') ?? sounding[0] ?? null;
}

/**
 * Wall-clock delay between repeats. The pump repeats in pump time (hourly for non-critical); a screen that
 * beeps once an hour teaches nothing and the simulated clock may run 100000x, so the programmer caps it.
 */
export function repeatDelayMs(pattern: TonePattern, maxRepeatMs: number): number {
  return Math.max(patternDurationMs(pattern) + 1000, Math.min(pattern.repeatIntervalS * 1000, maxRepeatMs));
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface AlarmTonePlayerOptions {
  patterns?: Record<AlarmPriority, TonePattern>;
  /** Creates the audio context on first use; null when audio is unavailable (the log still records). */
  createContext: () => AudioContextLike | null;
  timers?: Timers;
  now?: () => number;
  log?: ToneLogEntry[];
  maxRepeatMs?: number;
  /** Called after every change of the schedule (tone scheduled, started, stopped). */
  onChange?: (state: { scheduled: number; sounding: SoundingAlarm | null }) => void;
}

export class AlarmTonePlayer {
  private readonly patterns: Record<AlarmPriority, TonePattern>;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly maxRepeatMs: number;
  readonly log: ToneLogEntry[];
  private ctx: AudioContextLike | null | undefined;
  private current: SoundingAlarm | null = null;
  private timer: unknown = null;
  private scheduled = 0;

  constructor(private readonly options: AlarmTonePlayerOptions) {
    this.patterns = options.patterns ?? DEFAULT_TONE_PATTERNS;
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.now = options.now ?? (() => Date.now());
    this.maxRepeatMs = options.maxRepeatMs ?? 30_000;
    this.log = options.log ?? [];
  }

  get scheduledCount(): number {
    return this.scheduled;
  }

  get sounding(): SoundingAlarm | null {
    return this.current;
  }

  /**
   * Tell the player which alarms are active and unsilenced. A new most-urgent alarm sounds at once and
   * repeats; the same alarm keeps its rhythm (no restart on every interrogation); none stops the tones.
   */
  update(sounding: readonly SoundingAlarm[]): void {
    const next = selectTone(sounding);
    if (next && this.current && next.code === this.current.code && next.priority === this.current.priority)
      return;
    this.cancelTimer();
    this.current = next;
    if (next) this.playAndRepeat();
    else this.notify();
  }

  /** The alarm test: both patterns once, critical then non-critical. Does not disturb a sounding alarm's rhythm. */
  test(): void {
    const critical = this.patterns.critical;
    const end = this.play('ALARM_TEST', 'critical', critical, 0);
    this.play('ALARM_TEST', 'nonCritical', this.patterns.nonCritical, end + 0.5);
    this.notify();
  }

  stop(): void {
    this.cancelTimer();
    this.current = null;
    this.notify();
  }

  private playAndRepeat(): void {
    const alarm = this.current;
    if (!alarm) return;
    const pattern = this.patterns[alarm.priority];
    this.play(alarm.code, alarm.priority, pattern, 0);
    this.timer = this.timers.set(
      () => {
        this.timer = null;
        this.playAndRepeat();
      },
      repeatDelayMs(pattern, this.maxRepeatMs),
    );
    this.notify();
  }

  /** Schedule one pattern `delay` seconds from now (context time); returns its end (seconds from now). */
  private play(
    code: ToneLogEntry['code'],
    priority: AlarmPriority,
    pattern: TonePattern,
    delay: number,
  ): number {
    this.scheduled++;
    this.log.push({ code, priority, at: this.now(), segments: pattern.segments.map((s) => ({ ...s })) });
    const ctx = this.context();
    if (ctx) {
      try {
        if (ctx.state === 'suspended') void ctx.resume?.().catch(() => undefined);
        scheduleSegments(ctx, pattern.segments, ctx.currentTime + delay);
      } catch (err) {
        console.warn('alarm tone could not be played', err);
      }
    }
    return delay + patternDurationMs(pattern) / 1000;
  }

  private context(): AudioContextLike | null {
    if (this.ctx === undefined) {
      try {
        this.ctx = this.options.createContext();
      } catch {
        this.ctx = null;
      }
    }
    return this.ctx;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private notify(): void {
    this.options.onChange?.({ scheduled: this.scheduled, sounding: this.current });
  }
}

declare global {
  interface Window {
    /** Every tone the programmer scheduled, for end-to-end tests (see AlarmTonePlayer). */
    __toneLog?: ToneLogEntry[];
  }
}

/** The page's player: Web Audio if present, logging into window.__toneLog. */
export function createBrowserTonePlayer(
  onChange: AlarmTonePlayerOptions['onChange'],
  patterns?: Record<AlarmPriority, TonePattern>,
): AlarmTonePlayer {
  window.__toneLog ??= [];
  return new AlarmTonePlayer({
    patterns,
    log: window.__toneLog,
    onChange,
    createContext: () =>
      typeof AudioContext === 'undefined' ? null : (new AudioContext() as unknown as AudioContextLike),
  });
}
