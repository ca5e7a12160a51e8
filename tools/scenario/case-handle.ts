/** The case handle a driver gets (src/training/scenario/driver.ts), over the sim's bench API. */
import type { Intervention } from '../../src/patient';
import type {
  BedsideFindings,
  CaseHandle,
  CaseStatus,
  ConditionInput,
  DurationInput,
  LearnerMessage,
} from '../../src/training/scenario/driver';
import { durationSchema, type Scenario } from '../../src/training/scenario/schema';
import type { BenchClient } from './bench-client';

const seconds = (d: DurationInput): number => {
  const r = durationSchema.safeParse(d);
  if (!r.success) throw new RangeError(`not a duration: ${JSON.stringify(d)} (seconds, or e.g. "2d 6h")`);
  return r.data;
};

export function caseHandle(bench: BenchClient, scenario: Scenario, startTime: number): CaseHandle {
  const now = async (): Promise<number> => (await bench.get<CaseStatus>('/scenario')).now;
  return {
    scenario,
    startTime,
    patient: { origin: scenario.start.programmer.origin, ageGroup: scenario.start.programmer.ageGroup },
    now,
    status: () => bench.get<CaseStatus>('/scenario'),
    async advanceTo(t) {
      if (!Number.isSafeInteger(t)) throw new RangeError(`advanceTo needs a whole pump time, got ${t}`);
      await bench.post('/clock/advance', { to: t });
    },
    async advanceBy(d) {
      await bench.post('/clock/advance', { by: seconds(d) });
    },
    until: (condition: ConditionInput, o: { limit: DurationInput }) =>
      bench.post<{ met: boolean; t: number }>('/scenario/until', { condition, limit: o.limit }),
    messages: () => bench.get<LearnerMessage[]>('/scenario/messages'),
    bedside: {
      examine: () => bench.get<BedsideFindings>('/scenario/examine'),
      async intervene(iv: Intervention) {
        await bench.post('/patient/interventions', iv);
      },
      aspirateReservoir: () =>
        bench.post<{ volumeMl: number; resolutionMl: number }>('/scenario/aspirate', {}),
      async record(action: string, detail?: string) {
        await bench.post('/scenario/bedside', detail === undefined ? { action } : { action, detail });
      },
    },
  };
}
