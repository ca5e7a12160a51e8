/**
 * Expert: focal spasticity two months after a stroke. The rules answer "not yet" (too early: from 3-6 months)
 * and the spasticity is focal, so targeted botulinum toxin comes first; no screening trial.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'notYet') throw new Error(`expected "not yet": ${rec.summary}`);
  await desk(svc, {
    action: 'decide',
    decision: 'notYet',
    reason:
      'Two months after the stroke: too early (the document allows intrathecal baclofen from 3-6 months, for severe spasticity refractory to other treatments). The spasticity is focal (right arm): targeted botulinum toxin injections first, with splinting and stretching. Reconsider at 3-6 months if it becomes generalized and stays refractory.',
    tryFirst: ['botulinumToxin', 'positioningAndStretching'],
    reconsiderAtMonthsSinceOnset: rec.reconsiderAtMonthsSinceOnset ?? 3,
  });
};
export default drive;
