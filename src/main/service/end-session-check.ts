/**
 * Ending a session on a pump that delivers no drug, or soon will not, deserves a word first: the pump's
 * own state as the end-of-session check reads it (the programming transaction adds its own: a change
 * reviewed but not sent, an update not verified). Pure: the status and program as last read.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { PumpStatus } from '../../device/types';
import type { EndSessionResult } from '../../shared/contract';
import { ALARM_TEXT } from '../../shared/clinical/alarm-text';
import { formatReservoirVolume } from '../../shared/clinical/format';
import { fmtPumpTime } from './review';

/** The most serious reason to think twice before ending the session on this pump, if there is one. */
export function pumpStateWarning(
  status: PumpStatus | null,
  program: PumpProgram | null,
): EndSessionResult['warning'] | undefined {
  // At end of service the pump is stopped for good: resuming it is no answer, replacing it is.
  if (status?.battery === 'endOfService') {
    return {
      code: 'END_OF_SERVICE',
      message:
        'The pump has reached END OF SERVICE: it delivers no drug. The patient needs pump replacement and cover against withdrawal now.',
    };
  }
  if (status?.mode === 'stopped' || program?.therapy.mode === 'stopped') {
    return {
      code: 'PUMP_STOPPED',
      message:
        'The pump is STOPPED: no drug is being delivered. Abrupt baclofen withdrawal can be life-threatening. Resume or program therapy before ending.',
    };
  }
  if (!status) return undefined;
  if (status.deliverySuspended) {
    return {
      code: 'DELIVERY_SUSPENDED',
      message: `Delivery is SUSPENDED by a pump fault (${status.alarms.map((a) => ALARM_TEXT[a.code].title).join(', ') || 'fault'}): no drug is being delivered.`,
    };
  }
  if (status.battery === 'eri') {
    return {
      code: 'BATTERY_ERI',
      message: `The battery is at its elective replacement indicator: the pump must be replaced by ${status.replaceByTime === null ? 'the replace-by date' : fmtPumpTime(status.replaceByTime)}, or therapy stops at end of service. Make sure replacement is scheduled.`,
    };
  }
  const overdue = status.alarms.some((a) => a.code === 'LOW_RESERVOIR' || a.code === 'EMPTY_RESERVOIR');
  if (overdue) {
    return {
      code: 'REFILL_OVERDUE',
      message: `The reservoir is at or below its low-reservoir alarm (${formatReservoirVolume(status.reservoirVolumeUl)} calculated): the refill is overdue. Refill before the patient leaves or book it before the empty date.`,
    };
  }
  return undefined;
}
