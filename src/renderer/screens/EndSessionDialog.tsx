import { useState } from 'react';
import type { EndSessionResult, EndSessionWarningCode } from '../../shared/contract';
import { MIN_REASON_LENGTH, isReasonInWords } from '../../shared/clinical/format';
import { Modal } from '../components/Modal';

export { MIN_REASON_LENGTH };

export interface EndSessionDialogProps {
  warning: NonNullable<EndSessionResult['warning']>;
  busy: boolean;
  error: string | null;
  onGoBack(): void;
  onEndAnyway(reason: string): void;
}

const RISK: Record<EndSessionWarningCode, string> = {
  PUMP_STOPPED: 'The pump is stopped: no baclofen is being delivered.',
  UPDATE_IN_PROGRESS: 'A programming change was reviewed but not sent.',
  UNVERIFIED_UPDATE: 'The last update was not verified by reading the program back.',
  DELIVERY_SUSPENDED: 'Delivery is suspended by a pump fault: no baclofen is being delivered.',
  END_OF_SERVICE: 'The pump has reached end of service: no baclofen is being delivered.',
  BATTERY_ERI: 'The battery is at its elective replacement indicator.',
  REFILL_OVERDUE: 'The refill is overdue.',
};

/** What to say after the warning: the withdrawal paragraph only when no drug is delivered now. */
const ADVICE: Record<EndSessionWarningCode, string> = {
  PUMP_STOPPED:
    'If the patient leaves now, abrupt loss of intrathecal baclofen can cause withdrawal: high fever, altered mental state, rebound spasticity and muscle rigidity, which can progress to rhabdomyolysis, multi-organ failure and death. Go back and resume the pump unless there is a clinical reason not to.',
  DELIVERY_SUSPENDED:
    'If the patient leaves now, abrupt loss of intrathecal baclofen can cause withdrawal: high fever, altered mental state, rebound spasticity and muscle rigidity, which can progress to rhabdomyolysis, multi-organ failure and death. Resolve the fault or cover with oral baclofen and arrange follow-up.',
  END_OF_SERVICE:
    'The patient is without intrathecal baclofen until the pump is replaced: withdrawal can be life-threatening. Arrange replacement and oral cover before the patient leaves.',
  UPDATE_IN_PROGRESS:
    'The pump keeps delivering its old program. Go back and send the change, or cancel it, so the record says what the pump holds.',
  UNVERIFIED_UPDATE:
    'The pump may hold a different program from the one reviewed. Go back and verify it by reading the program back.',
  BATTERY_ERI:
    'The pump keeps delivering for now, but therapy stops at end of service. Make sure replacement surgery is booked before the replace-by date.',
  REFILL_OVERDUE:
    'The pump keeps delivering until it is empty; then the patient is at risk of withdrawal. Refill now or book the refill before the empty date.',
};

/**
 * The incomplete-session warning. Patients have left clinics with a stopped pump and gone into baclofen
 * withdrawal (HSA reminder, docs/clinical-model.md), so "Go back" is the default and ending anyway needs a
 * typed reason, recorded in the session record.
 */
export function EndSessionDialog({ warning, busy, error, onGoBack, onEndAnyway }: EndSessionDialogProps) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  const reasonOk = isReasonInWords(trimmed);
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
      <p data-testid="end-session-advice">{ADVICE[warning.code]}</p>
      <label className="field">
        Reason for ending anyway (recorded; in words, at least {MIN_REASON_LENGTH} characters)
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
