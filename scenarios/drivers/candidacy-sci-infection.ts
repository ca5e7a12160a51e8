/**
 * Expert: spinal cord injury with an infected pressure ulcer. A candidate otherwise, but implantation is
 * contraindicated in active infection and a lumbar puncture is not done during it: defer until treated.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'notYet') throw new Error(`expected "not yet": ${rec.summary}`);
  if (!rec.reasons.some((r) => r.rule === 'ACTIVE_INFECTION'))
    throw new Error('expected the active infection among the reasons');
  await desk(svc, {
    action: 'decide',
    decision: 'notYet',
    reason:
      'Active infection (infected sacral pressure ulcer with cellulitis, febrile, on antibiotics): implantation is contraindicated in active infection and no screening lumbar puncture now. Treat the infection and heal the wound (pressure care, tissue viability), then reassess for a screening trial: otherwise a good candidate.',
  });
};
export default drive;
