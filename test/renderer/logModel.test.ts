import { describe, expect, it } from 'vitest';
import type { LogEntry, LogKind } from '../../src/device/types';
import { ALL_KINDS, kindsPresent, logView, mergeLogEntries } from '../../src/renderer/screens/logModel';
import { EMPTY_FRAMES, appendFrame, formatHex } from '../../src/renderer/screens/frameModel';

const kinds: LogKind[] = ['PROGRAM', 'ALARM_RAISED', 'REFILL'];
const entries: LogEntry[] = Array.from({ length: 25 }, (_, i) => ({
  seq: i + 1,
  time: 1000 + i * 60,
  kind: kinds[i % 3]!,
  detail: `entry ${i + 1}`,
}));

describe('logView', () => {
  it('pages newest first, 10 per page, with Newer/Older availability', () => {
    const first = logView(entries, ALL_KINDS, 0);
    expect(first.rows.map((e) => e.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(first).toMatchObject({ page: 0, pageCount: 3, matching: 25, hasNewer: false, hasOlder: true });
    const last = logView(entries, ALL_KINDS, 2);
    expect(last.rows.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(last).toMatchObject({ hasNewer: true, hasOlder: false });
  });

  it('filters by kind before paging', () => {
    const v = logView(entries, 'ALARM_RAISED', 0);
    expect(v.matching).toBe(8);
    expect(v.rows.every((e) => e.kind === 'ALARM_RAISED')).toBe(true);
    expect(v.pageCount).toBe(1);
  });

  it('clamps a page out of range and handles an empty log', () => {
    expect(logView(entries, ALL_KINDS, 99).page).toBe(2);
    expect(logView(entries, ALL_KINDS, -3).page).toBe(0);
    expect(logView([], ALL_KINDS, 0)).toMatchObject({
      rows: [],
      pageCount: 1,
      hasNewer: false,
      hasOlder: false,
    });
  });

  it('lists the kinds present and merges overlapping reads without duplicates', () => {
    expect(kindsPresent(entries)).toEqual(['ALARM_RAISED', 'PROGRAM', 'REFILL']);
    const merged = mergeLogEntries(entries.slice(0, 15), entries.slice(10));
    expect(merged.map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
  });
});

describe('frame buffer', () => {
  const frame = (i: number, ok = true) => ({
    direction: (i % 2 ? 'rx' : 'tx') as 'rx' | 'tx',
    at: i,
    bytes: '0a0b',
    summary: `f${i}`,
    ok,
  });

  it('keeps the newest frames up to its limit and counts everything seen', () => {
    let buf = EMPTY_FRAMES;
    for (let i = 0; i < 7; i++) buf = appendFrame(buf, frame(i, i !== 3), 5);
    expect(buf.frames.map((f) => f.summary)).toEqual(['f2', 'f3', 'f4', 'f5', 'f6']);
    expect(buf).toMatchObject({ total: 7, tx: 4, rx: 3, bad: 1 });
  });

  it('formats hex by byte and truncates long frames', () => {
    expect(formatHex('0a0BfF')).toBe('0A 0B FF');
    expect(formatHex('00'.repeat(60), 4)).toBe('00 00 00 00 … (60 bytes)');
  });
});
