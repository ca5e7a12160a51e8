/**
 * The device host: one pump, its telemetry line, its clock, its memory and the bench, wired together.
 *
 *   port (pty or real) --inbound faults--> endpoint.receive --> pump
 *   port <--outbound faults-- persist-if-needed <-- endpoint write
 *
 * Persistence rule: a change made by a command (anything outside a clock advance) is written to disk
 * before the endpoint's next bytes leave, so an acknowledged commit survives kill -9. Changes made by the
 * clock alone (time passing, alarms raised on the way) are debounced: the restarted pump would re-derive
 * them from time anyway.
 */
import path from 'node:path';
import type { Pump, PumpNotification, PumpOptions, PumpSnapshot } from '../src/device/pump-api';
import type { DeviceFault, FaultKind } from '../src/device/types';
import type { FrameInfo } from '../src/protocol/messages/messages';
import { BenchConflict, startBenchServer, type BenchBackend, type BenchServer } from './bench-server';
import {
  MAX_PUMP_TIME,
  NO_LINK_FAULTS,
  type BenchState,
  type FrameEvent,
  type LinkFaults,
  type StreamMessage,
} from './bench-schema';
import {
  ClockBusyError,
  ClockStoppedError,
  createClockDriver,
  type ClockDriver,
  type ClockMode,
} from './clock';
import { createLinkFaultInjector, type LinkFaultInjector } from './link-faults';
import {
  acquireStateLock,
  loadState,
  removeStaleTemps,
  saveState,
  StateFileError,
  type PersistedState,
  type StateLock,
} from './persistence';
import { openRealPort, openVirtualPort, type HostPort } from './serial-port';
import { firedCondition, type AutoPauseCondition } from './auto-pause';
import { couplePatient, DEFAULT_PATIENT, type PatientConfig } from './patient-coupling';
export { DEFAULT_PATIENT, type PatientConfig };

/** Bedside actions under the names the scenario files' expectations use (docs/scenarios.md). */
const RUNNER_ACTION: Partial<Record<string, string>> = {
  examine: 'examined',
  refillSyringe: 'aspirated',
  catheterAspiration: 'catheterAccessPortAspiration',
  imaging: 'catheterImaging',
};
import { createPatient, restorePatient, type Intervention, type VirtualPatient } from '../src/patient';
import { createBedside, type Bedside } from './bedside';
import { startBedsideServer, type BedsideServer } from './bedside-server';
import { ScreeningDesk, type DeskCandidate } from './screening-desk';
import type { Scenario } from '../src/training/scenario/schema';
import {
  createScenarioRunner,
  scenarioFromProgress,
  setupScenarioPump,
  type ScenarioRunner,
} from './scenario/runner';
import { scenarioBackend } from './scenario/routes';

/** The protocol endpoint as the host drives it (src/protocol/session/pump-endpoint.ts). */
export interface HostEndpoint {
  receive(chunk: Uint8Array): void;
  tick(): void;
  notify(n: PumpNotification): void;
}

export interface HostModules {
  createPump(options: PumpOptions): Pump;
  restorePump(snapshot: PumpSnapshot): Pump;
  createEndpoint(o: {
    pump: Pump;
    key: Uint8Array;
    write: (bytes: Uint8Array) => void;
    now: () => number;
    onFrame: (info: FrameInfo) => void;
    /** False while no bench viewer listens: the endpoint then builds no frame reports at all. */
    wantsFrames: () => boolean;
  }): HostEndpoint;
  defaultKey: Uint8Array;
  /** Turn the endpoint's frame report into the stream's shape. */
  describeFrame(info: FrameInfo): FrameEvent;
}

export interface HostConfig {
  model: PumpOptions['model'];
  /** Serial for a fresh pump; when given and a stored pump has another serial, start is refused. */
  serial: string | null;
  defaultSerial: string;
  modelGiven: boolean;
  stateFile: string;
  reset: boolean;
  clock: { mode: ClockMode; speed: number };
  startTime: number | null;
  seed: number;
  key: Uint8Array | null;
  benchPort: number;
  link: string | null;
  port: string | null;
  baud: number;
  /** Where to report line trouble and internal errors (never fatal). */
  log?: (event: string, detail?: unknown) => void;
  /** The virtual patient; omitted: the default patient (DEFAULT_PATIENT). */
  patient?: PatientConfig;
  /** The bedside API's port (docs/bedside-api.md); omitted or 0: a random free port. */
  bedsidePort?: number;
  /** Start this training case on a fresh pump (issue 19; the caller sets model, time and patient from it). */
  scenario?: Scenario | null;
}

export interface SimHost {
  pump: Pump;
  patient(): VirtualPatient;
  port: HostPort;
  link: string | null;
  bench: BenchServer;
  /** The trainee's bedside: its record (with `onAction` for the scenario runner) and its API. */
  bedside: Bedside;
  bedsideServer: BedsideServer;
  clock: ClockDriver;
  injector: LinkFaultInjector;
  stateFile: string;
  /** Write the state now (synchronous, atomic). */
  persist(): void;
  /** The training case in progress (started now or resumed from the state file), or null. */
  scenario(): ScenarioRunner | null;
  /** Persist, then release the port and the bench. */
  shutdown(): Promise<void>;
}

export class HostStartError extends Error {
  override name = 'HostStartError';
}

/** The candidate a case admits to the screening desk (its start.screening), or null. */
function deskCandidate(s: Scenario): DeskCandidate | null {
  const c = s.start.screening;
  return c ? { profile: s.start.patient.profile, seed: s.start.patient.seed, case: c.case } : null;
}

/** At most one state message per this many ms: 20 a second keeps a console live at x100000 (issue 20). */
const STATE_THROTTLE_MS = 50;
/** The clock's display tick: a running clock moves pump time at least this often (host ms). */
const CLOCK_TICK_MS = 50;
/** A clock that did not move still refreshes the stream this often (line counters, link state). */
const IDLE_STATE_MS = 1000;
const COMMAND_PERSIST_DEBOUNCE_MS = 50;
const CLOCK_PERSIST_DEBOUNCE_MS = 2000;
const ENDPOINT_TICK_MS = 20;

/**
 * Start the host. The state file is locked first (a second sim on it is refused with StateLockedError);
 * a start that fails releases the lock.
 */
export async function startHost(cfg: HostConfig, mods: HostModules): Promise<SimHost> {
  const lock = acquireStateLock(path.resolve(cfg.stateFile));
  try {
    return await startLocked(cfg, mods, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startLocked(cfg: HostConfig, mods: HostModules, lock: StateLock): Promise<SimHost> {
  const log = cfg.log ?? (() => undefined);
  const stateFile = path.resolve(cfg.stateFile);

  // ---------------------------------------------------------------- the pump, resumed or new
  removeStaleTemps(stateFile);
  const stored: PersistedState | null = cfg.reset ? null : loadState(stateFile); // throws StateFileError
  let pump: Pump;
  if (stored) {
    if (cfg.serial && cfg.serial !== stored.serial)
      throw new HostStartError(
        `state file ${stateFile} holds pump ${stored.serial}, not --serial ${cfg.serial} (use another --state, or --reset)`,
      );
    if (cfg.modelGiven && cfg.model !== stored.model)
      throw new HostStartError(
        `state file ${stateFile} holds a ${stored.model}, not --model ${cfg.model} (use another --state, or --reset)`,
      );
    try {
      pump = mods.restorePump(stored.snapshot);
    } catch (e) {
      throw new StateFileError(
        stateFile,
        `the pump memory in it cannot be restored (${(e as Error).message})`,
      );
    }
    if (pump.serial !== stored.serial)
      throw new StateFileError(stateFile, 'serial in the pump memory differs from the header');
  } else {
    pump = mods.createPump({
      model: cfg.model,
      serial: cfg.serial ?? cfg.defaultSerial,
      startTime: cfg.startTime ?? Math.floor(Date.now() / 1000),
    });
    if (cfg.scenario) {
      try {
        setupScenarioPump(pump, cfg.scenario);
      } catch (e) {
        throw new HostStartError((e as Error).message);
      }
    }
  }

  // ---------------------------------------------------------------- the patient, resumed or new
  const pcfg = cfg.patient ?? DEFAULT_PATIENT;
  const newPatient = (): { patient: VirtualPatient; dose: number } => {
    const st = pump.status();
    const pumpDose = st.mode === 'stopped' || st.deliverySuspended ? 0 : st.dailyDoseNgPerDay / 1000;
    const dose = pcfg.establishedDose === 'pump' ? pumpDose : pcfg.establishedDose;
    const p = createPatient({
      profile: pcfg.profile,
      seed: pcfg.seed,
      time: pump.now(),
      establishedDoseMcgPerDay: dose,
    });
    return { patient: p, dose };
  };
  let patient: VirtualPatient;
  if (stored?.patient) {
    try {
      patient = restorePatient(stored.patient);
    } catch (e) {
      throw new StateFileError(stateFile, `the patient in it cannot be restored (${(e as Error).message})`);
    }
    if (patient.now !== pump.now())
      throw new StateFileError(stateFile, `patient time ${patient.now} differs from pump time ${pump.now()}`);
    if (pcfg.given && (patient.profile !== pcfg.profile || patient.seed !== pcfg.seed))
      throw new HostStartError(
        `state file ${stateFile} holds a ${patient.profile} patient (seed ${patient.seed}), not --patient ${pcfg.profile} --patient-seed ${pcfg.seed} (use another --state, or --reset)`,
      );
  } else {
    const made = newPatient();
    patient = made.patient;
    const detail = `${pcfg.profile} patient (seed ${pcfg.seed}), ${made.dose > 0 ? `established on ${made.dose} mcg/day` : 'baclofen-naive'}`;
    if (stored)
      log(
        'patientCreated',
        `the state file had no patient (written before the patient existed): created a ${detail}, the dose its pump is delivering`,
      );
    else log('patientCreated', `a ${detail}`);
  }

  let runner: ScenarioRunner | null = null;

  const persist = (): void => {
    commandDirty = false;
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = null;
    const pumpTime = pump.now();
    saveState(stateFile, {
      serial: pump.serial,
      model: pump.model,
      pumpTime,
      snapshot: pump.snapshot(),
      savedAt: new Date().toISOString(),
      patient: patient.snapshot(),
      ...(runner ? { scenario: runner.progress() } : {}),
    });
    savedPumpTime = pumpTime;
  };
  let commandDirty = false;
  /** Pump time in the last save: a clock tick that did not move time (paused) has nothing to persist. */
  let savedPumpTime: number | null = null;
  let persistTimer: ReturnType<typeof setTimeout> | null = null;
  let persistDueAt = Infinity;
  /** A save has failed since the last one that worked: the memory error is raised once per failure run. */
  let memoryFailed = false;
  const persistSafely = (): void => {
    try {
      persist();
      memoryFailed = false;
    } catch (e) {
      log('persistError', (e as Error).message);
      if (memoryFailed) return;
      memoryFailed = true;
      // The state file is the pump's memory: a change it cannot keep is a memory failure, and the pump
      // must not carry on with a program that a restart would lose. It raises its critical memory error
      // (therapy stops, alarm), which the programmer sees like any other alarm.
      try {
        pump.injectFault({ kind: 'memoryError', critical: true });
      } catch (err) {
        log('persistError', (err as Error).message);
      }
    }
  };
  const schedulePersist = (ms: number): void => {
    const due = Date.now() + ms;
    if (persistTimer && persistDueAt <= due) return;
    if (persistTimer) clearTimeout(persistTimer);
    persistDueAt = due;
    persistTimer = setTimeout(persistSafely, ms);
  };

  // ---------------------------------------------------------------- bench stream
  const streamListeners = new Set<(m: StreamMessage) => void>();
  const broadcast = (m: StreamMessage): void => {
    for (const l of streamListeners) {
      try {
        l(m);
      } catch (e) {
        log('streamError', (e as Error).message);
      }
    }
  };
  let stateTimer: ReturnType<typeof setTimeout> | null = null;
  let lastStateSent = -Infinity;
  let lastStateTime = -1;
  const sendState = (): void => {
    stateTimer = null;
    if (streamListeners.size === 0) return;
    lastStateSent = performance.now();
    lastStateTime = pump.now();
    broadcast({ type: 'state', state: benchState() });
    broadcast({ type: 'patient', patient: patient.findings() });
  };
  // At most one per STATE_THROTTLE_MS, measured from the last one sent (not from the first change), so a
  // clock that changes every tick gets a steady rate.
  const stateChanged = (): void => {
    if (stateTimer || streamListeners.size === 0) return;
    stateTimer = setTimeout(sendState, Math.max(0, lastStateSent + STATE_THROTTLE_MS - performance.now()));
  };
  /** A clock tick: worth a state message when time moved, else only now and then. */
  const clockTicked = (): void => {
    if (pump.now() !== lastStateTime || performance.now() - lastStateSent >= IDLE_STATE_MS) stateChanged();
  };

  // ---------------------------------------------------------------- line, faults, endpoint
  const port: HostPort = cfg.port
    ? await openRealPort(cfg.port, cfg.baud)
    : openVirtualPort({ link: cfg.link });
  const link = cfg.port ? null : ((port as HostPort & { link: string | null }).link ?? null);
  port.onError((e) => {
    log('linkError', e.message);
    broadcast({ type: 'link', event: 'error', detail: e.message });
  });

  let endpoint: HostEndpoint | null = null;
  const injector = createLinkFaultInjector({
    seed: cfg.seed,
    initial: NO_LINK_FAULTS,
    toEndpoint: (bytes) => {
      try {
        endpoint?.receive(bytes);
      } catch (e) {
        log('endpointError', (e as Error).stack ?? String(e)); // never let one bad frame stop the pump
      }
    },
    toPort: (bytes) => port.write(bytes),
  });
  // ---------------------------------------------------------------- the training case, resumed or new
  const runnerHost = {
    pump,
    patient: () => patient,
    setLinkFaults: (patch: Partial<LinkFaults>) => {
      injector.set({ ...injector.get(), ...patch });
      stateChanged();
    },
    log,
    changed: () => stateChanged(),
  };
  if (stored?.scenario !== undefined && !cfg.scenario) {
    try {
      const r = scenarioFromProgress(stored.scenario);
      runner = createScenarioRunner(runnerHost, r.scenario, r.progress);
    } catch (e) {
      throw new StateFileError(
        stateFile,
        `the training case in it cannot be resumed (${(e as Error).message})`,
      );
    }
  } else if (cfg.scenario) {
    runner = createScenarioRunner(runnerHost, cfg.scenario);
    log('scenarioStarted', `${cfg.scenario.id}: ${cfg.scenario.title}`);
  }

  endpoint = mods.createEndpoint({
    // In a training case every command the endpoint handles is recorded as a fact (the runner's wrapper).
    pump: runner ? runner.observe(pump) : pump,
    key: cfg.key ?? mods.defaultKey,
    now: () => Date.now(),
    write: (bytes) => {
      // The acknowledgement of a therapy change must not leave before the change is on disk.
      if (commandDirty) persistSafely();
      injector.outbound.push(bytes);
    },
    wantsFrames: () => streamListeners.size > 0,
    onFrame: (info) => {
      if (streamListeners.size === 0) return;
      try {
        broadcast({ type: 'frame', frame: mods.describeFrame(info) });
      } catch (e) {
        log('frameDescribeError', (e as Error).message);
      }
    },
  });
  port.onData((bytes) => injector.inbound.push(bytes));
  const endpointTick = setInterval(() => {
    try {
      endpoint?.tick();
    } catch (e) {
      log('endpointError', (e as Error).message);
    }
  }, ENDPOINT_TICK_MS);

  // ---------------------------------------------------------------- clock
  let inClockAdvance = false;
  // The patient moves with the pump, event by event (patient-coupling.ts).
  const coupled = couplePatient(pump, () => patient);
  const clockPump = {
    now: () => pump.now(),
    nextEventTime: () => {
      const n = pump.nextEventTime();
      const due = runner?.nextDue() ?? null;
      return due === null || due <= pump.now() ? n : n === null ? due : Math.min(n, due);
    },
    advanceTo: (to: number) => {
      inClockAdvance = true;
      try {
        if (runner) runner.advance(to, (t) => coupled.advanceTo(t));
        else coupled.advanceTo(to);
      } finally {
        inClockAdvance = false;
      }
    },
  };
  const clock = createClockDriver({
    pump: clockPump,
    mode: cfg.clock.mode,
    speed: cfg.clock.speed,
    maxPumpTime: MAX_PUMP_TIME,
    tickMs: CLOCK_TICK_MS,
    onAdvance: () => {
      // Changes other than time (alarms raised on the way) schedule their own save (pump.subscribe).
      if (pump.now() !== savedPumpTime) schedulePersist(CLOCK_PERSIST_DEBOUNCE_MS);
      checkAutoPause(null);
      clockTicked();
    },
    onAutoPause: (at) => {
      log('autoPause', `the clock paused itself at pump time ${at}, as the instructor asked`);
      broadcast({ type: 'autoPause', time: at, reason: 'the chosen time was reached' });
      stateChanged();
    },
    onError: (e) => log('clockError', (e as Error).message),
  });

  // ---------------------------------------------------------------- auto-pause on a condition
  let autoPauseWhen: AutoPauseCondition[] = [];
  const checkAutoPause = (alarmRaised: string | null): void => {
    if (autoPauseWhen.length === 0 || clock.info().mode === 'paused') return;
    const reason = firedCondition(autoPauseWhen, patient.findings(), alarmRaised);
    if (reason === null) return;
    autoPauseWhen = [];
    clock.pause();
    log('autoPause', `the clock paused itself at pump time ${pump.now()}: ${reason}`);
    broadcast({ type: 'autoPause', time: pump.now(), reason });
    stateChanged();
  };

  pump.subscribe((n) => {
    runner?.onNotification(n);
    if (inClockAdvance) {
      schedulePersist(CLOCK_PERSIST_DEBOUNCE_MS);
    } else {
      commandDirty = true;
      schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
    }
    try {
      endpoint?.notify(n);
    } catch (e) {
      log('endpointError', (e as Error).message);
    }
    if (n.type === 'alarmRaised' || n.type === 'alarmCleared')
      broadcast({ type: 'alarm', code: n.code, raised: n.type === 'alarmRaised', time: n.time });
    if (n.type === 'alarmRaised') checkAutoPause(n.code);
    else if (n.type === 'tone') broadcast({ type: 'tone', code: n.code, time: n.time });
    stateChanged();
  });

  // ---------------------------------------------------------------- bench
  const benchState = (): BenchState => ({
    serial: pump.serial,
    model: pump.model,
    status: pump.status(),
    program: pump.program(),
    truth: pump.truth(),
    clock: { ...clock.info(), autoPauseWhen },
    linkFaults: injector.get(),
    line: { port: port.stats(), inbound: injector.inbound.stats(), outbound: injector.outbound.stats() },
  });
  /** An intervention from the bench or the bedside: kept like a command, shown to the bench at once. */
  const intervene = (iv: Intervention): void => {
    patient.intervene(iv); // throws RangeError when refused: nothing changed
    commandDirty = true;
    schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
    broadcast({ type: 'patient', patient: patient.findings() });
  };
  const bedside = createBedside({ pump, findings: () => patient.findings(), intervene });
  // The instructor sees each bedside action as it happens.
  bedside.onAction((fact, action) => {
    broadcast({ type: 'bedside', action });
    // The training case hears the learner at the bedside: a treatment as an intervention, every action as
    // a bedside fact in the runner's words (the names the library's expectations use).
    if (!runner) return;
    if (fact.intervention) runner.recordIntervention(fact.intervention, 'learner');
    const referral = fact.action === 'referral' ? (fact.detail as { to?: string }).to : undefined;
    runner.recordLearnerFact({
      action: referral ?? RUNNER_ACTION[fact.action] ?? fact.action,
      detail: fact.outcome,
    });
    commandDirty = true;
    schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
  });
  const backend: BenchBackend = {
    state: benchState,
    log: (offset, count) => ({ ...pump.readLog(offset, count), offset }),
    pause: () => clock.pause(),
    resume: () => clock.resume(),
    setSpeed: (s) => clock.setSpeed(s),
    async advance(req) {
      const now = pump.now();
      const to = 'to' in req ? req.to : now + req.by;
      if (to < now) throw new BenchConflict(`"to" (${to}) is before the pump time now (${now})`);
      if (to > MAX_PUMP_TIME)
        throw new BenchConflict(
          `the advance would reach pump time ${to}, beyond the latest the bench allows (${MAX_PUMP_TIME}, ` +
            `2100-01-01T00:00:00Z: the pump's u32 time fields must hold its projections); ` +
            `at most ${MAX_PUMP_TIME - now} s from now`,
        );
      try {
        await clock.advanceTo(to);
      } catch (e) {
        if (e instanceof ClockBusyError || e instanceof ClockStoppedError)
          throw new BenchConflict(`clock advance refused: ${e.message}`);
        throw new BenchConflict(`clock advance failed: ${(e as Error).message}`);
      }
    },
    setAutoPause(req) {
      if (req.at !== undefined && req.at !== null) {
        if (req.at <= pump.now())
          throw new BenchConflict(`auto-pause at ${req.at}: not after the pump time now (${pump.now()})`);
        if (req.at > MAX_PUMP_TIME)
          throw new BenchConflict(`auto-pause at ${req.at}: beyond the latest pump time (${MAX_PUMP_TIME})`);
      }
      if (req.at !== undefined) clock.setPauseAt(req.at);
      if (req.when !== undefined) autoPauseWhen = req.when;
      log(
        'autoPauseSet',
        `auto-pause: at ${clock.info().pauseAt ?? 'no time'}; when ${autoPauseWhen.map((c) => c.kind + ('atLeast' in c ? `>=${c.atLeast}` : '')).join(', ') || 'no condition'}`,
      );
      stateChanged();
      return { ...clock.info(), autoPauseWhen };
    },
    injectFault(f: DeviceFault) {
      try {
        pump.injectFault(f);
      } catch (e) {
        throw new BenchConflict(`fault refused: ${(e as Error).message}`);
      }
    },
    clearFault(kind: FaultKind) {
      try {
        pump.clearFault(kind);
      } catch (e) {
        throw new BenchConflict(`cannot clear fault: ${(e as Error).message}`);
      }
    },
    patient: () => patient.findings(),
    patientHistory: (from, to) => ({
      from,
      to,
      intervalSeconds: 900,
      samples: patient.history(from, to),
      events: patient.events(from, to),
    }),
    intervene(iv: Intervention) {
      try {
        intervene(iv);
      } catch (e) {
        throw new BenchConflict(`intervention refused: ${(e as Error).message}`);
      }
      runner?.recordIntervention(iv, 'learner');
      return patient.findings();
    },
    bedsideActions: () => bedside.actions(),
    getLinkFaults: () => injector.get(),
    setLinkFaults(patch) {
      const next: LinkFaults = { ...injector.get(), ...patch };
      const was = injector.get().disconnected;
      injector.set(next);
      if (next.disconnected !== was)
        broadcast({ type: 'link', event: next.disconnected ? 'disconnected' : 'connected' });
      stateChanged();
      return injector.get();
    },
    subscribe(l) {
      streamListeners.add(l);
      return () => streamListeners.delete(l);
    },
    scenario: () =>
      runner
        ? scenarioBackend(runner, {
            advance: (to) => backend.advance({ to }) as Promise<void>,
            intervene: (iv) => backend.intervene(iv),
            saved: () => {
              commandDirty = true;
              schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
            },
          })
        : null,
  };
  const tokenFile = path.join(path.dirname(stateFile), `${path.basename(stateFile)}.token`);
  let bench: BenchServer;
  try {
    bench = await startBenchServer({
      backend,
      port: cfg.benchPort,
      tokenFile,
      onError: (e) => log('benchError', (e as Error).message),
    });
  } catch (e) {
    clearInterval(endpointTick);
    await port.close();
    throw new HostStartError(
      `bench API cannot listen on 127.0.0.1:${cfg.benchPort} (${(e as Error).message})`,
    );
  }
  const screening = new ScreeningDesk({
    file: path.join(path.dirname(stateFile), `${path.basename(stateFile)}.screening.json`),
    now: () => pump.now(),
    warn: (m) => log('screeningFile', m),
    // A training case hears the screening trial like the bedside (issue 21 point 4).
    onAction: (action, detail) => {
      if (!runner) return;
      runner.recordLearnerFact({ action, detail });
      commandDirty = true;
      schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
    },
  });
  // A case starting now empties the desk and admits its candidate; a resumed one admits it again.
  if (runner) screening.admit(deskCandidate(runner.scenario), !!cfg.scenario);
  let bedsideServer: BedsideServer;
  try {
    bedsideServer = await startBedsideServer({
      bedside,
      training: {
        runner: () => runner,
        saved: () => {
          commandDirty = true;
          schedulePersist(COMMAND_PERSIST_DEBOUNCE_MS);
        },
        warn: (m) => log('scenarioLibrary', m),
      },
      screening,
      port: cfg.bedsidePort ?? 0,
      tokenFile: path.join(path.dirname(stateFile), `${path.basename(stateFile)}.bedside-token`),
      onError: (e) => log('bedsideError', (e as Error).message),
    });
  } catch (e) {
    clearInterval(endpointTick);
    await bench.close();
    await port.close();
    throw new HostStartError(
      `bedside API cannot listen on 127.0.0.1:${cfg.bedsidePort ?? 0} (${(e as Error).message})`,
    );
  }
  // Written once the host is sure to run (a failed start leaves no state file behind), before the
  // ready line: a fresh pump exists on disk before any programmer is told where to find it.
  persist();
  clock.start();

  let closed = false;
  // A process that exits without shutdown (an uncaught failure) still frees its state file.
  const releaseOnExit = (): void => lock.release();
  process.once('exit', releaseOnExit);
  return {
    pump,
    patient: () => patient,
    port,
    link,
    bench,
    bedside,
    bedsideServer,
    clock,
    injector,
    stateFile,
    persist,
    scenario: () => runner,
    async shutdown() {
      if (closed) return;
      closed = true;
      clock.stop();
      clearInterval(endpointTick);
      if (stateTimer) clearTimeout(stateTimer);
      injector.close();
      // A save that fails here (disk full, read-only) leaves the previous save in place and no temp file;
      // the bench, the port and the lock are released all the same, and the failure is reported.
      let saveError: Error | null = null;
      try {
        persist();
      } catch (e) {
        saveError = e as Error;
        log('persistError', saveError.message);
      }
      await bench.close();
      await bedsideServer.close();
      await port.close();
      lock.release();
      process.off('exit', releaseOnExit);
      if (saveError)
        throw new Error(
          `the pump could not be saved at shutdown (${saveError.message}); the state file holds its previous save`,
        );
    },
  };
}
