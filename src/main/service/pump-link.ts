/**
 * What the programmer service needs from the wire-protocol client (src/protocol/session/client.ts `PumpClient`),
 * stated as an interface so the service owns its expectations and the adapter in protocol-adapter.ts is
 * the one place that knows the client's exact names.
 */
import type { ClockSetResult, PumpProgram } from '../../device/pump-api';
import type { ClockRule } from '../../shared/device-facts/local-clock';
import type {
  AlarmCode,
  LogPage,
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  PumpStatus,
  PumpInstant,
} from '../../device/types';
import type { LinkStats } from '../../shared/contract';

/** A byte duplex: the serial port as the protocol client sees it. */
export interface ByteDuplex {
  write(bytes: Uint8Array): void;
  onData(cb: (chunk: Uint8Array) => void): void;
}

export interface SessionInfo {
  serial: string;
  protocolVersion: number;
}

export type PrepareOutcome =
  { ok: true; token: number; consequences: ProgramConsequences } | { ok: false; errors: ProgramError[] };

export type CommitOutcome =
  { ok: true; programVersion: number | null } | { ok: false; errors: ProgramError[] };

export interface AlarmNotice {
  code: AlarmCode;
  raised: boolean;
  time: PumpInstant;
}

export interface FrameNotice {
  direction: 'tx' | 'rx';
  bytes: Uint8Array;
  summary: string;
  ok: boolean;
}

export interface PumpLink {
  openSession(): Promise<SessionInfo>;
  closeSession(): Promise<void>;
  interrogate(): Promise<PumpStatus>;
  readProgram(): Promise<PumpProgram>;
  readLog(offset: number, count: number): Promise<LogPage>;
  prepare(change: ProgramChange): Promise<PrepareOutcome>;
  commit(token: number): Promise<CommitOutcome>;
  stop(): Promise<void>;
  resume(): Promise<void>;
  silenceAlarm(until: PumpInstant, code?: AlarmCode): Promise<void>;
  alarmTest(): Promise<void>;
  /** CLOCK_SET: the patient's local-time rule; whether it changed and the rule it replaced. */
  setClock(rule: ClockRule): Promise<ClockSetResult>;
  keepalive(): Promise<void>;
  onAlarm(cb: (alarm: AlarmNotice) => void): void;
  onFrame(cb: (frame: FrameNotice) => void): void;
  stats(): LinkStats;
  /** Stop timers and pending retries; the link is not used again. */
  dispose(): void;
}

export interface PumpLinkOptions {
  key?: Uint8Array;
  programmerId: string;
  timeoutMs?: number;
  retries?: number;
}

export type PumpLinkFactory = (duplex: ByteDuplex, options: PumpLinkOptions) => PumpLink;

/** The link timed out (retry limit exhausted): the service treats it as a lost link. */
export function isLinkTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'LinkTimeoutError';
}

/** The pump refused a command with a reason code (NAK): the link is fine, the command was not applied. */
export function isPumpRefusal(err: unknown): err is Error & { reason?: unknown; code?: unknown } {
  return err instanceof Error && err.name === 'ProtocolError' && !isLocalRefusal(err);
}

/**
 * The programmer refused before sending (a value the wire cannot carry, a token it never prepared): the
 * pump never saw the command.
 */
export function isLocalRefusal(err: unknown): err is Error & { reason?: unknown } {
  return err instanceof Error && err.name === 'ProtocolError' && (err as { local?: unknown }).local === true;
}
