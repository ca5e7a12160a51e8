/** Expert driver of the critical memory error alarm test. */
import type { Driver } from '../src/training/scenario/driver';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const drive: Driver = async (svc, c) => {
  const hit = await c.until({ kind: 'alarm', code: 'MEMORY_ERROR_CRITICAL' }, { limit: '6h' });
  if (!hit.met) throw new Error('no memory error alarm within 6 h');
  await c.advanceBy('10m');
  ok(await svc.connect({ target: { kind: 'embedded' }, patient: c.patient }));
  const st = ok(await svc.interrogate({}));
  if (!st.alarms.some((a) => a.code === 'MEMORY_ERROR_CRITICAL'))
    throw new Error('the programmer does not show it');
  // The pump is stopped by its fault: the session ends with the reason recorded.
  ok(await svc.endSession({ force: true, reason: 'critical memory error: pump to be replaced' }));
};

export default drive;
