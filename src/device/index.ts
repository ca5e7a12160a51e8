/** The virtual pump: public API. */
export * from './types';
export * from './pump-api';
export { createPump, restorePump, VirtualPump } from './pump';
export {
  pumpMachine,
  stateValueOf,
  DELIVERY_STATES,
  FAULT_KINDS,
  type DeliveryState,
  type PumpEvent,
  type PumpInput,
} from './machine';
export { nextEventTime } from './next-event';
export { validateProgram, projectReservoir } from './validate';
export { deriveStatus, deriveTruth, deriveProgram } from './status';
export {
  PROFILES,
  getProfile,
  TONE_PATTERNS,
  ALARM_PRIORITY,
  STANDARD_CONCENTRATIONS,
  type DeviceProfile,
} from '../shared/device-facts/profiles';
export {
  rateForDose,
  doseForRate,
  volumeForAmount,
  amountForVolume,
  flexDailyTotals,
  roundHalfUp,
  ceilDiv,
  floorDiv,
  formatPumpTime,
} from '../shared/device-facts/dose';
export {
  UTC_RULE,
  clockRuleProblem,
  describeClockRule,
  localSecondOfDay,
  utcOffsetAt,
  type ClockRule,
  type TransitionRule,
} from '../shared/device-facts/local-clock';
export { initialState, phaseOf, type PumpState, type Phase, type StoredTherapy } from './state';
export { toSnapshot, fromSnapshot, SNAPSHOT_VERSION } from './snapshot';
export { dailyDoseOfTherapyEntry, readLog, therapyLogDetail } from './log';
