import { createPump, type ProgramChange, type PumpModel, type PumpNotification } from '../../src/device';

/** 2023-11-14T00:00:00Z: a pump-day boundary, so flex steps line up with round numbers. */
export const T0 = 1_699_920_000;
export const DAY = 86_400;

export const refill500: ProgramChange = {
  refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 500, fillVolumeUl: 20_000 },
  therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
};

export function newPump(model: PumpModel = 'SM2-20', start = T0) {
  const pump = createPump({ model, serial: 'NBX000001', startTime: start });
  const notes: PumpNotification[] = [];
  pump.subscribe((n) => notes.push(n));
  return { pump, notes };
}

export function mustApply(pump: ReturnType<typeof newPump>['pump'], change: ProgramChange): void {
  const r = pump.apply(change);
  if (!r.ok) throw new Error(`apply failed: ${JSON.stringify(r.errors)}`);
}
