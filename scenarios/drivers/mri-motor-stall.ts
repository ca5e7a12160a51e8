/**
 * Expert: interrogates before the MRI (and leaves the pump running), interrogates when she is back, sees the
 * stall, and re-interrogates every 2 hours until delivery has resumed; then reads the log for the stall
 * and recovery entries. Decides from the pump's status only.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { HOUR, closeSession, examine, interrogate, ok, openSession } from './clinic';

const drive: Driver = async (svc, c) => {
  await openSession(svc, c);
  await closeSession(svc);
  const back = await c.until({ kind: 'timeline', id: 'back' }, { limit: '4h' });
  if (!back.met) throw new Error('she did not come back from the scan');
  let status = await openSession(svc, c);
  // Every 2 hours until the motor runs again (recovery can take 2-24 h).
  for (
    let i = 0;
    i < 12 && (status.deliverySuspended || status.alarms.some((a) => a.code === 'MOTOR_STALL'));
    i++
  ) {
    await closeSession(svc, 'Motor stall after MRI: waiting for the pump to recover; re-check in 2 hours');
    await c.advanceBy(2 * HOUR);
    await examine(c);
    status = await openSession(svc, c);
  }
  if (status.deliverySuspended) throw new Error('the motor did not recover in 24 hours');
  const log = ok(await svc.readLog({ offset: 0, count: 20 }), 'read log');
  if (!log.entries.some((e) => e.kind === 'MOTOR_STALL_RECOVERY')) await interrogate(svc);
  await closeSession(svc);
};
export default drive;
