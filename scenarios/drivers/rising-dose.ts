/**
 * Expert: at the visit, interrogates (no alarm, the reservoir as calculated) and examines: rebound
 * spasticity with itching in a patient stable for years is under-delivery until proven otherwise. No
 * increase; orders a catheter access-port study, has the leaking catheter revised, and gives oral
 * baclofen for the signs in the meantime.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, examine, looksLikeWithdrawal, openSession, readProgram } from './clinic';

const drive: Driver = async (svc, c) => {
  const visit = await c.until({ kind: 'timeline', id: 'clinic-visit' }, { limit: '2d' });
  if (!visit.met) throw new Error('the visit did not happen');
  const status = await openSession(svc, c);
  await readProgram(svc);
  const log = await svc.readLog({ offset: 0, count: 20 });
  if (!log.ok) throw new Error(log.error.message);
  const f = await examine(c);
  await closeSession(svc);
  if (status.alarms.length > 0) throw new Error('an alarm: not this case');
  if (!looksLikeWithdrawal(f, '1+')) throw new Error('no sign of under-delivery: not this case');
  await c.bedside.intervene({ kind: 'oralBaclofen', doseMg: 20 });
  await c.bedside.record(
    'catheterAccessPortAspiration',
    'loss of efficacy with withdrawal signs: catheter study before any increase',
  );
  await c.advanceBy('4h');
  await c.bedside.record('catheterRevision', 'leak found at the anchor: revise');
  await c.advanceBy('6h');
  await examine(c);
};
export default drive;
