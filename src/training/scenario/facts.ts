/**
 * Facts: what the runner records while a case plays, each with its pump time (`t`, seconds since 1970 on
 * the pump's clock). Expectations and handlers are evaluated from these only, so a debrief can be
 * recomputed from a saved list and says exactly what evidence it used.
 *
 * Sources: the pump's commands as the protocol endpoint handled them (`command`), its notifications
 * (`alarm`, `tone`), its state at each clock step when it changed (`pump`), the patient's history events
 * (`withdrawal`, `overdose`, `intervention`), the learner's bedside actions (`bedside`, issue 20), the
 * runner's own events (`timeline`, `handler`, `message`, `start`, `end`), and at debrief time the
 * programmer's session record (`session`).
 */
import type { Intervention, OverdoseStage, WithdrawalStage } from '../../patient';
import type { ChangeKind, CommandName } from './schema';

type AlarmCode =
  | 'LOW_RESERVOIR'
  | 'EMPTY_RESERVOIR'
  | 'ERI'
  | 'END_OF_SERVICE'
  | 'MOTOR_STALL'
  | 'MEMORY_ERROR_NONCRITICAL'
  | 'MEMORY_ERROR_CRITICAL'
  | 'CATHETER_OCCLUSION';

export type Fact =
  | { t: number; kind: 'start'; scenario: string }
  | { t: number; kind: 'end'; reason: string }
  | { t: number; kind: 'alarm'; code: AlarmCode; event: 'raised' | 'cleared' }
  | { t: number; kind: 'tone'; code: AlarmCode; priority: 'critical' | 'nonCritical'; test: boolean }
  | {
      t: number;
      kind: 'command';
      command: CommandName;
      /** Whether the pump accepted it. */
      ok: boolean;
      /** For prepared/committed: the kinds of change in it. */
      changes?: ChangeKind[];
      /** For interrogated: the alarms the status showed. */
      alarms?: AlarmCode[];
      /** Words for the debrief, e.g. "dose 400 mcg/day". */
      detail?: string;
    }
  | { t: number; kind: 'intervention'; intervention: Intervention; by: 'learner' | 'scenario' }
  | { t: number; kind: 'bedside'; action: string; detail: string }
  | { t: number; kind: 'withdrawal'; stage: WithdrawalStage }
  | { t: number; kind: 'overdose'; stage: OverdoseStage }
  | {
      t: number;
      kind: 'pump';
      mode: string;
      suspended: boolean;
      battery: 'ok' | 'eri' | 'endOfService';
      catheter: 'patent' | 'partialOcclusion' | 'fullOcclusion' | 'disconnected';
      /** Calculated reservoir, uL. */
      reservoirUl: number;
      /** Programmed daily dose, ng/day (0 while stopped or suspended). */
      doseNgPerDay: number;
    }
  | { t: number; kind: 'timeline'; id: string }
  | { t: number; kind: 'handler'; id: string }
  | { t: number; kind: 'message'; text: string }
  | { t: number; kind: 'session'; operation: string; result: string; at: string };

export type FactKind = Fact['kind'];

/** A learner's bedside action as the bedside (issue 20) hands it to the runner. */
export interface LearnerFact {
  action: string;
  detail: string;
}

/** At most this many facts per case; beyond it the runner keeps recording only alarms, commands and ends. */
export const MAX_FACTS = 50_000;
