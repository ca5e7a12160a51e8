import type { TrainingCaseStatus } from '../../shared/training-case';
import { formatLocalDateTime } from '../../shared/clinical/format';

export interface CaseBannerProps {
  status: Extract<TrainingCaseStatus, { active: true }>;
  busy: boolean;
  onFinish(): void;
}

/**
 * The training case in progress, above every screen: its title, the messages it sends the learner (the
 * nurse calls, the patient reports) with their local times, and "Finish case" for the debrief.
 */
export function CaseBanner({ status, busy, onFinish }: CaseBannerProps) {
  const messages = status.messages;
  const latest = messages.at(-1);
  return (
    <aside className="case-banner" aria-labelledby="case-banner-title" data-testid="case-banner">
      <div className="row">
        <strong id="case-banner-title">Training case: {status.summary.title}</strong>
        <button type="button" disabled={busy} onClick={onFinish}>
          {status.ended ? 'Show the debrief' : 'Finish case'}
        </button>
      </div>
      {status.ended && (
        <p role="status">The case has ended{status.endReason ? `: ${status.endReason}` : ''}.</p>
      )}
      {latest && (
        <p aria-live="polite" data-testid="case-latest-message">
          {formatLocalDateTime(latest.t)}: {latest.text}
        </p>
      )}
      {messages.length > 1 && (
        <details>
          <summary>All messages ({messages.length})</summary>
          <ul>
            {messages.map((m, i) => (
              <li key={i}>
                {formatLocalDateTime(m.t)}: {m.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </aside>
  );
}
