/**
 * Display of pump quantities with their units, for the shell's screens. The pump speaks integers in
 * fixed-point units (src/device/types.ts); clinicians read mcg/day, mL and mL/day.
 */
import type { BatteryState, InfusionMode } from '../../device/types';

/**
 * The clinical formatters (src/shared/clinical/format.ts) under the names the shell's screens use: exact
 * integer arithmetic, pump time in UTC, one way of printing each unit everywhere in the programmer.
 */
export {
  formatDose as formatDailyDose,
  formatAmount,
  formatVolume as formatVolumeMl,
  formatRate as formatRateMlPerDay,
  formatConcentration,
  formatPumpDate,
  formatPumpTime as formatPumpDateTime,
  formatLocalDate,
  formatLocalDateTime,
  formatZone,
  formatDuration,
  formatReservoirVolume,
} from '../../shared/clinical';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Second of day -> "06:30". */
export function formatTimeOfDay(s: number): string {
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}`;
}

/** Host time (ms since epoch, local clock) -> "13:04" for "link lost at" badges. */
export function formatHostClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const MODE_LABELS: Record<InfusionMode, string> = {
  stopped: 'Stopped',
  continuous: 'Simple continuous',
  flex: 'Flex',
  singleBolus: 'Single bolus',
  bridgeBolus: 'Bridge bolus',
  primingBolus: 'Priming bolus',
  patientBolus: 'Patient bolus',
};

export const BATTERY_LABELS: Record<BatteryState, string> = {
  ok: 'OK',
  eri: 'Elective replacement indicator (ERI)',
  endOfService: 'End of service',
};
