/**
 * Expert: reads ERI and the replace-by date at the first visit and books the replacement; when the pump
 * reaches end of service anyway (the booking was cancelled), recognises that delivery has stopped, arranges
 * urgent replacement and bridges with oral baclofen.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, examine, interrogate, openSession } from './clinic';

const drive: Driver = async (svc, c) => {
  const status = await openSession(svc, c);
  if (status.battery !== 'eri' || status.replaceByTime === null)
    throw new Error('expected ERI with a replace-by date');
  const replaceBy = new Date(status.replaceByTime * 1000).toISOString().slice(0, 10);
  await c.bedside.record('schedulePumpReplacement', `replace before ${replaceBy}`);
  // The programmer warns at the end of a session on a pump at ERI: acknowledged with the plan.
  await closeSession(svc, `ERI: pump replacement scheduled before ${replaceBy}`);
  // The carer calls when the pump alarms again.
  const eos = await c.until({ kind: 'alarm', code: 'END_OF_SERVICE', event: 'raised' }, { limit: '95d' });
  if (!eos.met) throw new Error('the pump did not reach end of service');
  await c.advanceBy('1h'); // the carer's call and the drive in
  const now = await openSession(svc, c);
  if (now.battery !== 'endOfService' || !now.deliverySuspended) throw new Error('expected end of service');
  await examine(c);
  await c.bedside.intervene({ kind: 'oralBaclofen', doseMg: 20 });
  await interrogate(svc);
  await closeSession(svc, 'End of service: the pump has stopped; urgent replacement arranged');
  await c.bedside.record('urgentPumpReplacement', 'the pump reached end of service: replace today');
};
export default drive;
