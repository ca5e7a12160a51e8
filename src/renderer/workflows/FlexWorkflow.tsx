import { useId, useMemo, useRef, useState } from 'react';
import type { FlexStep } from '../../device/types';
import { parseDoseEntry } from './entry';
import {
  addRow,
  describeSchedule,
  MAX_FLEX_STEPS,
  placeProgramErrors,
  removeRow,
  rowsFromSteps,
  stepChart,
  validateFlex,
  type FlexRow,
} from './flex-model';
import { formatDose, formatZone } from '../../shared/clinical/format';
import type { WorkflowProps } from './types';
import { WorkflowActions } from './WorkflowActions';
import { useTransaction, WorkflowFrame } from './WorkflowFrame';
import { FindingsPanel, useLiveEvaluation } from './LiveFindings';
import './workflows.css';

export function FlexWorkflow(props: WorkflowProps) {
  const { program, status } = props;
  const tx = useTransaction(props);
  const keyRef = useRef(0);
  const newKey = () => `row-${++keyRef.current}`;
  const baseId = useId();
  const [rows, setRows] = useState<FlexRow[]>(() => {
    if (program.therapy.mode === 'flex' && program.therapy.steps.length > 0)
      return rowsFromSteps(program.therapy.steps, newKey);
    const dose =
      program.therapy.mode === 'continuous' ? program.therapy.dailyDoseNgPerDay : status.dailyDoseNgPerDay;
    return rowsFromSteps([{ startSecondOfDay: 0, dailyDoseNgPerDay: dose }], newKey);
  });
  const [touched, setTouched] = useState(false);

  const local = useMemo(() => validateFlex(rows, parseDoseEntry), [rows]);
  // The pump's errors refer to the rows as they were proposed; they are shown until the clinician edits.
  const pumpErrors = tx.state.phase === 'edit' && !touched ? tx.state.programErrors : [];
  const placed = placeProgramErrors(pumpErrors, rows.length);
  const chartSteps: FlexStep[] = local.steps ?? [];
  const evaluation = useLiveEvaluation(
    props,
    local.steps ? { therapy: { mode: 'flex', steps: local.steps } } : null,
  );

  function edit(next: FlexRow[]) {
    setRows(next);
    setTouched(true);
  }
  function update(key: string, patch: Partial<FlexRow>) {
    edit(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  }
  function review() {
    if (!local.steps) return;
    setTouched(false);
    void tx.propose({ therapy: { mode: 'flex', steps: local.steps } });
  }

  const W = 720;
  const H = 200;
  const chart = stepChart(chartSteps, W, H);
  const zoneLabel = formatZone(status.pumpTime);

  return (
    <WorkflowFrame title="Flex schedule" testId="workflow-flex" tx={tx} props={props} placesProgramErrors>
      <p className="wf-hint">
        Each step runs from its start time until the next step starts; times are the patient&apos;s local time
        ({zoneLabel}), which the pump clock follows across daylight-saving changes. The day starts at 00:00.
        Up to {MAX_FLEX_STEPS} steps.
      </p>
      <table className="wf-flex-table" data-testid="flex-table">
        <caption>Flex steps</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Start time (hh:mm)</th>
            <th scope="col">Dose (mcg/day)</th>
            <th scope="col">
              <span className="wf-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const startErr = [local.rowErrors[i]?.start, placed.rowErrors[i]?.start]
              .filter(Boolean)
              .join(' ');
            const doseErr = [local.rowErrors[i]?.dose, placed.rowErrors[i]?.dose].filter(Boolean).join(' ');
            const sid = `${baseId}-start-${row.key}`;
            const did = `${baseId}-dose-${row.key}`;
            return (
              <tr key={row.key} data-testid={`flex-row-${i}`}>
                <th scope="row">{i + 1}</th>
                <td>
                  <label htmlFor={sid} className="wf-visually-hidden">
                    Step {i + 1} start time
                  </label>
                  <input
                    id={sid}
                    type="text"
                    inputMode="numeric"
                    value={row.start}
                    aria-invalid={startErr ? true : undefined}
                    aria-describedby={startErr ? `${sid}-err` : undefined}
                    onChange={(e) => update(row.key, { start: e.target.value })}
                  />
                  {startErr && (
                    <p id={`${sid}-err`} className="wf-field-error">
                      {startErr}
                    </p>
                  )}
                </td>
                <td>
                  <label htmlFor={did} className="wf-visually-hidden">
                    Step {i + 1} dose in mcg/day
                  </label>
                  <input
                    id={did}
                    type="text"
                    inputMode="decimal"
                    value={row.dose}
                    aria-invalid={doseErr ? true : undefined}
                    aria-describedby={doseErr ? `${did}-err` : undefined}
                    onChange={(e) => update(row.key, { dose: e.target.value })}
                  />
                  {doseErr && (
                    <p id={`${did}-err`} className="wf-field-error">
                      {doseErr}
                    </p>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => edit(removeRow(rows, row.key))}
                    disabled={rows.length <= 1}
                    aria-label={`Remove step ${i + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="wf-actions wf-actions-start">
        <button
          type="button"
          onClick={() => edit(addRow(rows, newKey()))}
          disabled={rows.length >= MAX_FLEX_STEPS}
        >
          Add step
        </button>
        <span className="wf-hint" aria-live="polite">
          {rows.length} of {MAX_FLEX_STEPS} steps
        </span>
      </div>
      {[...local.scheduleErrors, ...placed.scheduleErrors].length > 0 && (
        <ul className="wf-error" data-testid="flex-errors">
          {[...local.scheduleErrors, ...placed.scheduleErrors].map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {pumpErrors.length > 0 && (
        <p role="alert" className="wf-error" data-testid="flex-pump-errors">
          The pump refused this schedule: {pumpErrors.length} problem{pumpErrors.length === 1 ? '' : 's'},
          shown beside the steps.
        </p>
      )}

      <h2>Dose over 24 hours</h2>
      <svg
        className="wf-chart"
        viewBox={`-40 -10 ${W + 60} ${H + 40}`}
        role="img"
        aria-label={describeSchedule(chartSteps, formatDose)}
        data-testid="flex-chart"
      >
        {chart.ticks.map((t) => (
          <g key={t.label}>
            <line className="wf-chart-grid" x1={t.x} x2={t.x} y1={0} y2={H} />
            <text x={t.x} y={H + 18} textAnchor="middle">
              {t.label}
            </text>
          </g>
        ))}
        <line className="wf-chart-grid" x1={0} x2={W} y1={H} y2={H} />
        <text x={-6} y={6} textAnchor="end">
          {chartSteps.length ? formatDose(chart.maxDose).replace(' mcg/day', '') : ''}
        </text>
        <text x={-6} y={H} textAnchor="end">
          0
        </text>
        {chart.path && <path className="wf-chart-line" d={chart.path} />}
      </svg>
      {!local.steps && <p className="wf-hint">The chart shows the schedule once every step is valid.</p>}
      <FindingsPanel evaluation={evaluation} testId="flex-findings" />

      <WorkflowActions
        onCancel={props.onDone}
        primaryDisabled={!local.steps || props.stale || evaluation?.hardStop === true}
        onPrimary={review}
      />
    </WorkflowFrame>
  );
}
