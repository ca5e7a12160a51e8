/**
 * Expert: a swollen pocket after a refill, then rebound stiffness and itching: suspect a pocket fill.
 * Aspirate, compare the syringe with the volume the pump reports (a gap over 1 mL in a 20 mL pump is a
 * possible pocket fill: FA496/FA578), refill with the volume read, aspirate the pocket, and give oral
 * baclofen for the early signs while the refilled pump takes over.
 */
import type { Driver } from '../../src/training/scenario/driver';
import { closeSession, examine, looksLikeWithdrawal, openSession, refill } from './clinic';

/** A gap larger than this between the pump's volume and the syringe's is a possible pocket fill (20 mL pump). */
const POCKET_FILL_GAP_UL = 1000;

const drive: Driver = async (svc, c) => {
  const status = await openSession(svc, c);
  const f = await examine(c);
  const { withdrawnUl } = await refill(svc, c, status, {
    concentration: status.concentrationMcgPerMl,
    fillMl: 20,
    reason:
      'Possible pocket fill at the last refill: the pocket swelled and far less was aspirated than the pump calculated',
    acceptWarnings: ['WITHDRAWN_LESS_THAN_EXPECTED'],
  });
  if (status.reservoirVolumeUl - withdrawnUl > POCKET_FILL_GAP_UL)
    await c.bedside.record('pocketAspiration', 'the last refill went into the pocket: aspirate it');
  if (looksLikeWithdrawal(f, '1+')) await c.bedside.intervene({ kind: 'oralBaclofen', doseMg: 20 });
  await closeSession(svc);
};
export default drive;
