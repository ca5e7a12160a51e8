import { useEffect, useState } from 'react';
import type { FirstLineTreatment, Recommendation } from '../../shared/clinical/candidacy';
import type { ProgrammerBridge } from '../../shared/contract';
import type { CandidacyDecisionKind, ScreeningView } from '../../shared/screening-view';
import { formatLocalDateTime } from '../../shared/clinical/format';
import { FIRST_LINE_WORDS } from './candidacy-words';

export const DECISION_WORDS = {
  screeningTrial: 'Go ahead with a screening trial',
  firstLineFirst: 'Try first-line treatments first',
  notYet: 'Not yet: defer and reconsider',
  contraindicated: 'Contraindicated: decline',
  notCandidate: 'Not a candidate',
  retrialLowerDose: 'A new trial at a lower dose, once recovered',
} as const satisfies Record<CandidacyDecisionKind, string>;

/** The decision the recommendation points to (the clinician may record another, with the reason). */
const FROM_RECOMMENDATION: Record<Recommendation, CandidacyDecisionKind> = {
  considerScreeningTrial: 'screeningTrial',
  firstLineFirst: 'firstLineFirst',
  notYet: 'notYet',
  contraindicated: 'contraindicated',
};

export interface DecisionFormProps {
  api: ProgrammerBridge;
  /** The recommendation the form starts from. */
  recommendation: {
    recommendation: Recommendation;
    tryFirst: FirstLineTreatment[];
    reconsiderAtMonthsSinceOnset: number | null;
  };
  /** The desk's decisions so far (null: the desk is not reachable). */
  decisions: NonNullable<ScreeningView['decisions']> | null;
  onView(view: ScreeningView): void;
}

/**
 * The clinician's candidacy decision, recorded at the screening desk with the reason in words (a training
 * case scores it): before a trial (go ahead, first-line treatments first, not yet, contraindicated) or after
 * one (not a candidate, a new trial at a lower dose). The desk refuses what the record contradicts.
 */
export function DecisionForm({ api, recommendation: rec, decisions, onView }: DecisionFormProps) {
  const [decision, setDecision] = useState<CandidacyDecisionKind>(FROM_RECOMMENDATION[rec.recommendation]);
  const [reason, setReason] = useState('');
  const [tryFirst, setTryFirst] = useState<FirstLineTreatment[]>(rec.tryFirst);
  const [months, setMonths] = useState<string>(
    rec.reconsiderAtMonthsSinceOnset === null ? '' : String(rec.reconsiderAtMonthsSinceOnset),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A new recommendation resets the form to it.
  useEffect(() => {
    setDecision(FROM_RECOMMENDATION[rec.recommendation]);
    setTryFirst(rec.tryFirst);
    setMonths(rec.reconsiderAtMonthsSinceOnset === null ? '' : String(rec.reconsiderAtMonthsSinceOnset));
  }, [rec]);

  const record = async () => {
    setBusy(true);
    setError(null);
    const m = months.trim() === '' ? undefined : Number(months);
    const r = await api.screening({
      action: 'decide',
      decision,
      reason,
      ...(tryFirst.length ? { tryFirst } : {}),
      ...(m !== undefined && Number.isInteger(m) ? { reconsiderAtMonthsSinceOnset: m } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setReason('');
    onView(r.value);
  };

  return (
    <section className="candidacy-record" aria-labelledby="decision-form-title">
      <h2 id="decision-form-title">Your decision</h2>
      <fieldset disabled={busy}>
        <legend>Decision</legend>
        {(Object.keys(DECISION_WORDS) as CandidacyDecisionKind[]).map((d) => (
          <div className="check" key={d}>
            <input
              id={`decision-${d}`}
              type="radio"
              name="candidacy-decision"
              checked={decision === d}
              onChange={() => setDecision(d)}
            />
            <label htmlFor={`decision-${d}`}>{DECISION_WORDS[d]}</label>
          </div>
        ))}
      </fieldset>
      <fieldset disabled={busy}>
        <legend>What to try first</legend>
        {(Object.keys(FIRST_LINE_WORDS) as FirstLineTreatment[]).map((t) => (
          <div className="check" key={t}>
            <input
              id={`try-first-${t}`}
              type="checkbox"
              checked={tryFirst.includes(t)}
              onChange={(e) =>
                setTryFirst(e.currentTarget.checked ? [...tryFirst, t] : tryFirst.filter((x) => x !== t))
              }
            />
            <label htmlFor={`try-first-${t}`}>{FIRST_LINE_WORDS[t]} (try first)</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="decision-reconsider">Reconsider at (months since onset)</label>
        <input
          id="decision-reconsider"
          type="number"
          min={0}
          max={1200}
          value={months}
          disabled={busy}
          onChange={(e) => setMonths(e.currentTarget.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="decision-reason">Reason for the decision</label>
        <input
          id="decision-reason"
          type="text"
          maxLength={500}
          value={reason}
          disabled={busy}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      <button type="button" disabled={busy || reason.trim().length < 3} onClick={() => void record()}>
        Record the decision
      </button>
      {error && (
        <p role="alert" className="message error" data-testid="decision-error">
          {error}
        </p>
      )}
      {decisions && decisions.length > 0 && (
        <ol className="decisions" data-testid="candidacy-decisions">
          {decisions.map((d, i) => (
            <li key={i}>
              <strong>{DECISION_WORDS[d.decision]}</strong> ({formatLocalDateTime(d.at)}): <q>{d.reason}</q>
              {d.tryFirst.length > 0 && (
                <> Try first: {d.tryFirst.map((t) => FIRST_LINE_WORDS[t]).join('; ')}.</>
              )}
              {d.reconsiderAtMonthsSinceOnset !== null && (
                <> Reconsider at {d.reconsiderAtMonthsSinceOnset} months.</>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
