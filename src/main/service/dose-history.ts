/**
 * Reading the pump's log for the clinical rules: newest pages first, until the log reaches far enough
 * back (the escalation window plus a day) or its oldest entry. Bounded: at most MAX_PAGES pages.
 */
import type { LogPage, PumpStatus } from '../../device/types';
import { HISTORY_DAYS_NEEDED, historyFromLog, type ClinicalHistory } from '../../shared/clinical/history';

export const PAGE_SIZE = 50;
export const MAX_PAGES = 8;

export async function readClinicalHistory(
  readLog: (offset: number, count: number) => Promise<LogPage>,
  status: PumpStatus,
): Promise<ClinicalHistory> {
  const entries: LogPage['entries'] = [];
  let total = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const p = await readLog(page * PAGE_SIZE, PAGE_SIZE);
    total = p.total;
    entries.push(...p.entries);
    const oldest = p.entries[p.entries.length - 1];
    if (p.entries.length < PAGE_SIZE || entries.length >= total) break;
    if (oldest && status.pumpTime - oldest.time > HISTORY_DAYS_NEEDED) break;
  }
  return historyFromLog(entries, total, status);
}
