/** Alarms: raise, clear, silence, tone schedule, and ordering (critical first, then oldest first). */
import { appendLog } from './log';
import { ALARM_PRIORITY, TONE_PATTERNS } from '../shared/device-facts/profiles';
import type { PumpNotification } from './pump-api';
import type { PumpState } from './state';
import type { Alarm, AlarmCode, AlarmPriority } from './types';

export type Notes = PumpNotification[];

export function hasAlarm(s: PumpState, code: AlarmCode): boolean {
  return s.alarms.some((a) => a.code === code);
}

/** Critical before non-critical, then by raisedAt, then by code for a stable order. */
const rank = (p: AlarmPriority): number => (p === 'critical' ? 0 : 1);
const byPriority = (a: Alarm, b: Alarm): number =>
  rank(a.priority) - rank(b.priority) ||
  a.raisedAt - b.raisedAt ||
  (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export function orderAlarms(alarms: readonly Alarm[]): Alarm[] {
  // Every interrogation orders the alarms: no sort when there is nothing to order.
  return alarms.length < 2 ? alarms.slice() : alarms.slice().sort(byPriority);
}

/** Raises an alarm (no-op if active). Its first tone sounds now (handled by soundDueTones). */
export function raiseAlarm(s: PumpState, notes: Notes, code: AlarmCode): void {
  if (hasAlarm(s, code)) return;
  const alarm: Alarm = {
    code,
    priority: ALARM_PRIORITY[code],
    raisedAt: s.now,
    silencedUntil: null,
    nextToneAt: s.now,
  };
  s.alarms = orderAlarms([...s.alarms, alarm]);
  appendLog(s, 'ALARM_RAISED', code);
  notes.push({ type: 'alarmRaised', code, time: s.now });
}

export function clearAlarm(s: PumpState, notes: Notes, code: AlarmCode): void {
  if (!hasAlarm(s, code)) return;
  s.alarms = s.alarms.filter((a) => a.code !== code);
  appendLog(s, 'ALARM_CLEARED', code);
  notes.push({ type: 'alarmCleared', code, time: s.now });
}

/** Sounds every tone due at or before now and schedules its repeat (regular cadence from raisedAt). */
export function soundDueTones(s: PumpState, notes: Notes): void {
  for (const a of s.alarms) {
    if (a.nextToneAt > s.now) continue;
    if (a.silencedUntil !== null && a.silencedUntil <= s.now) a.silencedUntil = null;
    notes.push({ type: 'tone', code: a.code, time: s.now, priority: a.priority });
    a.nextToneAt = s.now + TONE_PATTERNS[a.priority].repeatIntervalS;
  }
}

export function nextToneTime(s: PumpState): number | null {
  let t: number | null = null;
  for (const a of s.alarms) if (t === null || a.nextToneAt < t) t = a.nextToneAt;
  return t;
}

/** Silence until `until`: no tone before then; the alarm stays active and sounds again at `until`. */
export function silence(s: PumpState, until: number, code?: AlarmCode): void {
  for (const a of s.alarms) {
    if (code !== undefined && a.code !== code) continue;
    a.silencedUntil = until;
    a.nextToneAt = until;
    appendLog(s, 'ALARM_SILENCED', `${a.code} until ${until}`);
  }
}
