/**
 * Expert: the pump reports an empty reservoir. Refill at once with the same drug, check that the alarm has
 * cleared and delivery resumed, examine, and record the follow-up plan for the next refill.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, examine, interrogate, openSession, refill } from './clinic';

const drive: Driver = async (svc, c) => {
  const status = await openSession(svc, c);
  if (!status.alarms.some((a) => a.code === 'EMPTY_RESERVOIR')) throw new Error('expected the empty alarm');
  await refill(svc, c, status, {
    concentration: status.concentrationMcgPerMl,
    fillMl: 20,
    reason: 'Refill after a missed appointment: the reservoir was empty',
  });
  const after = await interrogate(svc);
  if (after.deliverySuspended || after.alarms.some((a) => a.code === 'EMPTY_RESERVOIR'))
    throw new Error('delivery did not resume after the refill');
  await examine(c);
  await c.bedside.record(
    'followUp',
    'next refill booked before the low-reservoir date; carer taught the alarm tones',
  );
  await closeSession(svc);
};
export default drive;
