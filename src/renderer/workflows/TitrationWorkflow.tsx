import { useId, useMemo, useState } from 'react';
import { doseText } from './entry';
import { formatDose, formatLocalDate, formatRate, formatConcentration } from '../../shared/clinical/format';
import {
  currentDailyDose,
  formatBp,
  guidanceText,
  titrationView,
  verdictOf,
  type TitrationEntryMode,
} from './titration-model';
import type { WorkflowProps } from './types';
import { WorkflowActions } from './WorkflowActions';
import { useTransaction, WorkflowFrame } from './WorkflowFrame';
import { FindingList } from './FindingList';
import { useClinicalHistory } from './useClinicalHistory';
import { phaseAt } from '../../shared/clinical/history';
import './workflows.css';

export function TitrationWorkflow(props: WorkflowProps) {
  const { program, status, origin, ageGroup } = props;
  const { history, error: historyError } = useClinicalHistory(props.api, status);
  const tx = useTransaction(props);
  const id = useId();
  const current = currentDailyDose(program);
  const [mode, setMode] = useState<TitrationEntryMode>('dose');
  const [doseEntry, setDoseEntry] = useState(doseText(current));
  const [percentEntry, setPercentEntry] = useState('');
  const [sideEffects, setSideEffects] = useState(false);
  const [touched, setTouched] = useState(false);
  const text = mode === 'dose' ? doseEntry : percentEntry;
  const view = useMemo(
    () => titrationView(mode, text, program, status, origin, sideEffects, ageGroup, history),
    [mode, text, program, status, origin, sideEffects, ageGroup, history],
  );
  const ev = view.evaluation;
  const entryError = !view.newDose.ok && (touched || text !== '') ? view.newDose.message : null;
  const p = view.projection;
  const historyReady = history !== null || historyError !== null;
  // A hard stop cannot be sent: the Review button is off beside it, as on the review screen.
  const canReview =
    view.newDose.ok && view.direction !== 'none' && !props.stale && historyReady && !ev?.hardStop;
  const phase = history ? phaseAt(history, status.pumpTime) : 'titration';

  function review() {
    if (!view.newDose.ok) return;
    void tx.propose(
      { therapy: { mode: 'continuous', dailyDoseNgPerDay: view.newDose.value } },
      sideEffects || undefined,
    );
  }

  const inputId = `${id}-entry`;
  const errId = `${id}-entry-err`;
  return (
    <WorkflowFrame title="Titrate the daily dose" testId="workflow-titration" tx={tx} props={props}>
      <dl className="wf-consequences">
        <dt>Current dose</dt>
        <dd data-testid="titration-current">{formatDose(current)}</dd>
        <dt>Concentration</dt>
        <dd>{formatConcentration(status.concentrationMcgPerMl)}</dd>
        <dt>Current rate</dt>
        <dd>{formatRate(status.rateUlPerDay)}</dd>
      </dl>
      {program.therapy.mode === 'flex' && (
        <p className="wf-warning">
          The pump runs a flex schedule (mean {formatDose(current)}). A titration here replaces it with a
          simple continuous dose; use the flex editor to keep the schedule.
        </p>
      )}
      <p className="wf-guardrail" data-testid="titration-guidance">
        {guidanceText(origin, ageGroup, phase)}
      </p>
      {historyError && (
        <p className="wf-warning" role="alert">
          The pump&apos;s history could not be read ({historyError}): the review will check the change against
          the pump&apos;s log.
        </p>
      )}

      <fieldset>
        <legend className="wf-legend">Enter the change as</legend>
        <div className="wf-radio-row">
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'dose'}
              onChange={() => setMode('dose')}
            />
            As a new daily dose
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'percent'}
              onChange={() => setMode('percent')}
            />
            As a percentage change
          </label>
        </div>
      </fieldset>
      <div className="wf-field">
        <label htmlFor={inputId}>
          {mode === 'dose' ? 'New daily dose (mcg/day)' : 'Change (%; negative to decrease)'}
        </label>
        <input
          id={inputId}
          data-testid="titration-entry"
          type="text"
          inputMode="decimal"
          value={text}
          aria-invalid={entryError ? true : undefined}
          aria-describedby={entryError ? errId : undefined}
          onChange={(e) => {
            setTouched(true);
            if (mode === 'dose') setDoseEntry(e.target.value);
            else setPercentEntry(e.target.value);
          }}
        />
        {entryError && (
          <p id={errId} className="wf-field-error">
            {entryError}
          </p>
        )}
      </div>
      <div className="wf-field">
        <label>
          <input type="checkbox" checked={sideEffects} onChange={(e) => setSideEffects(e.target.checked)} />{' '}
          Change because of side effects (allows a larger decrease)
        </label>
      </div>

      {view.newDose.ok && (
        <section aria-live="polite" data-testid="titration-preview">
          <h2>New dose</h2>
          <dl className="wf-consequences">
            <dt>New daily dose</dt>
            <dd data-testid="titration-new-dose">{formatDose(view.newDose.value)}</dd>
            {ev?.effectiveDailyDose != null && ev.effectiveDailyDose !== view.newDose.value && (
              <>
                <dt>The pump will deliver</dt>
                <dd data-testid="titration-delivered">{formatDose(ev.effectiveDailyDose)}</dd>
              </>
            )}
            <dt>Change per 24 h</dt>
            <dd data-testid="titration-change">
              {!ev
                ? 'reading the pump history…'
                : ev.changePer24hBp == null
                  ? 'not applicable (no current dose)'
                  : formatBp(ev.changePer24hBp)}
            </dd>
            <dt>New rate</dt>
            <dd>{p?.rate == null ? 'not applicable' : formatRate(p.rate)}</dd>
            <dt>Low-reservoir alarm (estimate)</dt>
            <dd>{p?.lowReservoirAlarmTime == null ? 'none' : formatLocalDate(p.lowReservoirAlarmTime)}</dd>
            <dt>Refill by (estimate)</dt>
            <dd>{p?.refillByTime == null ? 'none' : formatLocalDate(p.refillByTime)}</dd>
          </dl>
          {ev && (
            <div
              className={`wf-guardrail wf-verdict-${verdictOf(ev)}`}
              data-testid="titration-findings"
              data-verdict={verdictOf(ev)}
            >
              {ev.findings.length === 0 ? (
                <p>{view.direction === 'none' ? 'No change from the current dose.' : 'Within guidance.'}</p>
              ) : (
                <FindingList findings={ev.findings} />
              )}
              {ev.needsOverrideReason && <p>The update will need a stated reason for the override.</p>}
              {ev.hardStop && (
                <p data-testid="titration-hard-stop">This change cannot be sent to the pump.</p>
              )}
            </div>
          )}
          <p className="wf-hint">
            Estimates from the calculated reservoir; the review screen shows the pump's figures.
          </p>
        </section>
      )}

      <WorkflowActions onCancel={props.onDone} primaryDisabled={!canReview} onPrimary={review} />
    </WorkflowFrame>
  );
}
