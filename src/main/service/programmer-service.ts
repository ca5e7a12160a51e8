/**
 * The programmer service: everything the clinician screens can do, as the `ProgrammerApi` contract, over the
 * wire protocol to a pump on a serial port. No Electron here: the Electron main process and the browser host
 * both run this same class. It validates each request, dispatches it to the part that does the work and
 * records it (docs/architecture.md, "The programmer service in parts"): embedded-host.ts (the embedded
 * pump's lifecycle), pump-connection.ts (port, session, keepalive, reconnect; the link supervisor machine),
 * programming-transaction.ts (propose, commit, verify), pump-operations.ts (the pump's other commands),
 * session-log.ts (the session record and what the session knows), bedside-operations.ts (bedside,
 * screening, implant, training cases).
 *
 * Safety behaviour: a lost link marks the connection 'lost', then reconnects in the background
 * ('retrying') keeping the same session record; ending a session that leaves the pump stopped or mid-update
 * returns a warning unless forced with a reason; a proposal with a hard stop cannot be committed; warnings
 * need an override reason, which is recorded.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { AlarmCode, LogPage, PumpStatus } from '../../device/types';
import type { SinceLastVisit } from '../../shared/clinical/since-last-visit';
import {
  requestSchemas,
  type CommitResult,
  type ConnectionInfo,
  type EndSessionResult,
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
import type { BedsideAction, BedsideExam, SyringeReading } from '../../shared/bedside';
import type { ClinicalHistory } from '../../shared/clinical/history';
import { assessCandidacy, type CandidacyDecision } from '../../shared/clinical/candidacy';
import type { ImplantResult, ScreeningView } from '../../shared/screening-view';
import type { Debrief, TrainingCaseStatus, TrainingCaseSummary } from '../../shared/training-case';
import { isReasonInWords } from '../../shared/clinical/format';
import { BedsideOperations } from './bedside-operations';
import { EmbeddedHost } from './embedded-host';
import type { EmbeddedPump, EmbeddedPumpOptions, SimReadyLine } from './embedded-pump';
import { pumpStateWarning } from './end-session-check';
import { OpError, toOperationError } from './op-error';
import { PumpConnection, type ConnectionOptions } from './pump-connection';
import { ProgrammingTransaction } from './programming-transaction';
import { PumpOperations } from './pump-operations';
import { listSerialPorts, type ListedPort } from './serial-transport';
import { Listeners } from './listeners';
import { SessionLog } from './session-log';

export { BENCH_STATEMENT } from './session-log';

export interface ProgrammerServiceOptions extends ConnectionOptions {
  /** Where session records go (`<dataDir>/sessions/`) and, by default, the embedded pump's state. */
  dataDir: string;
  /** Start an embedded virtual pump; null for none (e.g. `--no-embedded`). */
  embedded?: Partial<EmbeddedPumpOptions> | null;
  listPorts?: () => Promise<ListedPort[]>;
}

export class ProgrammerService implements ProgrammerApi {
  private readonly opts: ProgrammerServiceOptions;
  private readonly listeners = new Listeners<ProgrammerEvent>();
  private readonly host: EmbeddedHost;
  private readonly link: PumpConnection;
  private readonly log: SessionLog;
  private readonly transaction: ProgrammingTransaction;
  private readonly pump: PumpOperations;
  private readonly bedside: BedsideOperations;
  private disposed = false;

  constructor(options: ProgrammerServiceOptions) {
    this.opts = options;
    this.host = new EmbeddedHost(options.dataDir, options.embedded);
    this.log = new SessionLog(options.dataDir);
    this.link = new PumpConnection(options, {
      changed: () => this.listeners.emit({ type: 'link', connection: this.link.info() }),
      frame: (frame) => this.listeners.emit({ type: 'frame', frame }),
      alarm: (alarm) => {
        this.log.append('event', { alarm: alarm.code }, 'ok', alarm);
        void this.onAlarm(alarm.code, alarm.raised);
      },
      note: (request, result, detail) => this.log.append('event', request, result, detail),
      sessionReplaced: () => this.transaction.voidToken(),
      reconnected: async () => {
        await this.pump.refreshStatus().catch(() => undefined);
        await this.transaction.reconcileIntents();
      },
    });
    this.pump = new PumpOperations(this.link, this.log);
    this.transaction = new ProgrammingTransaction({
      withLink: (fn) => this.link.withLink(fn),
      refreshStatus: () => this.pump.refreshStatus(),
      readHistory: (status) => this.pump.readHistory(status),
      programRead: (program) => (this.log.lastProgram = program),
      record: () => this.log.record,
      pumpSerial: () => this.link.serial,
      connected: () => this.link.state === 'connected',
      sessionsDir: this.log.sessionsDir,
    });
    this.bedside = new BedsideOperations({
      bedside: () => this.host.bedside(),
      restart: (args) => this.host.restart(args),
      sessionOpen: () => this.link.state !== 'disconnected' || this.log.record !== null,
      recordEntries: () => this.log.entries(),
    });
  }

  // ------------------------------------------------------------ lifecycle

  /** Start the embedded pump (unless disabled). Resolves with its ready line, or null. */
  start(): Promise<SimReadyLine | null> {
    return this.host.start();
  }

  /** The embedded pump's ready line (its port, bench URL and token file), if it runs. */
  get embedded(): SimReadyLine | null {
    return this.host.ready;
  }

  /** For tests: the embedded pump process (to kill it and simulate a vanished pump). */
  get embeddedProcess(): EmbeddedPump | null {
    return this.host.process;
  }

  /** Path of the current (or last) session record file. */
  get recordPath(): string | null {
    return this.log.latest?.path ?? null;
  }

  onEvent(listener: (e: ProgrammerEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Close the session (without the unsafe-end check: the app is quitting) and stop the embedded pump. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.link.shutDown();
    this.log.append('endSession', {}, 'ok', { onExit: true, state: this.link.state });
    await this.teardown(true);
    this.log.close();
    this.link.end();
    await this.host.stop();
    this.listeners.clear();
  }

  // ------------------------------------------------------------ the contract

  listPorts(req: RequestOf<'listPorts'>): Promise<Result<PortInfo[]>> {
    return this.run('listPorts', req, false, () => this.host.ports(this.opts.listPorts ?? listSerialPorts));
  }
  connect(req: RequestOf<'connect'>): Promise<Result<ConnectionInfo>> {
    return this.run('connect', req, true, async (r) => {
      if (!(await this.link.open(r, this.embedded?.port ?? null))) return this.link.info();
      this.log.open(this.link.serial);
      this.link.opened();
      // Best effort: the session starts with the pump's full status on record.
      const status = await this.pump.refreshStatus().catch(() => null);
      if (status) await this.link.syncClock(status.pumpTime);
      await this.transaction.reconcileIntents();
      return this.link.info();
    });
  }

  interrogate(req: RequestOf<'interrogate'>): Promise<Result<PumpStatus>> {
    return this.run('interrogate', req, true, () => this.pump.interrogate());
  }
  readProgram(req: RequestOf<'readProgram'>): Promise<Result<PumpProgram>> {
    return this.run('readProgram', req, true, () => this.pump.readProgram());
  }
  readLog(req: RequestOf<'readLog'>): Promise<Result<LogPage>> {
    return this.run('readLog', req, true, (r) => this.pump.readLog(r.offset, r.count));
  }
  clinicalContext(req: RequestOf<'clinicalContext'>): Promise<Result<ClinicalHistory>> {
    // Not recorded: a read the edit screens make to evaluate with the review's inputs.
    return this.run('clinicalContext', req, false, () => this.pump.clinicalContext());
  }
  proposeChange(req: RequestOf<'proposeChange'>): Promise<Result<Proposal>> {
    return this.run('proposeChange', req, true, (r) => this.transaction.propose(r));
  }
  commitChange(req: RequestOf<'commitChange'>): Promise<Result<CommitResult>> {
    return this.run(
      'commitChange',
      req,
      true,
      (r) => this.transaction.commit(r),
      (r) => r.overrideReason,
    );
  }
  verify(req: RequestOf<'verify'>): Promise<Result<VerifyResult>> {
    return this.run('verify', req, true, () => this.transaction.verify());
  }
  stopPump(req: RequestOf<'stopPump'>): Promise<Result<PumpStatus>> {
    return this.run('stopPump', req, true, () => this.pump.stop());
  }
  resumePump(req: RequestOf<'resumePump'>): Promise<Result<PumpStatus>> {
    return this.run('resumePump', req, true, () => this.pump.resume());
  }
  silenceAlarms(req: RequestOf<'silenceAlarms'>): Promise<Result<PumpStatus>> {
    return this.run('silenceAlarms', req, true, (r) => this.pump.silenceAlarms(r));
  }
  alarmTest(req: RequestOf<'alarmTest'>): Promise<Result<PumpStatus>> {
    return this.run('alarmTest', req, true, () => this.pump.alarmTest());
  }
  endSession(req: RequestOf<'endSession'>): Promise<Result<EndSessionResult>> {
    return this.run(
      'endSession',
      req,
      true,
      async (r) => {
        if (this.link.state === 'disconnected') throw new OpError('NOT_CONNECTED', 'No session is open.');
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
        await this.teardown(true);
        this.link.end();
        return { ended: true, ...(warning ? { warning } : {}) } satisfies EndSessionResult;
      },
      (r) => r.reason,
      (result) => (result.ended ? 'ok' : 'warning'),
      (result) => {
        if (result.ended) this.log.close();
      },
    );
  }

  sessionRecord(req: RequestOf<'sessionRecord'>): Promise<Result<SessionRecordEntry[]>> {
    return this.run('sessionRecord', req, false, async () => this.log.entries());
  }
  exportRecord(req: RequestOf<'exportRecord'>): Promise<Result<string>> {
    return this.run('exportRecord', req, false, async (r) => this.log.export(r.format));
  }
  assessCandidacy(req: RequestOf<'assessCandidacy'>): Promise<Result<CandidacyDecision>> {
    // Pure and pump-free: the case form's answer, with every reason and its source.
    return this.run('assessCandidacy', req, false, async (c) => assessCandidacy(c));
  }
  connectionState(req: RequestOf<'connectionState'>): Promise<Result<ConnectionInfo>> {
    return this.run('connectionState', req, false, async () => this.link.info());
  }
  sinceLastVisit(req: RequestOf<'sinceLastVisit'>): Promise<Result<SinceLastVisit>> {
    return this.run('sinceLastVisit', req, false, () => this.pump.sinceLastVisit());
  }

  // ------------------------------------------------------------ the embedded pump's host (bedside-operations.ts)

  screening(req: RequestOf<'screening'>): Promise<Result<ScreeningView>> {
    return this.run('screening', req, false, (r) => this.bedside.screening(r));
  }
  implantNewPump(req: RequestOf<'implantNewPump'>): Promise<Result<ImplantResult>> {
    return this.run('implantNewPump', req, false, () => this.bedside.implantNewPump());
  }
  trainingCases(req: RequestOf<'trainingCases'>): Promise<Result<TrainingCaseSummary[]>> {
    return this.run('trainingCases', req, false, () => this.bedside.trainingCases());
  }
  trainingCase(req: RequestOf<'trainingCase'>): Promise<Result<TrainingCaseStatus>> {
    return this.run('trainingCase', req, false, () => this.bedside.trainingCase());
  }
  startTrainingCase(req: RequestOf<'startTrainingCase'>): Promise<Result<TrainingCaseStatus>> {
    return this.run('startTrainingCase', req, false, (r) => this.bedside.startTrainingCase(r.id));
  }
  finishTrainingCase(req: RequestOf<'finishTrainingCase'>): Promise<Result<Debrief>> {
    return this.run('finishTrainingCase', req, false, () => this.bedside.finishTrainingCase());
  }
  exportDebrief(req: RequestOf<'exportDebrief'>): Promise<Result<string>> {
    return this.run('exportDebrief', req, false, (r) => this.bedside.exportDebrief(r.format));
  }
  bedsideExamine(req: RequestOf<'bedsideExamine'>): Promise<Result<BedsideExam>> {
    return this.run('bedsideExamine', req, true, () => this.bedside.examine());
  }
  bedsideRefillSyringe(req: RequestOf<'bedsideRefillSyringe'>): Promise<Result<SyringeReading>> {
    return this.run('bedsideRefillSyringe', req, true, () => this.bedside.refillSyringe());
  }
  bedsideOrder(req: RequestOf<'bedsideOrder'>): Promise<Result<BedsideAction>> {
    return this.run('bedsideOrder', req, true, (r) => this.bedside.order(r.order));
  }
  bedsideActions(req: RequestOf<'bedsideActions'>): Promise<Result<BedsideAction[]>> {
    return this.run('bedsideActions', req, false, () => this.bedside.actions());
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
      if (recordIt) this.log.append(op, req, resultKind?.(value) ?? 'ok', value, reason);
      after?.(value);
      return { ok: true, value };
    } catch (err) {
      const error = toOperationError(err);
      if (recordIt) this.log.append(op, req, 'error', error, reason);
      return { ok: false, error };
    }
  }

  private async onAlarm(code: AlarmCode, raised: boolean): Promise<void> {
    let status: PumpStatus | null = null;
    if (this.link.state === 'connected') status = await this.pump.refreshStatus().catch(() => null);
    this.listeners.emit({ type: 'alarm', code, raised, status });
  }

  /** The session's connection and transaction both end. */
  private async teardown(closeSession: boolean): Promise<void> {
    await this.link.teardown(closeSession);
    this.transaction.clear();
  }

  private async unsafeEndWarning(): Promise<EndSessionResult['warning'] | undefined> {
    const pending = this.transaction.pendingWarning();
    if (pending) return pending;
    const { status, program } = await this.pump.endOfSessionState();
    return pumpStateWarning(status, program);
  }
}
