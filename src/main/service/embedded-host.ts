/**
 * The embedded virtual pump's lifecycle, as the service sees it: started with the service, restarted with
 * extra arguments for a new pump or a training case (the same state file, so the new pump is the one the
 * next start finds), stopped on shutdown; and the bedside client for the pump that runs now.
 */
import { join } from 'node:path';
import { EmbeddedPump, type EmbeddedPumpOptions, type SimReadyLine } from './embedded-pump';
import { createBedsideClient, type BedsideClient } from './bedside-client';
import { OpError } from './op-error';
import type { ListedPort } from './serial-transport';
import type { PortInfo } from '../../shared/contract';

export class EmbeddedHost {
  private embeddedPump: EmbeddedPump | null = null;
  private bedsideClient: { key: string; client: BedsideClient } | null = null;

  /** `options` null: no embedded pump (e.g. `--no-embedded`). */
  constructor(
    private readonly dataDir: string,
    private readonly options: Partial<EmbeddedPumpOptions> | null | undefined,
  ) {}

  /** Start the embedded pump (unless disabled). Resolves with its ready line, or null. */
  async start(): Promise<SimReadyLine | null> {
    if (this.options === null) return null;
    const e = this.options ?? {};
    this.embeddedPump = new EmbeddedPump({
      stateFile: e.stateFile ?? join(this.dataDir, 'embedded-pump.json'),
      ...(e.extraArgs ? { extraArgs: e.extraArgs } : {}),
      ...(e.command ? { command: e.command } : {}),
      ...(e.startTimeoutMs ? { startTimeoutMs: e.startTimeoutMs } : {}),
      ...(e.onLog ? { onLog: e.onLog } : {}),
    });
    return this.embeddedPump.start();
  }

  /**
   * Stops the embedded pump and starts it again with these arguments added (a new pump, a training case):
   * the same state file, so the new pump is the one the next start finds. The caller refuses it while a
   * session is open.
   */
  async restart(args: string[]): Promise<SimReadyLine> {
    if (this.options === null || !this.embeddedPump)
      throw new OpError('BAD_REQUEST', 'This programmer runs no embedded virtual pump.');
    const e = this.options ?? {};
    await this.embeddedPump.stop();
    this.bedsideClient = null;
    this.embeddedPump = new EmbeddedPump({
      stateFile: e.stateFile ?? join(this.dataDir, 'embedded-pump.json'),
      extraArgs: [...(e.extraArgs ?? []), ...args],
      ...(e.command ? { command: e.command } : {}),
      ...(e.startTimeoutMs ? { startTimeoutMs: e.startTimeoutMs } : {}),
      ...(e.onLog ? { onLog: e.onLog } : {}),
    });
    return this.embeddedPump.start();
  }

  /** The embedded pump's ready line (its port, bench URL and token file), if it runs. */
  get ready(): SimReadyLine | null {
    return this.embeddedPump?.ready ?? null;
  }

  /** The embedded pump process (for tests: to kill it and simulate a vanished pump). */
  get process(): EmbeddedPump | null {
    return this.embeddedPump;
  }

  /** The bedside client of the pump that runs now; null when there is no bedside. */
  bedside(): BedsideClient | null {
    const emb = this.ready;
    if (!emb?.bedside || !emb.bedsideTokenFile) return null;
    const key = `${emb.bedside} ${emb.bedsideTokenFile}`;
    if (this.bedsideClient?.key !== key)
      this.bedsideClient = {
        key,
        client: createBedsideClient({ url: emb.bedside, tokenFile: emb.bedsideTokenFile }),
      };
    return this.bedsideClient.client;
  }

  /** The ports to offer: the embedded pump's first (named as such), then the machine's other serial ports. */
  async ports(listPorts: () => Promise<ListedPort[]>): Promise<PortInfo[]> {
    const listed = await listPorts().catch(() => [] as ListedPort[]);
    const ports: PortInfo[] = [];
    const emb = this.ready;
    if (emb)
      ports.push({ path: emb.port, manufacturer: `Embedded virtual pump ${emb.serial}`, embedded: true });
    for (const p of listed) {
      if (emb && p.path === emb.port) continue;
      ports.push({ ...p, embedded: false });
    }
    return ports;
  }

  async stop(): Promise<void> {
    await this.embeddedPump?.stop();
  }
}
