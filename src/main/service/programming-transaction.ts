/**
 * The programming transaction (docs/architecture.md, "Programming is a transaction"): propose (the pump
 * prepares the change and answers its consequences and a token; the clinical rules review it), commit
 * (written ahead in the session record, then sent), verify (read back and compared field by field). Only
 * the latest proposal is live, as the pump keeps only the latest prepare token; a reconnect voids it. A
 * commit whose outcome was never recorded (the programmer died, the link was lost) is reconciled against
 * the pump's read-back at the next connection to that pump.
 */
import { randomUUID } from 'node:crypto';
import type { PumpProgram } from '../../device/pump-api';
import type { ProgramChange, PumpStatus } from '../../device/types';
import type {
  CommitResult,
  EndSessionResult,
  Proposal,
  RequestOf,
  VerifyResult,
} from '../../shared/contract';
import type { ClinicalHistory } from '../../shared/clinical/history';
import { evaluateProposal, type ProposalContext } from './clinical-findings';
import { OpError, toOperationError } from './op-error';
import type { PumpLink } from './pump-link';
import { buildReviewRows, compareProgram, expectedProgram } from './review';
import { SessionRecord } from './session-record';

export interface TransactionDeps {
  /** One exchange with the pump (pump-connection.ts `withLink`: refusals and a lost link as OpErrors). */
  withLink<T>(fn: (link: PumpLink) => Promise<T>): Promise<T>;
  /** Interrogate the pump (and remember its status). */
  refreshStatus(): Promise<PumpStatus>;
  /** The pump's dosing history from its log, for the clinical rules (dose-history.ts). */
  readHistory(status: PumpStatus): Promise<ClinicalHistory>;
  /** A program was read back: the session remembers it (summary, end-of-session check). */
  programRead(program: PumpProgram): void;
  /** The open session record, if any. */
  record(): SessionRecord | null;
  pumpSerial(): string | null;
  connected(): boolean;
  /** Where every session record is (the intents of earlier sessions are found there). */
  sessionsDir: string;
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

export class ProgrammingTransaction {
  private proposal: StoredProposal | null = null;
  private unverified: UnverifiedUpdate | null = null;
  private lastCommitted: UnverifiedUpdate | null = null;

  constructor(private readonly deps: TransactionDeps) {}

  /** Prepare the change on the pump and review it; it becomes the one live proposal (if the pump took it). */
  async propose(r: RequestOf<'proposeChange'>): Promise<Proposal> {
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
  }

  /** Commit the live proposal (refused without one, with a hard stop, or warnings without a reason). */
  async commit(r: RequestOf<'commitChange'>): Promise<CommitResult> {
    const stored = this.proposal;
    if (!stored || stored.proposal.proposalId !== r.proposalId) {
      throw new OpError('UNKNOWN_PROPOSAL', 'No such proposal: propose the change again and review it.');
    }
    const { proposal } = stored;
    if (proposal.findings.some((f) => f.severity === 'hardStop') || !proposal.committable || !stored.token) {
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
  }

  /** Read back and compare against the last change committed this session (or take the program as it is). */
  async verify(): Promise<VerifyResult> {
    const target = this.unverified ?? this.lastCommitted;
    if (target) return this.verifyAgainst(target);
    const program = await this.withLink((l) => l.readProgram());
    this.lastProgram = program;
    // Nothing was changed in this session: the program read back is by definition what is expected.
    return { matches: true, mismatches: [], program };
  }

  /** Why ending the session now would leave a change half-done, if it would. */
  pendingWarning(): EndSessionResult['warning'] | undefined {
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
    return undefined;
  }

  /** A reconnect: a token prepared before the loss belongs to the old pump session and cannot be committed. */
  voidToken(): void {
    if (this.proposal) {
      this.proposal.token = null;
      this.proposal.proposal.committable = false;
    }
  }

  /** The session ended: nothing of this transaction carries over. */
  clear(): void {
    this.proposal = null;
    this.unverified = null;
    this.lastCommitted = null;
  }

  private async verifyAgainst(target: UnverifiedUpdate): Promise<VerifyResult> {
    const program = await this.withLink((l) => l.readProgram());
    this.lastProgram = program;
    const result = compareProgram(target.expected, program, target.versionBefore);
    if (result.matches && this.unverified === target) this.unverified = null;
    return result;
  }

  /**
   * Commit intents recorded for this pump without an outcome (the programmer died, or the link was lost,
   * between sending a COMMIT and recording its answer): read the program back, decide whether the change
   * was applied, and record that in the intent's own record file (and, for an earlier session's, as an
   * event in this one). Applied: the program version moved on by exactly one and the program is the one
   * intended; not applied: the version did not move; otherwise undetermined (the pump changed since), with
   * the differences listed. Never throws: a failure is recorded as an event.
   */
  async reconcileIntents(): Promise<void> {
    const serial = this.pumpSerial;
    if (!serial || !this.deps.connected()) return;
    try {
      const open = SessionRecord.unresolvedIntents(this.deps.sessionsDir).filter(
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

  // The service's names for what the moved code uses.
  private withLink<T>(fn: (link: PumpLink) => Promise<T>): Promise<T> {
    return this.deps.withLink(fn);
  }
  private refreshStatus(): Promise<PumpStatus> {
    return this.deps.refreshStatus();
  }
  private readHistory(status: PumpStatus): Promise<ClinicalHistory> {
    return this.deps.readHistory(status);
  }
  private set lastProgram(program: PumpProgram) {
    this.deps.programRead(program);
  }
  private get record(): SessionRecord | null {
    return this.deps.record();
  }
  private get pumpSerial(): string | null {
    return this.deps.pumpSerial();
  }
}
