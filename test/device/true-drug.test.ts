/**
 * The drug truth: the concentration truly in the reservoir (settable on the bench), the old drug left in the
 * pump tubing and catheter after a refill, and the true drug mass delivered (docs/clinical-model.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restorePump, toSnapshot, type ProgramChange } from '../../src/device';
import { DAY, mustApply, newPump, refill500, T0 } from './helpers';

const refill = (withdrawn: number, concentration: number, dailyDose: number): ProgramChange => ({
  refill: {
    withdrawnVolumeUl: withdrawn,
    drugName: 'baclofen',
    concentrationMcgPerMl: concentration,
    fillVolumeUl: 20_000,
  },
  therapy: { mode: 'continuous', dailyDoseNgPerDay: dailyDose },
});

describe('true drug', () => {
  it('by default the true concentration is the one entered: true mass = the pump reckoning', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 10 * DAY);
    const t = pump.truth();
    expect(t.trueReservoirConcentrationMcgPerMl).toBe(500);
    expect(t.trueDeliveredIntrathecalNg).toBe(t.deliveredIntrathecalNg);
    expect(t.trueDeliveredIntrathecalNg).toBe(4_000_000); // 10 days at 400 mcg/day
    expect(t.line).toEqual([{ volumeNl: 320_000, concentrationMcgPerMl: 500 }]);
  });

  it('500 mcg/mL filled while 50 is entered delivers ten times the dose (after the old drug in the line)', () => {
    const { pump } = newPump();
    mustApply(pump, refill(0, 50, 400_000)); // a first fill at 50 mcg/mL: 8 mL/day
    pump.advanceTo(T0 + DAY);
    pump.injectFault({ kind: 'syringeConcentration', concentrationMcgPerMl: 500 });
    expect(pump.truth().nextSyringeConcentrationMcgPerMl).toBe(500);
    const before = pump.truth();
    mustApply(pump, refill(12_000, 50, 400_000));
    const after = pump.truth();
    expect(after.nextSyringeConcentrationMcgPerMl).toBeNull(); // one refill only
    // 1 mL of the old 50 mcg/mL stays in the reservoir and mixes with 20 mL of 500: (50 + 10000) / 21.
    expect(after.trueReservoirConcentrationMcgPerMl).toBe(479);
    expect(pump.program().concentrationMcgPerMl).toBe(50); // the pump believes what was entered
    pump.advanceTo(T0 + 2 * DAY);
    const t = pump.truth();
    const trueDay = t.trueDeliveredIntrathecalNg! - before.trueDeliveredIntrathecalNg!;
    const believed = t.deliveredIntrathecalNg - before.deliveredIntrathecalNg;
    expect(believed).toBe(400_000);
    // 8 mL pumped: the first 320 uL still at 50 mcg/mL, then the mixture.
    expect(trueDay).toBe(16_000 + Math.floor((7_680_000 * 10_050_000) / 21_000_000));
    expect(trueDay).toBeGreaterThan(9 * believed);
  });

  it('50 mcg/mL filled while 500 is entered delivers a tenth', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + DAY);
    pump.injectFault({ kind: 'syringeConcentration', concentrationMcgPerMl: 50 });
    mustApply(pump, refill(19_200, 500, 400_000));
    const before = pump.truth().trueDeliveredIntrathecalNg!;
    pump.advanceTo(T0 + 4 * DAY);
    const delivered = pump.truth().trueDeliveredIntrathecalNg! - before;
    // 2.4 mL pumped: 320 uL of the old 500 mcg/mL from the line, then 1 mL of 500 mixed into 20 mL of 50.
    expect(delivered).toBe(160_000 + Math.floor((2_080_000 * 1_500_000) / 21_000_000));
    expect(delivered).toBeLessThan(0.3 * 3 * 400_000);
    expect(pump.truth().trueReservoirConcentrationMcgPerMl).toBe(71);
  });

  it('a concentration change: the old drug in tubing and catheter arrives first (the bridge-bolus problem)', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + DAY);
    mustApply(pump, refill(20_000, 1000, 400_000)); // now 400 uL/day of 1000 mcg/mL
    const t0 = pump.truth().trueDeliveredIntrathecalNg!;
    expect(pump.truth().line).toEqual([{ volumeNl: 320_000, concentrationMcgPerMl: 500 }]);
    pump.advanceTo(T0 + DAY + 12 * 3600); // 200 uL pumped: all of it old drug at 500
    expect(pump.truth().trueDeliveredIntrathecalNg! - t0).toBe(100_000);
    expect(pump.truth().deliveredIntrathecalNg).toBe(400_000 + 200_000); // the pump's reckoning
    pump.advanceTo(T0 + 3 * DAY);
    expect(pump.truth().line).toEqual([{ volumeNl: 320_000, concentrationMcgPerMl: 976 }]);
  });

  it('full occlusion moves nothing; a partial one delivers half the mass; bench sets the reservoir truth', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'catheter', state: 'fullOcclusion' });
    pump.advanceTo(T0 + DAY);
    expect(pump.truth().trueDeliveredIntrathecalNg).toBe(0);
    pump.injectFault({ kind: 'catheter', state: 'partialOcclusion' });
    pump.advanceTo(T0 + 2 * DAY);
    expect(pump.truth().trueDeliveredIntrathecalNg).toBe(200_000);
    pump.clearFault('catheter');
    pump.injectFault({ kind: 'reservoirConcentration', concentrationMcgPerMl: 2000 });
    expect(pump.truth().trueReservoirConcentrationMcgPerMl).toBe(2000);
    expect(() => pump.injectFault({ kind: 'syringeConcentration', concentrationMcgPerMl: -1 })).toThrow(
      /concentration/,
    );
    expect(() => pump.injectFault({ kind: 'reservoirConcentration', concentrationMcgPerMl: 1.5 })).toThrow(
      /concentration/,
    );
  });

  it('a state saved before the drug truth existed loads with the entered concentration as the truth', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + DAY);
    const snap = toSnapshot(pump.state());
    const old = snap.state as unknown as Record<string, unknown>;
    delete old.reservoirDrug;
    delete old.line;
    delete old.syringeConcentration;
    delete old.trueSplitCarry;
    const ledger = old.ledger as Record<string, unknown>;
    delete ledger.trueDeliveredIntrathecalNg;
    delete ledger.trueCatheterLostNg;
    const restored = restorePump(snap);
    const t = restored.truth();
    expect(t.trueReservoirConcentrationMcgPerMl).toBe(500);
    expect(t.trueDeliveredIntrathecalNg).toBe(t.deliveredIntrathecalNg);
    restored.advanceTo(T0 + 2 * DAY);
    expect(restored.truth().trueDeliveredIntrathecalNg).toBe(800_000);
  });

  it('property: true mass is conserved exactly over refills at random true concentrations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            days: fc.integer({ min: 1, max: 40 }),
            entered: fc.constantFrom(50, 500, 1000, 2000),
            truth: fc.option(fc.constantFrom(50, 500, 1000, 2000, 777), { nil: undefined }),
            catheter: fc.constantFrom('patent', 'partialOcclusion', 'fullOcclusion', 'disconnected' as const),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (steps) => {
          const { pump } = newPump();
          let filledNg = 0;
          let withdrawnNg = 0;
          for (const st of steps) {
            const t = pump.truth();
            const aspirate = Math.max(0, Math.floor(t.trueReservoirVolumeNl / 1000) - 1000);
            // What the needle takes out is at the reservoir's true (mixed) concentration.
            if (st.truth !== undefined)
              pump.injectFault({ kind: 'syringeConcentration', concentrationMcgPerMl: st.truth });
            const c = st.truth ?? st.entered;
            const wasFilled = pump.state().everFilled;
            const massBefore = t.trueReservoirDrugNg!;
            const r = pump.apply(refill(aspirate, st.entered, 100_000));
            if (!r.ok) continue;
            const after = pump.truth();
            if (!wasFilled) {
              filledNg =
                after.trueReservoirDrugNg! +
                after.line!.reduce((a, x) => a + (x.volumeNl * x.concentrationMcgPerMl) / 1000, 0);
            } else {
              filledNg += Math.floor((20_000_000 * c) / 1000);
              withdrawnNg += massBefore + Math.floor((20_000_000 * c) / 1000) - after.trueReservoirDrugNg!;
            }
            pump.injectFault({ kind: 'catheter', state: st.catheter });
            pump.advanceTo(pump.now() + st.days * DAY);
          }
          const s = pump.state();
          const lineNg = s.line.reduce((a, x) => a + x.inNg - x.outNg, 0);
          const total =
            s.reservoirDrug.ng -
            s.reservoirDrug.drainedNg +
            lineNg +
            s.ledger.trueDeliveredIntrathecalNg +
            s.ledger.trueCatheterLostNg +
            withdrawnNg;
          expect(total).toBe(filledNg);
        },
      ),
      { numRuns: 40 },
    );
  });
});
