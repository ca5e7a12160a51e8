import { useState } from 'react';
import type { EndSessionResult } from '../../shared/contract';
import { Modal } from '../components/Modal';

export const MIN_REASON_LENGTH = 5;

export interface EndSessionDialogProps {
  warning: NonNullable<EndSessionResult['warning']>;
  busy: boolean;
  error: string | null;
  onGoBack(): void;
  onEndAnyway(reason: string): void;
}

const RISK: Record<NonNullable<EndSessionResult['warning']>['code'], string> = {
  PUMP_STOPPED: 'The pump is stopped: no baclofen is being delivered.',
  UPDATE_IN_PROGRESS: 'A programming update is in progress: the pump is stopped while it updates.',
  UNVERIFIED_UPDATE: 'The last update was not verified by reading the program back.',
};

/**
 * The incomplete-session warning. Patients have left clinics with a stopped pump and gone into baclofen
 * withdrawal (HSA reminder, docs/clinical-model.md), so "Go back" is the default and ending anyway needs a
 * typed reason, recorded in the session record.
 */
export function EndSessionDialog({ warning, busy, error, onGoBack, onEndAnyway }: EndSessionDialogProps) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  const reasonOk = trimmed.length >= MIN_REASON_LENGTH;
  return (
    <Modal
      role="alertdialog"
      id="end-session"
      title="The session is not safe to end"
      onCancel={onGoBack}
      testId="end-session-dialog"
    >
      <p className="risk" data-testid="end-session-warning" data-warning-code={warning.code}>
        <strong>{warning.message || RISK[warning.code]}</strong>
      </p>
      <p>
        If the patient leaves now, abrupt loss of intrathecal baclofen can cause <strong>withdrawal</strong>:
        high fever, altered mental state, rebound spasticity and muscle rigidity, which can progress to
        rhabdomyolysis, multi-organ failure and death. Go back and resume or complete the update unless there
        is a clinical reason not to.
      </p>
      <label className="field">
        Reason for ending anyway (recorded, at least {MIN_REASON_LENGTH} characters)
        <textarea value={reason} maxLength={500} rows={3} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="primary" data-autofocus onClick={onGoBack}>
          Go back
        </button>
        <button
          type="button"
          className="danger"
          disabled={!reasonOk || busy}
          onClick={() => onEndAnyway(trimmed)}
        >
          End anyway
        </button>
      </div>
    </Modal>
  );
}
