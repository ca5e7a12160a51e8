/**
 * The bench API's request schemas and response shapes: shared by the server (firmware-sim/bench-server.ts),
 * the tests and any client (the instructor panel). Every body is validated here before anything changes.
 */
import { z } from 'zod';
import type { AutoPauseCondition } from './auto-pause';
import type { LogPage, PumpModel, PumpStatus, PumpTruth, PumpInstant } from '../src/device/types';
import type { PumpProgram } from '../src/device/pump-api';
import { FAULT_KINDS } from '../src/device/machine';
import type { BedsideAction } from '../src/shared/bedside';
import {
  INTERVENTION_LIMITS,
  type HistoryRow,
  type PatientEvent,
  type PatientFindings,
} from '../src/patient';

const int = z.number().int();
const nonNeg = int.nonnegative();
const rate = z.number().min(0).max(1);

export const clockActionSchema = z.strictObject({ action: z.enum(['pause', 'resume']) });
export const MAX_SPEED = 100_000;
export const clockSpeedSchema = z.strictObject({
  /** Pump seconds per host second; 'fast' jumps from event to event as fast as possible. */
  speed: z.union([z.number().min(1).max(MAX_SPEED), z.literal('fast')]),
});
/**
 * The latest pump time the bench allows: 2100-01-01T00:00:00Z. Pump times travel as u32 seconds (up to
 * 2106-02-07T06:28:15Z) and the pump reports times ahead of now: its projected empty time (at most about
 * 834 days ahead: a full 40 mL reservoir at the minimum 48 uL/day), the end of service (90 days after
 * ERI) and the next alarm tone (at most an hour). The 6.1 years between the two leave all of them room.
 * Clock advances beyond it are refused (409), and the running clock stops there.
 */
export const MAX_PUMP_TIME = 4_102_444_800;
export const clockAdvanceSchema = z.union([z.strictObject({ to: nonNeg }), z.strictObject({ by: nonNeg })]);

export const catheterStateSchema = z.enum(['patent', 'partialOcclusion', 'fullOcclusion', 'disconnected']);
/** Mirrors `DeviceFault` in src/device/types.ts. */
export const deviceFaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('catheter'), state: catheterStateSchema }),
  z.strictObject({ kind: z.literal('overInfusion'), ppm: int.min(-1_000_000).max(10_000_000) }),
  z.strictObject({ kind: z.literal('pocketFill'), ppm: int.min(0).max(1_000_000) }),
  z.strictObject({ kind: z.literal('battery'), to: z.enum(['eri', 'endOfService']) }),
  z.strictObject({ kind: z.literal('motorStall'), recoveryDelayS: nonNeg }),
  z.strictObject({ kind: z.literal('memoryError'), critical: z.boolean() }),
  // Drug truth (not clearable: set it again): the next refill's syringe, or the reservoir now, in mcg/mL.
  z.strictObject({ kind: z.literal('syringeConcentration'), concentrationMcgPerMl: int.min(0).max(10_000) }),
  z.strictObject({
    kind: z.literal('reservoirConcentration'),
    concentrationMcgPerMl: int.min(0).max(10_000),
  }),
]);
export const faultKindSchema = z.enum(FAULT_KINDS);

export const linkFaultsSchema = z.strictObject({
  /** Probability that each byte is corrupted (one or more bits flipped). */
  corruptionRate: rate,
  /** Probability that a whole frame is dropped. */
  dropRate: rate,
  /** Probability that a frame is delivered twice. */
  duplicateRate: rate,
  /** Added one-way latency, milliseconds. */
  latencyMs: nonNeg.max(60_000),
  /** Line speed emulation: bytes are paced at baud/10 per second; 0 = unlimited. */
  baud: nonNeg.max(10_000_000),
  /** Stop reading and writing: the programmer sees silence. */
  disconnected: z.boolean(),
});
export type LinkFaults = z.infer<typeof linkFaultsSchema>;
/** POST /link-faults takes any subset; omitted fields keep their value. */
export const linkFaultsPatchSchema = linkFaultsSchema.partial();
export type LinkFaultsPatch = z.infer<typeof linkFaultsPatchSchema>;

export const NO_LINK_FAULTS: LinkFaults = {
  corruptionRate: 0,
  dropRate: 0,
  duplicateRate: 0,
  latencyMs: 0,
  baud: 0,
  disconnected: false,
};

const within = ([lo, hi]: readonly [number, number]) => z.number().min(lo).max(hi);
const L = INTERVENTION_LIMITS;
/** POST /patient/interventions: mirrors `Intervention` in src/patient/types.ts (limits from the model). */
export const interventionSchema = z.discriminatedUnion('kind', [
  z.discriminatedUnion('drug', [
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('lorazepam'),
      doseMg: within(L.ivBenzodiazepine.lorazepam),
    }),
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('diazepam'),
      doseMg: within(L.ivBenzodiazepine.diazepam),
    }),
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('midazolam'),
      doseMg: within(L.ivBenzodiazepine.midazolam),
    }),
  ]),
  z.strictObject({ kind: z.literal('oralBaclofen'), doseMg: within(L.oralBaclofenMg) }),
  z.strictObject({ kind: z.literal('cyproheptadine'), doseMg: within(L.cyproheptadineMg) }),
  z.strictObject({ kind: z.literal('csfDrainage'), volumeMl: within(L.csfDrainageMl) }),
  z.strictObject({ kind: z.literal('ventilation'), on: z.boolean() }),
  z.strictObject({ kind: z.literal('lumbarPunctureBolus'), doseMcg: within(L.lumbarPunctureBolusMcg) }),
]);

/** GET /patient/history?from&to: pump seconds, inclusive, at most 31 days. */
export const MAX_HISTORY_SPAN = 31 * 86_400;
export const patientHistoryQuerySchema = z
  .strictObject({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().nonnegative(),
  })
  .refine((q) => q.to >= q.from, { message: '"to" must not be before "from"', path: ['to'] })
  .refine((q) => q.to - q.from <= MAX_HISTORY_SPAN, {
    message: `at most ${MAX_HISTORY_SPAN} s (31 days) per request`,
    path: ['to'],
  });

export const logQuerySchema = z.strictObject({
  offset: z.coerce.number().int().nonnegative().default(0),
  count: z.coerce.number().int().min(1).max(1000).default(100),
});

// ---------------------------------------------------------------- responses

export interface ClockInfo {
  mode: 'running' | 'paused' | 'fast';
  /** Pump seconds per host second while running (kept while paused or fast). */
  speed: number;
  pumpTime: PumpInstant;
  nextEventTime: PumpInstant | null;
  /** The latest pump time the clock moves to (MAX_PUMP_TIME). */
  maxPumpTime: PumpInstant | null;
  /** Target of the clock advance in progress (it runs in slices), or null. */
  advancingTo: PumpInstant | null;
  /** Auto-pause at this pump time (exact), or null (`POST /clock/auto-pause`). */
  pauseAt: PumpInstant | null;
  /** Auto-pause when one of these holds (firmware-sim/auto-pause.ts); empty: none. */
  autoPauseWhen: AutoPauseCondition[];
}

export interface BenchState {
  serial: string;
  model: PumpModel;
  status: PumpStatus;
  program: PumpProgram;
  truth: PumpTruth;
  clock: ClockInfo;
  linkFaults: LinkFaults;
  /** What the line did with the bytes: queues, and what was dropped for being over a bound, and why. */
  line: LineStats;
}

/** Counters of one direction of the link-fault injector (firmware-sim/link-faults.ts). */
export interface LineDirectionStats {
  bytesIn: number;
  bytesOut: number;
  framesDropped: number;
  framesDuplicated: number;
  bytesCorrupted: number;
  bytesDiscarded: number;
  /** Dropped: the delay queue (latency, baud pacing) was full. */
  bytesOverrun: number;
  /** Discarded: a run between delimiters longer than any frame. */
  bytesOverlong: number;
  bytesQueued: number;
}

export interface LineStats {
  /** The serial port's transmit side: bytes waiting, and writes dropped whole when its queue was full. */
  port: { queuedBytes: number; droppedWrites: number; droppedBytes: number };
  /** Programmer to pump. */
  inbound: LineDirectionStats;
  /** Pump to programmer. */
  outbound: LineDirectionStats;
}

export interface PatientHistory {
  from: PumpInstant;
  to: PumpInstant;
  intervalSeconds: number;
  samples: HistoryRow[];
  events: PatientEvent[];
}

export interface BenchLog extends LogPage {
  offset: number;
}

export interface FrameEvent {
  direction: 'rx' | 'tx';
  /** Host time, ms since epoch. */
  atMs: number;
  hex: string;
  summary: string;
  ok: boolean;
  error?: string;
}

/** Messages on WS /stream. */
export type StreamMessage =
  | { type: 'hello'; state: BenchState }
  | { type: 'state'; state: BenchState }
  | { type: 'alarm'; code: string; raised: boolean; time: PumpInstant }
  | { type: 'tone'; code: string; time: PumpInstant }
  | { type: 'frame'; frame: FrameEvent }
  /** The patient now: with every (throttled) state message, and at once after an intervention. */
  | { type: 'patient'; patient: PatientFindings }
  /** The trainee did something at the bedside (docs/bedside-api.md). */
  | { type: 'bedside'; action: BedsideAction }
  | { type: 'link'; event: 'disconnected' | 'connected' | 'error'; detail?: string }
  /** The clock paused itself: at the instructor's chosen time, or on a condition (`reason` in words). */
  | { type: 'autoPause'; time: PumpInstant; reason: string };

export interface BenchError {
  error: string;
  details?: unknown;
}
