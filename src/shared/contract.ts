/**
 * The programmer contract: the one API the clinician screens see. The Electron preload exposes it with
 * ipcRenderer.invoke, the browser host carries it over a WebSocket; both validate every request with the
 * zod schemas below, and both ends import these same types. No Node types here: the renderer imports it.
 */
import { z } from 'zod';
import { OPERATION_NAMES, type OperationName } from './operations';
import { CLINICIAN_MAX, clinicianProblem, PATIENT_ID_MAX, patientIdProblem } from './session-identity';
import type { PumpProgram } from '../device/pump-api';
import type {
  AlarmCode,
  LogPage,
  ProgramChange,
  ProgramConsequences,
  ProgramError,
  PumpStatus,
  PumpInstant,
} from '../device/types';
import type { ClinicalHistory } from './clinical/history';
import type { SinceLastVisit } from './clinical/since-last-visit';
import type { Debrief, TrainingCaseStatus, TrainingCaseSummary } from './training-case';
import { CandidacyCaseSchema, type CandidacyDecision } from './clinical/candidacy';
import {
  ScreeningAirwaySchema,
  ScreeningAssessSchema,
  ScreeningBolusSchema,
  ScreeningCandidacySchema,
  ScreeningDecideSchema,
  ScreeningPlanSchema,
  ScreeningRespondSchema,
  ScreeningStartSchema,
  ScreeningWaitSchema,
  type ImplantResult,
  type ScreeningView,
} from './screening-view';
import {
  BEDSIDE_DOSE_LIMITS as BL,
  type BedsideAction,
  type BedsideExam,
  type BedsideOrder,
  type SyringeReading,
} from './bedside';

export const CONTRACT_VERSION = 1;

// ---------------------------------------------------------------- request schemas (validated at both ends)
const int = z.number().int();
const nonNeg = int.nonnegative();

export const flexStepSchema = z.strictObject({ startSecondOfDay: nonNeg, dailyDoseNgPerDay: nonNeg });
export const therapySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('stopped') }),
  z.strictObject({ mode: z.literal('continuous'), dailyDoseNgPerDay: nonNeg }),
  z.strictObject({ mode: z.literal('flex'), steps: z.array(flexStepSchema).max(64) }),
]);
export const bolusSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), amountNg: nonNeg, durationS: nonNeg }),
  z.strictObject({ kind: z.literal('bridge'), amountNg: nonNeg, durationS: nonNeg }),
  z.strictObject({ kind: z.literal('priming'), volumeUl: nonNeg, durationS: nonNeg }),
]);
export const refillSchema = z.strictObject({
  withdrawnVolumeUl: nonNeg,
  drugName: z.string().max(32),
  concentrationMcgPerMl: nonNeg,
  /** The concentration typed a second time; must equal `concentrationMcgPerMl` (double entry against tenfold errors). */
  concentrationConfirmMcgPerMl: nonNeg,
  fillVolumeUl: nonNeg,
});
export const patientBolusSchema = z.strictObject({
  amountNg: nonNeg,
  durationS: nonNeg,
  maxPerDay: nonNeg,
  lockoutS: nonNeg,
});
export const programChangeSchema = z.strictObject({
  therapy: therapySchema.optional(),
  bolus: bolusSchema.optional(),
  refill: refillSchema.optional(),
  lowReservoirAlarmVolumeUl: nonNeg.optional(),
  patientBolus: patientBolusSchema.nullable().optional(),
});
export type ProgramChangeRequest = z.infer<typeof programChangeSchema>;

export const spasticityOriginSchema = z.enum(['spinal', 'cerebral']);
export type SpasticityOrigin = z.infer<typeof spasticityOriginSchema>;
/** 'childUnder12': the label's paediatric rules (children under 12 years). */
export const ageGroupSchema = z.enum(['adult', 'childUnder12']);
export type AgeGroup = z.infer<typeof ageGroupSchema>;
/** The patient as chosen on the Connect screen; stored in the session record. */
export const patientContextSchema = z.strictObject({
  origin: spasticityOriginSchema,
  ageGroup: ageGroupSchema,
});
export type PatientContext = z.infer<typeof patientContextSchema>;

/** An IANA zone name that this programmer's Intl knows ("Europe/Paris"). */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return /^[A-Za-z0-9_+\-/]+$/.test(zone);
      } catch {
        return false;
      }
    },
    { message: 'not a time zone this programmer knows (an IANA name such as Europe/Paris)' },
  );
/** A clinic's patient identifier (src/shared/session-identity.ts). */
export const patientIdSchema = z
  .string()
  .max(PATIENT_ID_MAX * 4)
  .superRefine((v, ctx) => {
    const problem = patientIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v.trim());
/** A clinician's name (src/shared/session-identity.ts). */
export const clinicianSchema = z
  .string()
  .max(CLINICIAN_MAX * 4)
  .superRefine((v, ctx) => {
    const problem = clinicianProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v.trim());

/** The pump clock as set at interrogation (CLOCK_SET). */
export interface PumpClockInfo {
  /** The clinic zone the rule was derived from. */
  zone: string;
  /** The rule now on the pump, in words ("UTC+01:00, daylight saving +1 h from ..."). */
  rule: string;
  /** True when this session changed the pump's rule; `previous` is then the rule it replaced, in words. */
  changed: boolean;
  previous: string;
  /** False when the zone's changes are not POSIX M-rules: the pump holds the offset now in force. */
  exact: boolean;
  /** Set when the pump could not be set (an older pump, NAK UNKNOWN_TYPE): it stays on its own rule. */
  error?: string;
}

export const connectTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('embedded') }),
  z.strictObject({ kind: z.literal('serial'), path: z.string().min(1).max(256) }),
]);
export type ConnectTarget = z.infer<typeof connectTargetSchema>;

const within = ([lo, hi]: readonly [number, number]) => z.number().min(lo).max(hi);
/** A bedside order (src/shared/bedside.ts `BedsideOrder`), doses within BEDSIDE_DOSE_LIMITS. */
export const bedsideOrderSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('resumeIntrathecal') }),
  z.discriminatedUnion('drug', [
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('lorazepam'),
      doseMg: within(BL.ivBenzodiazepineMg.lorazepam),
    }),
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('diazepam'),
      doseMg: within(BL.ivBenzodiazepineMg.diazepam),
    }),
    z.strictObject({
      kind: z.literal('ivBenzodiazepine'),
      drug: z.literal('midazolam'),
      doseMg: within(BL.ivBenzodiazepineMg.midazolam),
    }),
  ]),
  z.strictObject({ kind: z.literal('oralBaclofen'), doseMg: within(BL.oralBaclofenMg) }),
  z.strictObject({ kind: z.literal('cyproheptadine'), doseMg: within(BL.cyproheptadineMg) }),
  z.strictObject({ kind: z.literal('csfDrainage'), volumeMl: within(BL.csfDrainageMl) }),
  z.strictObject({ kind: z.literal('lumbarPunctureBolus'), doseMcg: within(BL.lumbarPunctureBolusMcg) }),
  z.strictObject({ kind: z.literal('airway'), support: z.enum(['ventilate', 'extubate']) }),
  z.strictObject({ kind: z.literal('catheterAspiration') }),
  z.strictObject({ kind: z.literal('imaging'), study: z.enum(['xray', 'contrastStudy']) }),
  z.strictObject({ kind: z.literal('callForHelp') }),
  z.strictObject({ kind: z.literal('pocketAspiration') }),
  z.strictObject({
    kind: z.literal('referral'),
    to: z.enum(['catheterRevision', 'urgentPumpReplacement', 'schedulePumpReplacement']),
  }),
]) satisfies z.ZodType<BedsideOrder>;

/** Each operation: its request schema. The result types are in `ProgrammerApi` below. */
export const requestSchemas = {
  listPorts: z.strictObject({}),
  connect: z.strictObject({
    target: connectTargetSchema,
    /** The patient, recorded at the start of the session record. */
    patient: patientContextSchema.optional(),
    /**
     * The clinic's IANA time zone (the screen's), from which the programmer sets the pump's local-time rule
     * at interrogation. Omitted: the programmer host's zone.
     */
    timeZone: timeZoneSchema.optional(),
    /** The patient's identifier as the clinic writes it (printed on the refill card). */
    patientId: patientIdSchema.optional(),
    /** The clinician running the session (recorded, printed on the refill card). */
    clinician: clinicianSchema.optional(),
  }),
  interrogate: z.strictObject({}),
  readProgram: z.strictObject({}),
  readLog: z.strictObject({ offset: nonNeg, count: int.min(1).max(50) }),
  /** The history the clinical rules need (from the pump log), so the edit screens use the review's inputs. */
  clinicalContext: z.strictObject({}),
  proposeChange: z.strictObject({
    change: programChangeSchema,
    /** Patient context for the titration guardrails. */
    origin: spasticityOriginSchema,
    /** Omitted: adult. */
    ageGroup: ageGroupSchema.optional(),
    /** Reason for a change because of side effects (allows a larger decrease). */
    sideEffects: z.boolean().optional(),
  }),
  commitChange: z.strictObject({
    proposalId: z.string().min(1).max(64),
    /** Required when the proposal has warnings beyond guidance. */
    overrideReason: z.string().max(500).optional(),
  }),
  verify: z.strictObject({}),
  stopPump: z.strictObject({}),
  resumePump: z.strictObject({}),
  silenceAlarms: z.strictObject({
    code: z.string().max(32).optional(),
    minutes: int.min(1).max(24 * 60),
  }),
  alarmTest: z.strictObject({}),
  endSession: z.strictObject({
    /** End even though the pump is stopped or mid-update; needs a reason, recorded. */
    force: z.boolean().optional(),
    reason: z.string().max(500).optional(),
  }),
  sessionRecord: z.strictObject({}),
  exportRecord: z.strictObject({ format: z.enum(['json', 'summary']) }),
  connectionState: z.strictObject({}),
  /** Before the pump: the candidacy decision for a structured case (src/shared/clinical/candidacy.ts). */
  assessCandidacy: CandidacyCaseSchema,
  /** Before the pump: the screening trial on the virtual patient, kept by the device host's screening desk. */
  screening: z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('view') }),
    z.strictObject({ action: z.literal('reset') }),
    ScreeningStartSchema.extend({ action: z.literal('start') }),
    ScreeningWaitSchema.extend({ action: z.literal('wait') }),
    ScreeningBolusSchema.extend({ action: z.literal('bolus') }),
    ScreeningAssessSchema.extend({ action: z.literal('assess') }),
    ScreeningRespondSchema.extend({ action: z.literal('respond') }),
    ScreeningPlanSchema.extend({ action: z.literal('plan') }),
    ScreeningAirwaySchema.extend({ action: z.literal('airway') }),
    ScreeningCandidacySchema.extend({ action: z.literal('candidacy') }),
    ScreeningDecideSchema.extend({ action: z.literal('decide') }),
  ]),
  /**
   * After a positive trial and its planned first programming: the embedded pump is replaced by a new,
   * empty pump of the planned model whose patient is the trial's, at the trial's time. Only with no
   * session open.
   */
  implantNewPump: z.strictObject({}),
  /** Training cases (issue 19): the library by title and objective, with each case's brief. */
  trainingCases: z.strictObject({}),
  /** The case in progress (its messages to the learner), or none. */
  trainingCase: z.strictObject({}),
  /** The embedded pump restarts in the case's starting state (only with no session open). */
  startTrainingCase: z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) }),
  /** Ends the case now; the debrief, with the session record's actions attached. */
  finishTrainingCase: z.strictObject({}),
  /** The ended case's debrief as a document: JSON or a stand-alone HTML page (print it for a PDF). */
  exportDebrief: z.strictObject({ format: z.enum(['json', 'html']) }),
  /** What happened to the pump since the previous session with it on this programmer (issue 17). */
  sinceLastVisit: z.strictObject({}),
  /** The bedside (the embedded pump's patient): examine, read the refill syringe, give an order, list. */
  bedsideExamine: z.strictObject({}),
  bedsideRefillSyringe: z.strictObject({}),
  bedsideOrder: z.strictObject({ order: bedsideOrderSchema }),
  bedsideActions: z.strictObject({}),
} as const satisfies Record<OperationName, z.ZodType>; // exactly one schema per operation

export type { OperationName };
export type RequestOf<K extends OperationName> = z.infer<(typeof requestSchemas)[K]>;

// ---------------------------------------------------------------- results

export interface PortInfo {
  path: string;
  manufacturer?: string;
  /** True for the embedded virtual pump's port. */
  embedded: boolean;
}

export type LinkState = 'disconnected' | 'connecting' | 'connected' | 'retrying' | 'lost';

export { emptyLinkStats, type LinkStats } from './link-stats';
import type { LinkStats } from './link-stats';

export interface ConnectionInfo {
  state: LinkState;
  portPath: string | null;
  embedded: boolean;
  pumpSerial: string | null;
  protocolVersion: number | null;
  stats: LinkStats;
  /** Host time (ms) of the last successful exchange, for marking stale values. */
  lastContactAt: number | null;
  /** The pump clock as this session set it, or null before it was (or with no session). */
  clock: PumpClockInfo | null;
  /** The patient ID and clinician given at connection (null when not given). */
  patientId: string | null;
  clinician: string | null;
}

export type RuleSeverity = 'info' | 'warning' | 'hardStop';

/** One clinical-rule finding on a proposal. `warning` needs an override reason; `hardStop` is refused. */
export interface RuleFinding {
  rule: string;
  severity: RuleSeverity;
  message: string;
  /** Where the rule comes from (label section, device profile, or "assumption"): docs/clinical-model.md. */
  source?: string;
}

/** One row of the side-by-side review screen. */
export interface ReviewRow {
  field: string;
  label: string;
  old: string;
  new: string;
  changed: boolean;
}

export interface Proposal {
  proposalId: string;
  /** What the rules judged: the pump's phase, the delivered dose, what this program cancels. */
  clinical: {
    phase: 'titration' | 'maintenance';
    currentDailyDose: number;
    effectiveDailyDose: number | null;
    changePer24hBp: number | null;
  };
  change: ProgramChange;
  rows: ReviewRow[];
  consequences: ProgramConsequences;
  /** Recommended next refill (before the low-reservoir alarm date, within the drug's stability limit). */
  nextRefillTime: PumpInstant | null;
  findings: RuleFinding[];
  /** True when the pump accepted the proposal in its prepare step and it may be committed. */
  committable: boolean;
  /** Errors the pump returned (or the programmer's own validation found). */
  errors: ProgramError[];
}

export interface VerifyResult {
  matches: boolean;
  mismatches: { field: string; expected: string; actual: string }[];
  program: PumpProgram;
}

export interface CommitResult {
  committed: boolean;
  verify: VerifyResult | null;
  errors: ProgramError[];
}

/** What makes ending a session unsafe now, most urgent first (the service reports the first that applies). */
export type EndSessionWarningCode =
  | 'UPDATE_IN_PROGRESS'
  | 'UNVERIFIED_UPDATE'
  | 'PUMP_STOPPED'
  | 'DELIVERY_SUSPENDED'
  | 'END_OF_SERVICE'
  | 'BATTERY_ERI'
  | 'REFILL_OVERDUE';

export interface EndSessionResult {
  ended: boolean;
  /** Present when the session was not ended: the screen must show it and ask for force + reason. */
  warning?: { code: EndSessionWarningCode; message: string };
}

export interface SessionRecordEntry {
  at: string;
  operation: OperationName | 'event';
  request: unknown;
  /**
   * 'intent': written (and fsync'd) before a command that may change the pump is sent, so that a crash
   * between the pump applying it and the outcome being recorded is found and reconciled at the next
   * connection (the outcome entry, or a reconciliation entry, follows it).
   */
  result: 'ok' | 'error' | 'warning' | 'intent';
  detail: unknown;
  reason?: string;
}

export interface OperationError {
  code:
    | 'BAD_REQUEST'
    | 'NOT_CONNECTED'
    | 'LINK_LOST'
    | 'PUMP_REFUSED'
    | 'UNKNOWN_PROPOSAL'
    | 'OVERRIDE_REASON_REQUIRED'
    | 'HARD_STOP'
    | 'PORT_ERROR'
    /** The bedside is not there (no embedded pump) or refused the action. */
    | 'BEDSIDE'
    | 'INTERNAL';
  message: string;
  details?: unknown;
}

/** Every operation returns this: a result or a clear error; never throws across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: OperationError };

export interface ProgrammerApi {
  listPorts(req: RequestOf<'listPorts'>): Promise<Result<PortInfo[]>>;
  connect(req: RequestOf<'connect'>): Promise<Result<ConnectionInfo>>;
  interrogate(req: RequestOf<'interrogate'>): Promise<Result<PumpStatus>>;
  readProgram(req: RequestOf<'readProgram'>): Promise<Result<PumpProgram>>;
  readLog(req: RequestOf<'readLog'>): Promise<Result<LogPage>>;
  clinicalContext(req: RequestOf<'clinicalContext'>): Promise<Result<ClinicalHistory>>;
  proposeChange(req: RequestOf<'proposeChange'>): Promise<Result<Proposal>>;
  commitChange(req: RequestOf<'commitChange'>): Promise<Result<CommitResult>>;
  verify(req: RequestOf<'verify'>): Promise<Result<VerifyResult>>;
  stopPump(req: RequestOf<'stopPump'>): Promise<Result<PumpStatus>>;
  resumePump(req: RequestOf<'resumePump'>): Promise<Result<PumpStatus>>;
  silenceAlarms(req: RequestOf<'silenceAlarms'>): Promise<Result<PumpStatus>>;
  alarmTest(req: RequestOf<'alarmTest'>): Promise<Result<PumpStatus>>;
  endSession(req: RequestOf<'endSession'>): Promise<Result<EndSessionResult>>;
  sessionRecord(req: RequestOf<'sessionRecord'>): Promise<Result<SessionRecordEntry[]>>;
  exportRecord(req: RequestOf<'exportRecord'>): Promise<Result<string>>;
  connectionState(req: RequestOf<'connectionState'>): Promise<Result<ConnectionInfo>>;
  assessCandidacy(req: RequestOf<'assessCandidacy'>): Promise<Result<CandidacyDecision>>;
  screening(req: RequestOf<'screening'>): Promise<Result<ScreeningView>>;
  implantNewPump(req: RequestOf<'implantNewPump'>): Promise<Result<ImplantResult>>;
  trainingCases(req: RequestOf<'trainingCases'>): Promise<Result<TrainingCaseSummary[]>>;
  trainingCase(req: RequestOf<'trainingCase'>): Promise<Result<TrainingCaseStatus>>;
  startTrainingCase(req: RequestOf<'startTrainingCase'>): Promise<Result<TrainingCaseStatus>>;
  finishTrainingCase(req: RequestOf<'finishTrainingCase'>): Promise<Result<Debrief>>;
  exportDebrief(req: RequestOf<'exportDebrief'>): Promise<Result<string>>;
  sinceLastVisit(req: RequestOf<'sinceLastVisit'>): Promise<Result<SinceLastVisit>>;
  bedsideExamine(req: RequestOf<'bedsideExamine'>): Promise<Result<BedsideExam>>;
  bedsideRefillSyringe(req: RequestOf<'bedsideRefillSyringe'>): Promise<Result<SyringeReading>>;
  bedsideOrder(req: RequestOf<'bedsideOrder'>): Promise<Result<BedsideAction>>;
  bedsideActions(req: RequestOf<'bedsideActions'>): Promise<Result<BedsideAction[]>>;
}

export interface DecodedFrame {
  direction: 'tx' | 'rx';
  at: number;
  bytes: string; // hex
  summary: string;
  ok: boolean;
}

/** Events pushed to subscribers. */
export type ProgrammerEvent =
  | { type: 'link'; connection: ConnectionInfo }
  | { type: 'alarm'; code: AlarmCode; raised: boolean; status: PumpStatus | null }
  | { type: 'frame'; frame: DecodedFrame };

export interface ProgrammerBridge extends ProgrammerApi {
  /** Subscribe to events; returns an unsubscribe function. */
  onEvent(listener: (event: ProgrammerEvent) => void): () => void;
}

export const OPERATIONS: OperationName[] = [...OPERATION_NAMES];

// ---------------------------------------------------------------- the browser host's WebSocket framing
// Page: http://127.0.0.1:PORT/?token=TOKEN ; socket: ws://127.0.0.1:PORT/api?token=TOKEN (refused without it).
export const wsClientMessageSchema = z.strictObject({
  kind: z.literal('call'),
  id: nonNeg,
  op: z.enum(OPERATIONS as [OperationName, ...OperationName[]]),
  request: z.unknown(),
});
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;
export type WsServerMessage =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: ProgrammerEvent }
  /** Sent for a message that is not valid JSON or not a valid call: nothing was done. */
  | { kind: 'error'; id: number | null; error: OperationError };
