/**
 * The operations that reach the embedded pump's host rather than the pump: the bedside (the patient as a
 * clinician meets them, docs/bedside-api.md), the screening desk, implanting a new pump after a positive
 * trial, and the training cases (issue 19). Thin: each validates what the programmer can tell by itself,
 * then passes through to the bedside API (bedside-client.ts); a case or an implant restarts the embedded
 * pump. The service wraps each in its `run` (validation of the request shape, recording).
 */
import type { RequestOf, SessionRecordEntry } from '../../shared/contract';
import type { BedsideAction, BedsideExam, BedsideOrder, SyringeReading } from '../../shared/bedside';
import { ScreeningViewSchema, type ImplantResult, type ScreeningView } from '../../shared/screening-view';
import type { Debrief, TrainingCaseStatus, TrainingCaseSummary } from '../../shared/training-case';
import { BedsideError, type BedsideClient } from './bedside-client';
import { OpError } from './op-error';

export interface BedsideDeps {
  /** The bedside client of the embedded pump that runs now, or null (no embedded pump). */
  bedside(): BedsideClient | null;
  /** Restart the embedded pump with these arguments added (embedded-host.ts). */
  restart(args: string[]): Promise<unknown>;
  /** A session with a pump is open (or its link is lost and retrying): no new pump or case now. */
  sessionOpen(): boolean;
  /** The session record's entries (the current session's, else the last one's). */
  recordEntries(): SessionRecordEntry[];
}

export class BedsideOperations {
  constructor(private readonly deps: BedsideDeps) {}

  // ------------------------------------------------------------ the bedside (docs/bedside-api.md)
  // The embedded pump's patient, through its host's bedside API (never the bench). Recorded in the session
  // record when a session is open; the host keeps its own record with pump times either way.

  examine(): Promise<BedsideExam> {
    return this.onBedside((b) => b.examine());
  }

  refillSyringe(): Promise<SyringeReading> {
    return this.onBedside((b) => b.refillSyringe());
  }

  order(order: BedsideOrder): Promise<BedsideAction> {
    return this.onBedside((b) => b.order(order));
  }

  actions(): Promise<BedsideAction[]> {
    return this.onBedside((b) => b.actions());
  }

  // ------------------------------------------------------------ screening and implant (issue 21)

  async screening({ action, ...body }: RequestOf<'screening'>): Promise<ScreeningView> {
    // The trial runs on the embedded pump's host, beside the patient (firmware-sim/screening-desk.ts).
    const view = ScreeningViewSchema.safeParse(await this.onBedside((b) => b.screening(action, body)));
    if (!view.success)
      throw new OpError('BEDSIDE', 'Bedside: the screening desk answered with a malformed trial.');
    return view.data;
  }

  async implantNewPump(): Promise<ImplantResult> {
    if (this.deps.sessionOpen())
      throw new OpError('BAD_REQUEST', 'End the session with the current pump before implanting a new one.');
    const got = ScreeningViewSchema.safeParse(await this.onBedside((b) => b.screening('view', {})));
    const v = got.success ? got.data : null;
    const plan = v?.firstProgramming;
    if (!v || v.decision?.outcome !== 'positive' || !plan || v.now === null || !v.profile || v.seed === null)
      throw new OpError(
        'BAD_REQUEST',
        'Implant after a positive screening trial, once its first programming is planned.',
      );
    // A new pump: empty, never programmed, of the planned model; the same patient, baclofen-naive apart
    // from the screening doses (whose few micrograms have cleared by the implant), on the trial's clock.
    await this.deps.restart([
      '--reset',
      '--model',
      plan.model,
      '--start-time',
      String(v.now),
      '--patient',
      `${v.profile}:naive`,
      '--patient-seed',
      String(v.seed),
    ]);
    return { model: plan.model, implantedAt: v.now, profile: v.profile, seed: v.seed, plan };
  }

  // ------------------------------------------------------------ training cases (issue 19)
  // The case runs in the embedded pump's host; the learner reaches it through the bedside API, which
  // answers without the case's secrets until its end.

  trainingCases(): Promise<TrainingCaseSummary[]> {
    return this.onBedside((b) => b.training('/cases') as Promise<TrainingCaseSummary[]>);
  }

  trainingCase(): Promise<TrainingCaseStatus> {
    return this.onBedside((b) => b.training('/case') as Promise<TrainingCaseStatus>);
  }

  async startTrainingCase(id: string): Promise<TrainingCaseStatus> {
    if (this.deps.sessionOpen())
      throw new OpError('BAD_REQUEST', 'End the session with the pump before starting a training case.');
    const cases = await this.onBedside((b) => b.training('/cases') as Promise<TrainingCaseSummary[]>);
    if (!cases.some((c) => c.id === id))
      throw new OpError('BAD_REQUEST', `There is no training case "${id}" in the library.`);
    // A fresh pump, patient and clock in the case's starting state; a later restart resumes the case.
    await this.deps.restart(['--scenario', id]);
    return this.onBedside((b) => b.training('/case') as Promise<TrainingCaseStatus>);
  }

  finishTrainingCase(): Promise<Debrief> {
    const sessionRecord = this.deps
      .recordEntries()
      .filter((e) => e.operation !== 'event')
      .slice(-2000)
      .map((e) => ({ at: e.at, operation: e.operation, result: e.result }));
    return this.onBedside((b) => b.training('/case/finish', { sessionRecord }) as Promise<Debrief>);
  }

  async exportDebrief(format: RequestOf<'exportDebrief'>['format']): Promise<string> {
    return format === 'html'
      ? this.onBedside((b) => b.debriefHtml())
      : JSON.stringify(await this.onBedside((b) => b.training('/case/debrief')), null, 2);
  }

  private async onBedside<T>(call: (b: BedsideClient) => Promise<T>): Promise<T> {
    const client = this.deps.bedside();
    if (!client)
      throw new OpError('BEDSIDE', 'No patient at the bedside: the embedded virtual pump is not running.');
    try {
      return await call(client);
    } catch (e) {
      if (e instanceof BedsideError)
        throw new OpError(e.status === 400 ? 'BAD_REQUEST' : 'BEDSIDE', `Bedside: ${e.message}`);
      throw e;
    }
  }
}
