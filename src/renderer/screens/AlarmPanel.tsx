import { useState } from 'react';
import type { Alarm, Seconds } from '../../device/types';
import { formatLocalDateTime } from '../components/units';
import { ALARM_TEXT, describeAlarm, isSilenced } from './alarmModel';

export interface AlarmBannerProps {
  /** Sorted, critical first. */
  alarms: Alarm[];
  pumpTime: Seconds;
  tonesScheduled: number;
  toneActive: boolean;
  stale: boolean;
  onSilence(minutes: number): Promise<void>;
}

export const SILENCE_OPTIONS = [15, 60, 240, 1440];

/** The always-visible alarm banner under the header: most urgent alarm first, with Silence. */
export function AlarmBanner({
  alarms,
  pumpTime,
  tonesScheduled,
  toneActive,
  stale,
  onSilence,
}: AlarmBannerProps) {
  const [minutes, setMinutes] = useState(60);
  const [busy, setBusy] = useState(false);
  if (!alarms.length) {
    // Kept in the DOM (empty) so the tone counter stays observable after an alarm clears.
    return (
      <div
        className="alarm-banner-empty"
        data-testid="alarm-banner-empty"
        data-tones-scheduled={tonesScheduled}
        hidden
      />
    );
  }
  const top = alarms[0]!;
  const anyCritical = alarms.some((a) => a.priority === 'critical');
  const allSilenced = alarms.every((a) => isSilenced(a, pumpTime));
  return (
    <div
      role="alert"
      className={`alarm-banner ${anyCritical ? 'critical' : 'noncritical'}${allSilenced ? ' silenced' : ''}`}
      data-testid="alarm-banner"
      data-tones-scheduled={tonesScheduled}
      data-tone-active={toneActive ? 'true' : 'false'}
      data-top-alarm={top.code}
    >
      <div className="alarm-banner-text">
        <strong>{describeAlarm(top)}</strong>
        {alarms.length > 1 && <span> (+{alarms.length - 1} more)</span>}
        <span className="alarm-action"> — {ALARM_TEXT[top.code].action}</span>
        {allSilenced && <span className="silenced-note"> Silenced.</span>}
      </div>
      <div className="alarm-banner-actions">
        <label>
          Silence for{' '}
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {SILENCE_OPTIONS.map((m) => (
              <option key={m} value={m}>
                {m >= 60 ? `${m / 60} h` : `${m} min`}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={busy || stale || allSilenced}
          onClick={async () => {
            setBusy(true);
            await onSilence(minutes);
            setBusy(false);
          }}
        >
          Silence alarms
        </button>
      </div>
    </div>
  );
}

/** The active alarms, critical first, with raise time and silenced state. */
export function AlarmList({ alarms, pumpTime }: { alarms: Alarm[]; pumpTime: Seconds }) {
  if (!alarms.length) return <p data-testid="alarm-list-empty">No active alarms.</p>;
  return (
    <ol className="alarm-list" data-testid="alarm-list">
      {alarms.map((a) => (
        <li key={a.code} className={a.priority} data-alarm-code={a.code}>
          <strong>{describeAlarm(a)}</strong>
          <span> since {formatLocalDateTime(a.raisedAt)}</span>
          {isSilenced(a, pumpTime) && a.silencedUntil !== null && (
            <span className="silenced-note"> · silenced until {formatLocalDateTime(a.silencedUntil)}</span>
          )}
          <div className="hint">{ALARM_TEXT[a.code].action}</div>
        </li>
      ))}
    </ol>
  );
}
