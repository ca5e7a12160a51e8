/**
 * Engineer's driver: waits for the critical memory error the bench injects, interrogates and checks the
 * programmer shows the alarm and the suspended delivery, then checks both are gone after the bench clears it.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, openSession } from './clinic';

const CODE = 'MEMORY_ERROR_CRITICAL';

const drive: Driver = async (svc, c) => {
  const raised = await c.until({ kind: 'alarm', code: CODE, event: 'raised' }, { limit: '1h' });
  if (!raised.met) throw new Error(`${CODE} was not raised`);
  const status = await openSession(svc, c);
  if (!status.alarms.some((a) => a.code === CODE) || !status.deliverySuspended)
    throw new Error(`the programmer does not show ${CODE} with delivery suspended`);
  await closeSession(svc, `Alarm test: ${CODE}, delivery suspended until the bench clears it`);
  const cleared = await c.until({ kind: 'alarm', code: CODE, event: 'cleared' }, { limit: '3h' });
  if (!cleared.met) throw new Error(`${CODE} did not clear`);
  const after = await openSession(svc, c);
  if (after.alarms.some((a) => a.code === CODE) || after.deliverySuspended)
    throw new Error('the programmer still shows the error or a suspended delivery');
  await closeSession(svc);
};
export default drive;
