/**
 * The bedside: the patient in front of the trainee, apart from the pump screens (which speak telemetry).
 * Examine, read the refill syringe, give treatment and orders in clinical units, and see what was done with
 * its local time. Everything goes through the contract to the embedded pump's bedside API, which answers
 * only what a clinician could observe (docs/bedside-api.md).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProgrammerApi } from '../../shared/contract';
import {
  BEDSIDE_DOSE_LIMITS as L,
  caregiverBurdenWords,
  dailyActivitiesWords,
  describeAction,
  type BedsideAction,
  type BedsideExam,
  type BedsideOrder,
  type BenzodiazepineDrug,
  type SyringeReading,
} from '../../shared/bedside';
import { formatLocalDateTime, formatZone } from '../../shared/clinical/format';

type BedsideApi = Pick<
  ProgrammerApi,
  'bedsideExamine' | 'bedsideRefillSyringe' | 'bedsideOrder' | 'bedsideActions'
>;

const CONSCIOUSNESS: Record<BedsideExam['consciousness'], string> = {
  alert: 'Alert',
  drowsy: 'Drowsy, rouses easily',
  respondsToVoice: 'Responds to voice only',
  respondsToPain: 'Responds to pain only',
  unresponsive: 'Unresponsive',
};
const MENTAL: Record<BedsideExam['mentalStatus'], string> = {
  normal: 'Oriented',
  confused: 'Confused',
  hallucinating: 'Hallucinating',
};
const PENN = [
  'no spasms',
  'spasms induced only by stimulation',
  'spontaneous spasms less than once an hour',
  'spontaneous spasms one to ten times an hour',
  'more than ten spasms an hour',
];

function painWords(nrs: number | null): string {
  if (nrs === null) return 'Cannot rate it now';
  return `${nrs}: ${nrs === 0 ? 'no pain' : nrs <= 3 ? 'mild' : nrs <= 6 ? 'moderate' : 'severe'}`;
}
function sleepWords(n: number): string {
  return n === 0 ? 'Sleeps through the night' : `Woken ${n === 1 ? 'once' : `${n} times`} a night`;
}

/** The order form's choices, with the dose field each needs (unit and range from BEDSIDE_DOSE_LIMITS). */
type OrderChoice =
  | 'ivBenzodiazepine'
  | 'oralBaclofen'
  | 'cyproheptadine'
  | 'csfDrainage'
  | 'lumbarPunctureBolus'
  | 'airwayVentilate'
  | 'airwayExtubate'
  | 'resumeIntrathecal'
  | 'catheterAspiration'
  | 'xray'
  | 'contrastStudy'
  | 'callForHelp'
  | 'pocketAspiration'
  | 'catheterRevision'
  | 'urgentPumpReplacement'
  | 'schedulePumpReplacement';

const CHOICES: { value: OrderChoice; label: string; group: string }[] = [
  { value: 'resumeIntrathecal', label: 'Resume intrathecal baclofen', group: 'Withdrawal' },
  { value: 'ivBenzodiazepine', label: 'IV benzodiazepine', group: 'Withdrawal' },
  { value: 'oralBaclofen', label: 'Oral baclofen', group: 'Withdrawal' },
  { value: 'cyproheptadine', label: 'Cyproheptadine (by mouth)', group: 'Withdrawal' },
  { value: 'lumbarPunctureBolus', label: 'Intrathecal baclofen by lumbar puncture', group: 'Withdrawal' },
  { value: 'csfDrainage', label: 'Lumbar puncture and CSF drainage', group: 'Overdose' },
  { value: 'airwayVentilate', label: 'Airway: intubate and ventilate', group: 'Overdose' },
  { value: 'airwayExtubate', label: 'Airway: extubate', group: 'Overdose' },
  { value: 'catheterAspiration', label: 'Catheter access port aspiration', group: 'Catheter investigation' },
  { value: 'xray', label: 'X-ray of pump and catheter', group: 'Catheter investigation' },
  {
    value: 'contrastStudy',
    label: 'Contrast study through the catheter access port',
    group: 'Catheter investigation',
  },
  { value: 'pocketAspiration', label: 'Pump pocket aspiration', group: 'Refill' },
  { value: 'catheterRevision', label: 'Refer for catheter revision', group: 'Referral' },
  { value: 'urgentPumpReplacement', label: 'Refer for urgent pump replacement', group: 'Referral' },
  { value: 'schedulePumpReplacement', label: 'Schedule pump replacement', group: 'Referral' },
  { value: 'callForHelp', label: 'Call for help', group: 'Help' },
];

function doseField(
  choice: OrderChoice,
  drug: BenzodiazepineDrug,
): { unit: string; range: readonly [number, number] } | null {
  switch (choice) {
    case 'ivBenzodiazepine':
      return { unit: 'mg', range: L.ivBenzodiazepineMg[drug] };
    case 'oralBaclofen':
      return { unit: 'mg', range: L.oralBaclofenMg };
    case 'cyproheptadine':
      return { unit: 'mg', range: L.cyproheptadineMg };
    case 'csfDrainage':
      return { unit: 'mL', range: L.csfDrainageMl };
    case 'lumbarPunctureBolus':
      return { unit: 'mcg', range: L.lumbarPunctureBolusMcg };
    default:
      return null;
  }
}

/** The order to send, or the reason it cannot be sent (said before anything is given). */
export function buildOrder(
  choice: OrderChoice,
  drug: BenzodiazepineDrug,
  doseText: string,
): { order: BedsideOrder } | { error: string } {
  const field = doseField(choice, drug);
  let dose = 0;
  if (field) {
    const t = doseText.trim().replace(',', '.');
    dose = Number(t);
    const [lo, hi] = field.range;
    if (t === '' || !/^\d+(\.\d+)?$/.test(t) || !Number.isFinite(dose))
      return { error: `Enter the ${field.unit === 'mL' ? 'volume' : 'dose'} in ${field.unit}.` };
    if (dose < lo || dose > hi)
      return { error: `The ${field.unit === 'mL' ? 'volume' : 'dose'} must be ${lo}-${hi} ${field.unit}.` };
  }
  switch (choice) {
    case 'ivBenzodiazepine':
      return { order: { kind: 'ivBenzodiazepine', drug, doseMg: dose } };
    case 'oralBaclofen':
      return { order: { kind: 'oralBaclofen', doseMg: dose } };
    case 'cyproheptadine':
      return { order: { kind: 'cyproheptadine', doseMg: dose } };
    case 'csfDrainage':
      return { order: { kind: 'csfDrainage', volumeMl: dose } };
    case 'lumbarPunctureBolus':
      return { order: { kind: 'lumbarPunctureBolus', doseMcg: dose } };
    case 'airwayVentilate':
      return { order: { kind: 'airway', support: 'ventilate' } };
    case 'airwayExtubate':
      return { order: { kind: 'airway', support: 'extubate' } };
    case 'xray':
      return { order: { kind: 'imaging', study: 'xray' } };
    case 'contrastStudy':
      return { order: { kind: 'imaging', study: 'contrastStudy' } };
    case 'resumeIntrathecal':
    case 'catheterAspiration':
    case 'callForHelp':
    case 'pocketAspiration':
      return { order: { kind: choice } };
    case 'catheterRevision':
    case 'urgentPumpReplacement':
    case 'schedulePumpReplacement':
      return { order: { kind: 'referral', to: choice } };
  }
}

export function BedsideScreen({ api, onUseProgrammer }: { api: BedsideApi; onUseProgrammer?: () => void }) {
  const [exam, setExam] = useState<BedsideExam | null>(null);
  const [syringe, setSyringe] = useState<SyringeReading | null>(null);
  const [actions, setActions] = useState<BedsideAction[]>([]);
  const [choice, setChoice] = useState<OrderChoice>('ivBenzodiazepine');
  const [drug, setDrug] = useState<BenzodiazepineDrug>('lorazepam');
  const [dose, setDose] = useState('');
  const [outcome, setOutcome] = useState<BedsideAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    const r = await api.bedsideActions({});
    if (r.ok) setActions(r.value);
    else setError(r.error.message);
  }, [api]);
  useEffect(() => void refresh(), [refresh]);

  const act = useCallback(
    async <T,>(
      call: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
      done: (v: T) => void,
    ) => {
      setBusy(true);
      setError(null);
      try {
        const r = await call();
        if (!r.ok) return setError(r.error.message);
        done(r.value);
        await refresh();
      } finally {
        setBusy(false);
      }
    },
    [refresh],
  );

  const field = doseField(choice, drug);
  const give = () => {
    const built = buildOrder(choice, drug, dose);
    if ('error' in built) return setError(built.error);
    void act(
      () => api.bedsideOrder({ order: built.order }),
      (a) => setOutcome(a),
    );
  };
  // One row per examination made so far, oldest first (the bedside record keeps each exam's findings).
  const exams = actions.flatMap((a) => (a.action === 'examine' && a.exam?.outcomes ? [a.exam] : []));
  const zoneAt = exam?.time ?? actions.at(-1)?.time ?? syringe?.time ?? null;

  return (
    <section className="screen bedside" aria-labelledby="bedside-title" data-testid="bedside">
      <div className="screen-title-row">
        <h1 id="bedside-title">Bedside</h1>
        <span className="hint">The patient in front of you: what you can see, ask, measure and give.</span>
      </div>
      {zoneAt !== null && (
        <p className="hint" data-testid="bedside-zone">
          Times are local, {formatZone(zoneAt)}.
        </p>
      )}
      {error && (
        <p className="message error" role="alert" data-testid="bedside-error">
          {error}
        </p>
      )}
      <div className="bedside-grid">
        <section className="card bedside-exam-card" aria-labelledby="bedside-exam">
          <h2 id="bedside-exam">Examine</h2>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void act(() => api.bedsideExamine({}), setExam)}
            data-testid="bedside-examine"
          >
            Examine the patient
          </button>
          {exam && (
            <div data-testid="bedside-exam-result">
              <p className="hint">Examined {formatLocalDateTime(exam.time)}</p>
              <dl>
                <dt>Heart rate</dt>
                <dd data-testid="exam-hr">{exam.vitals.heartRateBpm} beats/min</dd>
                <dt>Blood pressure</dt>
                <dd data-testid="exam-bp">
                  {exam.vitals.systolicMmHg}/{exam.vitals.diastolicMmHg} mmHg
                </dd>
                <dt>Temperature</dt>
                <dd data-testid="exam-temp">{exam.vitals.temperatureC.toFixed(1)} °C</dd>
                <dt>Breathing</dt>
                <dd data-testid="exam-rr">
                  {exam.vitals.respiratoryRatePerMin} breaths/min
                  {exam.vitals.ventilated ? ' (ventilated)' : ''}
                </dd>
                <dt>Oxygen saturation</dt>
                <dd data-testid="exam-spo2">{exam.vitals.spo2Percent}%</dd>
                <dt>Muscle tone (Modified Ashworth)</dt>
                <dd data-testid="exam-ashworth">{exam.modifiedAshworth}</dd>
                <dt>Spasms (Penn)</dt>
                <dd data-testid="exam-penn">
                  {exam.pennSpasmFrequency}: {PENN[exam.pennSpasmFrequency]}
                </dd>
                <dt>Consciousness</dt>
                <dd data-testid="exam-consciousness">{CONSCIOUSNESS[exam.consciousness]}</dd>
                <dt>Mental state</dt>
                <dd data-testid="exam-mental">{MENTAL[exam.mentalStatus]}</dd>
                <dt>Pain (patient, 0-10)</dt>
                <dd data-testid="exam-pain">{painWords(exam.outcomes.painNrs)}</dd>
                <dt>Sleep</dt>
                <dd data-testid="exam-sleep">{sleepWords(exam.outcomes.awakeningsPerNight)}</dd>
                <dt>Daily activities</dt>
                <dd data-testid="exam-activities">
                  {exam.outcomes.dailyActivities}/100: {dailyActivitiesWords(exam.outcomes.dailyActivities)}
                </dd>
                <dt>Caregiver burden (caregiver, 0-10)</dt>
                <dd data-testid="exam-burden">
                  {exam.outcomes.caregiverBurden}: {caregiverBurdenWords(exam.outcomes.caregiverBurden)}
                </dd>
              </dl>
              <h3>Signs</h3>
              <ul data-testid="exam-signs">
                {exam.signs.length === 0 ? (
                  <li>Nothing else of note.</li>
                ) : (
                  exam.signs.map((s) => <li key={s}>{s}</li>)
                )}
              </ul>
              <h3>The patient says</h3>
              <ul data-testid="exam-says">
                {exam.patientSays.length === 0 ? (
                  <li>Nothing: the patient cannot speak now.</li>
                ) : (
                  exam.patientSays.map((s) => <li key={s}>{s}</li>)
                )}
              </ul>
            </div>
          )}
        </section>

        <section className="card" aria-labelledby="bedside-syringe">
          <h2 id="bedside-syringe">Refill syringe</h2>
          <p className="hint">
            At a refill: empty the reservoir through the refill needle and read the syringe. Enter this volume
            as the volume withdrawn in the Refill workflow.
          </p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => api.bedsideRefillSyringe({}), setSyringe)}
            data-testid="bedside-syringe-read"
          >
            Empty the reservoir into the syringe
          </button>
          {syringe && (
            <p data-testid="bedside-syringe-result">
              <strong>{syringe.volumeMl.toFixed(1)} mL</strong> withdrawn ({syringe.syringes} x{' '}
              {syringe.syringeMl} mL syringe{syringe.syringes > 1 ? 's' : ''}, read to {syringe.resolutionMl}{' '}
              mL) at {formatLocalDateTime(syringe.time)}
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="bedside-orders">
          <h2 id="bedside-orders">Treatment and orders</h2>
          <label className="field">
            <span>Order</span>
            <select
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value as OrderChoice);
                setDose('');
                setOutcome(null);
              }}
              data-testid="bedside-order-kind"
            >
              {[...new Set(CHOICES.map((c) => c.group))].map((g) => (
                <optgroup key={g} label={g}>
                  {CHOICES.filter((c) => c.group === g).map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          {choice === 'ivBenzodiazepine' && (
            <label className="field">
              <span>Drug</span>
              <select
                value={drug}
                onChange={(e) => setDrug(e.target.value as BenzodiazepineDrug)}
                data-testid="bedside-order-drug"
              >
                <option value="lorazepam">Lorazepam</option>
                <option value="diazepam">Diazepam</option>
                <option value="midazolam">Midazolam</option>
              </select>
            </label>
          )}
          {field && (
            <label className="field">
              <span>
                {field.unit === 'mL' ? 'Volume' : 'Dose'} ({field.unit}, {field.range[0]}-{field.range[1]})
              </span>
              <input
                inputMode="decimal"
                value={dose}
                onChange={(e) => setDose(e.target.value)}
                data-testid="bedside-order-dose"
              />
            </label>
          )}
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={give}
            data-testid="bedside-order-give"
          >
            {field ? 'Give' : 'Do it'}
          </button>
          {outcome && (
            <p className="message info" role="status" data-testid="bedside-order-outcome">
              {describeAction(outcome)}: {outcome.outcome}
              {outcome.action === 'resumeIntrathecal' && onUseProgrammer && (
                <>
                  {' '}
                  <button type="button" onClick={onUseProgrammer}>
                    Go to the programmer
                  </button>
                </>
              )}
            </p>
          )}
        </section>

        <section className="card bedside-visits" aria-labelledby="bedside-visits">
          <h2 id="bedside-visits">Examinations over time</h2>
          <p className="hint">
            The expected benefits at each examination so far: spasticity, spasms, pain, sleep, daily
            activities and caregiver burden.
          </p>
          {exams.length === 0 ? (
            <p className="hint">No examination yet.</p>
          ) : (
            <div className="table-scroll" role="region" tabIndex={0} aria-label="Examinations, oldest first">
              <table data-testid="bedside-visits">
                <thead>
                  <tr>
                    <th scope="col">Examined</th>
                    <th scope="col">Ashworth</th>
                    <th scope="col">Spasms (Penn)</th>
                    <th scope="col">Pain (0-10)</th>
                    <th scope="col">Woken a night</th>
                    <th scope="col">Daily activities (0-100)</th>
                    <th scope="col">Caregiver burden (0-10)</th>
                  </tr>
                </thead>
                <tbody>
                  {exams.map((e) => (
                    <tr key={e.time + ':' + String(e.seizuresSinceLastExam)} data-testid="bedside-visit">
                      <th scope="row">{formatLocalDateTime(e.time)}</th>
                      <td>{e.modifiedAshworth}</td>
                      <td>{e.pennSpasmFrequency}</td>
                      <td>{e.outcomes.painNrs ?? 'not rated'}</td>
                      <td>{e.outcomes.awakeningsPerNight}</td>
                      <td>{e.outcomes.dailyActivities}</td>
                      <td>{e.outcomes.caregiverBurden}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="card bedside-actions" aria-labelledby="bedside-done">
          <h2 id="bedside-done">Done at the bedside</h2>
          {actions.length === 0 ? (
            <p className="hint">Nothing yet.</p>
          ) : (
            <ol data-testid="bedside-actions" reversed tabIndex={0} aria-label="Actions, latest first">
              {[...actions].reverse().map((a) => (
                <li key={a.seq} data-testid="bedside-action">
                  <time>{formatLocalDateTime(a.time)}</time>: <strong>{describeAction(a)}</strong>{' '}
                  <span className="hint">{a.outcome}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  );
}
