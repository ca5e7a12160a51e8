import { useEffect, useState } from 'react';
import type { CandidacyCase } from '../../shared/clinical/candidacy';
import type { AgeGroup, ProgrammerBridge, SpasticityOrigin } from '../../shared/contract';
import type { ImplantResult, ScreeningView } from '../../shared/screening-view';
import { CaseForm } from './CaseForm';
import { DecisionForm } from './DecisionForm';
import { FIRST_LINE_WORDS, RECOMMENDATION_WORDS, blankCase } from './candidacy-words';
import { ScreeningPanel } from './ScreeningPanel';

export interface CandidacyScreenProps {
  api: ProgrammerBridge;
  onBack(): void;
  /** The new pump is implanted: go on to program it, for this patient. */
  onImplanted(r: ImplantResult, patient: { origin: SpasticityOrigin; ageGroup: AgeGroup }): void;
}

/** A recommendation as shown: the desk's (with its time), or the same rules run in the service. */
type Shown = NonNullable<ScreeningView['candidacy']>;

const SPINAL = new Set(['multipleSclerosis', 'spinalCordInjury', 'spinalCordDisease']);

/** The virtual patient who stands for this case: spinal, cerebral, or a child with cerebral palsy. */
export function profileForCase(c: CandidacyCase): 'spinal' | 'cerebral' | 'pediatric-cp' {
  if (SPINAL.has(c.diagnosis)) return 'spinal';
  return c.diagnosis === 'cerebralPalsy' && c.ageYears < 12 ? 'pediatric-cp' : 'cerebral';
}

/**
 * Before the pump (issue 21): the case form, the recommendation with every reason and the sentence it
 * comes from, then the screening trial on the virtual patient. No pump is connected on this screen.
 */
export function CandidacyScreen({ api, onBack, onImplanted }: CandidacyScreenProps) {
  const [theCase, setTheCase] = useState<CandidacyCase>(blankCase);
  const [decision, setDecision] = useState<Shown | null>(null);
  const [assessedFor, setAssessedFor] = useState<CandidacyCase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The screening desk's record (null: no desk, e.g. no embedded virtual pump). */
  const [desk, setDesk] = useState<ScreeningView | null>(null);

  // A training case's candidate comes with the case form of the referral.
  useEffect(() => {
    void api.screening({ action: 'view' }).then((r) => {
      if (!r.ok) return;
      setDesk(r.value);
      if (r.value.candidate) setTheCase(r.value.candidate.case);
    });
  }, [api]);

  const assess = async () => {
    setBusy(true);
    setError(null);
    // At the screening desk when there is one (a training case records it), else the same rules here.
    const atDesk = desk ? await api.screening({ action: 'candidacy', case: theCase }) : null;
    const r = atDesk?.ok ? null : await api.assessCandidacy(theCase);
    setBusy(false);
    if (atDesk?.ok && atDesk.value.candidacy) {
      setDesk(atDesk.value);
      setDecision(atDesk.value.candidacy);
    } else if (r?.ok) {
      setDecision({ ...r.value, at: 0 });
    } else {
      setDecision(null);
      return setError(r ? (r.ok ? 'no recommendation' : r.error.message) : 'no recommendation');
    }
    setAssessedFor(theCase);
  };
  // A decision belongs to the case it was made for: editing the form withdraws it.
  const current = decision && assessedFor === theCase ? decision : null;

  return (
    <section className="screen candidacy" aria-labelledby="candidacy-title">
      <div className="screen-title-row">
        <h1 id="candidacy-title">Candidacy and screening</h1>
        <button type="button" onClick={onBack}>
          Back to connect
        </button>
      </div>
      <p>
        Before any pump: is this patient a candidate for intrathecal baclofen, and do they respond to a
        screening dose? The recommendation follows the clinical document and the labels; each reason names its
        source.
      </p>
      {desk?.candidate && (
        <p className="message" data-testid="candidate-note">
          Training case: the form holds this candidate&apos;s referral. Assess it, record your decision, and
          screen only if that is right.
        </p>
      )}
      <CaseForm value={theCase} onChange={setTheCase} disabled={busy} />
      <button type="button" onClick={() => void assess()} disabled={busy}>
        Assess candidacy
      </button>
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      {current && (
        <section className="candidacy-decision" aria-labelledby="recommendation-title" aria-live="polite">
          <h2 id="recommendation-title" data-testid="recommendation">
            {RECOMMENDATION_WORDS[current.recommendation]}
          </h2>
          <p>{current.summary}</p>
          {current.tryFirst.length > 0 && (
            <p>Try first: {current.tryFirst.map((t) => FIRST_LINE_WORDS[t]).join('; ')}.</p>
          )}
          {current.reconsiderWhen && <p>Reconsider: {current.reconsiderWhen}</p>}
          <ul className="reasons" data-testid="candidacy-reasons">
            {current.reasons.map((r, i) => (
              <li key={i} className={`reason ${r.weight}`}>
                <span>{r.text}</span>
                <blockquote>
                  <q>{r.quote}</q> <cite>{r.source}</cite>
                </blockquote>
              </li>
            ))}
          </ul>
        </section>
      )}
      {current && (
        <DecisionForm
          api={api}
          recommendation={current}
          decisions={desk?.decisions ?? null}
          onView={setDesk}
        />
      )}
      {current?.recommendation === 'considerScreeningTrial' && (
        <ScreeningPanel
          api={api}
          profile={profileForCase(theCase)}
          smallPatient={current.firstScreeningDoseMcg === 25}
          onView={setDesk}
          onImplant={async () => {
            const r = await api.implantNewPump({});
            if (!r.ok) return r.error.message;
            onImplanted(r.value, {
              origin: SPINAL.has(theCase.diagnosis) ? 'spinal' : 'cerebral',
              ageGroup: theCase.ageYears < 12 ? 'childUnder12' : 'adult',
            });
            return null;
          }}
        />
      )}
    </section>
  );
}
