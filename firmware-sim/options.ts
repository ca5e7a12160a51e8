/**
 * Command-line options of `npm run sim` (firmware-sim/cli.ts). Parsing is pure so it can be tested without
 * a process; a bad option is a `UsageError` (the CLI prints it and exits 2).
 */
import path from 'node:path';
import { MAX_PUMP_TIME, MAX_SPEED } from './bench-schema';
import type { PumpModel } from '../src/device/types';
import { PROFILE_IDS, type ProfileId } from '../src/patient';
import { DEFAULT_PATIENT, type PatientConfig } from './patient-coupling';

export interface SimOptions {
  model: PumpModel;
  /** Serial for a new pump; null = keep the stored one, or the default for a fresh pump. */
  serial: string | null;
  stateFile: string;
  reset: boolean;
  clock: { mode: 'running' | 'paused' | 'fast'; speed: number };
  /** Pump time of manufacture for a fresh pump, seconds since 1970 (default: host time now). */
  startTime: number | null;
  seed: number;
  /** Protocol key, hex; null = the protocol's documented demo key. */
  keyHex: string | null;
  benchPort: number;
  json: boolean;
  /** Symlink to the virtual port. */
  link: string | null;
  /** A real serial port instead of a pty. */
  port: string | null;
  baud: number;
  modelGiven: boolean;
  /** Save and exit when standard input closes (the parent that started us is gone). */
  exitWithParent: boolean;
  /** The virtual patient of a new state file (--patient, --patient-seed). */
  patient: PatientConfig;
  /** --scenario ID|FILE: start this training case (a library id or a file) on a fresh pump (implies --reset). */
  scenarioFile: string | null;
  /** --speed, --paused or --fast was given (a scenario's own clock speed applies otherwise). */
  clockGiven: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const DEFAULT_SERIAL = 'NGV100001';
export const DEFAULT_STATE_FILE = path.join('.state', 'firmware-sim.json');

export const HELP = `firmware-sim: a virtual intrathecal pump behind a serial port (training and test bench; not a medical device)

usage: npm run sim -- [options]        (or: tsx firmware-sim/cli.ts [options])

  --model SM2-20|SM2-40|SM2-20-ENG  pump model of a new pump (default SM2-20)
  --serial SERIAL                    serial number of a new pump (default ${DEFAULT_SERIAL}); 4-16 of A-Z 0-9 -
  --state FILE                       state file (the pump's memory; default ./${DEFAULT_STATE_FILE})
  --reset                            start a fresh pump even over an existing or corrupt state file
  --speed N                          pump seconds per host second, 1..${MAX_SPEED} (default 1)
  --paused                           start with the clock paused
  --fast                             run as fast as possible: jump from event to event
  --start-time SECONDS               pump time of a fresh pump, seconds since 1970, at most ${MAX_PUMP_TIME}
                                     (2100-01-01; default: now)
  --seed N                           seed of the link-fault random generator (default 1)
  --key HEX                          protocol key, 16..64 bytes in hex (default: the documented demo key)
  --link PATH                        also make a stable symlink to the virtual port (e.g. /tmp/ttyPUMP0)
  --port PATH                        attach to a real serial port instead of a virtual one
  --baud N                           baud rate of the real port (default 115200)
  --bench-port N                     bench API port on 127.0.0.1 (default 0 = random)
  --json                             machine-readable output: one JSON "ready" line, JSON events
  --exit-with-parent                 save the pump and exit 0 when standard input closes: for a program that
                                     starts the sim with a pipe on its stdin, so that the sim does not outlive it
  --patient PROFILE[:DOSE]           the virtual patient of a new state file: spinal (T6 or above), cerebral or
                                     pediatric-cp; DOSE = the intrathecal mcg/day it is established on, or
                                     "naive" (default: the dose its pump is delivering; a fresh pump: naive)
  --scenario ID|FILE                 start a training case (issue 19; scenarios/*.json): a fresh pump, patient and
                                     clock in the case's starting state (implies --reset; the case's clock speed
                                     unless --speed/--paused/--fast); a restart without it resumes the case
  --patient-seed N                   variability between patients: 0 = the profile's typical patient (default),
                                     any other N a reproducible variation
  --help                             this text

Once ready it prints the port path, the bench API address and the token file (with --json, one line:
{"event":"ready","port":...,"link":...,"bench":...,"tokenFile":...,"serial":...,"model":...,"pid":...}).
SIGINT/SIGTERM persist the pump and exit 0 (1, with a "shutdownFailed" event, when that last save fails:
the state file then holds the previous save). The state file is locked (FILE.lock, with the owner's pid):
a second sim on it is refused; a lock left by a killed sim is taken over.
Exit codes: 0 ok, 1 runtime failure (e.g. corrupt or locked state file), 2 bad usage.
`;

const MODELS: readonly PumpModel[] = ['SM2-20', 'SM2-40', 'SM2-20-ENG'];

function intArg(name: string, v: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${name} needs an integer, got "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be ${min}..${max}, got ${v}`);
  return n;
}

/** Returns null when --help was asked for. */
export function parseOptions(argv: readonly string[]): SimOptions | null {
  const o: SimOptions = {
    model: 'SM2-20',
    serial: null,
    stateFile: DEFAULT_STATE_FILE,
    reset: false,
    clock: { mode: 'running', speed: 1 },
    startTime: null,
    seed: 1,
    keyHex: null,
    benchPort: 0,
    json: false,
    link: null,
    port: null,
    baud: 115200,
    modelGiven: false,
    exitWithParent: false,
    patient: { ...DEFAULT_PATIENT },
    scenarioFile: null,
    clockGiven: false,
  };
  let paused = false;
  let fast = false;
  let speedGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    const flag = (): void => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
    };
    switch (name) {
      case '--help':
      case '-h':
        return null;
      case '--model': {
        const v = value();
        if (!(MODELS as readonly string[]).includes(v))
          throw new UsageError(`--model must be one of ${MODELS.join(', ')}, got "${v}"`);
        o.model = v as PumpModel;
        o.modelGiven = true;
        break;
      }
      case '--serial': {
        const v = value();
        if (!/^[A-Z0-9-]{4,16}$/.test(v))
          throw new UsageError(`--serial must be 4-16 characters of A-Z, 0-9 and -, got "${v}"`);
        o.serial = v;
        break;
      }
      case '--state':
        o.stateFile = value();
        break;
      case '--reset':
        flag();
        o.reset = true;
        break;
      case '--speed':
        o.clock.speed = intArg('--speed', value(), 1, MAX_SPEED);
        speedGiven = true;
        break;
      case '--paused':
        flag();
        paused = true;
        break;
      case '--fast':
        flag();
        fast = true;
        break;
      case '--start-time':
        o.startTime = intArg('--start-time', value(), 0, MAX_PUMP_TIME);
        break;
      case '--seed':
        o.seed = intArg('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--key': {
        const v = value();
        if (!/^([0-9a-fA-F]{2}){16,64}$/.test(v))
          throw new UsageError('--key must be 16..64 bytes written as hex');
        o.keyHex = v.toLowerCase();
        break;
      }
      case '--link':
        o.link = value();
        break;
      case '--port':
        o.port = value();
        break;
      case '--baud':
        o.baud = intArg('--baud', value(), 50, 4_000_000);
        break;
      case '--bench-port':
        o.benchPort = intArg('--bench-port', value(), 0, 65535);
        break;
      case '--json':
        flag();
        o.json = true;
        break;
      case '--exit-with-parent':
        flag();
        o.exitWithParent = true;
        break;
      case '--patient': {
        const v = value();
        const m = /^([a-z-]+)(?::(naive|\d{1,4}))?$/.exec(v);
        if (!m || !(PROFILE_IDS as readonly string[]).includes(m[1]!))
          throw new UsageError(
            `--patient must be one of ${PROFILE_IDS.join(', ')}, optionally :DOSE (mcg/day) or :naive, got "${v}"`,
          );
        const dose = m[2] === undefined ? 'pump' : m[2] === 'naive' ? 0 : Number(m[2]);
        if (typeof dose === 'number' && dose > 5000)
          throw new UsageError('--patient dose must be 0..5000 mcg/day');
        o.patient = { ...o.patient, profile: m[1] as ProfileId, establishedDose: dose, given: true };
        break;
      }
      case '--scenario':
        o.scenarioFile = value();
        o.reset = true;
        break;
      case '--patient-seed':
        o.patient = { ...o.patient, seed: intArg('--patient-seed', value(), 0, 2 ** 32 - 1), given: true };
        break;
      default:
        throw new UsageError(`unknown option "${raw}" (see --help)`);
    }
  }
  if (paused && fast) throw new UsageError('--paused and --fast exclude each other');
  if (fast && speedGiven) throw new UsageError('--fast and --speed exclude each other');
  if (o.port && o.link) throw new UsageError('--link applies to the virtual port only, not with --port');
  o.clock.mode = paused ? 'paused' : fast ? 'fast' : 'running';
  o.clockGiven = paused || fast || speedGiven;
  return o;
}
