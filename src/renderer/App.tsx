/**
 * The clinician programmer's shell: header (safety statement, link, patient context), alarm banner and
 * tones, and the screens: connect, pump summary with the workflow chooser, event log, protocol monitor,
 * stop/resume, alarm test, end of session. The therapy workflows live in ./workflows.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PumpProgram } from '../device/pump-api';
import type { Alarm, PumpStatus } from '../device/types';
import type {
  ConnectTarget,
  ConnectionInfo,
  EndSessionResult,
  ProgrammerBridge,
  SpasticityOrigin,
  AgeGroup,
} from '../shared/contract';
import type { Transport, TransportState } from './api';
import { createBrowserTonePlayer, type AlarmTonePlayer, type SoundingAlarm } from './audio/tones';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ConfirmDialog } from './components/Modal';
import { SAFETY_STATEMENT, StatusHeader } from './components/StatusHeader';
import { AlarmBanner } from './screens/AlarmPanel';
import { applyAlarmEvent, isSilenced, sortAlarms, soundingAlarms } from './screens/alarmModel';
import { ConnectScreen, type SessionIdentity } from './screens/ConnectScreen';
import { EndSessionDialog } from './screens/EndSessionDialog';
import { EventLogScreen } from './screens/EventLogScreen';
import { EMPTY_FRAMES, appendFrame, type FrameBuffer } from './screens/frameModel';
import { ProtocolMonitorScreen } from './screens/ProtocolMonitorScreen';
import { SummaryScreen, type WorkflowChoice } from './screens/SummaryScreen';
import { lastRefillTime, staleness as computeStaleness } from './screens/summaryModel';
import { CandidacyScreen } from './candidacy/CandidacyScreen';
import { CaseBanner } from './cases/CaseBanner';
import { DebriefScreen } from './cases/DebriefScreen';
import { TrainingScreen } from './cases/TrainingScreen';
import type { Debrief, TrainingCaseStatus } from '../shared/training-case';
import type { SinceLastVisit } from '../shared/clinical/since-last-visit';
import { BolusWorkflow } from './workflows/BolusWorkflow';
import { FlexWorkflow } from './workflows/FlexWorkflow';
import { RefillWorkflow } from './workflows/RefillWorkflow';
import { TitrationWorkflow } from './workflows/TitrationWorkflow';
import type { WorkflowProps } from './workflows/types';
import { BedsideScreen } from './bedside/BedsideScreen';

type Screen =
  | 'connect'
  | 'candidacy'
  | 'training'
  | 'debrief'
  | 'summary'
  | 'log'
  | 'monitor'
  | 'titrate'
  | 'flex'
  | 'refill'
  | 'bolus';

const WORKFLOWS = {
  titrate: { title: 'Titration', Component: TitrationWorkflow },
  flex: { title: 'Flex schedule', Component: FlexWorkflow },
  refill: { title: 'Refill', Component: RefillWorkflow },
  bolus: { title: 'Bolus', Component: BolusWorkflow },
} satisfies Record<string, { title: string; Component: (p: WorkflowProps) => React.ReactNode }>;

interface Message {
  kind: 'error' | 'info';
  text: string;
}

export interface AppProps {
  api: ProgrammerBridge;
  transport: Transport;
  /** Poll the link statistics this often (ms); the host pushes state changes, not every counter. */
  statsPollMs?: number;
}

export function App({ api, transport, statsPollMs = 2000 }: AppProps) {
  const [transportState, setTransportState] = useState<TransportState>(() => transport.current());
  const [connection, setConnection] = useState<ConnectionInfo | null>(null);
  const [status, setStatus] = useState<PumpStatus | null>(null);
  const [program, setProgram] = useState<PumpProgram | null>(null);
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [lastRefillAt, setLastRefillAt] = useState<number | null>(null);
  const [origin, setOrigin] = useState<SpasticityOrigin | null>(null);
  const [ageGroup, setAgeGroup] = useState<AgeGroup | null>(null);
  const [screen, setScreen] = useState<Screen>('connect');
  const [trainingCase, setTrainingCase] = useState<TrainingCaseStatus | null>(null);
  const [debrief, setDebrief] = useState<Debrief | null>(null);
  const [sinceLast, setSinceLast] = useState<SinceLastVisit | null>(null);
  const [confirmFinish, setConfirmFinish] = useState(false);
  /** The pump screens (telemetry) or the bedside (the patient): two places, never mixed. */
  const [view, setView] = useState<'pump' | 'bedside'>('pump');
  const [frames, setFrames] = useState<FrameBuffer>(EMPTY_FRAMES);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [connectNotice, setConnectNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'stop' | 'resume' | null>(null);
  const [endWarning, setEndWarning] = useState<NonNullable<EndSessionResult['warning']> | null>(null);
  const [endError, setEndError] = useState<string | null>(null);
  const [tone, setTone] = useState<{ scheduled: number; sounding: SoundingAlarm | null }>({
    scheduled: 0,
    sounding: null,
  });
  const player = useRef<AlarmTonePlayer | null>(null);
  const pumpTimeRef = useRef(0);
  pumpTimeRef.current = status?.pumpTime ?? pumpTimeRef.current;

  const tonePlayer = useCallback((): AlarmTonePlayer => {
    player.current ??= createBrowserTonePlayer(setTone);
    return player.current;
  }, []);

  useEffect(() => {
    const unsubscribe = transport.subscribe(setTransportState);
    // The socket may have opened between the first render and this subscription: catch up.
    setTransportState(transport.current());
    return unsubscribe;
  }, [transport]);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'link') setConnection(event.connection);
        else if (event.type === 'frame') setFrames((buf) => appendFrame(buf, event.frame));
        else if (event.type === 'alarm') {
          if (event.status) setStatus(event.status);
          setAlarms((prev) => applyAlarmEvent(prev, event, event.status?.pumpTime ?? pumpTimeRef.current));
        }
      }),
    [api],
  );

  // Link statistics change with every frame; the host pushes only state changes, so poll the counters.
  useEffect(() => {
    if (transportState.state !== 'open' || screen === 'connect') return;
    const timer = setInterval(() => {
      void api.connectionState({}).then((r) => r.ok && setConnection(r.value));
    }, statsPollMs);
    return () => clearInterval(timer);
  }, [api, transportState.state, screen, statsPollMs]);

  // Tones follow the active, unsilenced alarms.
  useEffect(() => {
    tonePlayer().update(status ? soundingAlarms(alarms, status.pumpTime) : []);
  }, [alarms, status, tonePlayer]);
  useEffect(() => () => player.current?.stop(), []);

  // The training case in progress (its messages to the learner), polled: the case runs on the pump's clock.
  const refreshCase = useCallback(async () => {
    const r = await api.trainingCase({});
    if (r.ok) setTrainingCase(r.value);
  }, [api]);
  useEffect(() => {
    if (transportState.state !== 'open') return;
    void refreshCase();
    const timer = setInterval(() => void refreshCase(), statsPollMs * 2);
    return () => clearInterval(timer);
  }, [refreshCase, transportState.state, statsPollMs]);

  const finishCase = useCallback(async () => {
    setConfirmFinish(false);
    setBusy(true);
    const r = await api.finishTrainingCase({});
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: `Finishing the case failed: ${r.error.message}` });
    setDebrief(r.value);
    setView('pump');
    setScreen('debrief');
    void refreshCase();
  }, [api, refreshCase]);

  const staleness = useMemo(() => computeStaleness(connection, transportState), [connection, transportState]);

  const interrogate = useCallback(async (): Promise<string | null> => {
    setBusy(true);
    try {
      const s = await api.interrogate({});
      if (!s.ok) return `Interrogation failed: ${s.error.message}`;
      setStatus(s.value);
      setAlarms(sortAlarms(s.value.alarms));
      const p = await api.readProgram({});
      if (!p.ok) return `Reading the program failed: ${p.error.message}`;
      setProgram(p.value);
      // The fill time places the drug-stability limit for the next refill date (offset 0 = newest).
      const log = await api.readLog({ offset: 0, count: 50 });
      setLastRefillAt(log.ok ? lastRefillTime(log.value.entries) : null);
      const since = await api.sinceLastVisit({});
      setSinceLast(since.ok ? since.value : null);
      const c = await api.connectionState({});
      if (c.ok) setConnection(c.value);
      return null;
    } finally {
      setBusy(false);
    }
  }, [api]);

  const reinterrogate = useCallback(async () => {
    const err = await interrogate();
    setMessage(err ? { kind: 'error', text: err } : null);
  }, [interrogate]);

  const connect = useCallback(
    async (target: ConnectTarget, identity: SessionIdentity): Promise<string | null> => {
      // The screen's zone is the clinic's: the programmer sets the pump clock from it at interrogation.
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const r = await api.connect({
        target,
        ...(origin && ageGroup ? { patient: { origin, ageGroup } } : {}),
        timeZone,
        patientId: identity.patientId,
        clinician: identity.clinician,
      });
      if (!r.ok) return `Connection failed: ${r.error.message}`;
      setConnection(r.value);
      const err = await interrogate();
      if (err) return err;
      setConnectNotice(null);
      setMessage(null);
      setScreen('summary');
      return null;
    },
    [api, interrogate, origin, ageGroup],
  );

  const silence = useCallback(
    async (minutes: number) => {
      const r = await api.silenceAlarms({ minutes });
      if (!r.ok) return setMessage({ kind: 'error', text: `Silencing failed: ${r.error.message}` });
      setStatus(r.value);
      setAlarms(sortAlarms(r.value.alarms));
      // No separate notice: the banner says "Silenced until ..." per alarm, computed from the pump's own
      // record, so it disappears when the silence ends or the alarm clears (a message would linger).
      setMessage((m) => (m?.kind === 'error' && m.text.startsWith('Silencing failed') ? null : m));
    },
    [api],
  );

  const stopOrResume = useCallback(
    async (action: 'stop' | 'resume') => {
      setBusy(true);
      const r = action === 'stop' ? await api.stopPump({}) : await api.resumePump({});
      setBusy(false);
      setConfirm(null);
      if (!r.ok)
        return setMessage({
          kind: 'error',
          text: `${action === 'stop' ? 'Stop' : 'Resume'} failed: ${r.error.message}`,
        });
      setStatus(r.value);
      setAlarms(sortAlarms(r.value.alarms));
      setMessage({
        kind: 'info',
        text: action === 'stop' ? 'Pump stopped: no drug is delivered until it is resumed.' : 'Pump resumed.',
      });
      const p = await api.readProgram({});
      if (p.ok) setProgram(p.value);
    },
    [api],
  );

  const alarmTest = useCallback(async () => {
    setBusy(true);
    const r = await api.alarmTest({});
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: `Alarm test failed: ${r.error.message}` });
    setStatus(r.value);
    tonePlayer().test();
    setMessage({
      kind: 'info',
      text: 'Alarm test: the critical two-tone, then the non-critical single tone.',
    });
  }, [api, tonePlayer]);

  const sessionEnded = useCallback(
    (forced: boolean) => {
      setEndWarning(null);
      setEndError(null);
      setStatus(null);
      setProgram(null);
      setAlarms([]);
      setMessage(null);
      setScreen('connect');
      setConnectNotice(forced ? 'Session ended anyway; the reason was recorded.' : 'Session ended.');
      void api.connectionState({}).then((r) => r.ok && setConnection(r.value));
    },
    [api],
  );

  const endSession = useCallback(async () => {
    setBusy(true);
    const r = await api.endSession({});
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: `Ending the session failed: ${r.error.message}` });
    if (r.value.ended) return sessionEnded(false);
    if (r.value.warning) setEndWarning(r.value.warning);
  }, [api, sessionEnded]);

  const endAnyway = useCallback(
    async (reason: string) => {
      setBusy(true);
      const r = await api.endSession({ force: true, reason });
      setBusy(false);
      if (!r.ok) return setEndError(`Ending the session failed: ${r.error.message}`);
      if (r.value.ended) sessionEnded(true);
      else setEndError(r.value.warning?.message ?? 'The session was not ended.');
    },
    [api, sessionEnded],
  );

  const choose = useCallback(
    (choice: WorkflowChoice) => {
      setMessage(null);
      switch (choice) {
        case 'stopResume':
          return setConfirm(status?.mode === 'stopped' ? 'resume' : 'stop');
        case 'alarmTest':
          return void alarmTest();
        case 'endSession':
          return void endSession();
        default:
          return setScreen(choice);
      }
    },
    [alarmTest, endSession, status?.mode],
  );

  const backToSummary = useCallback(() => {
    setScreen('summary');
    void reinterrogate();
  }, [reinterrogate]);

  // Each screen change moves focus to the new screen's heading and announces it (WCAG 2.4.3, 4.1.3): a
  // keyboard or screen-reader user otherwise stays on <body> not knowing the screen changed.
  const shownScreen: Screen =
    screen === 'candidacy' || screen === 'training' || screen === 'debrief'
      ? screen
      : screen === 'connect' || !status
        ? 'connect'
        : screen;
  const [announcement, setAnnouncement] = useState('');
  const firstScreen = useRef(true);
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main.content h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
    setAnnouncement(`${heading.textContent ?? ''} screen`);
  }, [shownScreen, view]);

  const hostReady = transportState.state === 'open';
  const pumpTime = status?.pumpTime ?? 0;

  let content: React.ReactNode;
  if (view === 'bedside') {
    content = <BedsideScreen api={api} onUseProgrammer={() => setView('pump')} />;
  } else if (screen === 'training') {
    content = (
      <TrainingScreen
        api={api}
        onBack={() => setScreen(status ? 'summary' : 'connect')}
        onStarted={(st) => {
          setTrainingCase(st);
          setOrigin(st.summary.origin);
          setAgeGroup(st.summary.ageGroup);
          setConnectNotice(
            `Training case started: ${st.summary.title}. Connect to the virtual pump to begin; the patient is at the bedside.`,
          );
          setScreen('connect');
        }}
      />
    );
  } else if (screen === 'debrief') {
    content = debrief ? (
      <DebriefScreen api={api} debrief={debrief} onClose={() => setScreen(status ? 'summary' : 'connect')} />
    ) : (
      <p role="alert">No debrief to show.</p>
    );
  } else if (screen === 'candidacy') {
    content = (
      <CandidacyScreen
        api={api}
        onBack={() => setScreen(status ? 'summary' : 'connect')}
        onImplanted={(r, patient) => {
          setOrigin(patient.origin);
          setAgeGroup(patient.ageGroup);
          setConnectNotice(
            `New ${r.model} pump implanted, empty. Connect to it and program the first fill: ${r.plan.message}`,
          );
          setScreen('connect');
        }}
      />
    );
  } else if (screen === 'connect' || !status) {
    content = (
      <ConnectScreen
        api={api}
        origin={origin}
        onOriginChange={setOrigin}
        ageGroup={ageGroup}
        onAgeGroupChange={setAgeGroup}
        onConnect={connect}
        notice={connectNotice}
        hostReady={hostReady}
        onCandidacy={() => setScreen('candidacy')}
        onTraining={() => setScreen('training')}
      />
    );
  } else if (screen === 'summary') {
    content = (
      <SummaryScreen
        status={status}
        program={program}
        lastRefillAt={lastRefillAt}
        alarms={alarms}
        staleness={staleness}
        busy={busy}
        onChoose={choose}
        onInterrogate={() => void reinterrogate()}
        clock={connection?.clock ?? null}
        sinceLastVisit={sinceLast}
      />
    );
  } else if (screen === 'log') {
    content = <EventLogScreen api={api} stale={staleness.stale} onBack={() => setScreen('summary')} />;
  } else if (screen === 'monitor') {
    content = (
      <ProtocolMonitorScreen
        frames={frames}
        connection={connection}
        onClear={() => setFrames(EMPTY_FRAMES)}
        onBack={() => setScreen(status ? 'summary' : 'connect')}
      />
    );
  } else {
    const wf = WORKFLOWS[screen];
    content =
      program && origin && ageGroup ? (
        <section className="screen workflow" aria-labelledby="workflow-title">
          <div className="screen-title-row">
            <h1 id="workflow-title">{wf.title}</h1>
            <button type="button" onClick={backToSummary}>
              Leave workflow
            </button>
          </div>
          <wf.Component
            api={api}
            status={status}
            program={program}
            origin={origin}
            ageGroup={ageGroup}
            stale={staleness.stale}
            onDone={backToSummary}
          />
        </section>
      ) : (
        <p role="alert">The program and the patient&apos;s spasticity origin are needed first.</p>
      );
  }

  return (
    <div className="app">
      <StatusHeader
        connection={connection}
        transport={transportState}
        origin={origin}
        ageGroup={ageGroup}
        status={status}
        staleness={staleness}
      />
      {trainingCase?.active && (
        <CaseBanner
          status={trainingCase}
          busy={busy}
          onFinish={() => (trainingCase.ended ? void finishCase() : setConfirmFinish(true))}
        />
      )}
      <AlarmBanner
        alarms={alarms}
        pumpTime={pumpTime}
        tonesScheduled={tone.scheduled}
        toneActive={tone.sounding !== null}
        stale={staleness.stale}
        onSilence={silence}
      />
      {message && (
        <p
          className={`message ${message.kind}`}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="app-message"
        >
          {message.text}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="screen-announcer">
        {announcement}
      </p>
      <nav className="view-tabs" aria-label="Programmer or bedside" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={view === 'pump'}
          className={view === 'pump' ? 'selected' : ''}
          onClick={() => setView('pump')}
          data-testid="view-pump"
        >
          Pump programmer
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === 'bedside'}
          className={view === 'bedside' ? 'selected' : ''}
          onClick={() => setView('bedside')}
          data-testid="view-bedside"
        >
          Bedside (the patient)
        </button>
      </nav>
      <main className="content">
        <ErrorBoundary
          key={view === 'bedside' ? 'bedside' : screen}
          onReset={() => (view === 'bedside' ? setView('pump') : setScreen(status ? 'summary' : 'connect'))}
        >
          {content}
        </ErrorBoundary>
      </main>
      <footer className="app-footer">
        <span>{SAFETY_STATEMENT}.</span>{' '}
        <span>Never use it to program, refill or make decisions about a real pump or patient.</span>
        {status && alarms.some((a) => isSilenced(a, pumpTime)) && <span> · Some alarms are silenced.</span>}
      </footer>
      {confirm && (
        <ConfirmDialog
          id="confirm-stop-resume"
          danger={confirm === 'stop'}
          title={confirm === 'stop' ? 'Stop the pump?' : 'Resume the pump?'}
          message={
            confirm === 'stop' ? (
              <p>
                Stopping the pump halts all baclofen delivery. A patient who leaves with a stopped pump risks{' '}
                <strong>baclofen withdrawal</strong>. Resume before ending the session.
              </p>
            ) : (
              <p>Delivery restarts with the current program.</p>
            )
          }
          confirmLabel={confirm === 'stop' ? 'Stop pump' : 'Resume pump'}
          busy={busy}
          onConfirm={() => void stopOrResume(confirm)}
          onCancel={() => setConfirm(null)}
        />
      )}
      {confirmFinish && (
        <ConfirmDialog
          id="confirm-finish-case"
          title="Finish the training case?"
          message={
            <p>
              The case ends now and cannot be resumed: what you have not done by now counts as not done. The
              debrief follows.
            </p>
          }
          confirmLabel="Finish case"
          busy={busy}
          onConfirm={() => void finishCase()}
          onCancel={() => setConfirmFinish(false)}
        />
      )}
      {endWarning && (
        <EndSessionDialog
          warning={endWarning}
          busy={busy}
          error={endError}
          onGoBack={() => {
            setEndWarning(null);
            setEndError(null);
          }}
          onEndAnyway={(reason) => void endAnyway(reason)}
        />
      )}
    </div>
  );
}
