/**
 * Expert: a refill that changes 500 to 1000 mcg/mL at the same daily dose, with the bridge bolus for the old
 * drug in the dead space. Decides from what the programmer reads (the program's dose, the pump's rate and
 * concentration) and from the brief (the new syringe's label, the catheter volume of the implant record).
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, continuousDose, openSession, readProgram, refill } from './clinic';

/** The syringe's label and the implant record's catheter volume (the brief). */
const NEW_CONCENTRATION = 1000;
const CATHETER_UL = 120;

const drive: Driver = async (svc, c) => {
  const status = await openSession(svc, c);
  const dose = continuousDose(await readProgram(svc));
  await refill(svc, c, status, {
    concentration: NEW_CONCENTRATION,
    fillMl: 20,
    therapyDailyDose: dose,
    bridgeCatheterUl: CATHETER_UL,
    reason:
      'Planned change to 1000 mcg/mL to halve the refill visits; same daily dose; bridge bolus for the old drug',
    acceptWarnings: ['CONCENTRATION_CHANGED'],
  });
  await closeSession(svc);
};
export default drive;
