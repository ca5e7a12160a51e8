/**
 * Expert: an excessive response to the first 50 mcg bolus. Hourly monitoring shows sedation deeper than
 * drowsy and hypotonia rising to the trunk: the response is recorded as adverse (the ladder stops), vital
 * signs and consciousness are watched hourly (airway support if breathing is depressed) until he is alert
 * and breathing normally, and the decision is recorded: no implant on this trial; a new trial at 25 mcg
 * once recovered, since the tone did fall (a responder sensitive to the dose).
 */
import type { Driver } from '../../src/training/scenario/driver';
import { assessAtDesk, desk, monitorUntilRecovered, screeningDose } from './screening';

const drive: Driver = async (svc) => {
  const rec = await assessAtDesk(svc);
  if (rec.recommendation !== 'considerScreeningTrial') throw new Error(`expected a trial: ${rec.summary}`);
  await desk(svc, {
    action: 'decide',
    decision: 'screeningTrial',
    reason:
      'Severe generalized spasticity 30 months after a brain injury (past the one year the label asks); oral baclofen not tolerated, tizanidine ineffective at 36 mg/day; pain, seating and function. Screening trial from 50 mcg.',
  });
  const c = rec.view.candidate!;
  await desk(svc, { action: 'start', profile: c.profile, seed: c.seed, smallPatient: false });
  const r = await screeningDose(svc, 50);
  if (r.response !== 'adverse') throw new Error(`expected an adverse response: ${r.reason}`);
  await monitorUntilRecovered(svc);
  await desk(svc, {
    action: 'decide',
    decision: 'retrialLowerDose',
    reason: `${r.reason} Monitored hourly until alert and breathing normally. No implant on this trial. The tone did fall, so he is sensitive to the dose rather than unresponsive: a new trial at 25 mcg after full recovery, with close monitoring of breathing and consciousness.`,
  });
};
export default drive;
