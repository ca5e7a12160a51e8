/**
 * The scenario runner in the device host (issue 19, point 2): it sets the pump and the patient in the
 * scenario's starting state, plays the timeline and the handlers on the pump's clock, records every fact
 * with its pump time, and keeps its progress as plain data that the host saves with the pump (a restarted
 * sim resumes the case where it was).
 *
 * Time: the host hands every clock advance to `advance`, which moves the pump (and the patient) in steps
 * that end at each timeline event's exact time and are at most STEP_SECONDS (15 min of pump time, the
 * patient's history grid) long while a handler waits for its condition (else QUIET_STEP_SECONDS); after each step the runner records what changed and evaluates the
 * handlers. So a timeline event fires at its time exactly, and a handler at most 15 min of pump time after
 * its condition became true, in every clock mode (running, fast, or advances).
 */
import type { CommandResult, Pump, PumpNotification } from '../../src/device/pump-api';
import type { DeviceFault, FaultKind, ProgramChange } from '../../src/device/types';
import type { Intervention, MasGrade, VirtualPatient } from '../../src/patient';
import { ALARM_PRIORITY } from '../../src/shared/device-facts/profiles';
import {
  formatAmount,
  formatConcentration,
  formatDose,
  formatDuration,
  formatVolume,
} from '../../src/shared/clinical/format';
import {
  buildDebrief,
  emptySeries,
  pushSample,
  type Debrief,
  type Series,
} from '../../src/training/scenario/debrief';
import { firstMet } from '../../src/training/scenario/evaluate';
import { MAX_FACTS, type Fact, type LearnerFact } from '../../src/training/scenario/facts';
import {
  conditionSchema,
  validateScenario,
  type Action,
  type ChangeKind,
  type Condition,
  type Scenario,
} from '../../src/training/scenario/schema';
import type { BedsideFindings, CaseStatus, LearnerMessage } from '../../src/training/scenario/driver';
import type { LinkFaultsPatch } from '../bench-schema';
import { refillSyringeReading } from '../bedside';
import type { SyringeReading } from '../../src/shared/bedside';

/** The longest clock step between two evaluations of the handlers, pump seconds. */
export const STEP_SECONDS = 900;
/**
 * With no handler left waiting, nothing depends on the step (timeline events and the end are exact, alarm
 * and stage facts carry their own times): steps grow to this, which is also the chart's sampling then.
 */
export const QUIET_STEP_SECONDS = 6 * 3600;
/** A repeating handler fires at most this often in one case. */
export const MAX_REPEATS = 100;
/** Handlers may fire handlers: at most this many rounds after one step. */
const MAX_ROUNDS = 10;

/** The runner's progress: plain data saved in the state file beside the pump and the patient. */
export interface ScenarioProgress {
  version: 1;
  /** The scenario as parsed from its file (re-validated on restore). */
  scenario: unknown;
  startTime: number;
  facts: Fact[];
  series: Series;
  timelineFired: string[];
  handlerFires: Record<string, number>;
  ended: boolean;
  endReason: string | null;
  /** Pump time up to which the patient's events have been read. */
  lastStepT: number;
  lastDeliveredNg: number;
  factsDropped: number;
  /** Repeat tones of alarms already heard (not recorded as facts). */
  tonesRepeated?: number;
}

/** What the runner may do to the host (a scenario action), besides the pump itself. */
export interface RunnerHost {
  pump: Pump;
  patient(): VirtualPatient;
  setLinkFaults(patch: LinkFaultsPatch): void;
  log(event: string, detail?: unknown): void;
  /** Something the bench should show now (a message, a fired event). */
  changed?(): void;
}

export class ScenarioRunError extends Error {
  override name = 'ScenarioRunError';
}

const MAS_NUMBER: Record<MasGrade, number> = { '0': 0, '1': 1, '1+': 1.5, '2': 2, '3': 3, '4': 4 };
const WITHDRAWAL_INDEX = { none: 0, early: 1, moderate: 2, severe: 3, lifeThreatening: 4 } as const;
const OVERDOSE_INDEX = { none: 0, mild: 1, moderate: 2, severe: 3 } as const;

/** The kinds of change in a program change, in the scenario's words. */
export function changeKinds(c: ProgramChange, currentConcentration: number): ChangeKind[] {
  const k: ChangeKind[] = [];
  if (c.refill) {
    k.push('refill');
    if (c.refill.concentrationMcgPerMl !== currentConcentration) k.push('concentration');
  }
  if (c.therapy)
    k.push(c.therapy.mode === 'continuous' ? 'dose' : c.therapy.mode === 'flex' ? 'flex' : 'stopTherapy');
  if (c.bolus)
    k.push(c.bolus.kind === 'single' ? 'bolus' : c.bolus.kind === 'bridge' ? 'bridgeBolus' : 'primingBolus');
  if (c.lowReservoirAlarmVolumeUl !== undefined) k.push('alarmVolume');
  if (c.patientBolus !== undefined) k.push('patientBolus');
  return k;
}

function changeDetail(c: ProgramChange): string {
  const parts: string[] = [];
  if (c.refill)
    parts.push(
      `refill: ${formatVolume(c.refill.withdrawnVolumeUl)} withdrawn, ${formatVolume(c.refill.fillVolumeUl)} of ${formatConcentration(c.refill.concentrationMcgPerMl)}`,
    );
  if (c.therapy?.mode === 'continuous') parts.push(`dose ${formatDose(c.therapy.dailyDoseNgPerDay)}`);
  if (c.therapy?.mode === 'flex') parts.push(`flex, ${c.therapy.steps.length} steps`);
  if (c.therapy?.mode === 'stopped') parts.push('therapy stopped');
  if (c.bolus)
    parts.push(
      c.bolus.kind === 'priming'
        ? `priming bolus ${formatVolume(c.bolus.volumeUl)}`
        : `${c.bolus.kind} bolus ${formatAmount(c.bolus.amountNg)} over ${formatDuration(c.bolus.durationS)}`,
    );
  return parts.join('; ');
}

/** Set a fresh pump in the scenario's starting state: the program, the fill, the faults. */
export function setupScenarioPump(pump: Pump, s: Scenario): void {
  const p = s.start.pump;
  const conc = p.concentrationMcgPerMl;
  const therapy: ProgramChange['therapy'] =
    p.therapy.mode === 'stopped'
      ? { mode: 'stopped' }
      : p.therapy.mode === 'continuous'
        ? { mode: 'continuous', dailyDoseNgPerDay: Math.round(p.therapy.dailyDoseMcg * 1000) }
        : {
            mode: 'flex',
            steps: p.therapy.steps.map((st) => {
              const [h, m] = st.start.split(':').map(Number) as [number, number];
              return {
                startSecondOfDay: h * 3600 + m * 60,
                dailyDoseNgPerDay: Math.round(st.dailyDoseMcg * 1000),
              };
            }),
          };
  const fill = Math.round(p.reservoir.calculatedMl * 1000);
  const trueMl = p.reservoir.trueMl ?? p.reservoir.calculatedMl;
  // A true volume below the calculated one: the difference went into the pocket at the last fill.
  if (trueMl < p.reservoir.calculatedMl && fill > 0)
    pump.injectFault({
      kind: 'pocketFill',
      ppm: Math.round(((p.reservoir.calculatedMl - trueMl) / p.reservoir.calculatedMl) * 1e6),
    });
  // The new pump's reservoir holds the factory's fluid: aspirate it first, as at an implant.
  const factory = Math.floor(pump.truth().trueReservoirVolumeNl / 1000);
  const change: ProgramChange = {
    refill: { withdrawnVolumeUl: factory, drugName: p.drug, concentrationMcgPerMl: conc, fillVolumeUl: fill },
    therapy,
    ...(p.lowReservoirAlarmMl !== undefined
      ? { lowReservoirAlarmVolumeUl: Math.round(p.lowReservoirAlarmMl * 1000) }
      : {}),
  };
  let r = pump.apply(change);
  if (!r.ok && change.refill) {
    change.refill.withdrawnVolumeUl = 0;
    r = pump.apply(change);
  }
  if (!r.ok)
    throw new ScenarioRunError(
      `the scenario's starting program is refused by the pump: ${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
  if (trueMl < p.reservoir.calculatedMl) pump.clearFault('pocketFill');
  for (const f of p.faults) pump.injectFault(f);
}

/** Parse a `Condition` given at run time (the until endpoint); throws with every problem. */
export function parseCondition(c: unknown): Condition {
  const r = conditionSchema.safeParse(c);
  if (!r.success)
    throw new ScenarioRunError(
      `invalid condition: ${r.error.issues.map((i) => `${i.path.join('.') || '(condition)'}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

export interface ScenarioRunner {
  readonly scenario: Scenario;
  readonly startTime: number;
  readonly endTime: number;
  /** Advance the pump (and patient) to `to` through `inner`, in steps, evaluating after each. */
  advance(to: number, inner: (to: number) => void): void;
  /** The next pump time the runner must stop at (a timeline event or the end), or null. */
  nextDue(): number | null;
  onNotification(n: PumpNotification): void;
  /** Wrap the pump the protocol endpoint drives, so every command it handles is recorded. */
  observe(pump: Pump): Pump;
  /** A treatment given through the bench (the learner's, or the bedside's). */
  recordIntervention(iv: Intervention, by: 'learner' | 'scenario'): void;
  /** A bedside action (issue 20's bedside calls this). */
  recordLearnerFact(f: LearnerFact): void;
  /** Facts of the programmer's session record, attached at debrief time. */
  attachSessionRecord(entries: { at: string; operation: string; result: string }[]): void;
  /** The learner (or instructor) finishes the case now. */
  finish(reason: string): void;
  /** A message to the learner from the instructor, now (recorded like the case's own messages). */
  postMessage(text: string): void;
  until(
    condition: Condition,
    limitSeconds: number,
    advance: (to: number) => Promise<void>,
    maxPumpTime: number,
  ): Promise<{ met: boolean; t: number }>;
  messages(): LearnerMessage[];
  /** The next timeline event to fire (id, pump time), or null. */
  nextTimelineEvent(): { id: string; t: number } | null;
  status(): CaseStatus;
  bedsideFindings(): BedsideFindings;
  facts(): readonly Fact[];
  /** The refill syringe's reading of the reservoir now (the bedside's, firmware-sim/bedside.ts). */
  refillSyringe(): SyringeReading;
  debrief(): Debrief;
  progress(): ScenarioProgress;
}

export function createScenarioRunner(
  host: RunnerHost,
  s: Scenario,
  restored?: ScenarioProgress,
): ScenarioRunner {
  const pump = host.pump;
  const startTime = restored?.startTime ?? pump.now();
  const endTime = startTime + s.duration;
  const st: ScenarioProgress = restored ?? {
    version: 1,
    scenario: s,
    startTime,
    facts: [],
    series: emptySeries(),
    timelineFired: [],
    handlerFires: {},
    ended: false,
    endReason: null,
    lastStepT: startTime,
    lastDeliveredNg: pump.truth().trueDeliveredIntrathecalNg ?? pump.truth().deliveredIntrathecalNg,
    factsDropped: 0,
  };
  const ctx = { startTime };
  const timeline = [...s.timeline].sort((a, b) => a.at - b.at);
  const fired = new Set(st.timelineFired);
  let lastPumpKey = '';
  let lastWithdrawal: string | null = null;
  let lastOverdose: string | null = null;
  for (const f of st.facts) {
    if (f.kind === 'withdrawal') lastWithdrawal = f.stage;
    if (f.kind === 'overdose') lastOverdose = f.stage;
  }
  /** Alarms whose first tone has been recorded since they were raised. */
  const toneHeard = new Set<string>();
  for (const f of st.facts) {
    if (f.kind === 'alarm') toneHeard.delete(f.code);
    if (f.kind === 'tone' && !f.test) toneHeard.add(f.code);
  }
  /** Handlers whose conditions may have changed since their last evaluation. */
  let dirty = true;

  const essential = new Set<Fact['kind']>([
    'alarm',
    'command',
    'end',
    'start',
    'intervention',
    'bedside',
    'timeline',
    'handler',
    'message',
  ]);
  const record = (f: Fact): void => {
    if (st.facts.length >= MAX_FACTS && !essential.has(f.kind)) {
      st.factsDropped++;
      return;
    }
    if (st.facts.length >= MAX_FACTS * 1.2) {
      st.factsDropped++;
      return;
    }
    // Facts stay in time order: a command handled between steps carries the pump's time, never earlier.
    const last = st.facts[st.facts.length - 1];
    if (last && f.t < last.t) f = { ...f, t: last.t };
    st.facts.push(f);
    dirty = true;
  };

  const pumpFact = (): void => {
    const status = pump.status();
    const truth = pump.truth();
    const dose = status.mode === 'stopped' || status.deliverySuspended ? 0 : status.dailyDoseNgPerDay;
    const f = {
      mode: status.mode,
      suspended: status.deliverySuspended,
      battery: status.battery,
      catheter: truth.catheter,
      reservoirUl: status.reservoirVolumeUl,
      doseNgPerDay: dose,
    };
    // The calculated volume changes every step: a new fact only when it crosses a whole 0.5 mL.
    const key = JSON.stringify({ ...f, reservoirUl: Math.floor(f.reservoirUl / 500) });
    if (key === lastPumpKey) return;
    lastPumpKey = key;
    record({ t: pump.now(), kind: 'pump', ...f });
  };

  const patientFacts = (now: number): void => {
    const p = host.patient();
    for (const e of p.events(st.lastStepT + 1, now)) {
      if (e.kind === 'withdrawalStage' && e.stage !== lastWithdrawal) {
        lastWithdrawal = e.stage;
        record({ t: e.time, kind: 'withdrawal', stage: e.stage });
      } else if (e.kind === 'overdoseStage' && e.stage !== lastOverdose) {
        lastOverdose = e.stage;
        record({ t: e.time, kind: 'overdose', stage: e.stage });
      }
    }
    const fnd = p.findings();
    if (fnd.withdrawal.stage !== lastWithdrawal) {
      lastWithdrawal = fnd.withdrawal.stage;
      record({ t: now, kind: 'withdrawal', stage: fnd.withdrawal.stage });
    }
    if (fnd.overdose.stage !== lastOverdose) {
      lastOverdose = fnd.overdose.stage;
      record({ t: now, kind: 'overdose', stage: fnd.overdose.stage });
    }
    return sample(now, fnd);
  };

  const sample = (now: number, fnd: ReturnType<VirtualPatient['findings']>): void => {
    const status = pump.status();
    const truth = pump.truth();
    const delivered = truth.trueDeliveredIntrathecalNg ?? truth.deliveredIntrathecalNg;
    const dt = now - (st.series.t[st.series.t.length - 1] ?? now);
    const perDay = dt > 0 ? ((delivered - st.lastDeliveredNg) / dt) * 86.4 : 0; // ng/s -> mcg/day
    st.lastDeliveredNg = delivered;
    pushSample(st.series, {
      t: now,
      programmedMcgPerDay:
        status.mode === 'stopped' || status.deliverySuspended ? 0 : status.dailyDoseNgPerDay / 1000,
      deliveredMcgPerDay: Math.round(perDay * 10) / 10,
      reservoirCalculatedMl: status.reservoirVolumeUl / 1000,
      reservoirTrueMl: Math.round(truth.trueReservoirVolumeNl / 100) / 10_000,
      ashworth: MAS_NUMBER[fnd.scores.modifiedAshworth],
      pennSpasms: fnd.scores.pennSpasmFrequency,
      painNrs: fnd.outcomes.painNrs,
      awakeningsPerNight: fnd.outcomes.awakeningsPerNight,
      dailyActivities: fnd.outcomes.dailyActivities,
      caregiverBurden: fnd.outcomes.caregiverBurden,
      withdrawalStage: WITHDRAWAL_INDEX[fnd.withdrawal.stage],
      overdoseStage: OVERDOSE_INDEX[fnd.overdose.stage],
    });
  };

  const act = (a: Action, origin: string): void => {
    try {
      switch (a.kind) {
        case 'fault':
          pump.injectFault(a.fault);
          break;
        case 'clearFault':
          pump.clearFault(a.fault as FaultKind);
          break;
        case 'linkFaults':
          host.setLinkFaults(a.set);
          break;
        case 'patient':
          host.patient().intervene(a.intervention as Intervention);
          record({
            t: pump.now(),
            kind: 'intervention',
            intervention: a.intervention as Intervention,
            by: 'scenario',
          });
          break;
        case 'message':
          record({ t: pump.now(), kind: 'message', text: a.text });
          break;
        case 'end':
          end(a.reason);
          break;
      }
    } catch (e) {
      // A refused action (the pump refuses a fault in its state) is logged, never fatal to the case.
      host.log('scenarioActionError', `${origin}: ${a.kind}: ${(e as Error).message}`);
    }
  };

  const end = (reason: string): void => {
    if (st.ended) return;
    st.ended = true;
    st.endReason = reason;
    record({ t: pump.now(), kind: 'end', reason });
    host.changed?.();
  };

  const evaluate = (): void => {
    if (st.ended) return;
    const now = pump.now();
    pumpFact();
    for (const e of timeline) {
      if (fired.has(e.id) || startTime + e.at > now) continue;
      fired.add(e.id);
      st.timelineFired.push(e.id);
      record({ t: startTime + e.at, kind: 'timeline', id: e.id });
      for (const a of e.actions) act(a, `timeline ${e.id}`);
      pumpFact();
    }
    for (let round = 0; round < MAX_ROUNDS && dirty && !st.ended; round++) {
      dirty = false;
      for (const h of s.handlers) {
        if (st.ended) break;
        const count = st.handlerFires[h.id] ?? 0;
        if (count > 0 && (!h.repeat || count >= MAX_REPEATS)) continue;
        const lastFire =
          count > 0 ? findLast(st.facts, (f) => f.kind === 'handler' && f.id === h.id)!.t + 1 : startTime;
        const m = firstMet(h.when, st.facts, lastFire, ctx);
        if (!m || m.t > now) continue;
        st.handlerFires[h.id] = count + 1;
        record({ t: now, kind: 'handler', id: h.id });
        for (const a of h.then) act(a, `handler ${h.id}`);
        pumpFact();
      }
    }
    if (!st.ended && now >= endTime) end('the time of the case is over');
  };

  const afterStep = (): void => {
    const now = pump.now();
    if (now <= st.lastStepT && st.facts.length > 0) return;
    patientFacts(now);
    st.lastStepT = now;
    dirty = true;
    evaluate();
  };

  if (!restored) {
    record({ t: startTime, kind: 'start', scenario: s.id });
    const fnd = host.patient().findings();
    lastWithdrawal = fnd.withdrawal.stage;
    lastOverdose = fnd.overdose.stage;
    record({ t: startTime, kind: 'withdrawal', stage: fnd.withdrawal.stage });
    record({ t: startTime, kind: 'overdose', stage: fnd.overdose.stage });
    sample(startTime, fnd);
    evaluate();
  } else {
    pumpFact();
  }

  /** A handler still waits for its condition: steps must stay short so it fires on time. */
  const watching = (): boolean =>
    s.handlers.some((h) => {
      const n = st.handlerFires[h.id] ?? 0;
      return n === 0 || (h.repeat && n < MAX_REPEATS);
    });

  const nextDue = (): number | null => {
    if (st.ended) return null;
    let next = endTime;
    for (const e of timeline) if (!fired.has(e.id)) next = Math.min(next, startTime + e.at);
    return next;
  };

  const observe = (inner: Pump): Pump => {
    const cmd = (f: Omit<Extract<Fact, { kind: 'command' }>, 't' | 'kind'>): void => {
      if (st.ended) return;
      record({ t: inner.now(), kind: 'command', ...f });
      pumpFact();
      evaluate();
    };
    const simple = (
      command: 'stopped' | 'resumed' | 'silenced' | 'alarmTest',
      r: CommandResult,
    ): CommandResult => {
      cmd({ command, ok: r.ok });
      return r;
    };
    // Every method delegates explicitly (the pump may keep private fields a prototype trick would miss).
    return {
      model: inner.model,
      serial: inner.serial,
      now: () => inner.now(),
      advanceTo: (t: number) => inner.advanceTo(t),
      nextEventTime: () => inner.nextEventTime(),
      program: () => inner.program(),
      truth: () => inner.truth(),
      patientBolus: () => inner.patientBolus(),
      injectFault: (f: DeviceFault) => inner.injectFault(f),
      clearFault: (k: FaultKind) => inner.clearFault(k),
      snapshot: () => inner.snapshot(),
      subscribe: (l: (n: PumpNotification) => void) => inner.subscribe(l),
      status: () => {
        const s0 = inner.status();
        cmd({ command: 'interrogated', ok: true, alarms: s0.alarms.map((a) => a.code) });
        return s0;
      },
      readLog: (o: number, c: number) => {
        const r = inner.readLog(o, c);
        cmd({ command: 'readLog', ok: true });
        return r;
      },
      validate: (change: ProgramChange) => {
        const r = inner.validate(change);
        cmd({
          command: 'prepared',
          ok: r.ok,
          changes: changeKinds(change, inner.status().concentrationMcgPerMl),
          detail: changeDetail(change),
        });
        return r;
      },
      apply: (change: ProgramChange) => {
        const kinds = changeKinds(change, inner.status().concentrationMcgPerMl);
        const r = inner.apply(change);
        cmd({ command: 'committed', ok: r.ok, changes: kinds, detail: changeDetail(change) });
        return r;
      },
      stop: () => simple('stopped', inner.stop()),
      resume: () => simple('resumed', inner.resume()),
      silenceAlarm: (until: number, code?: Parameters<Pump['silenceAlarm']>[1]) =>
        simple('silenced', inner.silenceAlarm(until, code)),
      alarmTest: () => simple('alarmTest', inner.alarmTest()),
      // The local-time rule is not a clinical command: passed through, not scored.
      setClock: (rule) => inner.setClock(rule),
    };
  };

  return {
    scenario: s,
    startTime,
    endTime,
    advance(to, inner) {
      for (;;) {
        const now = pump.now();
        if (now >= to) break;
        const due = nextDue();
        let stepTo = Math.min(to, now + (watching() ? STEP_SECONDS : QUIET_STEP_SECONDS));
        if (due !== null && due > now) stepTo = Math.min(stepTo, due);
        inner(stepTo);
        if (pump.now() <= now) break; // the pump would not move (see the clock's error)
        afterStep();
      }
    },
    nextDue,
    onNotification(n) {
      if (st.ended) return;
      if (n.type === 'alarmRaised') toneHeard.delete(n.code);
      if (n.type === 'alarmRaised' || n.type === 'alarmCleared')
        record({
          t: n.time,
          kind: 'alarm',
          code: n.code,
          event: n.type === 'alarmRaised' ? 'raised' : 'cleared',
        });
      else if (n.type === 'tone') {
        // The first tone of each sounding alarm (and every alarm-test tone) is a fact; its repeats, every
        // 10 min or hour until the cause goes, say nothing new and are only counted.
        if (!n.test && toneHeard.has(n.code)) {
          st.tonesRepeated = (st.tonesRepeated ?? 0) + 1;
          return;
        }
        if (!n.test) toneHeard.add(n.code);
        record({
          t: n.time,
          kind: 'tone',
          code: n.code,
          priority: n.priority ?? ALARM_PRIORITY[n.code],
          test: n.test ?? false,
        });
      }
    },
    observe,
    recordIntervention(iv, by) {
      if (st.ended) return;
      record({ t: pump.now(), kind: 'intervention', intervention: iv, by });
      evaluate();
      host.changed?.();
    },
    recordLearnerFact(f) {
      // After the end nothing more is scored (the bench's endpoint answers 409; the bedside goes on).
      if (st.ended) return;
      // The bench's endpoint validates the action; from the host's bedside it is one of its names (the
      // screening desk's carry a colon before their outcome, e.g. "candidacyDecision:notYet").
      const action =
        String(f.action)
          .replace(/[^A-Za-z0-9 :-]/g, '-')
          .slice(0, 64) || 'action';
      record({ t: pump.now(), kind: 'bedside', action, detail: String(f.detail ?? '').slice(0, 500) });
      evaluate();
      host.changed?.();
    },
    attachSessionRecord(entries) {
      // Kept out of the facts the handlers saw: appended at the end with the pump time of the debrief.
      for (const e of entries.slice(0, 2000))
        if (!st.facts.some((f) => f.kind === 'session' && f.at === e.at && f.operation === e.operation))
          st.facts.push({
            t: pump.now(),
            kind: 'session',
            operation: e.operation,
            result: e.result,
            at: e.at,
          });
    },
    finish(reason) {
      end(reason);
    },
    postMessage(text) {
      if (st.ended) throw new ScenarioRunError('the case has ended');
      record({ t: pump.now(), kind: 'message', text });
    },
    async until(condition, limitSeconds, advance, maxPumpTime) {
      const from = pump.now();
      const limit = Math.min(maxPumpTime, from + limitSeconds);
      let yieldAt = Date.now() + 20;
      for (;;) {
        const now = pump.now();
        const m = firstMet(condition, st.facts, from, ctx);
        if (m && m.t <= now) return { met: true, t: m.t };
        if (now >= limit || st.ended) return { met: false, t: now };
        await advance(Math.min(limit, now + STEP_SECONDS));
        if (pump.now() <= now) return { met: false, t: pump.now() };
        if (Date.now() >= yieldAt) {
          // Let the bench and the telemetry line be answered during a long search.
          await new Promise((r) => setImmediate(r));
          yieldAt = Date.now() + 20;
        }
      }
    },
    messages: () =>
      st.facts
        .filter((f): f is Extract<Fact, { kind: 'message' }> => f.kind === 'message')
        .map((f) => ({ t: f.t, text: f.text })),
    nextTimelineEvent() {
      if (st.ended) return null;
      const e = timeline.find((x) => !fired.has(x.id));
      return e ? { id: e.id, t: startTime + e.at } : null;
    },
    status: () => ({
      scenario: s.id,
      title: s.title,
      startTime,
      now: pump.now(),
      endTime,
      ended: st.ended,
      endReason: st.endReason,
      timelineFired: [...st.timelineFired],
      handlersFired: Object.keys(st.handlerFires),
      facts: st.facts.length,
    }),
    bedsideFindings() {
      const f = host.patient().findings();
      return {
        t: f.time,
        vitals: {
          heartRateBpm: f.vitals.heartRateBpm,
          systolicMmHg: f.vitals.systolicMmHg,
          diastolicMmHg: f.vitals.diastolicMmHg,
          temperatureC: f.vitals.temperatureC,
          respiratoryRatePerMin: f.vitals.respiratoryRatePerMin,
          spo2Percent: f.vitals.spo2Percent,
        },
        modifiedAshworth: f.scores.modifiedAshworth,
        pennSpasmFrequency: f.scores.pennSpasmFrequency,
        consciousness: f.consciousness,
        mentalStatus: f.mentalStatus,
        pruritus: f.pruritus,
        seizures: f.seizureCount,
        symptoms: [...f.symptoms],
      };
    },
    facts: () => st.facts,
    refillSyringe: () => refillSyringeReading(pump),
    debrief: () =>
      buildDebrief(s, st.facts, st.series, {
        startTime,
        endTime,
        now: pump.now(),
        ended: st.ended,
        endReason: st.endReason,
      }),
    progress: () => st,
  };
}

function findLast<T>(a: readonly T[], p: (v: T) => boolean): T | undefined {
  for (let i = a.length - 1; i >= 0; i--) if (p(a[i]!)) return a[i];
  return undefined;
}

/** Restore a runner's saved progress (the scenario is validated again: a hand-edited file is refused). */
export function scenarioFromProgress(p: unknown): { scenario: Scenario; progress: ScenarioProgress } {
  const prog = p as ScenarioProgress;
  if (!prog || prog.version !== 1 || !Array.isArray(prog.facts) || typeof prog.startTime !== 'number')
    throw new ScenarioRunError('the saved scenario progress is not readable');
  const r = validateScenario(prog.scenario);
  if (!r.ok)
    throw new ScenarioRunError(
      `the saved scenario is not valid: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  return { scenario: r.scenario, progress: prog };
}
