import { useState } from 'react';
import type { Alarm, PumpInstant } from '../../device/types';
import { ConfirmDialog } from '../components/Modal';
import { formatDuration, formatLocalDateTime } from '../../shared/clinical/format';
import {
  ALARM_TEXT,
  describeAlarm,
  isSilenced,
  silenceNeedsConfirmation,
  silenceOptions,
} from './alarmModel';

export { SILENCE_OPTIONS } from './alarmModel';

export interface AlarmBannerProps {
  /** Sorted, critical first. */
  alarms: Alarm[];
  pumpTime: PumpInstant;
  tonesScheduled: number;
  toneActive: boolean;
  stale: boolean;
  onSilence(minutes: number): Promise<void>;
}

/**
 * The always-visible alarm banner under the header: every active alarm, most urgent first, each with what
 * it means for the patient and what the clinic does; Silence (confirmed when a critical alarm sounds).
 */
export function AlarmBanner({
  alarms,
  pumpTime,
  tonesScheduled,
  toneActive,
  stale,
  onSilence,
}: AlarmBannerProps) {
  const [chosen, setChosen] = useState(60);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
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
  const options = silenceOptions(alarms, pumpTime);
  const minutes = options.includes(chosen) ? chosen : options[options.length - 1]!;
  const needsConfirm = silenceNeedsConfirmation(alarms, pumpTime);
  const criticalTitles = alarms
    .filter((a) => a.priority === 'critical' && !isSilenced(a, pumpTime))
    .map((a) => ALARM_TEXT[a.code].title);
  const doSilence = async () => {
    setBusy(true);
    await onSilence(minutes);
    setBusy(false);
    setConfirming(false);
  };
  return (
    <div
      role="alert"
      className={`alarm-banner ${anyCritical ? 'critical' : 'noncritical'}${allSilenced ? ' silenced' : ''}`}
      data-testid="alarm-banner"
      data-tones-scheduled={tonesScheduled}
      data-tone-active={toneActive ? 'true' : 'false'}
      data-top-alarm={top.code}
    >
      <ol className="alarm-banner-text" data-testid="alarm-banner-list">
        {alarms.map((a) => (
          <li key={a.code} data-alarm-code={a.code} className={a.priority}>
            <strong>{describeAlarm(a)}</strong>
            <span className="alarm-meaning"> — {ALARM_TEXT[a.code].meaning}</span>
            <span className="alarm-action"> Action: {ALARM_TEXT[a.code].action}</span>
            {isSilenced(a, pumpTime) && a.silencedUntil !== null && (
              <span className="silenced-note"> Silenced until {formatLocalDateTime(a.silencedUntil)}.</span>
            )}
          </li>
        ))}
      </ol>
      <div className="alarm-banner-actions">
        <label>
          Silence for{' '}
          <select value={minutes} onChange={(e) => setChosen(Number(e.target.value))}>
            {options.map((m) => (
              <option key={m} value={m}>
                {formatDuration(m * 60)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={busy || stale || allSilenced}
          onClick={() => (needsConfirm ? setConfirming(true) : void doSilence())}
        >
          Silence alarms
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          id="confirm-silence-critical"
          danger
          title="Silence a critical alarm?"
          message={
            <p>
              {criticalTitles.join(' and ')}: the patient may be getting no drug (withdrawal risk). Silencing
              stops the tone for {formatDuration(minutes * 60)} only; the alarm stays active until its cause
              is fixed.
            </p>
          }
          confirmLabel={`Silence for ${formatDuration(minutes * 60)}`}
          busy={busy}
          onConfirm={() => void doSilence()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

/** The active alarms, critical first, with raise time and silenced state. */
export function AlarmList({ alarms, pumpTime }: { alarms: Alarm[]; pumpTime: PumpInstant }) {
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
          <div className="hint">
            {ALARM_TEXT[a.code].meaning} Action: {ALARM_TEXT[a.code].action}
          </div>
        </li>
      ))}
    </ol>
  );
}
