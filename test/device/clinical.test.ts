import { describe, expect, it } from 'vitest';
import {
  doseForRate,
  flexDailyTotals,
  formatPumpTime,
  getProfile,
  rateForDose,
  restorePump,
  roundHalfUp,
  TONE_PATTERNS,
  volumeForAmount,
} from '../../src/device';
import { DAY, mustApply, newPump, refill500, T0 } from './helpers';

describe('dose arithmetic', () => {
  it('converts dose to the nearest rate, half up, and reports the exact effective dose', () => {
    expect(rateForDose(400_000, 500)).toBe(800);
    expect(doseForRate(800, 500)).toBe(400_000);
    // 100.5 uL/day rounds up; 100.4 rounds down.
    expect(rateForDose(201_000, 2000)).toBe(101);
    expect(rateForDose(200_999, 2000)).toBe(100);
    expect(roundHalfUp(5, 2)).toBe(3);
    expect(roundHalfUp(7, 4)).toBe(2);
  });

  it('round-trips rate -> dose -> rate exactly for every standard concentration', () => {
    for (const c of [50, 500, 1000, 2000, 1234]) {
      for (const rate of [48, 49, 800, 1999, 24_000]) expect(rateForDose(doseForRate(rate, c), c)).toBe(rate);
    }
  });

  it('computes bolus volume from amount and concentration (nL, half up)', () => {
    expect(volumeForAmount(50_000, 500)).toBe(100_000); // 50 mcg at 500 mcg/mL = 100 uL
    expect(volumeForAmount(1, 2000)).toBe(1); // 0.5 nL rounds up
  });

  it('formats pump time as ISO UTC with integer calendar arithmetic', () => {
    expect(formatPumpTime(T0)).toBe('2023-11-14T00:00:00Z');
    expect(formatPumpTime(951_782_400 + 3_661)).toBe('2000-02-29T01:01:01Z');
  });
});

describe('worked clinical cases', () => {
  it('20 mL of 500 mcg/mL at 400 mcg/day is 800 uL/day; the 2 mL low-reservoir alarm comes 22.5 days after the refill', () => {
    const { pump, notes } = newPump();
    const v = pump.validate(refill500);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.consequences.rateUlPerDay).toBe(800);
    expect(v.consequences.effectiveDailyDoseNgPerDay).toBe(400_000);
    expect(v.consequences.lowReservoirAlarmTime).toBe(T0 + 22 * DAY + DAY / 2);
    expect(v.consequences.emptyTime).toBe(T0 + 25 * DAY);
    expect(v.consequences.daysToEmptyX1000).toBe(25_000);
    mustApply(pump, refill500);
    expect(pump.nextEventTime()).toBe(T0 + 22.5 * DAY);
    pump.advanceTo(T0 + 22.5 * DAY - 1);
    expect(pump.status().alarms).toEqual([]);
    pump.advanceTo(T0 + 22.5 * DAY);
    expect(pump.status().alarms.map((a) => a.code)).toEqual(['LOW_RESERVOIR']);
    expect(pump.status().reservoirVolumeUl).toBe(2_000);
    expect(notes).toContainEqual({ type: 'alarmRaised', code: 'LOW_RESERVOIR', time: T0 + 22.5 * DAY });
    expect(notes).toContainEqual({
      type: 'tone',
      code: 'LOW_RESERVOIR',
      time: T0 + 22.5 * DAY,
      priority: 'nonCritical',
    });
  });

  it('empties at 25 days: critical alarm, delivery suspended, refill clears both alarms and resumes', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 30 * DAY);
    const st = pump.status();
    expect(st.alarms.map((a) => a.code)).toEqual(['EMPTY_RESERVOIR', 'LOW_RESERVOIR']);
    expect(st.deliverySuspended).toBe(true);
    expect(pump.machineState()).toBe('suspended');
    expect(pump.truth().pumpedNl).toBe(20_000_000);
    mustApply(pump, {
      refill: {
        withdrawnVolumeUl: 0,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
    });
    expect(pump.status().alarms).toEqual([]);
    expect(pump.machineState()).toBe('infusing');
  });

  it('flex schedule: daily total is the time-weighted sum of the steps', () => {
    const steps = [
      { start: 0, rate: 600 },
      { start: 6 * 3600, rate: 1200 },
      { start: 18 * 3600, rate: 600 },
    ];
    const t = flexDailyTotals(steps, 500);
    // 6 h at 600 + 12 h at 1200 + 6 h at 600 = 900 uL/day mean; 450 000 ng/day.
    expect(t.meanRate).toBe(900);
    expect(t.dailyDose).toBe(450_000);
    const { pump } = newPump();
    mustApply(pump, {
      refill: {
        withdrawnVolumeUl: 0,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
      therapy: {
        mode: 'flex',
        steps: steps.map((s) => ({ startSecondOfDay: s.start, dailyDoseNgPerDay: s.rate * 500 })),
      },
    });
    pump.advanceTo(T0 + 6 * 3600);
    expect(pump.truth().pumpedNl).toBe(150_000);
    expect(pump.status().rateUlPerDay).toBe(1200);
    pump.advanceTo(T0 + DAY);
    expect(pump.truth().pumpedNl).toBe(900_000);
    expect(pump.truth().deliveredIntrathecalNg).toBe(450_000);
  });

  it('single bolus: 50 mcg at 500 mcg/mL is 100 uL; then the prior therapy resumes', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    mustApply(pump, { bolus: { kind: 'single', amountNg: 50_000, durationS: 3600 } });
    expect(pump.status().mode).toBe('singleBolus');
    expect(pump.machineState()).toBe('bolusing');
    pump.advanceTo(T0 + 3600);
    expect(pump.truth().pumpedNl).toBe(100_000);
    expect(pump.status().mode).toBe('continuous');
    pump.advanceTo(T0 + 3600 + DAY);
    expect(pump.truth().pumpedNl).toBe(900_000);
  });

  it('single bolus with therapy stopped reproduces the older "bolus then stopped pump" behaviour', () => {
    const { pump } = newPump();
    mustApply(pump, {
      refill: {
        withdrawnVolumeUl: 0,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
      bolus: { kind: 'single', amountNg: 50_000, durationS: 600 },
    });
    pump.advanceTo(T0 + DAY);
    expect(pump.truth().pumpedNl).toBe(100_000);
    expect(pump.machineState()).toBe('stopped');
  });

  it('ERI at the service limit when the battery lasts, end of service 90 days later stops delivery', () => {
    const { pump } = newPump();
    const p = getProfile('SM2-20');
    // Nothing pumped: the 7-year limit decides. ERI = 7 y - 90 d, EOS = 7 y.
    const eri = T0 + p.serviceLife - p.eosAfterEri;
    pump.advanceTo(eri - 1);
    expect(pump.status().battery).toBe('ok');
    pump.advanceTo(eri);
    expect(pump.status().battery).toBe('eri');
    expect(pump.status().eriTime).toBe(eri);
    expect(pump.status().replaceByTime).toBe(eri + 90 * DAY);
    pump.advanceTo(T0 + p.serviceLife);
    expect(pump.status().battery).toBe('endOfService');
    expect(pump.machineState()).toBe('endOfService');
    expect(pump.status().alarms[0]?.code).toBe('END_OF_SERVICE');
    expect(pump.apply(refill500).ok).toBe(false);
  });

  it('pumping drains the battery: ERI comes earlier at a high rate', () => {
    const { pump } = newPump();
    mustApply(pump, { ...refill500, therapy: { mode: 'continuous', dailyDoseNgPerDay: 2_000 * 500 } });
    for (let i = 0; i < 400; i += 1) {
      pump.advanceTo(pump.now() + 9 * DAY);
      mustApply(pump, {
        refill: {
          withdrawnVolumeUl: 2_000,
          drugName: 'baclofen',
          concentrationMcgPerMl: 500,
          fillVolumeUl: 20_000,
        },
      });
      if (pump.status().battery !== 'ok') break;
    }
    const eri = pump.status().eriTime;
    expect(eri).not.toBeNull();
    const p = getProfile('SM2-20');
    expect(eri! - T0).toBeLessThan(p.serviceLife - p.eosAfterEri);
    // At 2 mL/day the battery model gives about 5.4 years.
    expect(Math.round((eri! - T0) / DAY)).toBeGreaterThan(1900);
    expect(Math.round((eri! - T0) / DAY)).toBeLessThan(2050);
  });

  it('battery fault jumps to ERI, then to end of service', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'battery', to: 'eri' });
    expect(pump.status().battery).toBe('eri');
    expect(pump.status().replaceByTime).toBe(T0 + 90 * DAY);
    pump.injectFault({ kind: 'battery', to: 'endOfService' });
    expect(pump.machineState()).toBe('endOfService');
    expect(pump.status().deliverySuspended).toBe(true);
  });

  it('motor stall: critical alarm, delivery suspended, recovery after the delay, both logged', () => {
    const { pump, notes } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 3600);
    pump.injectFault({ kind: 'motorStall', recoveryDelayS: 6 * 3600 });
    expect(pump.machineState()).toBe('suspended');
    expect(pump.nextEventTime()).toBe(T0 + 3600 + 600); // critical tone repeat comes first
    const before = pump.truth().pumpedNl;
    pump.advanceTo(T0 + 7 * 3600);
    expect(pump.truth().pumpedNl).toBe(before);
    expect(pump.machineState()).toBe('infusing');
    expect(pump.status().alarms).toEqual([]);
    const kinds = pump.readLog(0, 20).entries.map((e) => e.kind);
    expect(kinds).toContain('MOTOR_STALL');
    expect(kinds).toContain('MOTOR_STALL_RECOVERY');
    expect(notes).toContainEqual({ type: 'alarmCleared', code: 'MOTOR_STALL', time: T0 + 7 * 3600 });
    // Critical tones every 10 minutes during the 6 h stall: 36 of them.
    expect(notes.filter((n) => n.type === 'tone' && n.code === 'MOTOR_STALL')).toHaveLength(36);
  });

  it('over-infusion: the true reservoir runs dry before the calculated one; the pump then pumps air', () => {
    const { pump } = newPump();
    pump.injectFault({ kind: 'overInfusion', ppm: 200_000 });
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 24 * DAY);
    const t = pump.truth();
    // 20 mL at 800 uL/day x 1.2 is gone after 20.8 days; only the residual volume remains.
    expect(t.trueReservoirVolumeNl).toBe(getProfile('SM2-20').residualVolume * 1000);
    expect(t.pumpedNl).toBe(20_000_000);
    expect(t.calculatedReservoirVolumeNl).toBe(20_000_000 - 24 * 800_000);
    expect(pump.status().alarms.map((a) => a.code)).toEqual(['LOW_RESERVOIR']);
  });

  it('refill records what was really withdrawn and what went into the pocket', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 10 * DAY); // 8 mL pumped, 12 mL left
    pump.injectFault({ kind: 'pocketFill', ppm: 250_000 });
    mustApply(pump, {
      refill: {
        withdrawnVolumeUl: 15_000,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
    });
    const t = pump.truth();
    expect(t.withdrawnNl).toBe(12_000_000); // cannot aspirate more than is there
    expect(t.pocketDivertedNl).toBe(5_000_000);
    expect(t.trueReservoirVolumeNl).toBe(1_000_000 + 15_000_000);
    expect(t.calculatedReservoirVolumeNl).toBe(20_000_000);
    expect(t.lostNg).toBe(2_500_000); // 5 mL of 500 mcg/mL in the pocket, in ng
    // The fault applies to one refill only.
    mustApply(pump, {
      refill: {
        withdrawnVolumeUl: 15_000,
        drugName: 'baclofen',
        concentrationMcgPerMl: 500,
        fillVolumeUl: 20_000,
      },
    });
    expect(pump.truth().pocketDivertedNl).toBe(5_000_000);
  });

  it('catheter faults: the pump cannot tell, the truth records the lost drug', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'catheter', state: 'disconnected' });
    pump.advanceTo(T0 + DAY);
    expect(pump.truth().deliveredIntrathecalNg).toBe(0);
    expect(pump.truth().lostNg).toBe(400_000);
    expect(pump.status().alarms).toEqual([]);
    pump.injectFault({ kind: 'catheter', state: 'partialOcclusion' });
    pump.advanceTo(T0 + 2 * DAY);
    expect(pump.truth().deliveredIntrathecalNg).toBe(200_000);
    pump.injectFault({ kind: 'catheter', state: 'fullOcclusion' });
    const held = pump.truth().trueReservoirVolumeNl;
    pump.advanceTo(T0 + 3 * DAY);
    expect(pump.truth().trueReservoirVolumeNl).toBe(held);
    expect(pump.status().alarms).toEqual([]); // no sensor on SM2-20
  });

  it('the ENG variant raises CATHETER_OCCLUSION after its debounce and clears it when patent', () => {
    const { pump } = newPump('SM2-20-ENG');
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'catheter', state: 'fullOcclusion' });
    const debounce = getProfile('SM2-20-ENG').occlusionSensorDebounce!;
    expect(pump.nextEventTime()).toBe(T0 + debounce);
    pump.advanceTo(T0 + debounce - 1);
    expect(pump.status().alarms).toEqual([]);
    pump.advanceTo(T0 + debounce);
    expect(pump.status().alarms.map((a) => a.code)).toEqual(['CATHETER_OCCLUSION']);
    pump.clearFault('catheter');
    expect(pump.status().alarms).toEqual([]);
  });

  it('memory errors: non-critical alarms only, critical stops delivery', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'memoryError', critical: false });
    expect(pump.machineState()).toBe('infusing');
    pump.injectFault({ kind: 'memoryError', critical: true });
    expect(pump.machineState()).toBe('suspended');
    expect(pump.status().alarms.map((a) => a.code)).toEqual([
      'MEMORY_ERROR_CRITICAL',
      'MEMORY_ERROR_NONCRITICAL',
    ]);
    pump.clearFault('memoryError');
    expect(pump.machineState()).toBe('infusing');
  });
});

describe('patient bolus', () => {
  const settings = { amountNg: 25_000, durationS: 600, maxPerDay: 2, lockoutS: 3 * 3600 };
  it('refuses with a reason: not enabled, lockout after programming, daily maximum, pump stopped', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    let r = pump.patientBolus();
    expect(r).toMatchObject({
      ok: false,
      errors: [{ code: 'NOT_ALLOWED_IN_STATE', message: 'patient bolus not enabled' }],
    });
    mustApply(pump, { patientBolus: settings });
    r = pump.patientBolus();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toBe(`lockout until ${formatPumpTime(T0 + 3 * 3600)}`);
    pump.advanceTo(T0 + 3 * 3600);
    expect(pump.patientBolus().ok).toBe(true);
    expect(pump.status().mode).toBe('patientBolus');
    pump.advanceTo(T0 + 6 * 3600);
    expect(pump.patientBolus().ok).toBe(true);
    pump.advanceTo(T0 + 9 * 3600);
    r = pump.patientBolus();
    expect(r).toMatchObject({
      ok: false,
      errors: [{ code: 'OUT_OF_RANGE', message: 'daily maximum reached (2 in 24 h)' }],
    });
    pump.advanceTo(T0 + 3 * 3600 + DAY + 1);
    pump.stop();
    expect(pump.patientBolus()).toMatchObject({ ok: false, errors: [{ message: 'pump stopped' }] });
    expect(pump.readLog(0, 50).entries.filter((e) => e.kind === 'PATIENT_BOLUS_REFUSED')).toHaveLength(4);
    expect(pump.readLog(0, 50).entries.filter((e) => e.kind === 'PATIENT_BOLUS')).toHaveLength(2);
  });
});

describe('alarms and log', () => {
  it('orders several alarms critical first, then by raisedAt; silence delays tones; alarm test sounds both patterns', () => {
    const { pump, notes } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 23 * DAY);
    pump.injectFault({ kind: 'memoryError', critical: false });
    pump.injectFault({ kind: 'motorStall', recoveryDelayS: DAY });
    expect(pump.status().alarms.map((a) => a.code)).toEqual([
      'MOTOR_STALL',
      'LOW_RESERVOIR',
      'MEMORY_ERROR_NONCRITICAL',
    ]);
    expect(pump.silenceAlarm(pump.now() + 7200).ok).toBe(true);
    const silencedAt = pump.now();
    notes.length = 0;
    pump.advanceTo(silencedAt + 7199);
    expect(notes.filter((n) => n.type === 'tone')).toEqual([]);
    pump.advanceTo(silencedAt + 7200);
    expect(notes.filter((n) => n.type === 'tone').map((n) => (n.type === 'tone' ? n.code : ''))).toHaveLength(
      3,
    );
    expect(pump.silenceAlarm(pump.now() + 60, 'EMPTY_RESERVOIR').ok).toBe(false);
    notes.length = 0;
    expect(pump.alarmTest().ok).toBe(true);
    const tones = notes.filter((n) => n.type === 'tone');
    expect(tones.map((n) => (n.type === 'tone' ? n.priority : ''))).toEqual(['nonCritical', 'critical']);
    expect(pump.readLog(0, 1).entries[0]?.kind).toBe('ALARM_TEST');
    expect(TONE_PATTERNS.critical.segments.reduce((a, s) => a + s.durationMs, 0)).toBe(3000);
    expect(TONE_PATTERNS.nonCritical.segments.reduce((a, s) => a + s.durationMs, 0)).toBe(1000);
    expect(TONE_PATTERNS.nonCritical.repeatIntervalS).toBe(3600);
  });

  it('keeps at most 512 entries, newest first, with monotonic sequence numbers', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    for (let i = 0; i < 300; i += 1) {
      pump.stop();
      pump.resume();
    }
    const page = pump.readLog(0, 1000);
    expect(page.total).toBe(512);
    expect(page.entries).toHaveLength(512);
    const seqs = page.entries.map((e) => e.seq);
    expect(seqs[0]).toBe(604);
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! - 1)).toBe(true);
    expect(pump.readLog(510, 5).entries.map((e) => e.seq)).toEqual([94, 93]);
    expect(() => pump.readLog(-1, 5)).toThrow(RangeError);
  });
});

describe('derived views', () => {
  it('hands out one deeply frozen status and program per state, and fresh ones after any change', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.injectFault({ kind: 'memoryError', critical: false });
    const status = pump.status();
    const program = pump.program();
    expect(pump.status()).toBe(status);
    expect(pump.program()).toBe(program);
    expect(
      Object.isFrozen(status) && Object.isFrozen(status.alarms) && Object.isFrozen(status.alarms[0]),
    ).toBe(true);
    expect(Object.isFrozen(program) && Object.isFrozen(program.therapy)).toBe(true);
    expect(() => {
      (status.alarms as unknown[]).push({});
    }).toThrow(TypeError);

    pump.advanceTo(T0 + DAY);
    const later = pump.status();
    expect(later).not.toBe(status);
    expect(later.pumpTime).toBe(T0 + DAY);
    expect(later.reservoirVolumeUl).toBeLessThan(status.reservoirVolumeUl);
    expect(pump.program()).toEqual(program); // time passing leaves the program as it was

    expect(pump.stop().ok).toBe(true);
    expect(pump.status().mode).toBe('stopped');
    expect(pump.program().therapy).toEqual(program.therapy);
    expect(pump.readLog(0, 1).entries[0]?.kind).toBe('STOPPED');
  });
});

describe('programming transaction', () => {
  it('reports every error with code and field, and changes nothing', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    const before = pump.snapshot();
    const r = pump.apply({
      refill: { withdrawnVolumeUl: 25_000, drugName: '', concentrationMcgPerMl: 1000, fillVolumeUl: 30_000 },
      lowReservoirAlarmVolumeUl: 100,
      bolus: { kind: 'single', amountNg: 1.5, durationS: 10 },
      patientBolus: { amountNg: 1, durationS: 60, maxPerDay: 99, lockoutS: 600 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const codes = r.errors.map((e) => `${e.code}@${e.field}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'WITHDRAWN_OVER_VOLUME@refill.withdrawnVolumeUl',
        'DRUG_NAME_INVALID@refill.drugName',
        'VOLUME_OVER_CAPACITY@refill.fillVolumeUl',
        'CONCENTRATION_CHANGE_NEEDS_THERAPY@therapy',
        'ALARM_THRESHOLD_OUT_OF_RANGE@lowReservoirAlarmVolumeUl',
        'NOT_INTEGER@bolus.amountNg',
        'OUT_OF_RANGE@bolus.durationS',
        'OUT_OF_RANGE@patientBolus.maxPerDay',
      ]),
    );
    expect(pump.snapshot()).toEqual(before);
  });

  it('flex rules: midnight start, order, overlap, minimum length, step count, rate limits', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    const errs = (steps: { startSecondOfDay: number; dailyDoseNgPerDay: number }[]) => {
      const r = pump.validate({ therapy: { mode: 'flex', steps } });
      return r.ok ? [] : r.errors.map((e) => e.code);
    };
    expect(errs([{ startSecondOfDay: 60, dailyDoseNgPerDay: 400_000 }])).toContain(
      'FLEX_FIRST_STEP_NOT_MIDNIGHT',
    );
    expect(
      errs([
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 7200, dailyDoseNgPerDay: 1 },
        { startSecondOfDay: 3600, dailyDoseNgPerDay: 400_000 },
      ]),
    ).toEqual(expect.arrayContaining(['FLEX_STEPS_UNORDERED', 'RATE_BELOW_MINIMUM']));
    expect(
      errs([
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
      ]),
    ).toContain('FLEX_STEPS_OVERLAP');
    expect(
      errs([
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 600, dailyDoseNgPerDay: 400_000 },
      ]),
    ).toContain('FLEX_STEP_TOO_SHORT');
    expect(
      errs([
        { startSecondOfDay: 0, dailyDoseNgPerDay: 400_000 },
        { startSecondOfDay: 86_000, dailyDoseNgPerDay: 400_000 },
      ]),
    ).toContain('FLEX_STEP_TOO_SHORT');
    expect(
      errs(
        Array.from({ length: 14 }, (_, i) => ({ startSecondOfDay: i * 3600, dailyDoseNgPerDay: 400_000 })),
      ),
    ).toContain('FLEX_TOO_MANY_STEPS');
    expect(errs([{ startSecondOfDay: 0, dailyDoseNgPerDay: 13_000_000 }])).toContain('RATE_ABOVE_MAXIMUM');
    expect(
      errs(
        Array.from({ length: 13 }, (_, i) => ({ startSecondOfDay: i * 3600, dailyDoseNgPerDay: 400_000 })),
      ),
    ).toEqual([]);
    expect(pump.validate({}).ok).toBe(false);
    const empty = pump.validate({});
    if (!empty.ok) expect(empty.errors[0]?.code).toBe('EMPTY_PROGRAM');
    const big = pump.validate({ bolus: { kind: 'single', amountNg: 20_000 * 500 + 500, durationS: 86_400 } });
    if (!big.ok) expect(big.errors.map((e) => e.code)).toContain('BOLUS_LARGER_THAN_RESERVOIR');
    const fast = pump.validate({ bolus: { kind: 'priming', volumeUl: 1000, durationS: 60 } });
    if (!fast.ok) expect(fast.errors.map((e) => e.code)).toContain('BOLUS_RATE_ABOVE_MAXIMUM');
    expect(big.ok || fast.ok).toBe(false);
  });

  it('passes through "updating": stopped while updating; an abandoned update leaves the pump stopped', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    expect(pump.beginUpdate({ therapy: { mode: 'continuous', dailyDoseNgPerDay: 500_000 } }).ok).toBe(true);
    expect(pump.machineState()).toBe('updating');
    expect(pump.status().mode).toBe('stopped');
    const pumped = pump.truth().pumpedNl;
    pump.advanceTo(T0 + 3600);
    expect(pump.truth().pumpedNl).toBe(pumped);
    expect(pump.apply({ lowReservoirAlarmVolumeUl: 3000 }).ok).toBe(false);
    expect(pump.abortUpdate().ok).toBe(true);
    expect(pump.machineState()).toBe('stopped');
    expect(pump.program().therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 400_000 });
    expect(pump.readLog(0, 1).entries[0]?.detail).toMatch(/abandoned/);
    expect(pump.resume().ok).toBe(true);
    expect(pump.machineState()).toBe('infusing');
  });

  it('bridge bolus with a concentration change: new rate from the new concentration, bolus first', () => {
    const { pump } = newPump();
    mustApply(pump, refill500);
    pump.advanceTo(T0 + 10 * DAY);
    const r = pump.apply({
      refill: {
        withdrawnVolumeUl: 12_000,
        drugName: 'baclofen',
        concentrationMcgPerMl: 2000,
        fillVolumeUl: 20_000,
      },
      therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
      bolus: { kind: 'bridge', amountNg: 100_000, durationS: 3600 },
    });
    expect(r.ok).toBe(true);
    expect(pump.status().mode).toBe('bridgeBolus');
    pump.advanceTo(T0 + 10 * DAY + 3600);
    expect(pump.status()).toMatchObject({
      mode: 'continuous',
      rateUlPerDay: 200,
      dailyDoseNgPerDay: 400_000,
    });
  });
});

describe('snapshot', () => {
  it('restorePump(snapshot()) behaves identically', () => {
    const { pump: a } = newPump();
    mustApply(a, {
      ...refill500,
      patientBolus: { amountNg: 10_000, durationS: 600, maxPerDay: 3, lockoutS: 3600 },
    });
    a.injectFault({ kind: 'overInfusion', ppm: 37_000 });
    a.advanceTo(T0 + 5 * DAY + 17);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = restorePump(snap);
    expect(b.machineState()).toBe(a.machineState());
    for (const p of [a, b]) {
      p.patientBolus();
      p.advanceTo(T0 + 21 * DAY + 5);
      p.injectFault({ kind: 'motorStall', recoveryDelayS: 7200 });
      p.advanceTo(T0 + 30 * DAY);
    }
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.status()).toEqual(a.status());
    expect(() => restorePump({ version: 2 as 1, state: {} })).toThrow(/version/);
    expect(() => restorePump({ version: 1, state: { model: 'X' } })).toThrow(/model/);
  });
});
