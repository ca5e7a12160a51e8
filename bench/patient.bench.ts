/**
 * Patient benchmark: one simulated year of pump and patient together (continuous for six months, then a
 * 13-step flex schedule; a refill every 90 days), stepped event to event as the device host's fast mode
 * does, against the pump alone stepped the same way. Goal (issue 18): pump + patient under 2x the pump
 * alone and under 1 s. Figures only, no asserts.
 */
import { couplePatient } from '../firmware-sim/patient-coupling';
import { createPump, type ProgramChange } from '../src/device';
import { createPatient } from '../src/patient';

const DAY = 86_400;
const T0 = 1_699_920_000;
const DAYS = 365;

const refill = (withdrawn: number, therapy?: ProgramChange['therapy']): ProgramChange => ({
  refill: {
    withdrawnVolumeUl: withdrawn,
    drugName: 'baclofen',
    concentrationMcgPerMl: 2000,
    fillVolumeUl: 20_000,
  },
  ...(therapy ? { therapy } : {}),
});
const CONTINUOUS: ProgramChange['therapy'] = { mode: 'continuous', dailyDoseNgPerDay: 400_000 };
const FLEX: ProgramChange['therapy'] = {
  mode: 'flex',
  steps: Array.from({ length: 13 }, (_, i) => ({
    startSecondOfDay: i * 6_600,
    dailyDoseNgPerDay: 340_000 + i * 10_000,
  })),
};

function simulate(withPatient: boolean): { ms: number; steps: number; finalStage: string } {
  const pump = createPump({ model: 'SM2-20', serial: 'BENCH0001', startTime: T0 });
  const patient = createPatient({ profile: 'spinal', time: T0, establishedDoseMcgPerDay: 400 });
  const clock = withPatient
    ? couplePatient(pump, () => patient)
    : {
        advanceTo: (to: number) => {
          while (pump.now() < to) {
            const next = pump.nextEventTime();
            pump.advanceTo(next === null || next > to ? to : next);
          }
        },
      };
  let steps = 0;
  pump.subscribe((n) => {
    if (n.type === 'changed') steps += 1;
  });
  // CPU time of this process, not wall time: on a shared machine other processes' load would otherwise
  // dominate a difference of a few tens of milliseconds.
  const start = process.cpuUsage();
  pump.apply(refill(0, CONTINUOUS));
  const end = T0 + DAYS * DAY;
  for (let t = T0 + 90 * DAY; pump.now() < end; t += 90 * DAY) {
    clock.advanceTo(Math.min(t, end));
    if (pump.now() >= end) break;
    const withdrawn = Math.floor(pump.truth().trueReservoirVolumeNl / 1000) - 1_000;
    pump.apply(refill(withdrawn, t >= T0 + 180 * DAY ? FLEX : undefined));
  }
  const cpu = process.cpuUsage(start);
  return { ms: (cpu.user + cpu.system) / 1000, steps, finalStage: patient.findings().withdrawal.stage };
}

export default function patientBench(): void {
  simulate(false); // warm-up
  simulate(true);
  const runs = 21;
  const alone: number[] = [];
  const both: number[] = [];
  let last = simulate(true);
  for (let i = 0; i < runs; i += 1) {
    alone.push(simulate(false).ms);
    last = simulate(true);
    both.push(last.ms);
  }
  const best = (xs: number[]) => Math.min(...xs);
  const a = best(alone);
  const b = best(both);
  console.log(
    `one simulated year, event to event (fast mode), CPU time, best of ${runs} interleaved runs (the least disturbed by other load):`,
  );
  console.log(`  pump alone          ${a.toFixed(1).padStart(8)} ms`);
  console.log(
    `  pump + patient      ${b.toFixed(1).padStart(8)} ms   (${last.steps} pump events; patient at the end: withdrawal ${last.finalStage})`,
  );
  console.log(
    `  ratio               ${(b / a).toFixed(2).padStart(8)} x   goal < 2x: ${b / a < 2 ? 'met' : 'NOT met'}; goal < 1 s: ${b < 1000 ? 'met' : 'NOT met'}`,
  );
}
