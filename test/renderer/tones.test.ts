import { describe, expect, it } from 'vitest';
import type { AlarmPriority, TonePattern } from '../../src/device/types';
import {
  AlarmTonePlayer,
  DEFAULT_TONE_PATTERNS,
  patternDurationMs,
  repeatDelayMs,
  scheduleSegments,
  selectTone,
  type AudioContextLike,
  type ToneLogEntry,
} from '../../src/renderer/audio/tones';

/** A fake AudioContext that records every oscillator's frequency and start/stop times. */
class FakeAudioContext implements AudioContextLike {
  currentTime = 10;
  destination = { kind: 'destination' };
  state = 'running';
  oscillators: { frequency: number; start: number; stop: number; connected: unknown }[] = [];
  gains: { gain: { value: number }; connected: unknown }[] = [];
  createOscillator() {
    const rec = { frequency: 0, start: NaN, stop: NaN, connected: null as unknown };
    this.oscillators.push(rec);
    return {
      frequency: {
        get value() {
          return rec.frequency;
        },
        set value(v: number) {
          rec.frequency = v;
        },
      },
      connect: (node: unknown) => (rec.connected = node),
      start: (t: number) => (rec.start = t),
      stop: (t: number) => (rec.stop = t),
    };
  }
  createGain() {
    const g = { gain: { value: 1 }, connected: null as unknown };
    this.gains.push(g);
    return { gain: g.gain, connect: (node: unknown) => (g.connected = node) };
  }
}

/** Manual timers: the test decides when time passes. */
class FakeTimers {
  private next = 1;
  pending = new Map<number, { fn: () => void; ms: number }>();
  set = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  };
  clear = (h: unknown) => {
    this.pending.delete(h as number);
  };
  fireAll() {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.fn();
  }
}

const PATTERNS: Record<AlarmPriority, TonePattern> = {
  critical: {
    segments: [
      { frequencyHz: 1000, durationMs: 1500 },
      { frequencyHz: 500, durationMs: 1500 },
    ],
    repeatIntervalS: 60,
  },
  nonCritical: { segments: [{ frequencyHz: 800, durationMs: 1000 }], repeatIntervalS: 3600 },
};

function makePlayer() {
  const ctx = new FakeAudioContext();
  const timers = new FakeTimers();
  const log: ToneLogEntry[] = [];
  const changes: number[] = [];
  let created = 0;
  const player = new AlarmTonePlayer({
    patterns: PATTERNS,
    createContext: () => {
      created++;
      return ctx;
    },
    timers,
    log,
    now: () => 42,
    maxRepeatMs: 30_000,
    onChange: (s) => changes.push(s.scheduled),
  });
  return { ctx, timers, log, player, changes, contexts: () => created };
}

describe('scheduleSegments', () => {
  it('plays the segments back to back from the start time, one oscillator each, into the destination', () => {
    const ctx = new FakeAudioContext();
    const end = scheduleSegments(ctx, PATTERNS.critical.segments, 10);
    expect(end).toBeCloseTo(13);
    expect(ctx.oscillators.map((o) => [o.frequency, o.start, o.stop])).toEqual([
      [1000, 10, 11.5],
      [500, 11.5, 13],
    ]);
    expect(ctx.gains.every((g) => g.connected === ctx.destination)).toBe(true);
  });
});

describe('tone selection and timing', () => {
  it('chooses a critical alarm over an older non-critical one', () => {
    expect(
      selectTone([
        { code: 'LOW_RESERVOIR', priority: 'nonCritical' },
        { code: 'MOTOR_STALL', priority: 'critical' },
      ])?.code,
    ).toBe('MOTOR_STALL');
    expect(selectTone([])).toBeNull();
  });

  it('caps the repeat delay but never below the pattern length plus a gap', () => {
    expect(repeatDelayMs(PATTERNS.nonCritical, 30_000)).toBe(30_000);
    expect(repeatDelayMs(PATTERNS.critical, 1000)).toBe(patternDurationMs(PATTERNS.critical) + 1000);
    expect(repeatDelayMs({ segments: [], repeatIntervalS: 5 }, 30_000)).toBe(5000);
  });

  it('default patterns follow the documented shapes: 3-second two-tone and 1-second single tone', () => {
    const c = DEFAULT_TONE_PATTERNS.critical;
    expect(patternDurationMs(c)).toBe(3000);
    expect(new Set(c.segments.map((s) => s.frequencyHz)).size).toBe(2);
    expect(patternDurationMs(DEFAULT_TONE_PATTERNS.nonCritical)).toBe(1000);
    expect(DEFAULT_TONE_PATTERNS.nonCritical.segments).toHaveLength(1);
  });
});

describe('AlarmTonePlayer', () => {
  it('schedules a tone at once for an unsilenced alarm and repeats it while it stays active', () => {
    const { player, log, timers, ctx } = makePlayer();
    player.update([{ code: 'LOW_RESERVOIR', priority: 'nonCritical' }]);
    expect(log).toEqual([
      { code: 'LOW_RESERVOIR', priority: 'nonCritical', at: 42, segments: PATTERNS.nonCritical.segments },
    ]);
    expect(ctx.oscillators).toHaveLength(1);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([30_000]);
    timers.fireAll();
    timers.fireAll();
    expect(log).toHaveLength(3);
    expect(player.scheduledCount).toBe(3);
  });

  it('does not restart the rhythm when the same alarm is reported again', () => {
    const { player, log, timers } = makePlayer();
    player.update([{ code: 'LOW_RESERVOIR', priority: 'nonCritical' }]);
    player.update([{ code: 'LOW_RESERVOIR', priority: 'nonCritical' }]);
    expect(log).toHaveLength(1);
    expect(timers.pending.size).toBe(1);
  });

  it('switches to the critical two-tone when a critical alarm joins', () => {
    const { player, log, timers, ctx } = makePlayer();
    player.update([{ code: 'LOW_RESERVOIR', priority: 'nonCritical' }]);
    player.update([
      { code: 'CATHETER_OCCLUSION', priority: 'critical' },
      { code: 'LOW_RESERVOIR', priority: 'nonCritical' },
    ]);
    expect(log.map((e) => e.code)).toEqual(['LOW_RESERVOIR', 'CATHETER_OCCLUSION']);
    expect(ctx.oscillators.slice(1).map((o) => o.frequency)).toEqual([1000, 500]);
    expect(timers.pending.size).toBe(1); // the non-critical repeat was cancelled
  });

  it('stops scheduling when the alarms are silenced (no sounding alarm left)', () => {
    const { player, log, timers } = makePlayer();
    player.update([{ code: 'END_OF_SERVICE', priority: 'critical' }]);
    player.update([]);
    expect(timers.pending.size).toBe(0);
    timers.fireAll();
    expect(log).toHaveLength(1);
    expect(player.sounding).toBeNull();
  });

  it('the alarm test plays both patterns, critical first, without disturbing a sounding alarm', () => {
    const { player, log, timers, ctx } = makePlayer();
    player.update([{ code: 'LOW_RESERVOIR', priority: 'nonCritical' }]);
    player.test();
    expect(log.map((e) => [e.code, e.priority])).toEqual([
      ['LOW_RESERVOIR', 'nonCritical'],
      ['ALARM_TEST', 'critical'],
      ['ALARM_TEST', 'nonCritical'],
    ]);
    // The non-critical test tone starts after the critical one ends (3 s) plus a 0.5 s gap.
    expect(ctx.oscillators.at(-1)!.start).toBeCloseTo(ctx.currentTime + 3.5);
    expect(timers.pending.size).toBe(1);
    expect(player.sounding?.code).toBe('LOW_RESERVOIR');
  });

  it('still records the schedule when audio is unavailable, and creates the context only once', () => {
    const log: ToneLogEntry[] = [];
    let calls = 0;
    const player = new AlarmTonePlayer({
      patterns: PATTERNS,
      createContext: () => {
        calls++;
        throw new Error('no audio device');
      },
      timers: new FakeTimers(),
      log,
    });
    player.update([{ code: 'ERI', priority: 'nonCritical' }]);
    player.test();
    expect(log).toHaveLength(3);
    expect(calls).toBe(1);
  });

  it('reports every change to its listener', () => {
    const { player, changes } = makePlayer();
    player.update([{ code: 'ERI', priority: 'nonCritical' }]);
    player.update([]);
    expect(changes).toEqual([1, 1]);
  });
});
