/** Expert: the routine refill, with the same drug and concentration, the syringe's volume entered, verified. */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, openSession, readProgram, refill } from './clinic';

const drive: Driver = async (svc, c) => {
  const status = await openSession(svc, c);
  await readProgram(svc);
  await refill(svc, c, status, {
    concentration: status.concentration,
    fillMl: 20,
    reason: 'Routine refill',
    // The syringe reads to 0.1 mL: a gap within 5% of the capacity is not flagged; a larger one would be a finding.
    acceptWarnings: [],
  });
  await closeSession(svc);
};
export default drive;
