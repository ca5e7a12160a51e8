/**
 * The scenario file format (issue 19): a training case or an alarm test, as JSON, validated with zod.
 * docs/scenarios.md documents it with a complete annotated example; scenario.schema.json (next to the
 * library) is generated from these schemas (`npm run scenario -- schema`) and a test fails when it is stale.
 *
 * Shape, after Laerdal SimDesigner and the Pulse engine's scenario files: a brief, a starting state
 * (pump, patient, programmer), a timeline of events at times, handlers ("when CONDITION then ACTIONS"),
 * and expectations evaluated from recorded facts only. Quantities are in the clinic's units (mcg/mL, mL,
 * mcg/day) and converted to the pump's fixed-point units by the runner; times in the file are offsets from
 * the case's start (seconds, or a duration such as "2d 6h"), except the pump's starting clock (ISO 8601).
 *
 * Pure (no I/O, no clock): the runner and the CLI read files; this module only checks their contents.
 * Stability: the library (scenarios/) is written on this format: add fields, never rename them.
 */
import { z } from 'zod';
import { INTERVENTION_LIMITS, PROFILE_IDS } from '../../patient';
import { CandidacyCaseSchema, SPINAL_DIAGNOSES } from '../../shared/clinical/candidacy';
import { ALARM_CODES } from '../../shared/device-facts/profiles';

// ---------------------------------------------------------------- bounds

/** A scenario file is at most this many bytes (the CLI and the host refuse a bigger one unread). */
export const MAX_SCENARIO_BYTES = 256 * 1024;
export const MAX_TIMELINE_EVENTS = 200;
export const MAX_HANDLERS = 100;
export const MAX_EXPECTATIONS = 100;
export const MAX_ACTIONS_PER_STEP = 20;
/** The longest case: two years of pump time (a missed refill or an ERI-to-EOS case fits easily). */
export const MAX_DURATION_SECONDS = 2 * 365 * 86_400;
/** Nesting of all/any/not/sequence conditions. */
export const MAX_CONDITION_DEPTH = 4;
export const MAX_TEXT = 2000;
/** The bench's latest pump time (firmware-sim/bench-schema.ts MAX_PUMP_TIME): 2100-01-01T00:00:00Z. */
export const LATEST_PUMP_TIME = 4_102_444_800;

// ---------------------------------------------------------------- durations

const DURATION_RE = /^\s*(\d+\s*[dhms]\s*)+$/;
/**
 * Seconds since 1970 of an ISO 8601 date-time with its offset (as `z.iso.datetime({offset: true})` accepts),
 * without the host's Date (this module is pure): days from the civil date (H. Hinnant's algorithm).
 */
export function isoSeconds(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(
    iso,
  );
  if (!m) return NaN;
  const [y0, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const y = mo <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  const offset = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10]) * 60);
  return days * 86_400 + h * 3600 + mi * 60 + sec - offset;
}

/** "2d 6h 30m 10s" -> seconds. */
export function parseDuration(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/(\d+)\s*([dhms])/g)) {
    const n = Number(m[1]);
    total += n * (m[2] === 'd' ? 86_400 : m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  }
  return total;
}
/** An offset from the case's start, or a length of time: whole seconds, or a string like "1d 12h". */
export const durationSchema = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(DURATION_RE, 'a duration: whole seconds, or e.g. "2d 6h 30m" (d, h, m, s)'),
  ])
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)))
  .pipe(z.number().int().nonnegative().max(MAX_DURATION_SECONDS))
  .describe('Seconds, or a duration such as "2d 6h 30m" (d, h, m, s), from the start of the case');

const text = z.string().min(1).max(MAX_TEXT);
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and hyphens, at most 64, e.g. "occlusion"');

// ---------------------------------------------------------------- shared enumerations

export { ALARM_CODES };
export const alarmCodeSchema = z.enum(ALARM_CODES);
export const WITHDRAWAL_STAGES = ['none', 'early', 'moderate', 'severe', 'lifeThreatening'] as const;
export const OVERDOSE_STAGES = ['none', 'mild', 'moderate', 'severe'] as const;
export const catheterStateSchema = z.enum(['patent', 'partialOcclusion', 'fullOcclusion', 'disconnected']);
export const INFUSION_MODES = [
  'stopped',
  'continuous',
  'flex',
  'singleBolus',
  'bridgeBolus',
  'primingBolus',
  'patientBolus',
] as const;

/**
 * The kinds of programming change a learner can prepare or commit (a change may be several at once):
 * refill (any refill), concentration (a refill with another concentration), dose (a continuous dose),
 * flex (a flex schedule), stop-therapy (therapy mode stopped), bolus / bridgeBolus / primingBolus,
 * alarmVolume (low-reservoir alarm volume), patientBolus (myPTM settings).
 */
export const CHANGE_KINDS = [
  'refill',
  'concentration',
  'dose',
  'flex',
  'stopTherapy',
  'bolus',
  'bridgeBolus',
  'primingBolus',
  'alarmVolume',
  'patientBolus',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What a learner does through the programmer, as the pump sees it (each recorded as a `command` fact). */
export const COMMANDS = [
  'interrogated',
  'readProgram',
  'readLog',
  'prepared',
  'committed',
  'stopped',
  'resumed',
  'silenced',
  'alarmTest',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export const INTERVENTION_KINDS = [
  'ivBenzodiazepine',
  'oralBaclofen',
  'cyproheptadine',
  'csfDrainage',
  'ventilation',
  'lumbarPunctureBolus',
] as const;

// ---------------------------------------------------------------- pump faults and patient interventions

const int = z.number().int();
/** Mirrors `DeviceFault` (src/device/types.ts) and the bench's schema (firmware-sim/bench-schema.ts). */
export const deviceFaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('catheter'), state: catheterStateSchema }),
  z.strictObject({ kind: z.literal('overInfusion'), ppm: int.min(-1_000_000).max(10_000_000) }),
  z.strictObject({ kind: z.literal('pocketFill'), ppm: int.min(0).max(1_000_000) }),
  z.strictObject({ kind: z.literal('battery'), to: z.enum(['eri', 'endOfService']) }),
  z.strictObject({ kind: z.literal('motorStall'), recoveryDelayS: int.nonnegative() }),
  z.strictObject({ kind: z.literal('memoryError'), critical: z.boolean() }),
  z.strictObject({ kind: z.literal('syringeConcentration'), concentrationMcgPerMl: int.min(0).max(10_000) }),
  z.strictObject({
    kind: z.literal('reservoirConcentration'),
    concentrationMcgPerMl: int.min(0).max(10_000),
  }),
]);
export const FAULT_KINDS = [
  'catheter',
  'overInfusion',
  'pocketFill',
  'battery',
  'motorStall',
  'memoryError',
] as const;

const within = ([lo, hi]: readonly [number, number]) => z.number().min(lo).max(hi);
const L = INTERVENTION_LIMITS;
/** Mirrors `Intervention` (src/patient/types.ts), with the model's limits. */
export const interventionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ivBenzodiazepine'),
    drug: z.enum(['lorazepam', 'diazepam', 'midazolam']),
    doseMg: z.number().positive(),
  }),
  z.strictObject({ kind: z.literal('oralBaclofen'), doseMg: within(L.oralBaclofenMg) }),
  z.strictObject({ kind: z.literal('cyproheptadine'), doseMg: within(L.cyproheptadineMg) }),
  z.strictObject({ kind: z.literal('csfDrainage'), volumeMl: within(L.csfDrainageMl) }),
  z.strictObject({ kind: z.literal('ventilation'), on: z.boolean() }),
  z.strictObject({ kind: z.literal('lumbarPunctureBolus'), doseMcg: within(L.lumbarPunctureBolusMcg) }),
]);

/** Link faults (firmware-sim/bench-schema.ts `linkFaultsPatchSchema`): any subset. */
export const linkFaultsPatchSchema = z.strictObject({
  corruptionRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  latencyMs: int.nonnegative().max(60_000).optional(),
  baud: int.nonnegative().max(10_000_000).optional(),
  disconnected: z.boolean().optional(),
});

// ---------------------------------------------------------------- conditions

/**
 * A condition over the recorded facts. Each says when something first happened (at or after a reference
 * time: the start of the case, or for an expectation its `from`): an alarm raised or cleared, a tone, a
 * learner's command, intervention or bedside action, the patient reaching a stage, the pump entering a
 * state, a timeline event firing, or a time passing. `all` = every one has happened (at the latest's
 * time), `any` = the first of them, `sequence` = each at or after the one before.
 */
export type Condition =
  | { kind: 'alarm'; code: (typeof ALARM_CODES)[number]; event?: 'raised' | 'cleared' }
  | { kind: 'tone'; code: (typeof ALARM_CODES)[number]; priority?: 'critical' | 'nonCritical' }
  | {
      kind: 'command';
      command: CommandName;
      change?: ChangeKind;
      /** For `interrogated`: the status the pump returned showed this alarm. */
      alarmShown?: (typeof ALARM_CODES)[number];
    }
  | { kind: 'intervention'; intervention?: (typeof INTERVENTION_KINDS)[number] }
  | { kind: 'bedside'; action?: string }
  | { kind: 'withdrawal'; atLeast: (typeof WITHDRAWAL_STAGES)[number] }
  | { kind: 'overdose'; atLeast: (typeof OVERDOSE_STAGES)[number] }
  | {
      kind: 'pump';
      mode?: (typeof INFUSION_MODES)[number];
      suspended?: boolean;
      battery?: 'ok' | 'eri' | 'endOfService';
      catheter?: 'patent' | 'partialOcclusion' | 'fullOcclusion' | 'disconnected';
      /** The calculated reservoir at or below this volume, mL. */
      reservoirAtMostMl?: number;
      /** The daily dose the pump is programmed to deliver at or above / at or below, mcg/day. */
      doseAtLeastMcgPerDay?: number;
      doseAtMostMcgPerDay?: number;
    }
  | { kind: 'timeline'; id: string }
  | { kind: 'handler'; id: string }
  | { kind: 'elapsed'; after: number }
  | { kind: 'all'; of: Condition[] }
  | { kind: 'any'; of: Condition[] }
  | { kind: 'sequence'; of: Condition[] };

/** The condition schema, with its input type (durations as strings) kept apart from its parsed type. */
export const conditionSchema: z.ZodType<Condition, unknown> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('alarm'),
      code: alarmCodeSchema,
      event: z.enum(['raised', 'cleared']).optional(),
    }),
    z.strictObject({
      kind: z.literal('tone'),
      code: alarmCodeSchema,
      priority: z.enum(['critical', 'nonCritical']).optional(),
    }),
    z.strictObject({
      kind: z.literal('command'),
      command: z.enum(COMMANDS),
      change: z.enum(CHANGE_KINDS).optional(),
      alarmShown: alarmCodeSchema.optional(),
    }),
    z.strictObject({ kind: z.literal('intervention'), intervention: z.enum(INTERVENTION_KINDS).optional() }),
    z.strictObject({ kind: z.literal('bedside'), action: z.string().min(1).max(64).optional() }),
    z.strictObject({ kind: z.literal('withdrawal'), atLeast: z.enum(WITHDRAWAL_STAGES) }),
    z.strictObject({ kind: z.literal('overdose'), atLeast: z.enum(OVERDOSE_STAGES) }),
    z
      .strictObject({
        kind: z.literal('pump'),
        mode: z.enum(INFUSION_MODES).optional(),
        suspended: z.boolean().optional(),
        battery: z.enum(['ok', 'eri', 'endOfService']).optional(),
        catheter: catheterStateSchema.optional(),
        reservoirAtMostMl: z.number().min(0).max(100).optional(),
        doseAtLeastMcgPerDay: z.number().min(0).max(100_000).optional(),
        doseAtMostMcgPerDay: z.number().min(0).max(100_000).optional(),
      })
      .refine((p) => Object.keys(p).length > 1, { message: 'a pump condition needs at least one field' }),
    z.strictObject({ kind: z.literal('timeline'), id }),
    z.strictObject({ kind: z.literal('handler'), id }),
    z.strictObject({ kind: z.literal('elapsed'), after: durationSchema }),
    z.strictObject({ kind: z.literal('all'), of: z.array(conditionSchema).min(1).max(20) }),
    z.strictObject({ kind: z.literal('any'), of: z.array(conditionSchema).min(1).max(20) }),
    z.strictObject({ kind: z.literal('sequence'), of: z.array(conditionSchema).min(1).max(20) }),
  ]),
) as unknown as z.ZodType<Condition, unknown>;

// ---------------------------------------------------------------- actions

export const actionSchema = z.discriminatedUnion('kind', [
  /** A device fault (bench), e.g. a catheter occlusion. */
  z.strictObject({ kind: z.literal('fault'), fault: deviceFaultSchema }),
  z.strictObject({ kind: z.literal('clearFault'), fault: z.enum(FAULT_KINDS) }),
  z.strictObject({ kind: z.literal('linkFaults'), set: linkFaultsPatchSchema }),
  /** Something given to the patient outside the learner's hands (e.g. oral baclofen taken at home). */
  z.strictObject({ kind: z.literal('patient'), intervention: interventionSchema }),
  /** A message shown to the learner (the nurse calls, the patient reports...). */
  z.strictObject({ kind: z.literal('message'), text }),
  /** End the case now (the debrief is then final). */
  z.strictObject({ kind: z.literal('end'), reason: text }),
]);
export type Action = z.infer<typeof actionSchema>;

// ---------------------------------------------------------------- starting state

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, "HH:MM" (pump time, UTC)');
export const therapySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('stopped') }),
  z.strictObject({ mode: z.literal('continuous'), dailyDoseMcg: z.number().positive().max(100_000) }),
  z.strictObject({
    mode: z.literal('flex'),
    steps: z
      .array(z.strictObject({ start: timeOfDay, dailyDoseMcg: z.number().positive().max(100_000) }))
      .min(1)
      .max(16),
  }),
]);

export const startSchema = z.strictObject({
  pump: z.strictObject({
    model: z.enum(['SM2-20', 'SM2-40', 'SM2-20-ENG']),
    serial: z
      .string()
      .regex(/^[A-Z0-9-]{4,16}$/)
      .optional(),
    /** The pump's clock at the start of the case (UTC, ISO 8601), e.g. "2026-03-02T09:00:00Z". */
    time: z.iso.datetime({ offset: true }),
    /** Speed of the live clock (pump seconds per host second); headless runs move time themselves. */
    clockSpeed: z.union([z.number().min(1).max(100_000), z.literal('fast')]).default(1),
    drug: z.string().min(1).max(16).default('baclofen'),
    concentrationMcgPerMl: z.number().int().min(1).max(10_000),
    therapy: therapySchema,
    reservoir: z.strictObject({
      /** What the pump believes is in the reservoir, mL. */
      calculatedMl: z.number().min(0).max(40),
      /** What truly is (a pocket fill or an error at the last refill); omitted: the calculated volume. */
      trueMl: z.number().min(0).max(40).optional(),
    }),
    /** Low-reservoir alarm volume, mL (omitted: the pump's default). */
    lowReservoirAlarmMl: z.number().min(0).max(40).optional(),
    /** Faults present at the start (battery ERI, a partial occlusion, a concentration error...). */
    faults: z.array(deviceFaultSchema).max(10).default([]),
  }),
  patient: z.strictObject({
    profile: z.enum(PROFILE_IDS),
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(0),
    /** The intrathecal dose the patient is established on, mcg/day; omitted: the pump's programmed dose. */
    establishedDoseMcgPerDay: z.number().min(0).max(100_000).optional(),
  }),
  /** What the programmer knows of the patient at the start (the Connect screen's choices). */
  programmer: z.strictObject({
    origin: z.enum(['spinal', 'cerebral']),
    ageGroup: z.enum(['adult', 'childUnder12']).default('adult'),
  }),
  /**
   * Before the pump (issue 21 point 4): the patient is a candidate at the screening desk. The desk admits
   * `start.patient` (its profile and seed; baclofen-naive) with this case form, which the trainee reads and
   * assesses; a screening trial can only be started on that patient. The pump is not implanted yet, so its
   * therapy must be stopped.
   */
  screening: z
    .strictObject({
      /** The case form of the candidacy rules (src/shared/clinical/candidacy.ts, `CandidacyCaseSchema`). */
      case: CandidacyCaseSchema,
    })
    .optional(),
});

// ---------------------------------------------------------------- timeline, handlers, expectations

export const timelineEventSchema = z.strictObject({
  id,
  at: durationSchema,
  /** What the instructor sees (the trainee never does). */
  description: text.optional(),
  actions: z.array(actionSchema).min(1).max(MAX_ACTIONS_PER_STEP),
});

export const handlerSchema = z.strictObject({
  id,
  description: text.optional(),
  when: conditionSchema,
  then: z.array(actionSchema).min(1).max(MAX_ACTIONS_PER_STEP),
  /** Fire each time the condition is met again by a new fact (default: once). */
  repeat: z.boolean().default(false),
});

export const expectationSchema = z.strictObject({
  id,
  description: text,
  /** Points for meeting it (the score is the met weight over the total weight). */
  weight: z.number().int().min(0).max(100).default(1),
  /** A critical error: failing it fails the case whatever the score. */
  critical: z.boolean().default(false),
  /** `happens` (default): the condition is met; `never`: it is not met (before the deadline if any). */
  expect: z.enum(['happens', 'never']).default('happens'),
  when: conditionSchema,
  /** Counted from this condition's first time (default: the start of the case). */
  from: conditionSchema.optional(),
  /** The deadline, counted from `from` (default: until the case ends). */
  within: durationSchema.optional(),
  /** The clinical document's or reference's words this expectation checks (shown in the debrief). */
  source: text.optional(),
});

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().max(200).optional(),
    /** Format version of this file; 1 today. */
    format: z.literal(1),
    id,
    title: z.string().min(1).max(120),
    /** `training` (a clinician's case) or `alarmTest` (an engineer's test: expectations about alarms). */
    kind: z.enum(['training', 'alarmTest']),
    /** What part of the clinical document or reference the case teaches, quoted where possible. */
    source: text,
    brief: z.strictObject({
      /** Who the patient is, why they came, what they report: what the learner reads first. */
      patient: text,
      reports: text.optional(),
      objectives: z.array(text).min(1).max(12),
    }),
    start: startSchema,
    /** The case ends at the latest this long after its start. */
    duration: durationSchema,
    timeline: z.array(timelineEventSchema).max(MAX_TIMELINE_EVENTS).default([]),
    handlers: z.array(handlerSchema).max(MAX_HANDLERS).default([]),
    expectations: z.array(expectationSchema).min(1).max(MAX_EXPECTATIONS),
    /** The expert driver's module, relative to this file (the library's cases have one). */
    expertDriver: z.string().max(200).optional(),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    const unique = (path: (string | number)[], v: string): void => {
      if (ids.has(v)) ctx.addIssue({ code: 'custom', path, message: `id "${v}" is used twice` });
      ids.add(v);
    };
    s.timeline.forEach((e, i) => {
      unique(['timeline', i, 'id'], e.id);
      if (e.at > s.duration)
        ctx.addIssue({ code: 'custom', path: ['timeline', i, 'at'], message: 'after the end of the case' });
    });
    s.handlers.forEach((h, i) => unique(['handlers', i, 'id'], h.id));
    s.expectations.forEach((x, i) => unique(['expectations', i, 'id'], x.id));
    const timelineIds = new Set(s.timeline.map((e) => e.id));
    const handlerIds = new Set(s.handlers.map((h) => h.id));
    const check = (c: Condition, path: (string | number)[], depth: number): void => {
      if (depth > MAX_CONDITION_DEPTH)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `conditions nest at most ${MAX_CONDITION_DEPTH} deep`,
        });
      if (c.kind === 'timeline' && !timelineIds.has(c.id))
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `no timeline event "${c.id}"` });
      if (c.kind === 'handler' && !handlerIds.has(c.id))
        ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `no handler "${c.id}"` });
      if (c.kind === 'all' || c.kind === 'any' || c.kind === 'sequence')
        c.of.forEach((d, i) => check(d, [...path, 'of', i], depth + 1));
    };
    s.handlers.forEach((h, i) => check(h.when, ['handlers', i, 'when'], 1));
    s.expectations.forEach((x, i) => {
      check(x.when, ['expectations', i, 'when'], 1);
      if (x.from) check(x.from, ['expectations', i, 'from'], 1);
    });
    // The pump's clock must hold the whole case (the bench's latest pump time: 2100-01-01T00:00:00Z).
    const startSeconds = isoSeconds(s.start.pump.time);
    if (startSeconds < 0 || startSeconds + s.duration > LATEST_PUMP_TIME)
      ctx.addIssue({
        code: 'custom',
        path: ['start', 'pump', 'time'],
        message: 'the case must start after 1970 and end before 2100-01-01T00:00:00Z (the pump clock bound)',
      });
    const sc = s.start.screening;
    if (sc) {
      const bad = (path: (string | number)[], message: string): void =>
        ctx.addIssue({ code: 'custom', path: ['start', ...path], message });
      if (s.start.patient.establishedDoseMcgPerDay !== 0)
        bad(
          ['patient', 'establishedDoseMcgPerDay'],
          'a candidate has never had intrathecal baclofen: set it to 0',
        );
      if (s.start.pump.therapy.mode !== 'stopped')
        bad(
          ['pump', 'therapy', 'mode'],
          'no pump is implanted before the screening: the therapy is "stopped"',
        );
      const d = sc.case.diagnosis;
      const profile = s.start.patient.profile;
      const fits =
        profile === 'spinal'
          ? SPINAL_DIAGNOSES.includes(d)
          : profile === 'pediatric-cp'
            ? d === 'cerebralPalsy' && sc.case.ageYears < 18
            : !SPINAL_DIAGNOSES.includes(d);
      if (!fits)
        bad(
          ['screening', 'case', 'diagnosis'],
          `a ${d} case does not fit the ${profile} patient (spinal: spinal origin; cerebral: stroke, brain injury, other cerebral or adult cerebral palsy; pediatric-cp: a child with cerebral palsy)`,
        );
    }
    const r = s.start.pump.reservoir;
    if (r.trueMl !== undefined && r.trueMl > r.calculatedMl)
      ctx.addIssue({
        code: 'custom',
        path: ['start', 'pump', 'reservoir', 'trueMl'],
        message: 'the true volume can be at most the calculated one (the difference went into the pocket)',
      });
  });

/** A scenario as parsed: defaults filled, durations in seconds. */
export type Scenario = z.infer<typeof scenarioSchema>;
/** A scenario as written in a file. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type Handler = z.infer<typeof handlerSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type StartState = z.infer<typeof startSchema>;

export interface ScenarioIssue {
  /** Where in the file, e.g. "timeline[2].actions[0].fault.state" ("" for the whole file). */
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${source}: ${issues.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}`);
    this.name = 'ScenarioError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Validate parsed JSON: the scenario, or every problem with its path. */
export function validateScenario(
  data: unknown,
): { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] } {
  const r = scenarioSchema.safeParse(data);
  if (r.success) return { ok: true, scenario: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })),
  };
}

/** Parse a file's text (size-checked, JSON, then the schema); throws ScenarioError with every problem. */
export function parseScenarioText(textIn: string, source = 'scenario'): Scenario {
  if (textIn.length > MAX_SCENARIO_BYTES)
    throw new ScenarioError(source, [
      { path: '', message: `the file is larger than ${MAX_SCENARIO_BYTES} bytes` },
    ]);
  let data: unknown;
  try {
    data = JSON.parse(textIn);
  } catch (e) {
    throw new ScenarioError(source, [{ path: '', message: `not JSON: ${(e as Error).message}` }]);
  }
  const r = validateScenario(data);
  if (!r.ok) throw new ScenarioError(source, r.issues);
  return r.scenario;
}

/** The JSON Schema of the file format (for editors), generated from the zod schema. */
export function scenarioJsonSchema(): unknown {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any', cycles: 'ref' });
  return {
    ...schema,
    $id: 'https://github.com/itb-pump-bench/scenario.schema.json',
    title: 'ITB pump bench scenario (training case or alarm test)',
  };
}
