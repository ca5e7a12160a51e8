/**
 * The browser host's command line (`npm run web`, scripts/web.ts; or `tsx src/main/web-host.ts`): the
 * programmer service with its embedded pump, the instructor's door, and the server (web-host.ts), wired
 * together; one ready line on stdout.
 */
import { join, resolve } from 'node:path';
import type { WebHostReadyLine } from './web-host-ready';
import { createInstructorRelay } from './instructor-relay';
import { instructorHooks } from './instructor-hooks';
import { ProgrammerService } from './service/programmer-service';
import { createProtocolLink } from './service/protocol-adapter';
import { startWebHost, type WebHost } from './web-host';

export interface WebHostCli {
  port: number;
  embedded: boolean;
  simArgs: string[];
  dataDir: string;
  webRoot: string;
  help: boolean;
}

export const WEB_HOST_HELP = `Usage: npm run web -- [options]   (or: tsx src/main/web-host.ts [options])

Serves the clinician programmer to a browser on 127.0.0.1, with an embedded virtual pump.
Training bench, not a medical device.

  --port N          listen on port N (default 0: a random free port)
  --no-embedded     do not start the embedded virtual pump (connect to a serial port instead)
  --sim-args "..."  extra arguments for the embedded firmware-sim, space-separated (e.g. "--fast --seed 7")
  --data-dir DIR    session records and the embedded pump's state (default ./.state/web-host)
  --root DIR        the built renderer (default out/web)
  --help            this text

Prints one JSON line {"event":"ready","url":...,"instructorUrl":...,"bench":...,"benchTokenFile":...,
"bedside":...,"bedsideTokenFile":...} then a readable line. The instructor console (/instructor/) has its own
token, in instructorUrl.
`;

export function parseWebHostArgs(argv: string[], cwd = process.cwd()): WebHostCli {
  const out: WebHostCli = {
    port: 0,
    embedded: true,
    simArgs: [],
    dataDir: join(cwd, '.state', 'web-host'),
    webRoot: join(cwd, 'out', 'web'),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port': {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new Error(`--port must be 0..65535, not "${v}"`);
        out.port = Number(v);
        break;
      }
      case '--no-embedded':
        out.embedded = false;
        break;
      case '--sim-args':
        out.simArgs = value().split(/\s+/).filter(Boolean);
        break;
      case '--data-dir':
        out.dataDir = resolve(cwd, value());
        break;
      case '--root':
        out.webRoot = resolve(cwd, value());
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return out;
}

/** The host's command line: `npm run web` (scripts/web.ts) and `tsx src/main/web-host.ts` both end here. */
export async function runWebHost(
  argv: string[],
  opts: {
    /** Work done while the embedded pump boots in its own process (npm run web: the pages' build check). */
    whileThePumpStarts?: () => void;
  } = {},
): Promise<void> {
  let cli: WebHostCli;
  try {
    cli = parseWebHostArgs(argv);
  } catch (err) {
    process.stderr.write(`web-host: ${(err as Error).message}\n\n${WEB_HOST_HELP}`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(WEB_HOST_HELP);
    return;
  }
  const service = new ProgrammerService({
    dataDir: cli.dataDir,
    linkFactory: createProtocolLink,
    embedded: cli.embedded
      ? { extraArgs: cli.simArgs, onLog: (line) => process.stderr.write(`[firmware-sim] ${line}\n`) }
      : null,
  });
  let host: WebHost | null = null;
  const shutdown = async (code: number) => {
    await host?.close().catch(() => undefined);
    await service.dispose().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
  try {
    // The embedded pump's process boots first, and the pages' check and this host's door are done while it
    // does (issue 20's start-up goal); the ready line still waits for both.
    const simStarting = service.start();
    simStarting.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    opts.whileThePumpStarts?.();
    // The bench token stays in this process: the instructor page gets answers through the relay.
    const instructor = createInstructorRelay({
      ...instructorHooks(service),
      webRoot: join(cli.webRoot, 'instructor'),
    });
    host = await startWebHost({
      instructor,
      api: service,
      subscribe: (l) => service.onEvent(l),
      webRoot: cli.webRoot,
      port: cli.port,
    });
    const sim = await simStarting;
    const ready: WebHostReadyLine = {
      event: 'ready',
      url: host.url,
      instructorUrl: host.instructorUrl,
      bench: sim?.bench ?? null,
      benchTokenFile: sim?.tokenFile ?? null,
      bedside: sim?.bedside ?? null,
      bedsideTokenFile: sim?.bedsideTokenFile ?? null,
      port: sim?.port ?? null,
      pid: process.pid,
    };
    process.stdout.write(JSON.stringify(ready) + '\n');
    process.stdout.write(
      `ITB programmer (training bench, not a medical device) at ${host.url}` +
        ` ; instructor console at ${host.instructorUrl ?? '(none)'}` +
        (sim ? ` ; embedded pump ${sim.serial} on ${sim.port}, bench ${sim.bench}` : ' ; no embedded pump') +
        '\n',
    );
  } catch (err) {
    process.stderr.write(`web-host: ${(err as Error).message}\n`);
    await shutdown(1);
  }
}
