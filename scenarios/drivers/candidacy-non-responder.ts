/**
 * Expert: the label's ladder to its end. 50 mcg, then 75 and 100 mcg each 24 h after an inadequate
 * response; no response to 100 mcg: not a candidate, recorded with the reason. No pump is planned.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk, screeningDose } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'considerScreeningTrial') throw new Error(`expected a trial: ${rec.summary}`);
  await desk(svc, {
    action: 'decide',
    decision: 'screeningTrial',
    reason:
      'Severe generalized spasticity of spinal origin; oral baclofen and tizanidine ineffective at their maximum doses; walking and quality of life limited. Screening trial from 50 mcg.',
  });
  const c = rec.view.candidate!;
  await desk(svc, { action: 'start', profile: c.profile, seed: c.seed, smallPatient: false });
  for (const dose of [50, 75, 100]) {
    const r = await screeningDose(svc, dose);
    if (r.response === 'effective') throw new Error(`did not expect a response to ${dose} mcg`);
    if (r.response === 'adverse') throw new Error(`did not expect an adverse response: ${r.reason}`);
  }
  const v = await desk(svc, { action: 'view' });
  if (v.decision?.outcome !== 'notCandidate') throw new Error('the ladder did not end at 100 mcg');
  await desk(svc, {
    action: 'decide',
    decision: 'notCandidate',
    reason:
      'No fall in tone at 4-8 h after 50, 75 or 100 mcg (Modified Ashworth unchanged): no response to 100 mcg, so not a candidate for an implanted pump. Continue oral treatment and physiotherapy; discuss other options.',
  });
};
export default drive;
