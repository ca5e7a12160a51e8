import { useId, useState } from 'react';
import type { OperationError, Proposal } from '../../shared/contract';
import {
  formatDose,
  formatLocalDateTime,
  formatRate,
  formatReservoirVolume,
  formatZone,
} from '../../shared/clinical/format';
import { commitBlockers, findingsBySeverity } from './transaction';
import { FindingList } from './FindingList';
import './workflows.css';

export interface ReviewProps {
  proposal: Proposal;
  /** The last commit attempt's error, if it failed (nothing was changed). */
  error: OperationError | null;
  stale: boolean;
  busy: boolean;
  onBack(): void;
  onCancel(): void;
  onCommit(overrideReason: string): void;
}

/**
 * The finish screen: old and new values side by side, the consequences and the rule findings. The only
 * place a workflow can send anything to the pump ("Update pump").
 */
export function Review({ proposal, error, stale, busy, onBack, onCancel, onCommit }: ReviewProps) {
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const blockersId = useId();
  const { hardStops, warnings } = findingsBySeverity(proposal.findings);
  const blockers = commitBlockers(proposal, reason, stale);
  const c = proposal.consequences;
  const needsReason = warnings.length > 0 && hardStops.length === 0;

  return (
    <section className="wf-review" aria-labelledby={`${reasonId}-h`} data-testid="review">
      <h2 id={`${reasonId}-h`}>Review and update</h2>
      <p className="wf-hint">
        Check every new value against the order before updating. The pump stops while it updates and restarts
        after it.
      </p>
      <p className="wf-hint" data-testid="review-zone">
        Times are local: {formatZone(Math.floor(Date.now() / 1000))}.
      </p>
      <table className="wf-review-table" data-testid="review-table">
        <caption>Current and new settings</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Current</th>
            <th scope="col">New</th>
          </tr>
        </thead>
        <tbody>
          {proposal.rows.map((r) => (
            <tr key={r.field} className={r.changed ? 'wf-changed' : undefined} data-field={r.field}>
              <th scope="row">{r.label}</th>
              <td>{r.old}</td>
              <td>
                {r.new}
                {r.changed && <span className="wf-changed-tag"> (changed)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Consequences</h3>
      <dl className="wf-consequences" data-testid="review-consequences">
        <dt>Rate</dt>
        <dd>{formatRate(c.rateUlPerDay)}</dd>
        <dt>Dose delivered (after rate rounding)</dt>
        <dd>{formatDose(c.effectiveDailyDoseNgPerDay)}</dd>
        <dt>Therapy phase (from the pump log)</dt>
        <dd data-testid="review-phase">
          {proposal.clinical.phase === 'maintenance' ? 'maintenance adjustment' : 'post-implant titration'}
        </dd>
        <dt>Reservoir volume after update</dt>
        <dd>{formatReservoirVolume(c.reservoirVolumeAfterUl)}</dd>
        <dt>Low-reservoir alarm</dt>
        <dd>
          {c.lowReservoirAlarmTime === null
            ? 'none (nothing delivered)'
            : formatLocalDateTime(c.lowReservoirAlarmTime)}
        </dd>
        <dt>Reservoir empty</dt>
        <dd>{c.emptyTime === null ? 'never at this rate' : formatLocalDateTime(c.emptyTime)}</dd>
        <dt>Refill by</dt>
        <dd>
          {proposal.nextRefillTime === null ? 'not applicable' : formatLocalDateTime(proposal.nextRefillTime)}
        </dd>
      </dl>

      {proposal.findings.length > 0 && (
        <div className="wf-findings" data-testid="review-findings">
          <h3>Clinical checks</h3>
          <FindingList findings={proposal.findings} />
        </div>
      )}
      {proposal.errors.length > 0 && (
        <div role="alert" className="wf-error">
          <p>The pump did not accept this program:</p>
          <ul>
            {proposal.errors.map((e, i) => (
              <li key={i}>
                {e.message} ({e.field})
              </li>
            ))}
          </ul>
        </div>
      )}

      {needsReason && (
        <div className="wf-field">
          <label htmlFor={reasonId}>
            Reason for going beyond guidance (required, recorded in the session)
          </label>
          <textarea
            id={reasonId}
            data-testid="override-reason"
            value={reason}
            maxLength={500}
            rows={3}
            required
            aria-describedby={blockers.length ? blockersId : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      )}

      {error && (
        <p role="alert" className="wf-error" data-testid="commit-error">
          The update was not applied ({error.code}): {error.message}
        </p>
      )}
      {blockers.length > 0 && (
        <ul id={blockersId} className="wf-blockers" data-testid="commit-blockers">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}

      <div className="wf-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="wf-primary"
          data-testid="update-pump"
          disabled={busy || blockers.length > 0}
          aria-describedby={blockers.length ? blockersId : undefined}
          onClick={() => onCommit(reason)}
        >
          {busy ? 'Updating…' : 'Update pump'}
        </button>
      </div>
    </section>
  );
}
