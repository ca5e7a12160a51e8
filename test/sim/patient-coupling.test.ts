/**
 * The patient on the pump's clock, in process: the coupling feeds the patient the pump's true delivery
 * event by event (and recovers the instant a true reservoir runs dry between events); the CLI options.
 */
import { describe, expect, it } from 'vitest';
import { couplePatient } from '../../firmware-sim/patient-coupling';
import { parseOptions, UsageError } from '../../firmware-sim/options';
import { createPump } from '../../src/device';
import { createPatient } from '../../src/patient';

const T0 = 1_699_920_000;
const H = 3600;
const DAY = 86_400;

function setup(establishedDoseMcgPerDay = 400) {
  const pump = createPump({ model: 'SM2-20', serial: 'COUPLE001', startTime: T0 });
  const patient = createPatient({ profile: 'spinal', time: T0, establishedDoseMcgPerDay });
  const clock = couplePatient(pump, () => patient);
  return { pump, patient, clock };
}

describe('patient coupling', () => {
  it('the patient receives exactly the drug the pump truly delivered, whatever the steps', () => {
    const a = setup();
    const b = setup();
    const flex = {
      mode: 'flex' as const,
      steps: [
        { startSecondOfDay: 0, dailyDoseNgPerDay: 300_000 },
        { startSecondOfDay: 8 * H, dailyDoseNgPerDay: 600_000 },
        { startSecondOfDay: 20 * H, dailyDoseNgPerDay: 300_000 },
      ],
    };
    for (const x of [a, b])
      expect(
        x.pump.apply({
          refill: {
            withdrawnVolumeUl: 0,
            drugName: 'baclofen',
            concentrationMcgPerMl: 500,
            fillVolumeUl: 20_000,
          },
          therapy: flex,
        }).ok,
      ).toBe(true);
    a.clock.advanceTo(T0 + 3 * DAY);
    for (let t = T0 + 600; t <= T0 + 3 * DAY; t += 600) b.clock.advanceTo(t);
    const delivered = a.pump.truth().trueDeliveredIntrathecalNg! / 1000;
    expect(a.patient.findings().pk.receivedIntrathecalMcg).toBeCloseTo(delivered, 3);
    expect(b.patient.findings().pk.receivedIntrathecalMcg).toBeCloseTo(delivered, 3);
    // The flex steps are input changes: both runs land on the same patient.
    const fa = a.patient.findings();
    const fb = b.patient.findings();
    expect(fb.pk.csfBaclofenNgPerMl).toBeCloseTo(fa.pk.csfBaclofenNgPerMl, 0);
    expect(fb.effect).toBeCloseTo(fa.effect, 2);
    expect(a.patient.now).toBe(a.pump.now());
  });

  it('a true reservoir that runs dry between pump events: drug until then, nothing after', () => {
    const { pump, patient, clock } = setup();
    // 2 mL at 500 mcg/mL, 400 mcg/day, over-infusing by 50%: truly dry after 2/1.2 = 1.67 days, while the
    // pump believes it empties after 2.5 days.
    pump.injectFault({ kind: 'overInfusion', ppm: 500_000 });
    expect(
      pump.apply({
        refill: {
          withdrawnVolumeUl: 0,
          drugName: 'baclofen',
          concentrationMcgPerMl: 500,
          fillVolumeUl: 2_000,
        },
        therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
      }).ok,
    ).toBe(true);
    clock.advanceTo(T0 + 2 * DAY);
    expect(pump.status().alarms.map((a) => a.code)).not.toContain('EMPTY_RESERVOIR'); // the pump has no idea
    expect(pump.truth().trueReservoirVolumeNl).toBe(1_000_000); // dry: only the residual is left
    expect(patient.findings().pk.receivedIntrathecalMcg).toBeCloseTo(1000, 3); // 2 mL x 500 mcg/mL
    // The drug stopped at the dry instant, not spread over the interval: the CSF is nearly empty 8 h later.
    const dry = T0 + Math.round((2 / 1.2) * DAY);
    const rows = patient.history(dry - H, dry + 8 * H);
    const before = rows.find((r) => r.time >= dry - H)!;
    const after = rows.at(-1)!;
    expect(before.csfBaclofenNgPerMl).toBeGreaterThan(500);
    expect(after.csfBaclofenNgPerMl).toBeLessThan(0.1 * before.csfBaclofenNgPerMl);
  });
});

describe('patient CLI options', () => {
  it('--patient PROFILE[:DOSE|:naive] and --patient-seed', () => {
    expect(parseOptions([])!.patient).toEqual({
      profile: 'spinal',
      establishedDose: 'pump',
      seed: 0,
      given: false,
    });
    expect(parseOptions(['--patient', 'cerebral'])!.patient).toMatchObject({
      profile: 'cerebral',
      establishedDose: 'pump',
      given: true,
    });
    expect(parseOptions(['--patient=pediatric-cp:150'])!.patient).toMatchObject({
      profile: 'pediatric-cp',
      establishedDose: 150,
    });
    expect(parseOptions(['--patient', 'spinal:naive', '--patient-seed', '42'])!.patient).toEqual({
      profile: 'spinal',
      establishedDose: 0,
      seed: 42,
      given: true,
    });
    for (const bad of [
      ['--patient', 'feline'],
      ['--patient', 'spinal:lots'],
      ['--patient', 'spinal:9999'],
      ['--patient-seed', '-1'],
      ['--patient-seed', 'x'],
      ['--patient'],
    ])
      expect(() => parseOptions(bad), bad.join(' ')).toThrow(UsageError);
  });
});
