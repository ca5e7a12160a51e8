/**
 * Alarm view-model: which alarms are active, in which order they are shown, which one sounds.
 * Pure functions over the pump's `Alarm` records (interrogation) and 'alarm' events.
 */
import { ALARM_PRIORITY } from '../../shared/device-facts/profiles';
import type { Alarm, AlarmCode, AlarmPriority, PumpStatus, PumpInstant } from '../../device/types';

/**
 * Priority of each code (the device profiles' table), used only when an 'alarm' event arrives without a
 * status: the pump's own record carries its priority and always wins.
 */
export const DEFAULT_ALARM_PRIORITY: Record<AlarmCode, AlarmPriority> = ALARM_PRIORITY;

/** What the clinician reads: the alarm, what it means for the patient, what the clinic does. */
import { ALARM_TEXT } from '../../shared/clinical/alarm-text';
export { ALARM_TEXT };

export function priorityRank(p: AlarmPriority): number {
  return p === 'critical' ? 0 : 1;
}

/** Critical first; within a priority the oldest first (it has waited longest); then by code for stability. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) =>
      priorityRank(a.priority) - priorityRank(b.priority) ||
      a.raisedAt - b.raisedAt ||
      a.code.localeCompare(b.code),
  );
}

export function isSilenced(alarm: Alarm, pumpTime: PumpInstant): boolean {
  return alarm.silencedUntil !== null && alarm.silencedUntil > pumpTime;
}

/** Active alarms that are not silenced: these sound. */
export function soundingAlarms(alarms: readonly Alarm[], pumpTime: PumpInstant): Alarm[] {
  return sortAlarms(alarms.filter((a) => !isSilenced(a, pumpTime)));
}

export interface AlarmEventLike {
  code: AlarmCode;
  raised: boolean;
  status: PumpStatus | null;
}

/**
 * Apply an 'alarm' event to the alarms shown. A status in the event is the pump's whole truth and replaces
 * the list; without one, the single code is added (priority from the default table) or removed.
 */
export function applyAlarmEvent(
  alarms: readonly Alarm[],
  event: AlarmEventLike,
  pumpTime: PumpInstant,
): Alarm[] {
  if (event.status) return sortAlarms(event.status.alarms);
  const others = alarms.filter((a) => a.code !== event.code);
  if (!event.raised) return sortAlarms(others);
  const existing = alarms.find((a) => a.code === event.code);
  const alarm: Alarm = existing ?? {
    code: event.code,
    priority: DEFAULT_ALARM_PRIORITY[event.code],
    raisedAt: pumpTime,
    silencedUntil: null,
    nextToneAt: pumpTime,
  };
  return sortAlarms([...others, alarm]);
}

export function describeAlarm(alarm: Alarm): string {
  const text = ALARM_TEXT[alarm.code];
  return `${alarm.priority === 'critical' ? 'Critical' : 'Non-critical'}: ${text.title}`;
}

/** Silence lengths offered (minutes). */
export const SILENCE_OPTIONS = [15, 60, 240, 1440] as const;

/**
 * Longest silence offered while a critical alarm sounds (minutes). No published SynchroMed II limit was
 * found; an assumption, documented in docs/clinical-model.md ("Alarm silence"): a critical alarm means no
 * therapy, so it comes back within the hour while the clinic acts.
 */
export const CRITICAL_SILENCE_MAX_MINUTES = 60;

/** The silence lengths allowed now: a sounding critical alarm caps them. */
export function silenceOptions(alarms: readonly Alarm[], pumpTime: PumpInstant): number[] {
  const critical = alarms.some((a) => a.priority === 'critical' && !isSilenced(a, pumpTime));
  return SILENCE_OPTIONS.filter((m) => !critical || m <= CRITICAL_SILENCE_MAX_MINUTES);
}

/** A silence that would quiet a sounding critical alarm needs the clinician's confirmation. */
export function silenceNeedsConfirmation(alarms: readonly Alarm[], pumpTime: PumpInstant): boolean {
  return alarms.some((a) => a.priority === 'critical' && !isSilenced(a, pumpTime));
}
