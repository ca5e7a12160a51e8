/**
 * The pump's own commands and reads, outside the programming transaction: interrogate (with the clock
 * rule kept in step), read the program and the log, stop, resume, silence, the alarm test, the dosing
 * history for the guardrails (dose-history.ts) and what happened since the last visit. Thin: validation
 * the programmer can do itself, then one exchange over the connection; what is read is remembered in the
 * session log.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { AlarmCode, LogPage, PumpStatus } from '../../device/types';
import type { RequestOf } from '../../shared/contract';
import type { ClinicalHistory } from '../../shared/clinical/history';
import type { SinceLastVisit } from '../../shared/clinical/since-last-visit';
import { ALARM_CODES } from '../../protocol/messages/messages';
import { readClinicalHistory } from './dose-history';
import { OpError } from './op-error';
import type { PumpConnection } from './pump-connection';
import type { SessionLog } from './session-log';

export class PumpOperations {
  constructor(
    private readonly link: PumpConnection,
    private readonly log: SessionLog,
  ) {}

  async refreshStatus(): Promise<PumpStatus> {
    const status = await this.link.withLink((l) => l.interrogate());
    this.log.lastStatus = status;
    return status;
  }

  /** The pump's history from its log (newest pages first, far enough back for the rules). */
  async readHistory(status: PumpStatus): Promise<ClinicalHistory> {
    return readClinicalHistory(
      (offset, count) => this.link.withLink((l) => l.readLog(offset, count)),
      status,
    );
  }

  async interrogate(): Promise<PumpStatus> {
    const status = await this.refreshStatus();
    await this.link.syncClock(status.pumpTime);
    return status;
  }

  async readProgram(): Promise<PumpProgram> {
    const program = await this.link.withLink((l) => l.readProgram());
    this.log.lastProgram = program;
    return program;
  }

  readLog(offset: number, count: number): Promise<LogPage> {
    return this.link.withLink((l) => l.readLog(offset, count));
  }

  async clinicalContext(): Promise<ClinicalHistory> {
    return this.readHistory(await this.refreshStatus());
  }

  async stop(): Promise<PumpStatus> {
    await this.link.withLink((l) => l.stop());
    return this.refreshStatus();
  }

  async resume(): Promise<PumpStatus> {
    await this.link.withLink((l) => l.resume());
    return this.refreshStatus();
  }

  async silenceAlarms(r: RequestOf<'silenceAlarms'>): Promise<PumpStatus> {
    const code = r.code as AlarmCode | undefined;
    if (code !== undefined && !(ALARM_CODES as readonly string[]).includes(code)) {
      throw new OpError('BAD_REQUEST', `Unknown alarm code ${code}.`);
    }
    // Silence is until a pump time: take it from the pump's own clock, not the host's.
    const status = await this.refreshStatus();
    const until = status.pumpTime + r.minutes * 60;
    await this.link.withLink((l) => l.silenceAlarm(until, code));
    return this.refreshStatus();
  }

  async alarmTest(): Promise<PumpStatus> {
    await this.link.withLink((l) => l.alarmTest());
    return this.refreshStatus();
  }

  async sinceLastVisit(): Promise<SinceLastVisit> {
    const status = this.log.lastStatus ?? (await this.refreshStatus());
    const readLog = (offset: number, count: number) => this.readLog(offset, count);
    return this.log.sinceLastVisit(status, this.link.serial, readLog);
  }

  /** The status and program to judge an end of session on: the pump's own when connected, else the last. */
  async endOfSessionState(): Promise<{ status: PumpStatus | null; program: PumpProgram | null }> {
    // Ask the pump itself when we can; otherwise judge on the last values we have.
    let status = this.log.lastStatus;
    let program = this.log.lastProgram;
    if (this.link.state === 'connected') {
      status = await this.refreshStatus().catch(() => status);
      program = await this.link.withLink((l) => l.readProgram()).catch(() => program);
      if (program) this.log.lastProgram = program;
    }
    return { status, program };
  }
}
