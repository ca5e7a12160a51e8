/**
 * Expert driver: what an experienced clinician does when a patient on intrathecal baclofen reports stiff
 * legs and itching and the pump has not alarmed (the label's withdrawal warning; Coffey 2002).
 */
import type { Driver } from '../src/training/scenario/driver';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const drive: Driver = async (svc, c) => {
  // The call comes in; the patient is brought to the clinic within the hour.
  const call = await c.until({ kind: 'timeline', id: 'phone-call' }, { limit: '1d' });
  if (!call.met) throw new Error('the phone call never came');
  await c.advanceBy('1h');
  ok(await svc.connect({ target: { kind: 'embedded' }, patient: c.patient }));
  const status = ok(await svc.interrogate({}));
  ok(await svc.readLog({ offset: 0, count: 50 }));
  // The pump reports no alarm and a normal reservoir: the signs point at the catheter, not the pump.
  const exam = await c.bedside.examine();
  if (!exam.symptoms.length && status.alarms.length === 0)
    throw new Error('nothing to see: the case did not develop');
  // Treat the withdrawal while the cause is found: oral baclofen, and a benzodiazepine for the spasms.
  await c.bedside.intervene({ kind: 'oralBaclofen', doseMg: 20 });
  await c.bedside.intervene({ kind: 'ivBenzodiazepine', drug: 'lorazepam', doseMg: 2 });
  // No dose increase into a catheter that may be blocked: investigate it first.
  await c.bedside.record('catheterAccessPortAspiration', 'no CSF returns through the catheter access port');
  const msgs = await c.messages();
  if (!msgs.some((m) => /occluded/.test(m.text))) throw new Error('the investigation found nothing');
  await c.advanceBy('3h');
  await c.bedside.record('catheterRevision', 'neurosurgery revises the catheter');
  ok(await svc.endSession({}));
  // Watch the patient recover over the next day.
  await c.advanceBy('1d');
};

export default drive;
