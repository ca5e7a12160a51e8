/**
 * Expert: multiple sclerosis, generalized spasticity after failed oral baclofen. Candidacy at the desk (the
 * rules recommend a trial), the decision recorded, the label's trial from 50 mcg with hourly monitoring,
 * the judgement at 4-8 h, then the first programming (SM2-20 at 500 mcg/mL).
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk, screeningDose } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'considerScreeningTrial')
    throw new Error(`expected a screening trial to be recommended: ${rec.summary}`);
  await desk(svc, {
    action: 'decide',
    decision: 'screeningTrial',
    reason:
      'Severe generalized spasticity of spinal origin (MS); oral baclofen ineffective at 80 mg/day and tizanidine not tolerated; pain, hygiene, transfers and caregiver burden. Screening trial from 50 mcg.',
  });
  const c = rec.view.candidate!;
  await desk(svc, {
    action: 'start',
    profile: c.profile,
    seed: c.seed,
    smallPatient: rec.firstScreeningDoseMcg === 25,
  });
  const r = await screeningDose(svc, rec.firstScreeningDoseMcg ?? 50);
  if (r.response !== 'effective') throw new Error(`expected a response to 50 mcg: ${r.reason}`);
  await desk(svc, { action: 'plan', model: 'SM2-20', concentration: 500 });
};
export default drive;
