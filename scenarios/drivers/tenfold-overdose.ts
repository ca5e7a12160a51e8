/**
 * Expert: the pump was told 50 mcg/mL while the syringe's label reads 500 mcg/mL: ten times the dose. Stop
 * the delivery at once, drain 35 mL of CSF, support breathing while it fails, observe until the signs
 * clear, and hand over with the pump stopped (it is restarted only after the reservoir is emptied and
 * refilled with the right entry). Decides from the program read back and the examination.
 */
import type { Driver } from '../../src/training/scenario/driver';
import {
  HOUR,
  closeSession,
  examine,
  interrogate,
  looksOverdosed,
  ok,
  openSession,
  readProgram,
} from './clinic';

/** The empty syringe's label (the brief). */
const SYRINGE_LABEL_MCG_PER_ML = 500;

const drive: Driver = async (svc, c) => {
  await openSession(svc, c);
  const prog = await readProgram(svc);
  const first = await examine(c);
  const mismatch = prog.concentrationMcgPerMl !== SYRINGE_LABEL_MCG_PER_ML;
  if (!mismatch && !looksOverdosed(first))
    throw new Error('no concentration mismatch and no overdose: not this case');
  // The pump delivers 500 mcg/mL drug at the rate for 50: stop first, investigate after.
  ok(await svc.stopPump({}), 'stop pump');
  await interrogate(svc);
  await c.bedside.intervene({ kind: 'csfDrainage', volumeMl: 35 });
  let ventilated = false;
  // Observe every 30 minutes for 8 hours: breathing support while it is needed.
  for (let t = 0; t < 16; t++) {
    await c.advanceBy(HOUR / 2);
    const f = await examine(c);
    const failing = f.vitals.spo2Percent < 92 || f.vitals.respiratoryRatePerMin < 8;
    if (failing && !ventilated) {
      await c.bedside.intervene({ kind: 'ventilation', on: true });
      ventilated = true;
    } else if (ventilated && !looksOverdosed(f)) {
      await c.bedside.intervene({ kind: 'ventilation', on: false });
      ventilated = false;
    }
  }
  await closeSession(
    svc,
    'Tenfold overdose: 50 mcg/mL entered for a 500 mcg/mL syringe. Pump stopped on purpose until the reservoir is emptied and refilled with the correct concentration; admitted for observation.',
  );
};
export default drive;
