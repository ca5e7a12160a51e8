/**
 * `npm run sim`: the virtual pump as a process. Prints one ready line (JSON with --json), then runs until
 * SIGINT/SIGTERM (or, with --exit-with-parent, the end of its stdin), which persist the pump and exit 0.
 * Nothing on the link can make it exit.
 */
import { HostStartError, startHost, type HostModules, type SimHost } from './host';
import { DEFAULT_SERIAL, HELP, parseOptions, UsageError, type SimOptions } from './options';
import { StateFileError, StateLockedError, StateWriteError } from './persistence';
import { loadModules } from './modules';
import { scenarioHostOptions } from './scenario/load';
import { resolveCase } from './scenario/library';
import { ScenarioError, type Scenario } from '../src/training/scenario/schema';

function fail(code: number, message: string, json: boolean): never {
  if (json) process.stdout.write(`${JSON.stringify({ event: 'error', message })}\n`);
  process.stderr.write(`firmware-sim: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let opts: SimOptions | null;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`firmware-sim: ${e.message}\n(try --help)\n`);
      process.exit(2);
    }
    throw e;
  }
  if (!opts) {
    process.stdout.write(HELP);
    return;
  }
  const o = opts;
  const emit = (event: string, detail?: unknown): void => {
    if (o.json) process.stdout.write(`${JSON.stringify({ event, detail })}\n`);
    else
      process.stderr.write(
        `firmware-sim: ${event}${detail === undefined ? '' : ` ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}\n`,
      );
  };

  let mods: HostModules;
  try {
    mods = await loadModules();
  } catch (e) {
    fail(1, `the pump model or protocol cannot be loaded: ${(e as Error).message}`, o.json);
  }

  let scenario: Scenario | null = null;
  if (o.scenarioFile) {
    try {
      // A library case by its id, or a scenario file.
      scenario = resolveCase(o.scenarioFile).scenario;
    } catch (e) {
      if (e instanceof ScenarioError) fail(2, e.message, o.json);
      fail(2, `--scenario ${o.scenarioFile}: ${(e as Error).message}`, o.json);
    }
  }
  const fromScenario = scenario ? scenarioHostOptions(scenario, o) : {};

  let host: SimHost;
  try {
    host = await startHost(
      {
        model: o.model,
        serial: o.serial,
        defaultSerial: DEFAULT_SERIAL,
        modelGiven: o.modelGiven,
        stateFile: o.stateFile,
        reset: o.reset,
        clock: o.clock,
        startTime: o.startTime,
        seed: o.seed,
        key: o.keyHex ? Uint8Array.from(Buffer.from(o.keyHex, 'hex')) : null,
        benchPort: o.benchPort,
        link: o.link,
        port: o.port,
        baud: o.baud,
        log: emit,
        patient: o.patient,
        ...fromScenario,
      },
      mods,
    );
  } catch (e) {
    if (
      e instanceof StateFileError ||
      e instanceof HostStartError ||
      e instanceof StateLockedError ||
      e instanceof StateWriteError
    )
      fail(1, e.message, o.json);
    fail(1, `cannot start: ${(e as Error).message}`, o.json);
  }

  // Nobody reading our output (a parent gone, a closed pipe) must not crash us or loop on EPIPE reports.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  // The line must never take the pump down: report and carry on.
  process.on('uncaughtException', (e) => emit('internalError', e.stack ?? String(e)));
  process.on('unhandledRejection', (e) => emit('internalError', String(e)));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    host
      .shutdown()
      .then(() => {
        emit('stopped', signal);
        process.exit(0);
      })
      .catch((e: unknown) => {
        emit('shutdownFailed', (e as Error).message);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (o.exitWithParent) {
    // The parent holds the write end of our stdin and never writes: it closes when the parent exits, by
    // any means (kill -9 included), and the pump is saved as on SIGTERM instead of running on orphaned.
    process.stdin.on('data', () => undefined);
    process.stdin.once('end', () => stop('parent gone'));
    process.stdin.once('error', () => stop('parent gone'));
    process.stdin.resume();
  }

  const ready = {
    event: 'ready',
    port: host.port.path,
    link: host.link,
    bench: host.bench.url,
    tokenFile: host.bench.tokenFile,
    bedside: host.bedsideServer.url,
    bedsideTokenFile: host.bedsideServer.tokenFile,
    serial: host.pump.serial,
    model: host.pump.model,
    pid: process.pid,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
  else
    process.stdout.write(
      [
        `firmware-sim: pump ${ready.serial} (${ready.model}) ready`,
        `  serial port: ${ready.port}${ready.link ? ` (link ${ready.link})` : ''}`,
        `  bench API:   ${ready.bench} (token in ${ready.tokenFile})`,
        `  bedside API: ${ready.bedside} (its own token, in ${ready.bedsideTokenFile})`,
        `  state file:  ${host.stateFile}`,
        `  clock:       ${host.clock.info().mode} x${host.clock.info().speed}`,
        `  Ctrl-C to stop (the pump is saved).`,
        '',
      ].join('\n'),
    );
}

main().catch((e: unknown) => {
  process.stderr.write(`firmware-sim: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
