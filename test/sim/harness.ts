/**
 * Test harness for firmware-sim as a real child process behind a real pty: spawn it, read its ready line,
 * talk to it with SerialPort + PumpClient, and drive its bench API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SerialPort } from 'serialport';
import WebSocket from 'ws';
import { PumpClient } from '../../src/protocol/session/client';
import type { BenchState, StreamMessage } from '../../firmware-sim/bench-schema';
import { parseReadyLine, type SimReadyLine } from '../../src/main/service/embedded-pump';
import { createSerialPort } from '../../src/main/service/serial-transport';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'firmware-sim', 'cli.ts');
/** 2023-11-14T22:13:20Z: a fixed manufacture time keeps runs comparable. */
export const START_TIME = 1_700_000_000;

/** firmware-sim's ready line, as the programmer's embedded pump reads it. */
export type Ready = SimReadyLine;

export function tempDir(prefix = 'sim-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion (for --help, bad options, refused starts). */
export function runCli(args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`firmware-sim did not exit within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    p.on('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export class Sim {
  private constructor(
    readonly proc: ChildProcess,
    readonly ready: Ready,
    readonly token: string,
    readonly stderr: () => string,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    /** Every line the sim printed on stdout (JSON events with --json), ready line included. */
    readonly stdoutLines: string[] = [],
  ) {}

  /** `prefix`: a command the sim runs under (e.g. `prlimit --fsize=N --`, for a disk that fills up). */
  static async start(stateFile: string, extra: string[] = [], prefix: string[] = []): Promise<Sim> {
    // --exit-with-parent and a pipe on stdin: a test run that dies leaves no sim running.
    const args = [
      '--json',
      '--exit-with-parent',
      '--state',
      stateFile,
      '--start-time',
      String(START_TIME),
      ...extra,
    ];
    const [cmd, ...argv] = [...prefix, process.execPath, '--import', 'tsx', CLI, ...args];
    const proc = spawn(cmd!, argv, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      proc.on('exit', (code, signal) => r({ code, signal })),
    );
    const lines = createInterface({ input: proc.stdout! });
    const stdoutLines: string[] = [];
    lines.on('line', (line) => stdoutLines.push(line));
    const ready = await new Promise<Ready>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ready line within 30 s; stderr: ${stderr}`)), 30_000);
      lines.on('line', (line) => {
        const ready = parseReadyLine(line);
        if (ready) {
          clearTimeout(t);
          resolve(ready);
          return;
        }
        let m: { event?: string; message?: string };
        try {
          m = JSON.parse(line) as typeof m;
        } catch {
          return;
        }
        if (m.event === 'error') {
          clearTimeout(t);
          reject(new Error(m.message));
        }
      });
      void exited.then(({ code }) => {
        clearTimeout(t);
        reject(new Error(`firmware-sim exited (${code}) before ready; stderr: ${stderr}`));
      });
    });
    const token = fs.readFileSync(ready.tokenFile, 'utf8').trim();
    return new Sim(proc, ready, token, () => stderr, exited, stdoutLines);
  }

  async http(
    method: string,
    p: string,
    body?: unknown,
    token: string | null = this.token,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.ready.bench + p, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  }

  async ok<T = unknown>(method: string, p: string, body?: unknown): Promise<T> {
    const r = await this.http(method, p, body);
    if (r.status !== 200) throw new Error(`${method} ${p} -> ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as T;
  }

  state(): Promise<BenchState> {
    return this.ok<BenchState>('GET', '/state');
  }

  stream(): Promise<{
    messages: StreamMessage[];
    ws: WebSocket;
    waitFor(pred: (m: StreamMessage) => boolean, ms?: number): Promise<StreamMessage>;
  }> {
    const url = `${this.ready.bench.replace('http', 'ws')}/stream?token=${this.token}`;
    const ws = new WebSocket(url);
    const messages: StreamMessage[] = [];
    const waiters: { pred: (m: StreamMessage) => boolean; resolve: (m: StreamMessage) => void }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as StreamMessage;
      messages.push(m);
      for (const w of [...waiters]) {
        if (!w.pred(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    });
    const waitFor = (pred: (m: StreamMessage) => boolean, ms = 10_000) =>
      new Promise<StreamMessage>((resolve, reject) => {
        const found = messages.find(pred);
        if (found) return resolve(found);
        const t = setTimeout(() => reject(new Error('stream message not seen')), ms);
        waiters.push({
          pred,
          resolve: (m) => {
            clearTimeout(t);
            resolve(m);
          },
        });
      });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ messages, ws, waitFor }));
      ws.once('error', reject);
    });
  }

  /** SIGTERM: the sim persists and exits 0. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }

  async kill9(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

export interface Programmer {
  port: SerialPort;
  client: PumpClient;
  close(): Promise<void>;
}

/** A programmer on the sim's serial port: SerialPort on the pty path, PumpClient on top. */
export async function connectProgrammer(
  portPath: string,
  opts: { programmerId?: string; timeoutMs?: number; retries?: number } = {},
): Promise<Programmer> {
  const port = createSerialPort(portPath, 115200);
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  // The sim may be killed under us (crash tests): EIO on the port is expected, not a test failure.
  port.on('error', () => undefined);
  const client = new PumpClient(
    {
      write: (b) => void port.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
      onData: (cb) => {
        const h = (d: Buffer) => cb(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
        port.on('data', h);
        return () => port.off('data', h);
      },
    },
    {
      programmerId: opts.programmerId ?? 'TEST-PROGRAMMER',
      timeoutMs: opts.timeoutMs ?? 250,
      retries: opts.retries ?? 5,
    },
  );
  return {
    port,
    client,
    async close() {
      client.dispose();
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
    },
  };
}

/** The next `n` bytes (or more, whole chunks) a SerialPort receives. */
export function collectBytes(sp: SerialPort, n: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const on = (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got >= n) {
        sp.off('data', on);
        resolve(Buffer.concat(parts));
      }
    };
    sp.on('data', on);
  });
}

/** Fill an empty pump and start continuous therapy: the first thing a fresh pump needs. */
export const FIRST_FILL = {
  refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 20_000 },
  therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 100_000 },
};
