import { useMemo, useState } from 'react';
import type { ProgrammerBridge } from '../../shared/contract';
import type { Debrief } from '../../shared/training-case';
import { formatCaseTime, formatLocalDateTime, formatZone } from '../../shared/clinical/format';
import { TimeChart, type ChartMarker } from '../components/TimeChart';

export interface DebriefScreenProps {
  api: ProgrammerBridge;
  debrief: Debrief;
  onClose(): void;
}

const OUTCOME_WORDS = {
  passed: 'Passed',
  failed: 'Failed (critical error)',
  inProgress: 'In progress',
} as const;
const STATUS_WORDS = { met: 'Met', missed: 'Missed', pending: 'Pending' } as const;

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The debrief of a training case: the outcome (a missed critical expectation fails the case whatever the
 * score), the score, every expectation ticked or crossed with its time and evidence (critical ones first),
 * the timeline charts (dose programmed vs delivered, reservoir calculated vs true, the patient's spasticity
 * and stages, alarms and the learner's actions as markers) and the event log. Printable (the browser's
 * print gives a PDF) and exportable as JSON or a stand-alone HTML page.
 */
export function DebriefScreen({ api, debrief: d, onClose }: DebriefScreenProps) {
  const [error, setError] = useState<string | null>(null);
  const start = d.startTime;
  const hours = useMemo(() => d.series.t.map((t) => (t - start) / 3600), [d.series.t, start]);
  const markers = useMemo<ChartMarker[]>(
    () =>
      d.events
        .filter((e) => e.kind === 'alarm' || e.actor === 'learner')
        .map((e) => ({
          x: (e.t - start) / 3600,
          kind: e.kind === 'alarm' ? 'alarm' : 'learner',
          text: e.text,
        })),
    [d.events, start],
  );
  const s = d.series;
  const doseSeries = useMemo(
    () => [
      { label: 'programmed (mcg/day)', values: s.programmedMcgPerDay, color: '#555' },
      { label: 'delivered to the spinal fluid (mcg/day)', values: s.deliveredMcgPerDay, color: '#c05000' },
    ],
    [s],
  );
  const reservoirSeries = useMemo(
    () => [
      { label: 'calculated by the pump (mL)', values: s.reservoirCalculatedMl, color: '#555' },
      { label: 'truly in the reservoir (mL)', values: s.reservoirTrueMl, color: '#0070c0' },
    ],
    [s],
  );
  const patientSeries = useMemo(
    () => [
      { label: 'Modified Ashworth (0-4)', values: s.ashworth, color: '#7030a0' },
      { label: 'withdrawal stage (0-4)', values: s.withdrawalStage, color: '#c00000' },
      { label: 'overdose stage (0-3)', values: s.overdoseStage, color: '#00a050' },
      { label: 'spasm frequency (Penn 0-4)', values: s.pennSpasms ?? [], color: '#a06000' },
    ],
    [s],
  );
  // The document's other expected benefits (a debrief saved before them has none: empty lines).
  const benefitSeries = useMemo(
    () => [
      { label: 'pain (0-10, patient)', values: s.painNrs ?? [], color: '#c00000' },
      { label: 'times woken a night', values: s.awakeningsPerNight ?? [], color: '#0070c0' },
      { label: 'caregiver burden (0-10)', values: s.caregiverBurden ?? [], color: '#7030a0' },
    ],
    [s],
  );
  const activitySeries = useMemo(
    () => [{ label: 'daily activities (0-100)', values: s.dailyActivities ?? [], color: '#00a050' }],
    [s],
  );

  const exportAs = async (format: 'json' | 'html') => {
    setError(null);
    const r = await api.exportDebrief({ format });
    if (!r.ok) return setError(r.error.message);
    download(
      `debrief-${d.scenario.id}.${format}`,
      format === 'json' ? 'application/json' : 'text/html',
      r.value,
    );
  };

  return (
    <section className="screen debrief" aria-labelledby="debrief-title">
      <div className="screen-title-row">
        <h1 id="debrief-title">Debrief: {d.scenario.title}</h1>
        <div className="row no-print">
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
          <button type="button" onClick={() => void exportAs('json')}>
            Export JSON
          </button>
          <button type="button" onClick={() => void exportAs('html')}>
            Export HTML
          </button>
          <button type="button" onClick={onClose}>
            Close the debrief
          </button>
        </div>
      </div>
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      <p>
        <span className={`outcome ${d.outcome}`} data-testid="debrief-outcome">
          {OUTCOME_WORDS[d.outcome]}
        </span>{' '}
        Score <strong data-testid="debrief-score">{d.score.percent}%</strong> ({d.score.met} of{' '}
        {d.score.total} points).{' '}
        {d.endReason && (
          <>
            Ended {formatCaseTime(d.now, start)}: {d.endReason}.
          </>
        )}
      </p>
      <p className="hint">
        Started {formatLocalDateTime(start)} ({formatZone(start)}). {d.scenario.source}
      </p>

      <h2>Expectations</h2>
      <table className="expectations" data-testid="debrief-expectations">
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Expectation</th>
            <th scope="col">Weight</th>
            <th scope="col">When</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {d.expectations.map((x) => (
            <tr
              key={x.id}
              className={`${x.status}${x.critical ? ' critical' : ''}`}
              data-expectation={x.id}
              data-status={x.status}
            >
              <td>
                <span aria-hidden="true">{x.status === 'met' ? '✔' : x.status === 'missed' ? '✘' : '…'}</span>{' '}
                {STATUS_WORDS[x.status]}
              </td>
              <td>
                {x.description}
                {x.critical && <strong> (critical)</strong>}
                {x.source && <div className="hint">{x.source}</div>}
              </td>
              <td>{x.weight}</td>
              <td>{x.t !== null ? `${formatCaseTime(x.t, start)} (${formatLocalDateTime(x.t)})` : '—'}</td>
              <td>{x.evidence}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Timeline</h2>
      <p className="hint">
        Vertical lines: red, alarms; blue, your actions. Hours from the start of the case.
      </p>
      <TimeChart
        title="Dose: programmed and truly delivered"
        x={hours}
        xLabel="hours"
        yLabel="mcg/day"
        series={doseSeries}
        markers={markers}
        testId="chart-dose"
      />
      <TimeChart
        title="Reservoir: calculated and true"
        x={hours}
        xLabel="hours"
        yLabel="mL"
        series={reservoirSeries}
        markers={markers}
        testId="chart-reservoir"
      />
      <TimeChart
        title="Patient: spasticity and stages"
        x={hours}
        xLabel="hours"
        yLabel="grade / stage"
        series={patientSeries}
        markers={markers}
        testId="chart-patient"
      />
      <TimeChart
        title="Expected benefits: pain, sleep, caregiver burden"
        x={hours}
        xLabel="hours"
        yLabel="score / count"
        series={benefitSeries}
        markers={markers}
        testId="chart-benefits"
      />
      <TimeChart
        title="Expected benefits: daily activities (100 = independent)"
        x={hours}
        xLabel="hours"
        yLabel="score"
        series={activitySeries}
        markers={markers}
        testId="chart-activities"
      />

      <h2>What happened</h2>
      <table className="events" data-testid="debrief-events">
        <thead>
          <tr>
            <th scope="col">Case time</th>
            <th scope="col">Local time</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {d.events.map((e, i) => (
            <tr key={i} className={e.actor}>
              <td>{formatCaseTime(e.t, start)}</td>
              <td>{formatLocalDateTime(e.t)}</td>
              <td>{e.actor === 'learner' ? 'you' : e.actor}</td>
              <td>{e.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Training bench, not a medical device.</p>
    </section>
  );
}
