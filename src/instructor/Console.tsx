/**
 * The instructor console (issue 20): time, faults, the patient, the truth beside the belief, the trainee's
 * actions and a message to the trainee, live over the host's relay. Every control answers with the bench's
 * own words when it refuses (nothing changed).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CallAnswer, InstructorClient } from './api';
import { Chart, type ChartSeries } from './Chart';
import { ScenarioPanel } from './ScenarioPanel';
import {
  deliveredMcgPerDay,
  formatMcgPerDay,
  formatMl,
  formatPumpTime,
  historyColumns,
  parseLocalDateTime,
  pushSample,
  toLocalDateTimeValue,
  TREND_SPANS,
  WITHDRAWAL_WORDS,
  type DeliverySample,
} from './model';
import type { ActivityEntry, BenchState, HistoryRow, PatientFindings, PatientHistory } from './types';

const SPEEDS = [1, 60, 600, 3600, 86_400, 100_000] as const;
const CATHETER_STATES = [
  ['patent', 'patent'],
  ['partialOcclusion', 'partial occlusion'],
  ['fullOcclusion', 'full occlusion'],
  ['disconnected', 'disconnected'],
] as const;

const VITAL_SERIES: ChartSeries[] = [
  { label: 'Heart rate (bpm)', stroke: '#c0392b' },
  { label: 'Systolic BP (mmHg)', stroke: '#2c3e50' },
  { label: 'Temperature (°C)', stroke: '#e67e22', scale: 'y2' },
];
const SPASTICITY_SERIES: ChartSeries[] = [
  { label: 'Tone score (0-5)', stroke: '#8e44ad' },
  { label: 'Penn spasm frequency (0-4)', stroke: '#16a085' },
  { label: 'Withdrawal signs (0-1)', stroke: '#c0392b', scale: 'y2' },
  { label: 'Overdose ratio', stroke: '#2980b9', scale: 'y2' },
];
const DOSE_SERIES: ChartSeries[] = [
  { label: 'Programmed (mcg/day)', stroke: '#2c3e50' },
  { label: 'Truly delivered (mcg/day)', stroke: '#c0392b' },
];

interface DoseSample {
  time: number;
  programmed: number;
  delivered: number | null;
}

export function Console({ client }: { client: InstructorClient }) {
  const [open, setOpen] = useState(false);
  const [benchAvailable, setBenchAvailable] = useState(true);
  const [state, setState] = useState<BenchState | null>(null);
  const [patient, setPatient] = useState<PatientFindings | null>(null);
  const [activity, setActivity] = useState<ActivityEntry[]>([]);
  const [delivery, setDelivery] = useState<DeliverySample[]>([]);
  const [doses, setDoses] = useState<DoseSample[]>([]);
  const [history, setHistory] = useState<HistoryRow[]>([]);
  const [span, setSpan] = useState<number>(TREND_SPANS[1].seconds);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);

  const onState = useCallback((s: BenchState) => {
    setState(s);
    const deliveredNg = s.truth.trueDeliveredIntrathecalNg ?? s.truth.deliveredIntrathecalNg;
    setDelivery((d) => {
      const next = pushSample(d, { time: s.clock.pumpTime, deliveredNg });
      const rate = deliveredMcgPerDay(next);
      setDoses((ds) =>
        pushSample(ds, {
          time: s.clock.pumpTime,
          programmed: s.status.dailyDoseNgPerDay / 1000,
          delivered: rate,
        }),
      );
      return next;
    });
  }, []);

  useEffect(() => {
    const offOpen = client.onOpenChange(setOpen);
    const off = client.onMessage((m) => {
      if (m.kind === 'hello') {
        setBenchAvailable(m.benchAvailable);
        setActivity(m.activity);
        for (const s of m.stream as { type: string; state?: BenchState; patient?: PatientFindings }[]) {
          if (s.type === 'state' && s.state) onState(s.state);
          if (s.type === 'patient' && s.patient) setPatient(s.patient);
        }
      } else if (m.kind === 'activity') {
        setActivity((a) => [...a, m.entry].slice(-500));
      } else if (m.kind === 'stream') {
        const s = m.message as { type: string; state?: BenchState; patient?: PatientFindings };
        if ((s.type === 'state' || s.type === 'hello') && s.state) onState(s.state);
        if (s.type === 'patient' && s.patient) setPatient(s.patient);
      }
    });
    return () => {
      off();
      offOpen();
    };
  }, [client, onState]);

  // The first state at once (the stream sends one only when something changes).
  useEffect(() => {
    if (!open) return;
    void client.call('state').then((a) => a.status === 200 && onState(a.body as BenchState));
    void client.call('patient').then((a) => a.status === 200 && setPatient(a.body as PatientFindings));
  }, [open, client, onState]);

  // Trends: the patient's history over the chosen span, read again as pump time moves (at most every 2 s).
  const pumpTime = state?.clock.pumpTime ?? null;
  const [historyAt, setHistoryAt] = useState<number | null>(null);
  useEffect(() => {
    if (pumpTime === null || !open) return;
    if (historyAt !== null && Math.abs(pumpTime - historyAt) < 900) return;
    const t = setTimeout(() => {
      setHistoryAt(pumpTime);
      void client.call('history', { from: Math.max(0, pumpTime - span), to: pumpTime }).then((a) => {
        if (a.status === 200) setHistory((a.body as PatientHistory).samples);
      });
    }, 250);
    return () => clearTimeout(t);
  }, [pumpTime, historyAt, span, open, client]);

  const act = useCallback(
    async (
      op: Parameters<InstructorClient['call']>[0],
      args?: Record<string, unknown>,
    ): Promise<CallAnswer> => {
      const a = await client.call(op, args);
      if (a.status !== 200) {
        const err = (a.body as { error?: string } | null)?.error ?? `refused (${a.status})`;
        setNotice({ text: err, error: true });
      } else setNotice(null);
      if (a.status === 200 && a.body && typeof a.body === 'object' && 'clock' in a.body && 'status' in a.body)
        onState(a.body as BenchState);
      return a;
    },
    [client, onState],
  );

  // The panel's reads are quiet (no case loaded is not an error); ending the case is a control.
  const scenarioCall = useCallback(
    (op: Parameters<InstructorClient['call']>[0], args?: Record<string, unknown>) =>
      op === 'scenarioFinish' ? act(op, args) : client.call(op, args),
    [act, client],
  );

  const vitalsData = useMemo(
    () => historyColumns(history, ['heartRateBpm', 'systolicMmHg', 'temperatureC']),
    [history],
  );
  const spasticityData = useMemo(
    () =>
      historyColumns(history, ['toneScore', 'pennSpasmFrequency', 'withdrawalSignSeverity', 'overdoseRatio']),
    [history],
  );
  const doseData = useMemo(
    () => [doses.map((d) => d.time), doses.map((d) => d.programmed), doses.map((d) => d.delivered)],
    [doses],
  );

  const clock = state?.clock;
  const paused = clock?.mode === 'paused';
  const deliveredNow = deliveredMcgPerDay(delivery);

  return (
    <div className="console">
      <header className="console-header">
        <h1>Instructor console</h1>
        <p className="disclaimer">Training and test bench — not a medical device.</p>
        <p className={open ? 'link ok' : 'link down'} role="status">
          {open ? 'Connected to the bench' : 'Not connected to the host: retrying'}
        </p>
        {!benchAvailable && (
          <p className="notice error">This host runs no embedded pump: nothing to control.</p>
        )}
      </header>

      {notice && (
        <p className={notice.error ? 'notice error' : 'notice'} role="alert" data-testid="notice">
          {notice.text}
        </p>
      )}

      <section className="panel time" aria-labelledby="time-h">
        <h2 id="time-h">Time</h2>
        <p className="pump-time">
          Pump time: <strong data-testid="pump-time">{clock ? formatPumpTime(clock.pumpTime) : '…'}</strong>
        </p>
        <p data-testid="clock-mode">
          {clock
            ? paused
              ? 'Paused: pump, patient and case stand still'
              : clock.mode === 'fast'
                ? 'Running fast (event to event)'
                : `Running at x${clock.speed}`
            : ''}
          {clock?.advancingTo ? ` — advancing to ${formatPumpTime(clock.advancingTo)}` : ''}
        </p>
        <div className="row">
          <button
            type="button"
            className={paused ? 'primary' : 'danger'}
            onClick={() => void act(paused ? 'resume' : 'pause')}
            data-testid="pause-toggle"
          >
            {paused ? 'Resume' : 'Pause everything'}
          </button>
          <span className="label">Speed</span>
          {SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={clock?.mode !== 'fast' && clock?.speed === s}
              onClick={() => void act('speed', { speed: s })}
            >
              x{s.toLocaleString('en-GB')}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={clock?.mode === 'fast'}
            onClick={() => void act('speed', { speed: 'fast' })}
          >
            Fast
          </button>
        </div>
        <AdvanceControls act={act} pumpTime={pumpTime} nextEventTime={clock?.nextEventTime ?? null} />
        <AutoPauseControls act={act} state={state} />
      </section>

      <section className="panel faults" aria-labelledby="faults-h">
        <h2 id="faults-h">Faults</h2>
        <FaultControls act={act} state={state} />
      </section>

      <section className="panel patient" aria-labelledby="patient-h">
        <h2 id="patient-h">Patient monitor</h2>
        {patient ? <PatientMonitor p={patient} /> : <p>No patient yet.</p>}
        <div className="row">
          <label>
            Trends over{' '}
            <select value={span} onChange={(e) => (setSpan(Number(e.target.value)), setHistoryAt(null))}>
              {TREND_SPANS.map((t) => (
                <option key={t.seconds} value={t.seconds}>
                  the last {t.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Chart
          title="Vital signs"
          series={VITAL_SERIES}
          data={vitalsData}
          yLabel="bpm, mmHg"
          y2Label="°C"
          testId="chart-vitals"
        />
        <Chart
          title="Spasticity, withdrawal and overdose"
          series={SPASTICITY_SERIES}
          data={spasticityData}
          yLabel="score"
          y2Label="severity"
          testId="chart-spasticity"
        />
      </section>

      <section className="panel truth" aria-labelledby="truth-h">
        <h2 id="truth-h">Truth beside belief</h2>
        {state ? (
          <table>
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">The pump believes</th>
                <th scope="col">Truth</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Reservoir</th>
                <td data-testid="reservoir-calculated">
                  {formatMl(state.truth.calculatedReservoirVolumeNl)}
                </td>
                <td data-testid="reservoir-true">{formatMl(state.truth.trueReservoirVolumeNl)}</td>
              </tr>
              <tr>
                <th scope="row">Daily dose</th>
                <td data-testid="dose-programmed">
                  {formatMcgPerDay(state.status.dailyDoseNgPerDay)} programmed
                </td>
                <td data-testid="dose-delivered">
                  {deliveredNow === null
                    ? 'measuring…'
                    : `${formatMcgPerDay(deliveredNow * 1000)} reached the spinal fluid`}
                </td>
              </tr>
              <tr>
                <th scope="row">Catheter</th>
                <td>(not sensed)</td>
                <td data-testid="catheter-true">
                  {CATHETER_STATES.find((c) => c[0] === state.truth.catheter)?.[1]}
                </td>
              </tr>
              <tr>
                <th scope="row">Concentration</th>
                <td>{state.status.concentrationMcgPerMl} mcg/mL</td>
                <td>
                  {state.truth.trueReservoirConcentrationMcgPerMl ?? state.status.concentrationMcgPerMl}{' '}
                  mcg/mL
                </td>
              </tr>
            </tbody>
          </table>
        ) : (
          <p>…</p>
        )}
        <Chart
          title="Dose: programmed and truly delivered"
          series={DOSE_SERIES}
          data={doseData}
          yLabel="mcg/day"
          testId="chart-dose"
        />
      </section>

      <section className="panel scenario" aria-labelledby="scenario-h">
        <h2 id="scenario-h">Training case</h2>
        <ScenarioPanel call={scenarioCall} pumpTime={pumpTime} />
        <MessageForm act={act} />
      </section>

      <section className="panel activity" aria-labelledby="activity-h">
        <h2 id="activity-h">Activity (instructor, trainee, pump)</h2>
        <ol className="activity-list" data-testid="activity">
          {activity
            .slice()
            .reverse()
            .map((e, i) => (
              <li key={`${e.at}-${i}`} className={`${e.who} ${e.result}`}>
                <span className="when">{e.pumpTime !== null ? formatPumpTime(e.pumpTime) : '—'}</span>{' '}
                <span className="who">{e.who}</span> {e.text}
              </li>
            ))}
        </ol>
      </section>

      <details className="panel engineer">
        <summary>Engineer's detail</summary>
        <dl>
          <dt>Pump time (s since 1970)</dt>
          <dd data-testid="pump-time-raw">{clock?.pumpTime ?? '—'}</dd>
          <dt>Next pump event (s)</dt>
          <dd>{clock?.nextEventTime ?? 'none'}</dd>
          <dt>Auto-pause at (s)</dt>
          <dd>{clock?.pauseAt ?? 'none'}</dd>
          <dt>Line</dt>
          <dd>{state ? JSON.stringify(state.linkFaults) : '—'}</dd>
        </dl>
      </details>
    </div>
  );
}

type Act = (
  op: Parameters<InstructorClient['call']>[0],
  args?: Record<string, unknown>,
) => Promise<CallAnswer>;

function AdvanceControls({
  act,
  pumpTime,
  nextEventTime,
}: {
  act: Act;
  pumpTime: number | null;
  nextEventTime: number | null;
}) {
  const [to, setTo] = useState('');
  return (
    <div className="row">
      <span className="label">Advance</span>
      <button type="button" onClick={() => void act('advance', { by: 3600 })}>
        +1 hour
      </button>
      <button type="button" onClick={() => void act('advance', { by: 86_400 })}>
        +1 day
      </button>
      <button type="button" onClick={() => void act('nextEvent')} disabled={nextEventTime === null}>
        To the next event{nextEventTime !== null ? ` (${formatPumpTime(nextEventTime)})` : ''}
      </button>
      <label>
        to{' '}
        <input
          type="datetime-local"
          value={to || (pumpTime !== null ? toLocalDateTimeValue(pumpTime) : '')}
          onChange={(e) => setTo(e.target.value)}
          aria-label="Advance to (local time)"
        />
      </label>
      <button
        type="button"
        onClick={() => {
          const t = parseLocalDateTime(to);
          if (t === null) return void act('advance', { to: -1 }); // the bench says why
          void act('advance', { to: t });
        }}
      >
        Go
      </button>
    </div>
  );
}

function AutoPauseControls({ act, state }: { act: Act; state: BenchState | null }) {
  const [at, setAt] = useState('');
  const [alarm, setAlarm] = useState(false);
  const [withdrawal, setWithdrawal] = useState('');
  const [overdose, setOverdose] = useState('');
  const clock = state?.clock;
  const set = () => {
    const when: Record<string, string>[] = [];
    if (alarm) when.push({ kind: 'alarm' });
    if (withdrawal) when.push({ kind: 'withdrawalStage', atLeast: withdrawal });
    if (overdose) when.push({ kind: 'overdoseStage', atLeast: overdose });
    const args: Record<string, unknown> = { when };
    if (at) {
      const t = parseLocalDateTime(at);
      args.at = t ?? -1;
    }
    void act('autoPause', args);
  };
  return (
    <fieldset className="row">
      <legend>Auto-pause</legend>
      <label>
        at{' '}
        <input
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          aria-label="Auto-pause at (local time)"
        />
      </label>
      <label>
        <input type="checkbox" checked={alarm} onChange={(e) => setAlarm(e.target.checked)} /> when an alarm
        is raised
      </label>
      <label>
        when withdrawal reaches{' '}
        <select
          value={withdrawal}
          onChange={(e) => setWithdrawal(e.target.value)}
          aria-label="Withdrawal stage"
        >
          <option value="">(no)</option>
          <option value="early">early</option>
          <option value="moderate">moderate</option>
          <option value="severe">severe</option>
          <option value="lifeThreatening">life-threatening</option>
        </select>
      </label>
      <label>
        when overdose reaches{' '}
        <select value={overdose} onChange={(e) => setOverdose(e.target.value)} aria-label="Overdose stage">
          <option value="">(no)</option>
          <option value="mild">mild</option>
          <option value="moderate">moderate</option>
          <option value="severe">severe</option>
        </select>
      </label>
      <button type="button" onClick={set}>
        Set auto-pause
      </button>
      <button type="button" onClick={() => void act('autoPause', { at: null, when: [] })}>
        Cancel
      </button>
      <p className="hint" data-testid="auto-pause">
        {clock?.pauseAt ? `Pauses at ${formatPumpTime(clock.pauseAt)}. ` : ''}
        {clock?.autoPauseWhen.length
          ? `Pauses when ${clock.autoPauseWhen.map((c) => (c.kind === 'alarm' ? 'an alarm is raised' : `${c.kind === 'withdrawalStage' ? 'withdrawal' : 'overdose'} reaches ${WITHDRAWAL_WORDS[c.atLeast] ?? c.atLeast}`)).join(' or ')}.`
          : ''}
        {!clock?.pauseAt && !clock?.autoPauseWhen.length ? 'No auto-pause set.' : ''}
      </p>
    </fieldset>
  );
}

function FaultControls({ act, state }: { act: Act; state: BenchState | null }) {
  const [overPct, setOverPct] = useState('10');
  const [pocketPct, setPocketPct] = useState('30');
  const [stallHours, setStallHours] = useState('1');
  const [corruption, setCorruption] = useState('1');
  const t = state?.truth;
  return (
    <div className="fault-grid">
      <div className="row" role="group" aria-label="Catheter">
        <span className="label">Catheter</span>
        {CATHETER_STATES.map(([k, w]) => (
          <button
            key={k}
            type="button"
            aria-pressed={t?.catheter === k}
            data-testid={`catheter-${k}`}
            onClick={() =>
              void act(
                k === 'patent' ? 'clearFault' : 'fault',
                k === 'patent' ? { kind: 'catheter' } : { kind: 'catheter', state: k },
              )
            }
          >
            {w}
          </button>
        ))}
      </div>
      <div className="row">
        <span className="label">Over-infusion</span>
        <input
          aria-label="Over-infusion, percent"
          value={overPct}
          onChange={(e) => setOverPct(e.target.value)}
          size={5}
        />{' '}
        %
        <button
          type="button"
          onClick={() =>
            void act('fault', { kind: 'overInfusion', ppm: Math.round(Number(overPct) * 10_000) })
          }
        >
          Set
        </button>
        <button type="button" onClick={() => void act('clearFault', { kind: 'overInfusion' })}>
          Clear
        </button>
        <span className="hint">
          {t && t.overInfusionPpm !== 0 ? `now ${t.overInfusionPpm / 10_000}%` : ''}
        </span>
      </div>
      <div className="row">
        <span className="label">Pocket fill at the next refill</span>
        <input
          aria-label="Pocket fill, percent"
          value={pocketPct}
          onChange={(e) => setPocketPct(e.target.value)}
          size={5}
        />{' '}
        %
        <button
          type="button"
          onClick={() =>
            void act('fault', { kind: 'pocketFill', ppm: Math.round(Number(pocketPct) * 10_000) })
          }
        >
          Set
        </button>
        <button type="button" onClick={() => void act('clearFault', { kind: 'pocketFill' })}>
          Clear
        </button>
      </div>
      <div className="row">
        <span className="label">Battery</span>
        <button type="button" onClick={() => void act('fault', { kind: 'battery', to: 'eri' })}>
          ERI (elective replacement)
        </button>
        <button type="button" onClick={() => void act('fault', { kind: 'battery', to: 'endOfService' })}>
          End of service
        </button>
        <button type="button" onClick={() => void act('clearFault', { kind: 'battery' })}>
          Clear
        </button>
        <span className="hint">
          {t ? `${(t.batteryRemainingPpm / 10_000).toFixed(1)}% left (truth)` : ''}
        </span>
      </div>
      <div className="row">
        <span className="label">Motor stall, recovers after</span>
        <input
          aria-label="Motor stall recovery, hours"
          value={stallHours}
          onChange={(e) => setStallHours(e.target.value)}
          size={4}
        />{' '}
        h
        <button
          type="button"
          onClick={() =>
            void act('fault', { kind: 'motorStall', recoveryDelayS: Math.round(Number(stallHours) * 3600) })
          }
        >
          Stall
        </button>
        <button type="button" onClick={() => void act('clearFault', { kind: 'motorStall' })}>
          Clear
        </button>
      </div>
      <div className="row">
        <span className="label">Memory error</span>
        <button type="button" onClick={() => void act('fault', { kind: 'memoryError', critical: false })}>
          Non-critical
        </button>
        <button type="button" onClick={() => void act('fault', { kind: 'memoryError', critical: true })}>
          Critical
        </button>
        <button type="button" onClick={() => void act('clearFault', { kind: 'memoryError' })}>
          Clear
        </button>
      </div>
      <div className="row" role="group" aria-label="Telemetry link">
        <span className="label">Telemetry link</span>
        <input
          aria-label="Byte corruption, percent"
          value={corruption}
          onChange={(e) => setCorruption(e.target.value)}
          size={4}
        />{' '}
        % corrupted
        <button
          type="button"
          onClick={() => void act('linkFaults', { corruptionRate: Number(corruption) / 100 })}
        >
          Set
        </button>
        <button
          type="button"
          aria-pressed={state?.linkFaults.disconnected ?? false}
          onClick={() => void act('linkFaults', { disconnected: !(state?.linkFaults.disconnected ?? false) })}
        >
          {state?.linkFaults.disconnected ? 'Reconnect the link' : 'Cut the link'}
        </button>
        <button
          type="button"
          onClick={() =>
            void act('linkFaults', {
              corruptionRate: 0,
              dropRate: 0,
              duplicateRate: 0,
              latencyMs: 0,
              disconnected: false,
            })
          }
        >
          Clean line
        </button>
      </div>
    </div>
  );
}

function PatientMonitor({ p }: { p: PatientFindings }) {
  const v = p.vitals;
  return (
    <div className="monitor">
      <dl className="vitals">
        <div>
          <dt>Heart rate</dt>
          <dd data-testid="vital-hr">{Math.round(v.heartRateBpm)} bpm</dd>
        </div>
        <div>
          <dt>Blood pressure</dt>
          <dd data-testid="vital-bp">
            {Math.round(v.systolicMmHg)}/{Math.round(v.diastolicMmHg)} mmHg
          </dd>
        </div>
        <div>
          <dt>Temperature</dt>
          <dd data-testid="vital-temp">{v.temperatureC.toFixed(1)} °C</dd>
        </div>
        <div>
          <dt>Respiratory rate</dt>
          <dd data-testid="vital-rr">{Math.round(v.respiratoryRatePerMin)} /min</dd>
        </div>
        <div>
          <dt>SpO₂</dt>
          <dd data-testid="vital-spo2">
            {Math.round(v.spo2Percent)}%{v.ventilated ? ' (ventilated)' : ''}
          </dd>
        </div>
        <div>
          <dt>Modified Ashworth</dt>
          <dd data-testid="score-mas">{p.scores.modifiedAshworth}</dd>
        </div>
        <div>
          <dt>Penn spasm frequency</dt>
          <dd data-testid="score-penn">{p.scores.pennSpasmFrequency} of 4</dd>
        </div>
        <div>
          <dt>Consciousness</dt>
          <dd>{p.consciousness}</dd>
        </div>
        <div>
          <dt>Withdrawal</dt>
          <dd data-testid="withdrawal-stage" className={p.withdrawal.stage === 'none' ? '' : 'alert'}>
            {WITHDRAWAL_WORDS[p.withdrawal.stage]}
          </dd>
        </div>
        <div>
          <dt>Overdose</dt>
          <dd data-testid="overdose-stage" className={p.overdose.stage === 'none' ? '' : 'alert'}>
            {p.overdose.stage}
          </dd>
        </div>
        <div>
          <dt>CK</dt>
          <dd>{p.ckUPerL} U/L</dd>
        </div>
        <div>
          <dt>Seizures</dt>
          <dd>{p.seizureCount}</dd>
        </div>
      </dl>
      <p>
        <strong>On board:</strong> benzodiazepine {p.interventions.benzodiazepineDiazepamEqMg} mg
        diazepam-equivalent; oral baclofen {p.interventions.oralBaclofenPlasmaMg} mg; cyproheptadine{' '}
        {p.interventions.cyproheptadineMg} mg.
      </p>
      <p data-testid="symptoms">
        <strong>The patient:</strong> {p.symptoms.length ? p.symptoms.join('; ') : 'no complaints'}
      </p>
    </div>
  );
}

function MessageForm({ act }: { act: Act }) {
  const [text, setText] = useState('');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void act('message', { text }).then((a) => a.status === 200 && setText(''));
      }}
    >
      <label>
        Message to the trainee{' '}
        <input value={text} onChange={(e) => setText(e.target.value)} maxLength={500} size={50} />
      </label>
      <button type="submit">Send</button>
    </form>
  );
}
