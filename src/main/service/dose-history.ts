/** What the pump's own log says about past dose changes, for the titration guardrails across sessions. */
import { dailyDoseOfTherapyEntry } from '../../device/log';
import type { LogEntry, NanogramsPerDay, Seconds } from '../../device/types';

export interface DoseIncrease {
  at: Seconds;
  doseBefore: NanogramsPerDay;
}

/**
 * The newest dose increase among `entries` (a log page, newest first): a therapy PROGRAM entry whose daily
 * dose is above that of the next older therapy entry. Null when the page shows none.
 */
export function lastIncreaseInLog(entries: readonly LogEntry[]): DoseIncrease | null {
  const doses: { time: Seconds; dose: NanogramsPerDay }[] = [];
  for (const e of entries) {
    const dose = dailyDoseOfTherapyEntry(e);
    if (dose !== null) doses.push({ time: e.time, dose });
  }
  for (let i = 0; i + 1 < doses.length; i++) {
    const newer = doses[i]!;
    const older = doses[i + 1]!;
    if (newer.dose > older.dose) return { at: newer.time, doseBefore: older.dose };
  }
  return null;
}
