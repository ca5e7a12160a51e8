import { useEffect, useMemo, useState } from 'react';
import type { ProgrammerBridge, RequestOf } from '../../shared/contract';
import type { ScreeningAssessmentKind, ScreeningView } from '../../shared/screening-view';
import {
  formatDuration,
  formatLocalDateTime,
  formatRate,
  formatVolume,
  formatZone,
} from '../../shared/clinical/format';
import { ASSESSMENT_WORDS, CONSCIOUSNESS_WORDS, PENN_WORDS } from './candidacy-words';
import { TimeChart } from '../components/TimeChart';
import { screeningChartData } from './screening-chart';

export interface ScreeningPanelProps {
  api: ProgrammerBridge;
  /** The virtual patient's profile for this case (from the diagnosis and age). */
  profile: 'spinal' | 'cerebral' | 'pediatric-cp';
  /** 25 mcg first dose (very small patient, or one relying on the spasticity). */
  smallPatient: boolean;
  /** Tells the screen the trial's state changed (the decision and plan feed "Implant and program"). */
  onView?(view: ScreeningView): void;
  /** After a planned first programming: replace the embedded pump by the new one (the screen connects). */
  onImplant?(): Promise<string | null>;
}

const WAITS: [number, string][] = [
  [15, '15 min'],
  [30, '30 min'],
  [60, '1 h'],
  [120, '2 h'],
  [240, '4 h'],
  [480, '8 h'],
];
const KINDS = Object.keys(ASSESSMENT_WORDS) as ScreeningAssessmentKind[];
const OUTCOME_WORDS = {
  positive: 'Positive screening trial',
  notCandidate: 'Not a candidate',
  stopped: 'Screening stopped',
} as const;

/**
 * The screening trial at the bedside: the trainee admits the patient, assesses when they choose, gives the
 * ladder's lumbar-puncture boluses, lets time pass, judges each response with a reason, and on a positive
 * trial plans the first programming. The desk (device host) keeps the trial and refuses what the label
 * does not allow; its words are shown as they are.
 */
export function ScreeningPanel({ api, profile, smallPatient, onView, onImplant }: ScreeningPanelProps) {
  const [view, setView] = useState<ScreeningView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [seed, setSeed] = useState(1);
  const [kinds, setKinds] = useState<ScreeningAssessmentKind[]>(['tone', 'vitals']);
  const [response, setResponse] = useState<'effective' | 'inadequate' | 'adverse'>('effective');
  const [reason, setReason] = useState('');
  const [concentration, setConcentration] = useState(500);

  const call = async (req: RequestOf<'screening'>) => {
    setBusy(true);
    setError(null);
    const r = await api.screening(req);
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setView(r.value);
    onView?.(r.value);
    return r.value;
  };

  useEffect(() => {
    void call({ action: 'view' });
    // Only on mount: later calls come from the trainee's actions.
  }, []);

  if (!view) return <p role="status">{error ?? 'Opening the screening trial…'}</p>;

  // In a training case the desk admits the case's own patient: the trial can only be on them.
  const patient = view.candidate ?? null;
  const now = view.now;
  const zone = now !== null ? formatZone(now) : '';
  const lastDose = view.doses.at(-1);
  const step = view.step;

  return (
    <section className="screening" aria-labelledby="screening-title">
      <h2 id="screening-title">Screening trial</h2>
      {error && (
        <p role="alert" className="message error" data-testid="screening-error">
          {error}
        </p>
      )}
      {!view.active ? (
        <div className="screening-admit">
          <p>
            Admit the patient for a screening trial by lumbar puncture: {smallPatient ? 25 : 50} mcg first,
            then the label&apos;s ladder, 24 h apart. Monitor breathing and heart closely in the first hours.
          </p>
          {patient ? (
            <p data-testid="screening-candidate">
              This training case&apos;s patient (number {patient.seed}).
            </p>
          ) : (
            <div className="field">
              <label htmlFor="screening-seed">Virtual patient number</label>
              <input
                id="screening-seed"
                type="number"
                min={0}
                max={4294967295}
                value={seed}
                onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.currentTarget.value) || 0)))}
              />
            </div>
          )}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void call({
                action: 'start',
                profile: patient?.profile ?? profile,
                seed: patient?.seed ?? seed,
                smallPatient,
              })
            }
          >
            Admit for screening
          </button>
        </div>
      ) : (
        <>
          <p data-testid="screening-clock">
            Trial time: <strong>{formatLocalDateTime(now!)}</strong> ({zone})
            {lastDose &&
              ` · ${formatDuration(now! - lastDose.givenAt)} after the ${lastDose.doseMcg} mcg dose`}
          </p>
          {step && (
            <p className="screening-step" role="status" data-testid="screening-step">
              {step.message}
            </p>
          )}

          {/* Assessing and waiting go on after the decision: after an adverse response, until recovery. */}
          {
            <div className="screening-actions">
              <fieldset>
                <legend>Assess the patient now</legend>
                {KINDS.map((k) => (
                  <div className="check" key={k}>
                    <input
                      id={`assess-${k}`}
                      type="checkbox"
                      checked={kinds.includes(k)}
                      onChange={(e) =>
                        setKinds(e.currentTarget.checked ? [...kinds, k] : kinds.filter((x) => x !== k))
                      }
                    />
                    <label htmlFor={`assess-${k}`}>{ASSESSMENT_WORDS[k]}</label>
                  </div>
                ))}
                <button
                  type="button"
                  disabled={busy || kinds.length === 0}
                  onClick={() => void call({ action: 'assess', kinds })}
                >
                  Assess now
                </button>
              </fieldset>

              {!view.decision && step?.kind === 'give' && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void call({ action: 'bolus', doseMcg: step.doseMcg })}
                >
                  Give {step.doseMcg} mcg by lumbar puncture
                </button>
              )}

              <fieldset>
                <legend>Let time pass</legend>
                {WAITS.map(([minutes, label]) => (
                  <button
                    key={minutes}
                    type="button"
                    disabled={busy}
                    onClick={() => void call({ action: 'wait', minutes })}
                  >
                    Wait {label}
                  </button>
                ))}
              </fieldset>

              <button
                type="button"
                disabled={busy}
                onClick={() => void call({ action: 'airway', on: !view.airwaySupport })}
              >
                {view.airwaySupport ? 'Stop airway support' : 'Start airway support (bag-mask, ventilation)'}
              </button>

              {!view.decision && step?.kind === 'observe' && (
                <fieldset>
                  <legend>Judge the response to {step.doseMcg} mcg</legend>
                  {(['effective', 'inadequate', 'adverse'] as const).map((r) => (
                    <div className="check" key={r}>
                      <input
                        id={`response-${r}`}
                        type="radio"
                        name="screening-response"
                        checked={response === r}
                        onChange={() => setResponse(r)}
                      />
                      <label htmlFor={`response-${r}`}>
                        {r === 'effective'
                          ? 'Effective (tone clearly reduced)'
                          : r === 'inadequate'
                            ? 'Inadequate'
                            : 'Adverse (breathing, sedation, excessive weakness)'}
                      </label>
                    </div>
                  ))}
                  <div className="field">
                    <label htmlFor="response-reason">Reason (what you observed)</label>
                    <input
                      id="response-reason"
                      type="text"
                      maxLength={500}
                      value={reason}
                      onChange={(e) => setReason(e.currentTarget.value)}
                    />
                  </div>
                  <button
                    type="button"
                    disabled={busy || reason.trim().length < 3}
                    onClick={() =>
                      void call({ action: 'respond', response, reason }).then((v) => v && setReason(''))
                    }
                  >
                    Record the response
                  </button>
                </fieldset>
              )}
            </div>
          }

          <AssessmentTable view={view} />
          <ResponseCharts view={view} />

          {view.decision && (
            <section className="screening-decision" aria-labelledby="decision-title">
              <h3 id="decision-title" data-testid="screening-outcome">
                {OUTCOME_WORDS[view.decision.outcome]}
              </h3>
              <p>{view.decision.rule}</p>
              <p>
                Your reason: <q>{view.decision.reason}</q> ({formatLocalDateTime(view.decision.at)})
              </p>
            </section>
          )}
          {view.findings.length > 0 && (
            <section aria-labelledby="findings-title">
              <h3 id="findings-title">How the trial was conducted</h3>
              <ul data-testid="screening-findings">
                {view.findings.map((f, i) => (
                  <li key={i}>{f.message}</li>
                ))}
              </ul>
            </section>
          )}

          {view.decision?.outcome === 'positive' && (
            <section className="first-programming" aria-labelledby="first-programming-title">
              <h3 id="first-programming-title">First programming of the new pump</h3>
              <div className="field">
                <label htmlFor="fp-concentration">Fill concentration (mcg/mL)</label>
                <select
                  id="fp-concentration"
                  value={concentration}
                  onChange={(e) => setConcentration(Number(e.currentTarget.value))}
                >
                  {[50, 500, 1000, 2000].map((c) => (
                    <option key={c} value={c}>
                      {c} mcg/mL
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                disabled={busy}
                onClick={() => void call({ action: 'plan', model: 'SM2-20', concentration })}
              >
                Plan the first programming
              </button>
              {view.firstProgramming && (
                <div data-testid="first-programming">
                  <p>{view.firstProgramming.message}</p>
                  <dl>
                    <dt>Starting daily dose</dt>
                    <dd>{view.firstProgramming.startingDailyDoseMcg} mcg/day</dd>
                    <dt>Rate at {view.firstProgramming.concentration} mcg/mL</dt>
                    <dd>
                      {formatRate(view.firstProgramming.rateUlPerDay)} (delivers{' '}
                      {view.firstProgramming.deliveredDailyDoseMcg} mcg/day)
                    </dd>
                    <dt>Priming</dt>
                    <dd>{formatVolume(view.firstProgramming.primingVolumeUl)}</dd>
                    <dt>No increase before</dt>
                    <dd>{formatLocalDateTime(view.firstProgramming.noIncreaseBefore)}</dd>
                  </dl>
                  {onImplant && (
                    <button
                      type="button"
                      className="primary"
                      disabled={busy}
                      onClick={() => {
                        setBusy(true);
                        setError(null);
                        void onImplant().then((err) => {
                          setBusy(false);
                          if (err) setError(err);
                        });
                      }}
                    >
                      Implant and program
                    </button>
                  )}
                </div>
              )}
            </section>
          )}

          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void call({ action: 'reset' })}
          >
            {view.decision ? 'Close this trial' : 'Abandon this trial'}
          </button>
        </>
      )}
    </section>
  );
}

/** The response over the observation hours: what the trainee measured, charted from the first dose. */
function ResponseCharts({ view }: { view: ScreeningView }) {
  const data = useMemo(() => screeningChartData(view), [view]);
  if (!data) return null;
  const xLabel = 'hours from the first dose';
  return (
    <div className="screening-charts" data-testid="screening-charts">
      <TimeChart
        title="Tone and spasms"
        x={data.x}
        xLabel={xLabel}
        yLabel="grade"
        series={data.tone}
        markers={data.markers}
        testId="screening-chart-tone"
      />
      <TimeChart
        title="Vital signs"
        x={data.x}
        xLabel={xLabel}
        yLabel="value"
        series={data.vitals}
        markers={data.markers}
        testId="screening-chart-vitals"
      />
    </div>
  );
}

function AssessmentTable({ view }: { view: ScreeningView }) {
  if (view.assessments.length === 0) return <p>No assessment recorded yet: start with a baseline.</p>;
  // An assessment in the same second as a dose was made before it (the baseline): nothing acts in 0 s.
  const doseBefore = (t: number) => view.doses.filter((d) => d.givenAt < t).at(-1);
  return (
    <table className="assessments" data-testid="screening-assessments">
      <caption>Assessments ({view.now !== null ? formatZone(view.now) : ''})</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">After dose</th>
          <th scope="col">Ashworth</th>
          <th scope="col">Spasms</th>
          <th scope="col">HR (bpm)</th>
          <th scope="col">BP (mmHg)</th>
          <th scope="col">RR (/min)</th>
          <th scope="col">SpO2 (%)</th>
          <th scope="col">Temp (°C)</th>
          <th scope="col">Consciousness</th>
          <th scope="col">Reports</th>
        </tr>
      </thead>
      <tbody>
        {view.assessments.map((a, i) => {
          const d = doseBefore(a.time);
          return (
            <tr key={i}>
              <td>{formatLocalDateTime(a.time)}</td>
              <td>{d ? `${formatDuration(a.time - d.givenAt)} (${d.doseMcg} mcg)` : 'baseline'}</td>
              <td>{a.modifiedAshworth ?? ''}</td>
              <td>{a.pennSpasmFrequency !== undefined ? PENN_WORDS[a.pennSpasmFrequency] : ''}</td>
              <td>{a.vitals?.heartRateBpm ?? ''}</td>
              <td>{a.vitals ? `${a.vitals.systolicMmHg}/${a.vitals.diastolicMmHg}` : ''}</td>
              <td>{a.vitals?.respiratoryRatePerMin ?? ''}</td>
              <td>{a.vitals?.spo2Percent ?? ''}</td>
              <td>{a.vitals?.temperatureC.toFixed(1) ?? ''}</td>
              <td>
                {a.sedation
                  ? (CONSCIOUSNESS_WORDS[a.sedation.consciousness] ?? a.sedation.consciousness)
                  : ''}
              </td>
              <td>{a.report ? reportWords(a.report) : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function reportWords(r: { symptoms: string[]; hypotonia: string }): string {
  const words = [...r.symptoms];
  if (r.hypotonia && r.hypotonia !== 'none') words.push(`hypotonia: ${r.hypotonia}`);
  return words.length ? words.join('; ') : 'nothing reported';
}
