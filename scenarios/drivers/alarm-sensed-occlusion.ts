/**
 * Engineer's driver: waits for the alarm the bench's fault should raise (the test's subject is the bench),
 * interrogates and checks the programmer shows it, then checks it is gone after the fault clears.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, interrogate, openSession } from './clinic';

const CODE = 'CATHETER_OCCLUSION';

const drive: Driver = async (svc, c) => {
  const raised = await c.until({ kind: 'alarm', code: CODE, event: 'raised' }, { limit: '3h' });
  if (!raised.met) throw new Error(`${CODE} was not raised`);
  const status = await openSession(svc, c);
  if (!status.alarms.some((a) => a.code === CODE)) throw new Error(`the programmer does not show ${CODE}`);
  await closeSession(svc, `Alarm test: ${CODE} active while the occlusion persists`);
  const cleared = await c.until({ kind: 'alarm', code: CODE, event: 'cleared' }, { limit: '4h' });
  if (!cleared.met) throw new Error(`${CODE} did not clear`);
  await openSession(svc, c);
  const after = await interrogate(svc);
  if (after.alarms.some((a) => a.code === CODE)) throw new Error(`the programmer still shows ${CODE}`);
  await closeSession(svc);
};
export default drive;
