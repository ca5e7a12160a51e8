/**
 * Expert: a 17 kg child with cerebral palsy. The rules recommend a trial starting at 25 mcg (a very small
 * patient); the trial runs on the small patient's ladder with a child's close monitoring; after a positive
 * response, the first programming (SM2-20 at 500 mcg/mL).
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk, screeningDose } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'considerScreeningTrial' || rec.firstScreeningDoseMcg !== 25)
    throw new Error(`expected a trial from 25 mcg: ${rec.summary}`);
  await desk(svc, {
    action: 'decide',
    decision: 'screeningTrial',
    reason:
      'Severe generalized spasticity (GMFCS V) limiting positioning and care; botulinum toxin partial, oral baclofen not tolerated. Age 7 (above 4). 17 kg: a very small patient, so the screening starts at 25 mcg.',
  });
  const c = rec.view.candidate!;
  await desk(svc, { action: 'start', profile: c.profile, seed: c.seed, smallPatient: true });
  const r = await screeningDose(svc, 25);
  if (r.response !== 'effective') throw new Error(`expected a response to 25 mcg: ${r.reason}`);
  await desk(svc, { action: 'plan', model: 'SM2-20', concentration: 500 });
};
export default drive;
