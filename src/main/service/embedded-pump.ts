/**
 * The embedded virtual pump: firmware-sim as a child process with its own virtual serial port. The
 * programmer connects to it like any serial pump; the ready line also tells where the bench API is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one JSON line firmware-sim prints when it is ready (`--json`). */
export interface SimReadyLine {
  event: 'ready';
  port: string;
  link: string | null;
  bench: string;
  tokenFile: string;
  /** The bedside API (docs/bedside-api.md) and the file holding its own token; null from an older sim. */
  bedside: string | null;
  bedsideTokenFile: string | null;
  serial: string;
  model: string;
  pid: number;
}

export interface SimCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface EmbeddedPumpOptions {
  /** Where the sim keeps the pump's memory (state file); persists across programmer restarts. */
  stateFile: string;
  /** Extra command-line arguments for the sim (e.g. ['--fast'] or ['--speed', '3600']). */
  extraArgs?: string[];
  /** How to run the sim; defaults to `defaultSimCommand()`. */
  command?: SimCommand;
  /** How long to wait for the ready line. */
  startTimeoutMs?: number;
  /** Sink for the sim's stderr (diagnostics). */
  onLog?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root when running from sources (src/main/service) or from the build (out/main). */
function findRepoRoot(): string | null {
  for (const candidate of [resolve(here, '../../..'), resolve(here, '../..'), process.cwd()]) {
    if (existsSync(join(candidate, 'firmware-sim', 'cli.ts'))) return candidate;
  }
  return null;
}

/**
 * How to start the sim:
 * - ITB_SIM_ENTRY=/path/to/firmware-sim.js: a prebuilt bundle (the packaged app's out/main/firmware-sim.js,
 *   run by the Electron binary itself with ELECTRON_RUN_AS_NODE=1, so no separate Node is needed);
 * - a bundle next to this file (out/main/firmware-sim.js after `electron-vite build`): same;
 * - otherwise the sources with tsx: `node --import tsx firmware-sim/cli.ts` (development, tests, web host).
 */
export function defaultSimCommand(): SimCommand {
  const bundled = process.env.ITB_SIM_ENTRY ?? join(here, 'firmware-sim.js');
  const runningInElectron = typeof process.versions.electron === 'string';
  if (existsSync(bundled) && (runningInElectron || process.env.ITB_SIM_ENTRY)) {
    return {
      command: process.execPath,
      args: [bundled],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    };
  }
  const root = findRepoRoot();
  if (!root) throw new Error('firmware-sim not found: set ITB_SIM_ENTRY to a built firmware-sim bundle');
  return {
    command: runningInElectron ? 'node' : process.execPath,
    args: ['--import', 'tsx', join(root, 'firmware-sim', 'cli.ts')],
    cwd: root,
    env: { ...process.env },
  };
}

/** The fields of a JSON `{"event":"ready",...}` line (firmware-sim's or the browser host's), else null. */
export function readyEvent(line: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return v.event === 'ready' ? v : null;
}

export function parseReadyLine(line: string): SimReadyLine | null {
  const v = readyEvent(line);
  if (!v || typeof v.port !== 'string' || typeof v.bench !== 'string') return null;
  return {
    event: 'ready',
    port: v.port,
    link: typeof v.link === 'string' ? v.link : null,
    bench: v.bench,
    tokenFile: typeof v.tokenFile === 'string' ? v.tokenFile : '',
    bedside: typeof v.bedside === 'string' ? v.bedside : null,
    bedsideTokenFile: typeof v.bedsideTokenFile === 'string' ? v.bedsideTokenFile : null,
    serial: typeof v.serial === 'string' ? v.serial : '',
    model: typeof v.model === 'string' ? v.model : '',
    pid: typeof v.pid === 'number' ? v.pid : -1,
  };
}

export class EmbeddedPump {
  private child: ChildProcess | null = null;
  private readyLine: SimReadyLine | null = null;
  private exitListeners: ((code: number | null) => void)[] = [];

  constructor(private readonly options: EmbeddedPumpOptions) {}

  get ready(): SimReadyLine | null {
    return this.readyLine;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  onExit(cb: (code: number | null) => void): void {
    this.exitListeners.push(cb);
  }

  /** Start the sim and resolve with its ready line; rejects with the sim's own error output on failure. */
  async start(): Promise<SimReadyLine> {
    if (this.readyLine && this.running) return this.readyLine;
    const cmd = this.options.command ?? defaultSimCommand();
    const args = [
      ...cmd.args,
      '--json',
      // With a pipe on its stdin: if the programmer dies (crash, kill -9), the pump is saved and stops
      // instead of running on orphaned.
      '--exit-with-parent',
      '--state',
      this.options.stateFile,
      ...(this.options.extraArgs ?? []),
    ];
    const child = spawn(cmd.command, args, {
      cwd: cmd.cwd,
      env: cmd.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const stderrTail: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        stderrTail.push(line);
        if (stderrTail.length > 20) stderrTail.shift();
        this.options.onLog?.(line);
      }
    });
    child.on('exit', (code) => {
      this.child = null;
      for (const cb of this.exitListeners) cb(code);
    });

    return new Promise<SimReadyLine>((resolvePromise, reject) => {
      let buffer = '';
      const timer = setTimeout(() => {
        fail(
          new Error(`firmware-sim did not report ready within ${this.options.startTimeoutMs ?? 20_000} ms`),
        );
        child.kill('SIGKILL');
      }, this.options.startTimeoutMs ?? 20_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      child.once('error', (err) => fail(new Error(`cannot start firmware-sim: ${err.message}`)));
      child.once('exit', (code, signal) => {
        if (!this.readyLine) {
          fail(
            new Error(
              `firmware-sim exited (${code ?? signal}) before it was ready: ${stderrTail.join(' | ') || 'no output'}`,
            ),
          );
        }
      });
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        if (this.readyLine) return;
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          const ready = parseReadyLine(line);
          if (ready) {
            this.readyLine = ready;
            clearTimeout(timer);
            resolvePromise(ready);
            return;
          }
        }
      });
    });
  }

  /** SIGTERM (the sim persists and exits 0), then SIGKILL if it does not go within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    const child = this.child;
    this.readyLine = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolvePromise) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolvePromise();
      });
      child.kill('SIGTERM');
    });
  }

  /** Stop at once without letting the sim persist: tests use it to simulate a vanished pump. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }
}
