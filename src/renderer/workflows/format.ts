/**
 * The workflows' single door to value formatting: the clinical module's formatters (src/shared/clinical), so
 * every value is shown with its unit exactly as the programmer service and the printout show it.
 */
export {
  formatAmount,
  formatConcentration,
  formatDose,
  formatPumpDate,
  formatPumpTime,
  formatRate,
  formatVolume,
} from '../../shared/clinical/format';

/** Seconds -> "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}
