/**
 * Display of pump quantities with their units, for the shell's screens. The pump speaks integers in
 * fixed-point units (src/device/types.ts); clinicians read mcg/day, mL and mL/day.
 */
import type {
  BatteryState,
  InfusionMode,
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  Seconds,
} from '../../device/types';

/** Fixed-point integer n / 10^places as a decimal string, exactly (no float rounding surprises). */
function fixed(n: number, places: number, keep: number): string {
  const neg = n < 0;
  const abs = Math.abs(Math.trunc(n));
  const scale = 10 ** places;
  const whole = Math.floor(abs / scale);
  let frac = String(abs % scale).padStart(places, '0');
  // Trim trailing zeros but keep at least `keep` decimals.
  while (frac.length > keep && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${whole}${frac.length ? `.${frac}` : ''}`;
}

/** ng/day -> "400 mcg/day" (up to 3 decimals: the pump's dose resolution is 1 ng/day). */
export function formatDailyDose(ngPerDay: number): string {
  return `${fixed(ngPerDay, 3, 0)} mcg/day`;
}

/** ng -> "50 mcg". */
export function formatAmount(ng: number): string {
  return `${fixed(ng, 3, 0)} mcg`;
}

/** uL -> "12.345 mL" (at least 1 decimal: a bare "12 mL" reads like an estimate). */
export function formatVolumeMl(uL: Microlitres): string {
  return `${fixed(uL, 3, 1)} mL`;
}

/** uL/day -> "0.200 mL/day". */
export function formatRateMlPerDay(uLPerDay: MicrolitresPerDay): string {
  return `${fixed(uLPerDay, 3, 3)} mL/day`;
}

export function formatConcentration(mcgPerMl: McgPerMl): string {
  return `${mcgPerMl} mcg/mL`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Pump time (UTC seconds) -> "2025-11-25 13:04 UTC". */
export function formatPumpDateTime(t: Seconds): string {
  const d = new Date(t * 1000);
  return `${formatPumpDate(t)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Pump time (UTC seconds) -> "2025-11-25". */
export function formatPumpDate(t: Seconds): string {
  const d = new Date(t * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
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
