/**
 * The connection to one pump: the serial transport and the protocol link on it, the pump session, the
 * keepalive that notices a silent link, the background reconnect after a loss, the link statistics carried
 * across reconnects, and the pump's local-time rule. Its state (disconnected, connecting, connected, lost,
 * retrying) is the link supervisor's (link-supervisor.ts); this class does the work and tells the machine
 * what happened. What a loss or a reconnect means for the session (the record, a prepared proposal) is the
 * service's: it comes back through `ConnectionHooks`.
 */
import {
  emptyLinkStats,
  type ConnectionInfo,
  type DecodedFrame,
  type LinkState,
  type LinkStats,
  type RequestOf,
  type SessionRecordEntry,
} from '../../shared/contract';
import { addLinkStats } from '../../shared/link-stats';
import { PumpClock, type ClockExchange } from './pump-clock';
import { createLinkSupervisor } from './link-supervisor';
import { OpError, refusalError, toOperationError } from './op-error';
import {
  isLinkTimeout,
  isPumpRefusal,
  type AlarmNotice,
  type PumpLink,
  type PumpLinkFactory,
} from './pump-link';
import {
  openSerialTransport,
  validatePortPath,
  type Transport,
  type TransportOpener,
} from './serial-transport';

export interface ConnectionOptions {
  /** The protocol client factory (protocol-adapter.ts `createProtocolLink` in production). */
  linkFactory: PumpLinkFactory;
  openTransport?: TransportOpener;
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

/** What the connection tells the service. */
export interface ConnectionHooks {
  /** The connection changed (state, last contact, statistics, clock): the screens hear of it. */
  changed(): void;
  /** A frame for the protocol monitor. */
  frame(frame: DecodedFrame): void;
  /** The pump raised or cleared an alarm on the current link. */
  alarm(alarm: AlarmNotice): void;
  /** An event for the session record (a lost link, a failed reconnect, the clock). */
  note(request: unknown, result: SessionRecordEntry['result'], detail: unknown): void;
  /** A reconnect is about to be reported: what was prepared in the old pump session is void. */
  sessionReplaced(): void;
  /** A reconnect is done and recorded: refresh what the session knows. Must not throw. */
  reconnected(): Promise<void>;
}

export class PumpConnection {
  /** The connection's state (disconnected, connecting, connected, lost, retrying): link-supervisor.ts. */
  private readonly supervisor = createLinkSupervisor(() => this.hooks.changed());
  get state(): LinkState {
    return this.supervisor.state;
  }
  private portPath: string | null = null;
  private embeddedTarget = false;
  private transport: Transport | null = null;
  private link: PumpLink | null = null;
  private pumpSerial: string | null = null;
  private readonly clock = new PumpClock();
  private timeZone: string | null = null;
  private patientId: string | null = null;
  private clinician: string | null = null;
  private protocolVersion: number | null = null;
  private lastContactAt: number | null = null;
  /** Stats of links replaced by reconnects, so the counters keep growing across a session. */
  private statsCarried: LinkStats = emptyLinkStats();

  private keepaliveTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private linkGeneration = 0;
  private disposed = false;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** The serial of the pump in session (kept across a loss), or null. */
  get serial(): string | null {
    return this.pumpSerial;
  }

  /**
   * Open the port and a pump session, leaving the state 'connecting' for the caller to report `opened()`
   * once the session record exists. False when already connected to the same port (nothing done).
   */
  async open(r: RequestOf<'connect'>, embeddedPort: string | null): Promise<boolean> {
    let path: string;
    if (r.target.kind === 'embedded') {
      if (!embeddedPort) throw new OpError('PORT_ERROR', 'The embedded virtual pump is not running.');
      path = embeddedPort;
    } else {
      const problem = validatePortPath(r.target.path);
      if (problem) throw new OpError('BAD_REQUEST', problem);
      path = r.target.path;
    }
    if (this.state !== 'disconnected') {
      if (this.portPath === path && this.state === 'connected') return false;
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
    this.clock.reset();
    this.supervisor.send({ type: 'CONNECT' });
    try {
      await this.establishLink(path);
    } catch (err) {
      await this.teardown(false);
      this.portPath = null;
      this.supervisor.send({ type: 'OPEN_FAILED' });
      throw err;
    }
    return true;
  }

  /** The session is up and on record: connected. */
  opened(): void {
    this.supervisor.send({ type: 'OPENED' });
  }

  /** The session ended (by the clinician, or the service shut down). */
  end(): void {
    this.supervisor.send({ type: 'END' });
  }

  /** No more reconnects: the service is shutting down. */
  shutDown(): void {
    this.disposed = true;
  }

  /** Sets the pump's local-time rule from the clinic's zone when it differs (pump-clock.ts). */
  async syncClock(pumpTime: number): Promise<void> {
    const exchange: ClockExchange = (fn) => this.withLink(fn);
    const note = this.hooks.note.bind(this.hooks);
    await this.clock.sync(this.timeZone ?? 'UTC', pumpTime, exchange, () => this.state, note);
    this.hooks.changed();
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
  async withLink<T>(fn: (link: PumpLink) => Promise<T>): Promise<T> {
    const link = this.requireLink();
    const generation = this.linkGeneration;
    try {
      const value = await fn(link);
      this.lastContactAt = Date.now();
      this.hooks.changed();
      return value;
    } catch (err) {
      if (isLinkTimeout(err) && generation === this.linkGeneration) {
        this.markLost('command timed out');
        throw new OpError('LINK_LOST', 'The pump did not answer: the link is lost. Reconnecting.');
      }
      throw refusalError(err);
    }
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
      this.hooks.alarm(alarm);
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
      this.hooks.frame(decoded);
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

  private startKeepalive(generation: number): void {
    this.stopKeepalive();
    const period = this.opts.keepaliveMs ?? 2000;
    const tick = async () => {
      if (generation !== this.linkGeneration || this.state !== 'connected' || !this.link) return;
      try {
        await this.link.keepalive();
        this.lastContactAt = Date.now();
        this.hooks.changed();
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
    this.hooks.note({ link: 'lost' }, 'error', { reason: why });
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
      this.statsCarried = addLinkStats(this.statsCarried, s);
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
      this.hooks.sessionReplaced();
      this.supervisor.send({ type: 'OPENED' });
      this.hooks.note({ link: 'reconnected' }, 'ok', { port: this.portPath });
      await this.hooks.reconnected();
    } catch (err) {
      this.retireLink();
      if (this.state === 'retrying') {
        this.hooks.note({ link: 'reconnect' }, 'error', toOperationError(err));
        this.scheduleReconnect();
      }
    }
  }

  /** Close the pump session (when asked and still connected) and forget the connection entirely. */
  async teardown(closeSession: boolean): Promise<void> {
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
    this.clock.reset();
    this.patientId = null;
    this.clinician = null;
  }

  info(): ConnectionInfo {
    return {
      state: this.state,
      portPath: this.portPath,
      embedded: this.embeddedTarget,
      pumpSerial: this.pumpSerial,
      protocolVersion: this.protocolVersion,
      stats: this.link ? addLinkStats(this.statsCarried, this.link.stats()) : { ...this.statsCarried },
      lastContactAt: this.lastContactAt,
      clock: this.clock.info,
      patientId: this.patientId,
      clinician: this.clinician,
    };
  }
}
