/**
 * What each pump alarm means for the patient and what the clinic does about it, in the words of the
 * SynchroMed II clinician material where it has them (sources: docs/clinical-model.md, "Alarms").
 * Shared by the alarm banner and list and the event log's clinical wording.
 */
import type { AlarmCode } from '../../device/types';

export interface AlarmText {
  /** The alarm's name as a clinician says it. */
  title: string;
  /** What it means for the patient. */
  meaning: string;
  /** What the clinic does. */
  action: string;
}

export const ALARM_TEXT: Record<AlarmCode, AlarmText> = {
  LOW_RESERVOIR: {
    title: 'Low reservoir',
    meaning:
      'The calculated volume reached the low-reservoir threshold: the pump empties on the date shown, and an empty pump means abrupt baclofen withdrawal.',
    action: 'Schedule a refill before the empty date; tell the patient and caregiver the date.',
  },
  EMPTY_RESERVOIR: {
    title: 'Empty reservoir',
    meaning: 'No drug is being delivered: the patient is at risk of baclofen withdrawal now.',
    action: 'Refill at once; watch for withdrawal signs (itching, fever, rebound spasticity, confusion).',
  },
  ERI: {
    title: 'Elective replacement indicator',
    meaning:
      'The battery is near its end. At end of service the pump stops and therapy stops with it (withdrawal risk).',
    action: 'Schedule pump replacement surgery before the replace-by date.',
  },
  END_OF_SERVICE: {
    title: 'End of service',
    meaning: 'The pump has stopped for good: no drug is delivered (withdrawal risk).',
    action: 'Replace the pump now; cover with oral baclofen and watch for withdrawal.',
  },
  MOTOR_STALL: {
    title: 'Motor stall',
    meaning: 'The pump motor stopped (for example after an MRI): no drug is delivered while it stalls.',
    action:
      'Interrogate again to confirm recovery; if it persists, cover against withdrawal and contact the manufacturer.',
  },
  MEMORY_ERROR_NONCRITICAL: {
    title: 'Memory error (non-critical)',
    meaning: 'The pump found a memory error; it keeps delivering.',
    action: 'Check the program and the log against your records; contact the manufacturer.',
  },
  MEMORY_ERROR_CRITICAL: {
    title: 'Memory error (critical)',
    meaning: 'The pump stopped delivering because of a memory fault (withdrawal risk).',
    action: 'Replace the pump; cover with oral baclofen against withdrawal.',
  },
  CATHETER_OCCLUSION: {
    title: 'Catheter occlusion',
    meaning:
      'Drug is not reaching the spinal fluid: the patient is under-treated although the pump runs (withdrawal risk).',
    action:
      'Investigate the catheter (catheter access port aspiration, imaging); cover against withdrawal meanwhile.',
  },
};
