/**
 * Device benchmark: ten simulated years of a 13-step daily flex schedule with a refill every 90 days and
 * the alarms they bring, driven by the event-driven clock, against one-minute ticking of the same model.
 * Ticking is measured over a shorter span and extrapolated (said in the output). Figures only, no asserts.
 */
import { createPump, type ProgramChange } from '../src/device';

const DAY = 86_400;
const T0 = 1_699_920_000;
const YEARS = 10;
const TICK_SPAN_DAYS = 30;

/** 13 steps (every 110 min from 00:00), 100..220 mcg/day at 500 mcg/mL: ~0.32 mL/day, so the 2 mL
 * low-reservoir alarm sounds (hourly tones) before each 90-day refill. */
const FLEX: ProgramChange['therapy'] = {
  mode: 'flex',
  steps: Array.from({ length: 13 }, (_, i) => ({
    startSecondOfDay: i * 6_600,
    dailyDoseNgPerDay: 100_000 + i * 10_000,
  })),
};

function refill(withdrawn: number): ProgramChange {
  return {
    refill: {
      withdrawnVolumeUl: withdrawn,
      drugName: 'baclofen',
      concentrationMcgPerMl: 500,
      fillVolumeUl: 20_000,
    },
  };
}

/** Runs `days` simulated days; tick = 0 for the event-driven clock, else ticks of that many seconds. */
function simulate(
  days: number,
  tick: number,
): { ms: number; events: number; tones: number; refills: number } {
  const pump = createPump({ model: 'SM2-20', serial: 'BENCH0001', startTime: T0 });
  let tones = 0;
  let events = 0;
  pump.subscribe((n) => {
    if (n.type === 'tone') tones += 1;
    if (n.type !== 'changed') events += 1;
  });
  const start = performance.now();
  pump.apply({ ...refill(0), therapy: FLEX });
  const end = T0 + days * DAY;
  let refills = 0;
  for (let nextRefill = T0 + 90 * DAY; pump.now() < end;) {
    const stop = Math.min(nextRefill, end);
    if (tick > 0) for (let t = pump.now() + tick; t < stop; t += tick) pump.advanceTo(t);
    pump.advanceTo(stop);
    if (stop === nextRefill && pump.status().battery !== 'endOfService') {
      pump.apply(refill(Math.floor(pump.truth().trueReservoirVolumeNl / 1000) - 1_000));
      refills += 1;
      nextRefill += 90 * DAY;
    } else if (stop === nextRefill) nextRefill += 90 * DAY;
  }
  return { ms: performance.now() - start, events, tones, refills };
}

export default async function deviceBench(): Promise<void> {
  const days = YEARS * 365;
  simulate(30, 0); // warm-up
  const ev = simulate(days, 0);
  const tk = simulate(TICK_SPAN_DAYS, 60);
  const tickMsExtrapolated = (tk.ms * days) / TICK_SPAN_DAYS;
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  console.log(
    `event-driven: ${YEARS} years (${days} days) in ${fmt(ev.ms)} ms wall = ${fmt(days / (ev.ms / 1000))} simulated days/s`,
  );
  console.log(
    `  ${ev.refills} refills, ${fmt(ev.events)} notifications (${fmt(ev.tones)} alarm tones; the pump reaches end of service at 7 years)`,
  );
  console.log(
    `1-minute ticking: ${TICK_SPAN_DAYS} days measured in ${fmt(tk.ms)} ms wall = ${fmt(TICK_SPAN_DAYS / (tk.ms / 1000))} simulated days/s`,
  );
  console.log(
    `  extrapolated to ${YEARS} years: ${fmt(tickMsExtrapolated / 1000)} s wall (linear extrapolation from ${TICK_SPAN_DAYS} days)`,
  );
  console.log(`ratio event-driven / ticking: ${fmt(tickMsExtrapolated / ev.ms)}x faster`);
}
