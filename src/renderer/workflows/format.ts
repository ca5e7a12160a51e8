/**
 * The workflows' single door to value formatting: the clinical module's formatters (src/shared/clinical), so
 * every value is shown with its unit exactly as the programmer service and the printout show it.
 */
export {
  formatAmount,
  formatConcentration,
  formatDose,
  formatDuration,
  formatLocalDate,
  formatLocalDateTime,
  formatZone,
  formatPumpDate,
  formatPumpTime,
  formatRate,
  formatReservoirVolume,
  formatVolume,
} from '../../shared/clinical/format';
