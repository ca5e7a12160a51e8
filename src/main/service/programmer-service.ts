/**
 * The programmer service: everything the clinician screens can do, as the `ProgrammerApi` contract, over the
 * wire protocol to a pump on a serial port. No Electron here: the Electron main process and the browser host
 * both run this same class.
 *
 * Safety behaviour (docs/architecture.md, "Programming is a transaction"):
 * - a lost link (keepalive or command timed out, port vanished) marks the connection 'lost', then
 *   reconnects in the background ('retrying') keeping the same session record;
 * - ending a session that leaves the pump stopped or mid-update returns a warning unless forced with a reason;
 * - a proposal with a hard stop cannot be committed; warnings need an override reason, which is recorded.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PumpProgram } from '../../device/pump-api';
import type { AlarmCode, LogEntry, LogPage, ProgramChange, PumpStatus } from '../../device/types';
import { sinceLastVisit, type SinceLastVisit } from '../../shared/clinical/since-last-visit';
import {
  requestSchemas,
  type CommitResult,
  type ConnectionInfo,
  type PumpClockInfo,
  type DecodedFrame,
  emptyLinkStats,
  type EndSessionResult,
  type LinkState,
  type LinkStats,
  type OperationError,
  type OperationName,
  type PortInfo,
  type ProgrammerApi,
  type ProgrammerEvent,
  type Proposal,
  type RequestOf,
  type Result,
  type SessionRecordEntry,
  type VerifyResult,
} from '../../shared/contract';
import { evaluateProposal, type ProposalContext } from './clinical-findings';
import { EmbeddedPump, type EmbeddedPumpOptions, type SimReadyLine } from './embedded-pump';
import { BedsideError, createBedsideClient, type BedsideClient } from './bedside-client';
import type { BedsideAction, BedsideExam, SyringeReading } from '../../shared/bedside';
import {
  isLinkTimeout,
  isLocalRefusal,
  isPumpRefusal,
  type PumpLink,
  type PumpLinkFactory,
} from './pump-link';
import { createLinkSupervisor } from './link-supervisor';
import { buildReviewRows, compareProgram, expectedProgram, fmtPumpTime } from './review';
import { ALARM_TEXT } from '../../shared/clinical/alarm-text';
import { ruleFromZone } from '../../shared/clinical/zone-rule';
import { describeClockRule } from '../../shared/device-facts/local-clock';
import { formatReservoirVolume, isReasonInWords } from '../../shared/clinical/format';
import { ALARM_CODES } from '../../protocol/messages/messages';
import { readClinicalHistory } from './dose-history';
import type { ClinicalHistory } from '../../shared/clinical/history';
import { SessionRecord } from './session-record';
import { assessCandidacy, type CandidacyDecision } from '../../shared/clinical/candidacy';
import { ScreeningViewSchema, type ImplantResult, type ScreeningView } from '../../shared/screening-view';
import type { Debrief, TrainingCaseStatus, TrainingCaseSummary } from '../../shared/training-case';
import { renderSummary } from './summary';
import {
  listSerialPorts,
  openSerialTransport,
  validatePortPath,
  type ListedPort,
  type Transport,
  type TransportOpener,
} from './serial-transport';

export interface ProgrammerServiceOptions {
  /** Where session records go (`<dataDir>/sessions/`) and, by default, the embedded pump's state. */
  dataDir: string;
  /** The protocol client factory (protocol-adapter.ts `createProtocolLink` in production). */
  linkFactory: PumpLinkFactory;
  /** Start an embedded virtual pump; null for none (e.g. `--no-embedded`). */
  embedded?: Partial<EmbeddedPumpOptions> | null;
  openTransport?: TransportOpener;
  listPorts?: () => Promise<ListedPort[]>;
  key?: Uint8Array;
  /** Identifies this programmer to the pump (one programmer at a time; reopening replaces our session). */
  programmerId?: string;
  /** Keepalive period: the pump's session expires without it, and it is how we notice a silent link. */
  keepaliveMs?: number;
  /** Delay between background reconnect attempts after a lost link. */
  reconnectDelayMs?: number;
  /** Per-command timeout and retries handed to the protocol client. */
  timeoutMs?: number;
  retries?: number;
}

interface StoredProposal {
  proposal: Proposal;
  token: number | null;
  before: PumpProgram;
  /** The pump's concentration after the change (the therapy is stored rate-rounded at it). */
  concentrationAfter: number;
}

interface UnverifiedUpdate {
  expected: ReturnType<typeof expectedProgram>;
  versionBefore: number;
}

class OpError extends Error {
  constructor(
    readonly code: OperationError['code'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ProgrammerService implements ProgrammerApi {
  private readonly opts: ProgrammerServiceOptions;
  private readonly listeners = new Set<(e: ProgrammerEvent) => void>();
  private embeddedPump: EmbeddedPump | null = null;

  /** The connection's state (disconnected, connecting, connected, lost, retrying): link-supervisor.ts. */
  private readonly supervisor = createLinkSupervisor(() => this.emitLink());
  private get state(): LinkState {
    return this.supervisor.state;
  }
  private portPath: string | null = null;
  private embeddedTarget = false;
  private transport: Transport | null = null;
  private link: PumpLink | null = null;
  private pumpSerial: string | null = null;
  private clock: PumpClockInfo | null = null;
  private timeZone: string | null = null;
  private patientId: string | null = null;
  private clinician: string | null = null;
  private protocolVersion: number | null = null;
  private lastContactAt: number | null = null;
  /** Stats of links replaced by reconnects, so the counters keep growing across a session. */
  private statsCarried: LinkStats = emptyLinkStats();

  private record: SessionRecord | null = null;
  private lastRecord: SessionRecord | null = null;
  private lastStatus: PumpStatus | null = null;
  private lastProgram: PumpProgram | null = null;
  private proposal: StoredProposal | null = null;
  private unverified: UnverifiedUpdate | null = null;
  private lastCommitted: UnverifiedUpdate | null = null;

  private keepaliveTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private linkGeneration = 0;
  private disposed = false;

  constructor(options: ProgrammerServiceOptions) {
    this.opts = options;
  }

  // ------------------------------------------------------------ lifecycle

  /** Start the embedded pump (unless disabled). Resolves with its ready line, or null. */
  async start(): Promise<SimReadyLine | null> {
    if (this.opts.embedded === null) return null;
    const e = this.opts.embedded ?? {};
    this.embeddedPump = new EmbeddedPump({
      stateFile: e.stateFile ?? join(this.opts.dataDir, 'embedded-pump.json'),
      ...(e.extraArgs ? { extraArgs: e.extraArgs } : {}),
      ...(e.command ? { command: e.command } : {}),
      ...(e.startTimeoutMs ? { startTimeoutMs: e.startTimeoutMs } : {}),
      ...(e.onLog ? { onLog: e.onLog } : {}),
    });
    return this.embeddedPump.start();
  }

  /**
   * Stops the embedded pump and starts it again with these arguments added (a new pump, a training case):
   * the same state file, so the new pump is the one the next start finds. Refused while a session is open.
   */
  private async restartEmbedded(args: string[]): Promise<SimReadyLine> {
    if (this.opts.embedded === null || !this.embeddedPump)
      throw new OpError('BAD_REQUEST', 'This programmer runs no embedded virtual pump.');
    const e = this.opts.embedded ?? {};
    await this.embeddedPump.stop();
    this.bedsideClient = null;
    this.embeddedPump = new EmbeddedPump({
      stateFile: e.stateFile ?? join(this.opts.dataDir, 'embedded-pump.json'),
      extraArgs: [...(e.extraArgs ?? []), ...args],
      ...(e.command ? { command: e.command } : {}),
      ...(e.startTimeoutMs ? { startTimeoutMs: e.startTimeoutMs } : {}),
      ...(e.onLog ? { onLog: e.onLog } : {}),
    });
    return this.embeddedPump.start();
  }

  /** The embedded pump's ready line (its port, bench URL and token file), if it runs. */
  get embedded(): SimReadyLine | null {
    return this.embeddedPump?.ready ?? null;
  }

  /** For tests: the embedded pump process (to kill it and simulate a vanished pump). */
  get embeddedProcess(): EmbeddedPump | null {
    return this.embeddedPump;
  }

  /** Path of the current (or last) session record file. */
  get recordPath(): string | null {
    return (this.record ?? this.lastRecord)?.path ?? null;
  }

  onEvent(listener: (e: ProgrammerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Close the session (without the unsafe-end check: the app is quitting) and stop the embedded pump. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.record) {
      this.record.append('endSession', {}, 'ok', { onExit: true, state: this.state });
    }
    await this.teardownLink(true);
    this.closeRecord();
    this.supervisor.send({ type: 'END' });
    await this.embeddedPump?.stop();
    this.listeners.clear();
  }

  // ------------------------------------------------------------ the contract

  listPorts(req: RequestOf<'listPorts'>): Promise<Result<PortInfo[]>> {
    return this.run('listPorts', req, false, async () => {
      const listed = await (this.opts.listPorts ?? listSerialPorts)().catch(() => [] as ListedPort[]);
      const ports: PortInfo[] = [];
      const emb = this.embedded;
      if (emb)
        ports.push({ path: emb.port, manufacturer: `Embedded virtual pump ${emb.serial}`, embedded: true });
      for (const p of listed) {
        if (emb && p.path === emb.port) continue;
        ports.push({ ...p, embedded: false });
      }
      return ports;
    });
  }

  connect(req: RequestOf<'connect'>): Promise<Result<ConnectionInfo>> {
    return this.run('connect', req, true, async (r) => {
      let path: string;
      if (r.target.kind === 'embedded') {
        const emb = this.embedded;
        if (!emb) throw new OpError('PORT_ERROR', 'The embedded virtual pump is not running.');
        path = emb.port;
      } else {
        const problem = validatePortPath(r.target.path);
        if (problem) throw new OpError('BAD_REQUEST', problem);
        path = r.target.path;
      }
      if (this.state !== 'disconnected') {
        if (this.portPath === path && this.state === 'connected') return this.connectionInfo();
        throw new OpError(
          'BAD_REQUEST',
          `A session is open on ${this.portPath}: end it before connecting elsewhere.`,
        );
      }
      this.portPath = path;
      this.embeddedTarget = r.target.kind === 'embedded';
      this.timeZone = r.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      this.patientId = r.patientId ?? null;
      this.clinician = r.clinician ?? null;
      this.clock = null;
      this.supervisor.send({ type: 'CONNECT' });
      try {
        await this.establishLink(path);
      } catch (err) {
        await this.teardownLink(false);
        this.portPath = null;
        this.supervisor.send({ type: 'OPEN_FAILED' });
        throw err;
      }
      this.record = SessionRecord.create(join(this.opts.dataDir, 'sessions'), this.pumpSerial ?? 'pump');
      this.lastRecord = null;
      this.supervisor.send({ type: 'OPENED' });
      // Best effort: the session starts with the pump's full status on record.
      const status = await this.refreshStatus().catch(() => null);
      if (status) await this.syncClock(status.pumpTime);
      await this.reconcileIntents();
      return this.connectionInfo();
    });
  }

  interrogate(req: RequestOf<'interrogate'>): Promise<Result<PumpStatus>> {
    return this.run('interrogate', req, true, async () => {
      const status = await this.refreshStatus();
      await this.syncClock(status.pumpTime);
      return status;
    });
  }

  /**
   * Sets the pump's local-time rule from the clinic's zone when it differs (the pump answers whether it
   * changed and logs CLOCK_SET only then); recorded in the session record. A pump that cannot be set (an
   * older one answering NAK UNKNOWN_TYPE) is left on its rule and the screen says so.
   */
  private async syncClock(pumpTime: number): Promise<void> {
    const zone = this.timeZone ?? 'UTC';
    const { rule, exact } = ruleFromZone(zone, pumpTime);
    try {
      const r = await this.withLink((l) => l.setClock(rule));
      const described = describeClockRule(rule);
      // Once set in this session it stays "set this session (was ...)" until the rule changes again.
      const earlier = this.clock?.changed && this.clock.rule === described ? this.clock : null;
      this.clock = {
        zone,
        rule: described,
        changed: r.changed || earlier !== null,
        previous: earlier ? earlier.previous : describeClockRule(r.previous),
        exact,
      };
      this.record?.append('event', { clock: zone }, 'ok', { ...this.clock, ruleSent: rule });
    } catch (err) {
      if (this.state !== 'connected') throw err;
      const message = err instanceof Error ? err.message : String(err);
      this.clock = { zone, rule: '', changed: false, previous: '', exact, error: message };
      this.record?.append('event', { clock: zone }, 'error', { message });
    }
    this.emitLink();
  }

  readProgram(req: RequestOf<'readProgram'>): Promise<Result<PumpProgram>> {
    return this.run('readProgram', req, true, async () => {
      const program = await this.withLink((l) => l.readProgram());
      this.lastProgram = program;
      return program;
    });
  }

  readLog(req: RequestOf<'readLog'>): Promise<Result<LogPage>> {
    return this.run('readLog', req, true, (r) => this.withLink((l) => l.readLog(r.offset, r.count)));
  }

  clinicalContext(req: RequestOf<'clinicalContext'>): Promise<Result<ClinicalHistory>> {
    // Not recorded: a read the edit screens make to evaluate with the review's inputs.
    return this.run('clinicalContext', req, false, async () => this.readHistory(await this.refreshStatus()));
  }

  proposeChange(req: RequestOf<'proposeChange'>): Promise<Result<Proposal>> {
    return this.run('proposeChange', req, true, async (r) => {
      const status = await this.refreshStatus();
      const program = await this.withLink((l) => l.readProgram());
      this.lastProgram = program;
      // The double-entered concentration is the programmer's own check; the pump never sees it.
      const change: ProgramChange = { ...r.change } as ProgramChange;
      if (r.change.refill) {
        const { concentrationConfirmMcgPerMl: _confirm, ...refill } = r.change.refill;
        change.refill = refill;
      }
      if (r.change.patientBolus === undefined) delete change.patientBolus;
      const prepared = await this.withLink((l) => l.prepare(change));
      const consequences = prepared.ok ? prepared.consequences : null;
      // The pump's log, read afresh: the history across sessions (increases, therapy start, running bolus).
      const history = await this.readHistory(status);
      const ctx: ProposalContext = {
        status,
        program,
        history,
        request: r.change,
        consequences,
        origin: r.origin,
        ageGroup: r.ageGroup ?? 'adult',
        sideEffects: r.sideEffects ?? false,
      };
      const clinical = evaluateProposal(ctx);
      const proposal: Proposal = {
        proposalId: randomUUID(),
        change,
        clinical: {
          phase: clinical.phase,
          currentDailyDose: clinical.currentDailyDose,
          effectiveDailyDose: clinical.effectiveDailyDose,
          changePer24hBp: clinical.changePer24hBp,
        },
        rows: buildReviewRows({
          status,
          program,
          change,
          consequences,
          nextRefillOld: clinical.nextRefillOld,
          nextRefillNew: clinical.nextRefillNew,
          runningBolus: history.runningBolus,
        }),
        consequences: consequences ?? {
          rateUlPerDay: status.rateUlPerDay,
          effectiveDailyDoseNgPerDay: status.dailyDoseNgPerDay,
          reservoirVolumeAfterUl: status.reservoirVolumeUl,
          lowReservoirAlarmTime: status.lowReservoirAlarmTime,
          emptyTime: status.emptyTime,
          daysToEmptyX1000: null,
        },
        nextRefillTime: clinical.nextRefillNew,
        findings: clinical.findings,
        committable: prepared.ok && !clinical.findings.some((f) => f.severity === 'hardStop'),
        errors: prepared.ok ? [] : prepared.errors,
      };
      // Only the latest proposal is live: the pump keeps only the latest prepare token.
      this.proposal = {
        proposal,
        token: prepared.ok ? prepared.token : null,
        before: program,
        concentrationAfter: change.refill?.concentrationMcgPerMl ?? program.concentrationMcgPerMl,
      };
      if (!prepared.ok) this.proposal = null;
      return proposal;
    });
  }

  commitChange(req: RequestOf<'commitChange'>): Promise<Result<CommitResult>> {
    return this.run(
      'commitChange',
      req,
      true,
      async (r) => {
        const stored = this.proposal;
        if (!stored || stored.proposal.proposalId !== r.proposalId) {
          throw new OpError('UNKNOWN_PROPOSAL', 'No such proposal: propose the change again and review it.');
        }
        const { proposal } = stored;
        if (
          proposal.findings.some((f) => f.severity === 'hardStop') ||
          !proposal.committable ||
          !stored.token
        ) {
          throw new OpError('HARD_STOP', 'This proposal cannot be committed.', proposal.findings);
        }
        const warnings = proposal.findings.filter((f) => f.severity === 'warning');
        if (warnings.length > 0 && !r.overrideReason?.trim()) {
          throw new OpError(
            'OVERRIDE_REASON_REQUIRED',
            'The proposal is beyond guidance: state a reason to override.',
            warnings,
          );
        }
        // From here until the read-back matches, ending the session needs a force and a reason.
        const pending: UnverifiedUpdate = {
          expected: expectedProgram(stored.before, proposal.change, stored.concentrationAfter),
          versionBefore: stored.before.programVersion,
        };
        this.unverified = pending;
        const token = stored.token;
        // Written ahead (and fsync'd) before the command leaves: if this process dies after the pump has
        // applied the change but before the outcome is recorded, the next connection finds the intent and
        // reconciles it against the pump's read-back. A record that cannot be written stops the commit.
        this.record?.append(
          'commitChange',
          { proposalId: r.proposalId },
          'intent',
          {
            pumpSerial: this.pumpSerial,
            versionBefore: pending.versionBefore,
            expected: pending.expected,
            change: proposal.change,
          },
          r.overrideReason?.trim() || undefined,
        );
        const outcome = await this.withLink((l) => l.commit(token));
        this.proposal = null;
        if (!outcome.ok) {
          this.unverified = null;
          return { committed: false, verify: null, errors: outcome.errors } satisfies CommitResult;
        }
        this.lastCommitted = pending;
        const verify = await this.verifyAgainst(pending);
        return { committed: true, verify, errors: [] } satisfies CommitResult;
      },
      (r) => r.overrideReason,
    );
  }

  verify(req: RequestOf<'verify'>): Promise<Result<VerifyResult>> {
    return this.run('verify', req, true, async () => {
      const target = this.unverified ?? this.lastCommitted;
      if (target) return this.verifyAgainst(target);
      const program = await this.withLink((l) => l.readProgram());
      this.lastProgram = program;
      // Nothing was changed in this session: the program read back is by definition what is expected.
      return { matches: true, mismatches: [], program };
    });
  }

  stopPump(req: RequestOf<'stopPump'>): Promise<Result<PumpStatus>> {
    return this.run('stopPump', req, true, async () => {
      await this.withLink((l) => l.stop());
      return this.refreshStatus();
    });
  }

  resumePump(req: RequestOf<'resumePump'>): Promise<Result<PumpStatus>> {
    return this.run('resumePump', req, true, async () => {
      await this.withLink((l) => l.resume());
      return this.refreshStatus();
    });
  }

  silenceAlarms(req: RequestOf<'silenceAlarms'>): Promise<Result<PumpStatus>> {
    return this.run('silenceAlarms', req, true, async (r) => {
      const code = r.code as AlarmCode | undefined;
      if (code !== undefined && !(ALARM_CODES as readonly string[]).includes(code)) {
        throw new OpError('BAD_REQUEST', `Unknown alarm code ${code}.`);
      }
      // Silence is until a pump time: take it from the pump's own clock, not the host's.
      const status = await this.refreshStatus();
      const until = status.pumpTime + r.minutes * 60;
      await this.withLink((l) => l.silenceAlarm(until, code));
      return this.refreshStatus();
    });
  }

  alarmTest(req: RequestOf<'alarmTest'>): Promise<Result<PumpStatus>> {
    return this.run('alarmTest', req, true, async () => {
      await this.withLink((l) => l.alarmTest());
      return this.refreshStatus();
    });
  }

  endSession(req: RequestOf<'endSession'>): Promise<Result<EndSessionResult>> {
    return this.run(
      'endSession',
      req,
      true,
      async (r) => {
        if (this.state === 'disconnected') throw new OpError('NOT_CONNECTED', 'No session is open.');
        if (r.force && !isReasonInWords(r.reason ?? '')) {
          throw new OpError(
            'BAD_REQUEST',
            'Ending the session by force needs a stated reason in words (at least two words).',
          );
        }
        const warning = await this.unsafeEndWarning();
        if (warning && !r.force) {
          return { ended: false, warning } satisfies EndSessionResult;
        }
        await this.teardownLink(true);
        this.supervisor.send({ type: 'END' });
        return { ended: true, ...(warning ? { warning } : {}) } satisfies EndSessionResult;
      },
      (r) => r.reason,
      (result) => (result.ended ? 'ok' : 'warning'),
      (result) => {
        if (result.ended) this.closeRecord();
      },
    );
  }

  sessionRecord(req: RequestOf<'sessionRecord'>): Promise<Result<SessionRecordEntry[]>> {
    return this.run('sessionRecord', req, false, async () => (this.record ?? this.lastRecord)?.list() ?? []);
  }

  exportRecord(req: RequestOf<'exportRecord'>): Promise<Result<string>> {
    return this.run('exportRecord', req, false, async (r) => {
      const rec = this.record ?? this.lastRecord;
      if (!rec) throw new OpError('NOT_CONNECTED', 'There is no session record yet.');
      const entries = rec.list();
      if (r.format === 'json') {
        return JSON.stringify({ benchStatement: BENCH_STATEMENT, file: rec.path, entries }, null, 2);
      }
      return renderSummary({ entries, status: this.lastStatus, program: this.lastProgram });
    });
  }

  assessCandidacy(req: RequestOf<'assessCandidacy'>): Promise<Result<CandidacyDecision>> {
    // Pure and pump-free: the case form's answer, with every reason and its source.
    return this.run('assessCandidacy', req, false, async (c) => assessCandidacy(c));
  }

  screening(req: RequestOf<'screening'>): Promise<Result<ScreeningView>> {
    // The trial runs on the embedded pump's host, beside the patient (firmware-sim/screening-desk.ts).
    return this.run('screening', req, false, async ({ action, ...body }) => {
      const view = ScreeningViewSchema.safeParse(await this.onBedside((b) => b.screening(action, body)));
      if (!view.success)
        throw new OpError('BEDSIDE', 'Bedside: the screening desk answered with a malformed trial.');
      return view.data;
    });
  }

  connectionState(req: RequestOf<'connectionState'>): Promise<Result<ConnectionInfo>> {
    return this.run('connectionState', req, false, async () => this.connectionInfo());
  }

  implantNewPump(req: RequestOf<'implantNewPump'>): Promise<Result<ImplantResult>> {
    return this.run('implantNewPump', req, false, async () => {
      if (this.state !== 'disconnected' || this.record)
        throw new OpError(
          'BAD_REQUEST',
          'End the session with the current pump before implanting a new one.',
        );
      const got = ScreeningViewSchema.safeParse(await this.onBedside((b) => b.screening('view', {})));
      const v = got.success ? got.data : null;
      const plan = v?.firstProgramming;
      if (
        !v ||
        v.decision?.outcome !== 'positive' ||
        !plan ||
        v.now === null ||
        !v.profile ||
        v.seed === null
      )
        throw new OpError(
          'BAD_REQUEST',
          'Implant after a positive screening trial, once its first programming is planned.',
        );
      // A new pump: empty, never programmed, of the planned model; the same patient, baclofen-naive apart
      // from the screening doses (whose few micrograms have cleared by the implant), on the trial's clock.
      await this.restartEmbedded([
        '--reset',
        '--model',
        plan.model,
        '--start-time',
        String(v.now),
        '--patient',
        `${v.profile}:naive`,
        '--patient-seed',
        String(v.seed),
      ]);
      return { model: plan.model, implantedAt: v.now, profile: v.profile, seed: v.seed, plan };
    });
  }

  sinceLastVisit(req: RequestOf<'sinceLastVisit'>): Promise<Result<SinceLastVisit>> {
    return this.run('sinceLastVisit', req, false, async () => {
      const status = this.lastStatus ?? (await this.refreshStatus());
      const previous = SessionRecord.previousVisit(
        join(this.opts.dataDir, 'sessions'),
        this.pumpSerial ?? 'pump',
        this.record?.path ?? null,
      );
      // The pump's log back to the previous visit (bounded: the log itself holds at most 512 entries).
      const entries: LogEntry[] = [];
      let reachesBack = previous === null;
      for (let offset = 0; offset < 600 && previous; offset += 50) {
        const page = await this.withLink((l) => l.readLog(offset, 50));
        entries.push(...page.entries);
        if (page.entries.some((e) => e.time <= previous.pumpTime)) {
          reachesBack = true;
          break;
        }
        if (offset + page.entries.length >= page.total || page.entries.length === 0) {
          reachesBack = page.total < 512;
          break;
        }
      }
      return sinceLastVisit(previous, { reservoirVolumeUl: status.reservoirVolumeUl }, entries, reachesBack);
    });
  }

  // ------------------------------------------------------------ training cases (issue 19)
  // The case runs in the embedded pump's host; the learner reaches it through the bedside API, which
  // answers without the case's secrets until its end.

  trainingCases(req: RequestOf<'trainingCases'>): Promise<Result<TrainingCaseSummary[]>> {
    return this.run('trainingCases', req, false, async () =>
      this.onBedside((b) => b.training('/cases') as Promise<TrainingCaseSummary[]>),
    );
  }

  trainingCase(req: RequestOf<'trainingCase'>): Promise<Result<TrainingCaseStatus>> {
    return this.run('trainingCase', req, false, async () =>
      this.onBedside((b) => b.training('/case') as Promise<TrainingCaseStatus>),
    );
  }

  startTrainingCase(req: RequestOf<'startTrainingCase'>): Promise<Result<TrainingCaseStatus>> {
    return this.run('startTrainingCase', req, false, async ({ id }) => {
      if (this.state !== 'disconnected' || this.record)
        throw new OpError('BAD_REQUEST', 'End the session with the pump before starting a training case.');
      const cases = await this.onBedside((b) => b.training('/cases') as Promise<TrainingCaseSummary[]>);
      if (!cases.some((c) => c.id === id))
        throw new OpError('BAD_REQUEST', `There is no training case "${id}" in the library.`);
      // A fresh pump, patient and clock in the case's starting state; a later restart resumes the case.
      await this.restartEmbedded(['--scenario', id]);
      return this.onBedside((b) => b.training('/case') as Promise<TrainingCaseStatus>);
    });
  }

  finishTrainingCase(req: RequestOf<'finishTrainingCase'>): Promise<Result<Debrief>> {
    return this.run('finishTrainingCase', req, false, async () => {
      const rec = this.record ?? this.lastRecord;
      const sessionRecord = (rec?.list() ?? [])
        .filter((e) => e.operation !== 'event')
        .slice(-2000)
        .map((e) => ({ at: e.at, operation: e.operation, result: e.result }));
      return this.onBedside((b) => b.training('/case/finish', { sessionRecord }) as Promise<Debrief>);
    });
  }

  exportDebrief(req: RequestOf<'exportDebrief'>): Promise<Result<string>> {
    return this.run('exportDebrief', req, false, async ({ format }) =>
      format === 'html'
        ? this.onBedside((b) => b.debriefHtml())
        : JSON.stringify(await this.onBedside((b) => b.training('/case/debrief')), null, 2),
    );
  }

  // ------------------------------------------------------------ the bedside (docs/bedside-api.md)
  // The embedded pump's patient, through its host's bedside API (never the bench). Recorded in the session
  // record when a session is open; the host keeps its own record with pump times either way.

  bedsideExamine(req: RequestOf<'bedsideExamine'>): Promise<Result<BedsideExam>> {
    return this.run('bedsideExamine', req, true, async () => this.onBedside((b) => b.examine()));
  }

  bedsideRefillSyringe(req: RequestOf<'bedsideRefillSyringe'>): Promise<Result<SyringeReading>> {
    return this.run('bedsideRefillSyringe', req, true, async () => this.onBedside((b) => b.refillSyringe()));
  }

  bedsideOrder(req: RequestOf<'bedsideOrder'>): Promise<Result<BedsideAction>> {
    return this.run('bedsideOrder', req, true, async (r) => this.onBedside((b) => b.order(r.order)));
  }

  bedsideActions(req: RequestOf<'bedsideActions'>): Promise<Result<BedsideAction[]>> {
    return this.run('bedsideActions', req, false, async () => this.onBedside((b) => b.actions()));
  }

  private bedsideClient: { key: string; client: BedsideClient } | null = null;

  private async onBedside<T>(call: (b: BedsideClient) => Promise<T>): Promise<T> {
    const emb = this.embedded;
    if (!emb?.bedside || !emb.bedsideTokenFile)
      throw new OpError('BEDSIDE', 'No patient at the bedside: the embedded virtual pump is not running.');
    const key = `${emb.bedside} ${emb.bedsideTokenFile}`;
    if (this.bedsideClient?.key !== key)
      this.bedsideClient = {
        key,
        client: createBedsideClient({ url: emb.bedside, tokenFile: emb.bedsideTokenFile }),
      };
    try {
      return await call(this.bedsideClient.client);
    } catch (e) {
      if (e instanceof BedsideError)
        throw new OpError(e.status === 400 ? 'BAD_REQUEST' : 'BEDSIDE', `Bedside: ${e.message}`);
      throw e;
    }
  }

  // ------------------------------------------------------------ internals

  /**
   * Validate, run, record and wrap one operation: never throws. `recordIt` is false for read-only
   * bookkeeping operations that would only clutter the record.
   */
  private async run<K extends OperationName, T>(
    op: K,
    rawRequest: unknown,
    recordIt: boolean,
    body: (req: RequestOf<K>) => Promise<T>,
    reasonOf?: (req: RequestOf<K>) => string | undefined,
    resultKind?: (value: T) => SessionRecordEntry['result'],
    after?: (value: T) => void,
  ): Promise<Result<T>> {
    const parsed = requestSchemas[op].safeParse(rawRequest ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `Invalid ${op} request.`, details: parsed.error.issues },
      };
    }
    const req = parsed.data as RequestOf<K>;
    if (this.disposed) {
      return { ok: false, error: { code: 'INTERNAL', message: 'The programmer service has shut down.' } };
    }
    const reason = reasonOf?.(req)?.trim() || undefined;
    try {
      const value = await body(req);
      if (recordIt) this.record?.append(op, req, resultKind?.(value) ?? 'ok', value, reason);
      after?.(value);
      return { ok: true, value };
    } catch (err) {
      const error = toOperationError(err);
      if (recordIt) this.record?.append(op, req, 'error', error, reason);
      return { ok: false, error };
    }
  }

  private requireLink(): PumpLink {
    if (this.state === 'lost' || this.state === 'retrying') {
      throw new OpError(
        'LINK_LOST',
        'The link to the pump is lost; reconnecting. Values shown may be stale.',
      );
    }
    if (!this.link || this.state !== 'connected')
      throw new OpError('NOT_CONNECTED', 'Not connected to a pump.');
    return this.link;
  }

  /** Run one exchange; a timeout marks the link lost and starts the background reconnect. */
  private async withLink<T>(fn: (link: PumpLink) => Promise<T>): Promise<T> {
    const link = this.requireLink();
    const generation = this.linkGeneration;
    try {
      const value = await fn(link);
      this.lastContactAt = Date.now();
      this.emitLink();
      return value;
    } catch (err) {
      if (isLinkTimeout(err) && generation === this.linkGeneration) {
        this.markLost('command timed out');
        throw new OpError('LINK_LOST', 'The pump did not answer: the link is lost. Reconnecting.');
      }
      if (isLocalRefusal(err)) {
        // The programmer's own check: nothing was sent, so it is not the pump's refusal.
        throw new OpError('BAD_REQUEST', `The programmer cannot send this: ${err.message}`, {
          reason: err.reason,
        });
      }
      if (isPumpRefusal(err)) {
        const reason =
          (err as { reason?: unknown; code?: unknown }).reason ?? (err as { code?: unknown }).code;
        throw new OpError('PUMP_REFUSED', `The pump refused: ${err.message}`, { reason });
      }
      throw err;
    }
  }

  /** The pump's history from its log (newest pages first, far enough back for the rules). */
  private async readHistory(status: PumpStatus): Promise<ClinicalHistory> {
    return readClinicalHistory((offset, count) => this.withLink((l) => l.readLog(offset, count)), status);
  }

  private async refreshStatus(): Promise<PumpStatus> {
    const status = await this.withLink((l) => l.interrogate());
    this.lastStatus = status;
    return status;
  }

  private async verifyAgainst(target: UnverifiedUpdate): Promise<VerifyResult> {
    const program = await this.withLink((l) => l.readProgram());
    this.lastProgram = program;
    const result = compareProgram(target.expected, program, target.versionBefore);
    if (result.matches && this.unverified === target) this.unverified = null;
    return result;
  }

  private async establishLink(path: string): Promise<void> {
    const transport = await (this.opts.openTransport ?? openSerialTransport)(path).catch((err: Error) => {
      throw new OpError('PORT_ERROR', `Cannot open ${path}: ${err.message}`);
    });
    const generation = ++this.linkGeneration;
    const link = this.opts.linkFactory(transport, {
      programmerId: this.opts.programmerId ?? `programmer-${process.pid}`,
      ...(this.opts.key ? { key: this.opts.key } : {}),
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      ...(this.opts.retries !== undefined ? { retries: this.opts.retries } : {}),
    });
    this.transport = transport;
    this.link = link;
    transport.onClosed((reason) => {
      if (generation === this.linkGeneration) this.markLost(`port closed: ${reason}`);
    });
    link.onAlarm((alarm) => {
      if (generation !== this.linkGeneration) return;
      this.record?.append('event', { alarm: alarm.code }, 'ok', alarm);
      void this.onAlarm(alarm.code, alarm.raised);
    });
    link.onFrame((frame) => {
      if (generation !== this.linkGeneration) return;
      const decoded: DecodedFrame = {
        direction: frame.direction,
        at: Date.now(),
        bytes: Buffer.from(frame.bytes).toString('hex'),
        summary: frame.summary,
        ok: frame.ok,
      };
      this.emit({ type: 'frame', frame: decoded });
    });
    try {
      const session = await link.openSession();
      this.pumpSerial = session.serial;
      this.protocolVersion = session.protocolVersion;
      this.lastContactAt = Date.now();
    } catch (err) {
      if (isLinkTimeout(err)) throw new OpError('LINK_LOST', `No answer from a pump on ${path}.`);
      if (isPumpRefusal(err))
        throw new OpError('PUMP_REFUSED', `The pump refused the session: ${err.message}`);
      throw err;
    }
    this.startKeepalive(generation);
  }

  private async onAlarm(code: AlarmCode, raised: boolean): Promise<void> {
    let status: PumpStatus | null = null;
    if (this.state === 'connected') status = await this.refreshStatus().catch(() => null);
    this.emit({ type: 'alarm', code, raised, status });
  }

  private startKeepalive(generation: number): void {
    this.stopKeepalive();
    const period = this.opts.keepaliveMs ?? 2000;
    const tick = async () => {
      if (generation !== this.linkGeneration || this.state !== 'connected' || !this.link) return;
      try {
        await this.link.keepalive();
        this.lastContactAt = Date.now();
        this.emitLink();
      } catch (err) {
        if (generation === this.linkGeneration && isLinkTimeout(err)) this.markLost('keepalive timed out');
      }
      if (generation === this.linkGeneration && this.state === 'connected') {
        this.keepaliveTimer = setTimeout(() => void tick(), period);
      }
    };
    this.keepaliveTimer = setTimeout(() => void tick(), period);
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private markLost(why: string): void {
    if (this.state !== 'connected' && this.state !== 'connecting') return;
    this.record?.append('event', { link: 'lost' }, 'error', { reason: why });
    this.retireLink();
    this.supervisor.send({ type: 'LOST' });
    this.scheduleReconnect();
  }

  /** Forget the current link object but keep the session (record, proposal flags, last values). */
  private retireLink(): void {
    this.stopKeepalive();
    this.linkGeneration++;
    if (this.link) {
      const s = this.link.stats();
      this.statsCarried = addStats(this.statsCarried, s);
      this.link.dispose();
    }
    this.link = null;
    const transport = this.transport;
    this.transport = null;
    void transport?.close().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.disposed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.tryReconnect();
    }, this.opts.reconnectDelayMs ?? 1000);
  }

  private async tryReconnect(): Promise<void> {
    if (this.disposed || !this.portPath || (this.state !== 'lost' && this.state !== 'retrying')) return;
    this.supervisor.send({ type: 'RETRY' });
    try {
      await this.establishLink(this.portPath);
      if (this.state !== 'retrying') return; // ended meanwhile
      // A token prepared before the loss belongs to the old pump session: it can no longer be committed.
      if (this.proposal) {
        this.proposal.token = null;
        this.proposal.proposal.committable = false;
      }
      this.supervisor.send({ type: 'OPENED' });
      this.record?.append('event', { link: 'reconnected' }, 'ok', { port: this.portPath });
      await this.refreshStatus().catch(() => undefined);
      await this.reconcileIntents();
    } catch (err) {
      this.retireLink();
      if (this.state === 'retrying') {
        this.record?.append('event', { link: 'reconnect' }, 'error', toOperationError(err));
        this.scheduleReconnect();
      }
    }
  }

  private async teardownLink(closeSession: boolean): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopKeepalive();
    if (closeSession && this.link && this.state === 'connected') {
      await this.link.closeSession().catch(() => undefined);
    }
    this.retireLink();
    this.statsCarried = emptyLinkStats();
    this.portPath = null;
    this.embeddedTarget = false;
    this.pumpSerial = null;
    this.protocolVersion = null;
    this.clock = null;
    this.patientId = null;
    this.clinician = null;
    this.proposal = null;
    this.unverified = null;
    this.lastCommitted = null;
  }

  /**
   * Commit intents recorded for this pump without an outcome (the programmer died, or the link was lost,
   * between sending a COMMIT and recording its answer): read the program back, decide whether the change
   * was applied, and record that in the intent's own record file (and, for an earlier session's, as an
   * event in this one). Applied: the program version moved on by exactly one and the program is the one
   * intended; not applied: the version did not move; otherwise undetermined (the pump changed since), with
   * the differences listed. Never throws: a failure is recorded as an event.
   */
  private async reconcileIntents(): Promise<void> {
    const serial = this.pumpSerial;
    if (!serial || this.state !== 'connected') return;
    try {
      const open = SessionRecord.unresolvedIntents(join(this.opts.dataDir, 'sessions')).filter(
        (x) => (x.intent.detail as { pumpSerial?: unknown } | null)?.pumpSerial === serial,
      );
      if (open.length === 0) return;
      const program = await this.withLink((l) => l.readProgram());
      this.lastProgram = program;
      for (const { file, intent } of open) {
        const d = intent.detail as { versionBefore: number; expected: ReturnType<typeof expectedProgram> };
        const cmp = compareProgram(d.expected, program, d.versionBefore);
        const outcome =
          program.programVersion === d.versionBefore
            ? 'notApplied'
            : program.programVersion === d.versionBefore + 1 && cmp.matches
              ? 'applied'
              : 'undetermined';
        const detail = {
          reconciled: true,
          outcome,
          committed: outcome === 'applied',
          message:
            outcome === 'applied'
              ? 'The pump applied this change; its outcome had not been recorded. Read back and verified now.'
              : outcome === 'notApplied'
                ? 'The pump did not apply this change (its program version did not move).'
                : 'Whether the pump applied this change cannot be told: its program changed since. Check it.',
          intentAt: intent.at,
          programVersion: program.programVersion,
          mismatches: cmp.mismatches,
        };
        const result = outcome === 'applied' ? 'ok' : outcome === 'notApplied' ? 'error' : 'warning';
        if (this.record && file === this.record.path) {
          this.record.append('commitChange', intent.request, result, detail);
        } else {
          SessionRecord.appendTo(file, {
            at: new Date().toISOString(),
            operation: 'commitChange',
            request: intent.request,
            result,
            detail,
          });
          this.record?.append('event', { reconciled: intent.request }, result, { ...detail, file });
        }
      }
    } catch (err) {
      this.record?.append('event', { reconcile: 'failed' }, 'error', toOperationError(err));
    }
  }

  private closeRecord(): void {
    if (this.record) {
      this.record.close();
      this.lastRecord = this.record;
      this.record = null;
    }
  }

  private async unsafeEndWarning(): Promise<EndSessionResult['warning'] | undefined> {
    // A proposal that can no longer be sent (hard stop, stale after a reconnect) leaves nothing half-done.
    if (this.proposal?.proposal.committable) {
      return {
        code: 'UPDATE_IN_PROGRESS',
        message:
          'A programming change has been reviewed but not sent. Ending now leaves the pump on its old program.',
      };
    }
    if (this.unverified) {
      return {
        code: 'UNVERIFIED_UPDATE',
        message:
          'The last update has not been verified by reading it back. Verify before ending: the pump may be stopped or hold a different program.',
      };
    }
    // Ask the pump itself when we can; otherwise judge on the last values we have.
    let status = this.lastStatus;
    let program = this.lastProgram;
    if (this.state === 'connected') {
      status = await this.refreshStatus().catch(() => status);
      program = await this.withLink((l) => l.readProgram()).catch(() => program);
      if (program) this.lastProgram = program;
    }
    if (status?.mode === 'stopped' || program?.therapy.mode === 'stopped') {
      return {
        code: 'PUMP_STOPPED',
        message:
          'The pump is STOPPED: no drug is being delivered. Abrupt baclofen withdrawal can be life-threatening. Resume or program therapy before ending.',
      };
    }
    if (!status) return undefined;
    if (status.battery === 'endOfService') {
      return {
        code: 'END_OF_SERVICE',
        message:
          'The pump has reached END OF SERVICE: it delivers no drug. The patient needs pump replacement and cover against withdrawal now.',
      };
    }
    if (status.deliverySuspended) {
      return {
        code: 'DELIVERY_SUSPENDED',
        message: `Delivery is SUSPENDED by a pump fault (${status.alarms.map((a) => ALARM_TEXT[a.code].title).join(', ') || 'fault'}): no drug is being delivered.`,
      };
    }
    if (status.battery === 'eri') {
      return {
        code: 'BATTERY_ERI',
        message: `The battery is at its elective replacement indicator: the pump must be replaced by ${status.replaceByTime === null ? 'the replace-by date' : fmtPumpTime(status.replaceByTime)}, or therapy stops at end of service. Make sure replacement is scheduled.`,
      };
    }
    const overdue = status.alarms.some((a) => a.code === 'LOW_RESERVOIR' || a.code === 'EMPTY_RESERVOIR');
    if (overdue) {
      return {
        code: 'REFILL_OVERDUE',
        message: `The reservoir is at or below its low-reservoir alarm (${formatReservoirVolume(status.reservoirVolumeUl)} calculated): the refill is overdue. Refill before the patient leaves or book it before the empty date.`,
      };
    }
    return undefined;
  }

  private connectionInfo(): ConnectionInfo {
    return {
      state: this.state,
      portPath: this.portPath,
      embedded: this.embeddedTarget,
      pumpSerial: this.pumpSerial,
      protocolVersion: this.protocolVersion,
      stats: this.link ? addStats(this.statsCarried, this.link.stats()) : { ...this.statsCarried },
      lastContactAt: this.lastContactAt,
      clock: this.clock,
      patientId: this.patientId,
      clinician: this.clinician,
    };
  }

  private emitLink(): void {
    this.emit({ type: 'link', connection: this.connectionInfo() });
  }

  private emit(event: ProgrammerEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A faulty subscriber must not break the service or the other subscribers.
      }
    }
  }
}

export const BENCH_STATEMENT = 'Training bench, not a medical device.';

function addStats(a: LinkStats, b: LinkStats): LinkStats {
  return {
    framesSent: a.framesSent + b.framesSent,
    framesReceived: a.framesReceived + b.framesReceived,
    retries: a.retries + b.retries,
    crcErrors: a.crcErrors + b.crcErrors,
    fecCorrected: a.fecCorrected + b.fecCorrected,
    timeouts: a.timeouts + b.timeouts,
    naks: a.naks + b.naks,
    authFailures: a.authFailures + b.authFailures,
  };
}

function toOperationError(err: unknown): OperationError {
  if (err instanceof OpError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  if (isLinkTimeout(err)) return { code: 'LINK_LOST', message: 'The pump did not answer.' };
  // A value the clinical arithmetic cannot work with (e.g. flex steps empty or out of order) is the
  // request's fault, not the programmer's: say which field, as for any bad request.
  if (err instanceof Error && err.name === 'ClinicalInputError') {
    const field = (err as Error & { field?: unknown }).field;
    return {
      code: 'BAD_REQUEST',
      message: `The change cannot be reviewed: ${err.message}`,
      ...(typeof field === 'string' ? { details: { field } } : {}),
    };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
