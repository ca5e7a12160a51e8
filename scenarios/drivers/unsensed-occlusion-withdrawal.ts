/**
 * Expert: the pump has not alarmed, but the patient's signs (rebound spasticity, itching, a racing heart)
 * in a man stable for years say the drug is not arriving. Interrogate and read the log (no stall, no empty
 * reservoir, the program unchanged), no increase, treat the withdrawal (oral baclofen; an IV benzodiazepine
 * when fever, confusion or a racing heart appear), investigate the catheter and have it revised.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { HOUR, closeSession, examine, looksLikeWithdrawal, ok, openSession, readProgram } from './clinic';

const drive: Driver = async (svc, c) => {
  const call = await c.until({ kind: 'timeline', id: 'phone-call' }, { limit: '1d' });
  if (!call.met) throw new Error('the call did not come');
  await c.advanceBy(HOUR); // the drive in
  const status = await openSession(svc, c);
  await readProgram(svc);
  ok(await svc.readLog({ offset: 0, count: 20 }), 'read log');
  await closeSession(svc);
  if (status.deliverySuspended || status.alarms.length > 0) throw new Error('the pump alarms: not this case');
  const f = await examine(c);
  if (!looksLikeWithdrawal(f, '1+')) throw new Error('no withdrawal signs: not this case');
  await c.bedside.intervene({ kind: 'oralBaclofen', doseMg: 20 });
  if (f.vitals.temperatureC >= 38 || f.mentalStatus !== 'normal' || f.vitals.heartRateBpm >= 110)
    await c.bedside.intervene({ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 });
  await c.bedside.record('catheterAccessPortAspiration', 'withdrawal with a silent pump: catheter study');
  await c.advanceBy(3 * HOUR);
  await c.bedside.record('catheterRevision', 'occluded catheter: revise');
  await c.advanceBy(6 * HOUR);
  const after = await examine(c);
  if (after.vitals.temperatureC >= 38)
    await c.bedside.intervene({ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 });
};
export default drive;
