import { useEffect, useState } from 'react';
import type { ProgrammerBridge } from '../../shared/contract';
import type { TrainingCaseStatus, TrainingCaseSummary } from '../../shared/training-case';
import { formatDuration } from '../../shared/clinical/format';

export interface TrainingScreenProps {
  api: ProgrammerBridge;
  onBack(): void;
  /** The case has started on the embedded pump: go and connect, for this patient. */
  onStarted(status: Extract<TrainingCaseStatus, { active: true }>): void;
}

const KIND_WORDS = { training: 'Clinical case', alarmTest: 'Alarm test (engineers)' } as const;

/**
 * "Start a training case": the library by title and objective; the chosen case's brief (who the patient
 * is, why they came, what they report, what the case teaches and where it comes from); starting it puts
 * the embedded pump, the patient and the clock in the case's starting state.
 */
export function TrainingScreen({ api, onBack, onStarted }: TrainingScreenProps) {
  const [cases, setCases] = useState<TrainingCaseSummary[] | null>(null);
  const [chosen, setChosen] = useState<TrainingCaseSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.trainingCases({}).then((r) => (r.ok ? setCases(r.value) : setError(r.error.message)));
  }, [api]);

  const start = async (c: TrainingCaseSummary) => {
    setBusy(true);
    setError(null);
    const r = await api.startTrainingCase({ id: c.id });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    if (r.value.active) onStarted(r.value);
    else setError('The case did not start.');
  };

  return (
    <section className="screen training" aria-labelledby="training-title">
      <div className="screen-title-row">
        <h1 id="training-title">Training cases</h1>
        <button type="button" onClick={onBack}>
          Back to connect
        </button>
      </div>
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      {!cases && !error && <p role="status">Reading the library…</p>}
      {cases && !chosen && (
        <ul className="case-list" data-testid="case-list">
          {cases.map((c) => (
            <li key={c.id}>
              <button type="button" className="case-choice" onClick={() => setChosen(c)}>
                <strong>{c.title}</strong>
              </button>
              <span className="hint"> {KIND_WORDS[c.kind]}</span>
              <ul>
                {c.objectives.map((o, i) => (
                  <li key={i}>{o}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <article className="case-brief" aria-labelledby="brief-title" data-testid="case-brief">
          <h2 id="brief-title">{chosen.title}</h2>
          <p>{chosen.patient}</p>
          {chosen.reports && (
            <p>
              <strong>They report:</strong> {chosen.reports}
            </p>
          )}
          <h3>Objectives</h3>
          <ul>
            {chosen.objectives.map((o, i) => (
              <li key={i}>{o}</li>
            ))}
          </ul>
          <p className="hint">
            Source: {chosen.source}. The case lasts at most {formatDuration(chosen.durationS)} of pump time.
            Patient: {chosen.origin === 'spinal' ? 'spinal' : 'cerebral'} origin,{' '}
            {chosen.ageGroup === 'adult' ? '12 years or older' : 'a child under 12'}.
          </p>
          <p>
            Starting replaces the virtual pump and its patient with the case&apos;s. Your actions (through the
            programmer and at the bedside) are recorded for the debrief.
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void start(chosen)}>
              Start this case
            </button>
            <button type="button" disabled={busy} onClick={() => setChosen(null)}>
              Choose another case
            </button>
          </div>
          {busy && <p role="status">Preparing the pump and the patient…</p>}
        </article>
      )}
    </section>
  );
}
