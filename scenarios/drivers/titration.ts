/**
 * The titration round shared by the spinal and the paediatric cases: each morning, examine; if at least 24 h
 * have passed since the start or the last change and the tone is still Modified Ashworth 2 or worse (and
 * the patient is alert), raise the dose by the band's step; stop at 1+ or better. Decisions from the
 * bedside examination and the programmer's read-back only.
 */
import type { CaseHandle } from '../../src/training/scenario/driver';
import type { ProgrammerApi } from '../../src/shared/contract';
import {
  DAY,
  HOUR,
  closeSession,
  continuousDose,
  examine,
  increasedDose,
  looksOverdosed,
  masAtLeast,
  openSession,
  program,
  readProgram,
} from './clinic';

export interface TitrationPlan {
  /** Percent per step, inside the label's band (spinal 10-30%, cerebral and children 5-15%). */
  stepPercent: number;
  /** Ward rounds, days after the start. */
  rounds: number;
  reason: string;
}

export async function titrate(svc: ProgrammerApi, c: CaseHandle, plan: TitrationPlan): Promise<void> {
  await openSession(svc, c);
  const started = (await readProgram(svc)).programmedAt;
  await examine(c);
  await closeSession(svc);
  let lastChange = started;
  for (let day = 1; day <= plan.rounds; day++) {
    // The morning round, an hour after the start's time of day.
    await c.advanceTo(c.startTime + day * DAY + HOUR);
    const f = await examine(c);
    if (looksOverdosed(f))
      throw new Error(`the patient looks overdosed on day ${day + 1}: the plan was wrong`);
    const now = await c.now();
    if (!masAtLeast(f.modifiedAshworth, '2') || now - lastChange < DAY) continue;
    await openSession(svc, c);
    const dose = continuousDose(await readProgram(svc));
    await program(
      svc,
      c,
      { therapy: { mode: 'continuous', dailyDoseNgPerDay: increasedDose(dose, plan.stepPercent) } },
      { reason: plan.reason },
    );
    lastChange = await c.now();
    await closeSession(svc);
  }
}
