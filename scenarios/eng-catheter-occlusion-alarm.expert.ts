/** Expert driver of the ENG occlusion alarm test: wait for the alarm, then read it as a clinician would. */
import type { Driver } from '../src/training/scenario/driver';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const drive: Driver = async (svc, c) => {
  const hit = await c.until({ kind: 'alarm', code: 'CATHETER_OCCLUSION' }, { limit: '6h' });
  if (!hit.met) throw new Error('no occlusion alarm within 6 h');
  ok(await svc.connect({ target: { kind: 'embedded' }, patient: c.patient }));
  const st = ok(await svc.interrogate({}));
  if (!st.alarms.some((a) => a.code === 'CATHETER_OCCLUSION'))
    throw new Error('the programmer does not show it');
  ok(await svc.endSession({}));
};

export default drive;
