import { useMemo, useState } from 'react';
import type { ProgrammerBridge } from '../../shared/contract';
import type { Debrief } from '../../shared/training-case';
import { formatCaseTime, formatLocalDateTime, formatZone } from '../../shared/clinical/format';
import { TimeChart, type ChartMarker } from '../components/TimeChart';
import { DEBRIEF_CHARTS } from '../../shared/debrief-charts';

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
  // A debrief saved before a series existed has none of it: an empty line.
  const charts = useMemo(
    () =>
      DEBRIEF_CHARTS.map((c) => ({
        ...c,
        series: c.series.map((x) => ({ label: x.label, values: d.series[x.key] ?? [], color: x.color })),
      })),
    [d.series],
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
      {charts.map((c) => (
        <TimeChart
          key={c.id}
          title={c.title}
          x={hours}
          xLabel="hours"
          yLabel={c.yLabel}
          series={c.series}
          markers={markers}
          testId={c.id}
        />
      ))}

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
