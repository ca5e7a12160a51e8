/**
 * Labels of the shell's screens, and the host's own clock. Pump quantities are printed by the one
 * formatter of each quantity, src/shared/clinical/format.ts.
 */
import type { BatteryState, InfusionMode } from '../../device/types';

function pad(n: number): string {
  return String(n).padStart(2, '0');
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
