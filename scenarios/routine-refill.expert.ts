/** Expert driver: a routine refill as the clinical document describes it. */
import type { Driver } from '../src/training/scenario/driver';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const drive: Driver = async (svc, c) => {
  await c.advanceBy('30m');
  ok(await svc.connect({ target: { kind: 'embedded' }, patient: c.patient }));
  const before = ok(await svc.interrogate({}));
  const { volumeMl } = await c.bedside.aspirateReservoir();
  // The syringe and the pump's calculation should agree to within a few tenths of a millilitre.
  if (Math.abs(volumeMl * 1000 - before.reservoirVolumeUl) > 1000)
    throw new Error(`residual ${volumeMl} mL against ${before.reservoirVolumeUl / 1000} mL calculated`);
  const proposal = ok(
    await svc.proposeChange({
      change: {
        refill: {
          withdrawnVolumeUl: Math.round(volumeMl * 1000),
          drugName: before.drugName,
          concentrationMcgPerMl: before.concentrationMcgPerMl,
          concentrationConfirmMcgPerMl: before.concentrationMcgPerMl,
          fillVolumeUl: before.reservoirCapacityUl,
        },
      },
      origin: c.patient.origin,
      ageGroup: c.patient.ageGroup,
    }),
  );
  if (!proposal.committable) throw new Error(`refill not committable: ${JSON.stringify(proposal.errors)}`);
  ok(await svc.commitChange({ proposalId: proposal.proposalId }));
  ok(await svc.verify({}));
  ok(await svc.endSession({}));
};

export default drive;
