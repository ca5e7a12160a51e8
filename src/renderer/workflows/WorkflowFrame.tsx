import { useEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import type { ProgramError } from '../../device/types';
import type { ProgramChangeRequest } from '../../shared/contract';
import { Review } from './Review';
import {
  initialTransaction,
  overrideReasonToSend,
  transactionReducer,
  type TransactionState,
} from './transaction';
import type { WorkflowProps } from './types';
import { Verify } from './Verify';
import './workflows.css';

export interface Transaction {
  state: TransactionState;
  /** Ask the pump to prepare `change` (validates, computes consequences; changes nothing). */
  propose(change: ProgramChangeRequest, sideEffects?: boolean): Promise<void>;
  commit(overrideReason: string): Promise<void>;
  back(): void;
}

export function useTransaction({
  api,
  origin,
  ageGroup,
  stale,
}: Pick<WorkflowProps, 'api' | 'origin' | 'ageGroup' | 'stale'>): Transaction {
  const [state, dispatch] = useReducer(transactionReducer, initialTransaction);
  return {
    state,
    async propose(change, sideEffects) {
      if (stale || state.phase !== 'edit') return;
      dispatch({ type: 'propose' });
      const r = await api.proposeChange(
        sideEffects ? { change, origin, ageGroup, sideEffects } : { change, origin, ageGroup },
      );
      dispatch(r.ok ? { type: 'proposed', proposal: r.value } : { type: 'proposeFailed', error: r.error });
    },
    async commit(overrideReason) {
      if (stale || state.phase !== 'review') return;
      const proposal = state.proposal;
      dispatch({ type: 'commit' });
      const reason = overrideReasonToSend(proposal, overrideReason);
      const r = await api.commitChange(
        reason
          ? { proposalId: proposal.proposalId, overrideReason: reason }
          : { proposalId: proposal.proposalId },
      );
      dispatch(r.ok ? { type: 'committed', result: r.value } : { type: 'commitFailed', error: r.error });
    },
    back() {
      dispatch({ type: 'back' });
    },
  };
}

export interface WorkflowFrameProps {
  title: string;
  testId: string;
  tx: Transaction;
  props: WorkflowProps;
  /** The editing screens (shown in the edit phase only; their state lives in the workflow, so Back keeps it). */
  children: ReactNode;
  /** Shown under the success panel after a verified update. */
  afterVerify?: ReactNode;
  /** The editor places the pump's refusals beside its own fields (otherwise the frame lists them). */
  placesProgramErrors?: boolean;
}

export function WorkflowFrame({
  title,
  testId,
  tx,
  props,
  children,
  afterVerify,
  placesProgramErrors = false,
}: WorkflowFrameProps) {
  const s = tx.state;
  // Each step inside the workflow (edit, checking, review, result) moves focus to the step's heading (or
  // the frame) and announces it, as a screen change does (WCAG 2.4.3, 4.1.3): focus would otherwise stay
  // on a button that no longer exists, and a screen-reader user would not know the step changed.
  const step = s.phase === 'committing' ? 'review' : s.phase;
  const frameRef = useRef<HTMLDivElement>(null);
  const firstStep = useRef(true);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    const frame = frameRef.current;
    if (!frame) return;
    const heading = frame.querySelector<HTMLElement>('h2');
    const alert = frame.querySelector<HTMLElement>('[role=alert]');
    const target = step === 'edit' ? (alert ?? heading ?? frame) : (heading ?? frame);
    target.tabIndex = -1;
    target.focus();
    const words =
      step === 'proposing'
        ? 'checking the new program with the pump'
        : step === 'edit'
          ? alert
            ? `back to editing: ${alert.textContent ?? ''}`
            : 'back to editing'
          : (heading?.textContent ?? step);
    setAnnouncement(`${title}: ${words}`);
  }, [step, title]);
  return (
    // The shell heads the screen with the workflow's title; this frame only labels its region.
    <div className="wf" data-testid={testId} role="region" aria-label={title} ref={frameRef}>
      <p className="visually-hidden" role="status" data-testid="step-announcer">
        {announcement}
      </p>
      {props.stale && (
        <p role="alert" className="wf-error">
          The link to the pump is lost: values shown may be stale and nothing can be sent until it is
          restored.
        </p>
      )}
      {s.phase === 'edit' && (
        <>
          {s.error && (
            <p role="alert" className="wf-error" data-testid="propose-error">
              The pump could not prepare this program ({s.error.code}): {s.error.message}
            </p>
          )}
          {!placesProgramErrors && s.programErrors.length > 0 && (
            <div role="alert" className="wf-error" data-testid="pump-refused">
              <p>The pump refused this program:</p>
              <ul>
                {s.programErrors.map((e, i) => (
                  <li key={i}>{pumpRefusalText(e)}</li>
                ))}
              </ul>
            </div>
          )}
          {children}
        </>
      )}
      {s.phase === 'proposing' && (
        <p role="status" className="wf-hint">
          Asking the pump to check the new program…
        </p>
      )}
      {(s.phase === 'review' || s.phase === 'committing') && (
        <Review
          proposal={s.proposal}
          error={s.phase === 'review' ? s.error : null}
          stale={props.stale}
          busy={s.phase === 'committing'}
          onBack={tx.back}
          onCancel={props.onDone}
          onCommit={(reason) => void tx.commit(reason)}
        />
      )}
      {s.phase === 'done' && (
        <Verify api={props.api} result={s.result} onDone={props.onDone}>
          {afterVerify}
        </Verify>
      )}
    </div>
  );
}

/** A pump refusal in words: its message first, the field and code for the engineer after. */
export function pumpRefusalText(e: ProgramError): string {
  const msg = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  return `${msg} (${e.field}, ${e.code}).`;
}

/** Error text for one field, with an id to link from the input's aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="wf-field-error">
      {message}
    </p>
  );
}
