/**
 * The instructor's auto-pause on a condition: the clock pauses itself the first time one of the chosen
 * conditions holds (an alarm is raised, the patient's withdrawal or overdose reaches a stage). Checked by
 * the host after every clock step and at every alarm, so a running clock stops within one display tick of
 * the moment (at x100000 and a 50 ms tick, about 83 pump minutes); an auto-pause at a time is exact
 * (clock.ts). Conditions are used once: the list is cleared when it fires, as the instructor set it for
 * that moment.
 */
import { z } from 'zod';
import type { OverdoseStage, PatientFindings, WithdrawalStage } from '../src/patient';

export const WITHDRAWAL_STAGES = ['none', 'early', 'moderate', 'severe', 'lifeThreatening'] as const;
export const OVERDOSE_STAGES = ['none', 'mild', 'moderate', 'severe'] as const;

export const autoPauseConditionSchema = z.discriminatedUnion('kind', [
  /** Any alarm raised by the pump. */
  z.strictObject({ kind: z.literal('alarm') }),
  z.strictObject({
    kind: z.literal('withdrawalStage'),
    atLeast: z.enum(WITHDRAWAL_STAGES).exclude(['none']),
  }),
  z.strictObject({ kind: z.literal('overdoseStage'), atLeast: z.enum(OVERDOSE_STAGES).exclude(['none']) }),
]);
export type AutoPauseCondition = z.infer<typeof autoPauseConditionSchema>;

/** `POST /clock/auto-pause`: a pump time (null cancels it) and/or conditions (an empty list cancels them). */
export const autoPauseSchema = z
  .strictObject({
    at: z.number().int().nonnegative().nullable().optional(),
    when: z.array(autoPauseConditionSchema).max(8).optional(),
  })
  .refine((v) => v.at !== undefined || v.when !== undefined, {
    message: 'give "at" (a pump time, or null to cancel) and/or "when" (conditions, [] to cancel)',
  });
export type AutoPauseRequest = z.infer<typeof autoPauseSchema>;

const rank = <T extends string>(order: readonly T[], v: T): number => order.indexOf(v);

/** The first condition that holds now, in words, or null. `alarmRaised` is the code of an alarm just raised. */
export function firedCondition(
  conditions: readonly AutoPauseCondition[],
  findings: Pick<PatientFindings, 'withdrawal' | 'overdose'>,
  alarmRaised: string | null,
): string | null {
  for (const c of conditions) {
    if (c.kind === 'alarm' && alarmRaised !== null) return `alarm ${alarmRaised} raised`;
    if (
      c.kind === 'withdrawalStage' &&
      rank<WithdrawalStage>(WITHDRAWAL_STAGES, findings.withdrawal.stage) >=
        rank(WITHDRAWAL_STAGES, c.atLeast)
    )
      return `withdrawal reached ${findings.withdrawal.stage}`;
    if (
      c.kind === 'overdoseStage' &&
      rank<OverdoseStage>(OVERDOSE_STAGES, findings.overdose.stage) >= rank(OVERDOSE_STAGES, c.atLeast)
    )
      return `overdose reached ${findings.overdose.stage}`;
  }
  return null;
}
