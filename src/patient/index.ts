/** The virtual patient: public API (pure; no I/O, no clock of its own). */
export * from './types';
export {
  createPatient,
  restorePatient,
  VirtualPatient,
  toPatientSnapshot,
  fromPatientSnapshot,
  type PatientSnapshot,
} from './patient';
export {
  createPatientState,
  advancePatient,
  applyIntervention,
  checkIntervention,
  assessPatient,
  historyRows,
  derive,
  linearSystem,
  HISTORY_FIELDS,
  HISTORY_INTERVAL_S,
  HISTORY_CAPACITY,
  HISTORY_STRIDE,
  INTERVENTION_LIMITS,
  BENZO_DIAZEPAM_EQ,
  WITHDRAWAL_STAGES,
  OVERDOSE_STAGES,
  type CreatePatientOptions,
  type HistoryRow,
} from './model';
export {
  patientParams,
  PROFILE_IDS,
  PROFILE_BASE,
  NON_RESPONDER_SEEDS,
  NON_RESPONDER_EC50_FACTOR,
  isNonResponderSeed,
  CSF_HALF_LIFE_RANGE_H,
  CSF_CLEARANCE_RANGE_ML_PER_H,
} from './profiles';
export { solveLinear, evaluate, evaluateGrid, type LinearSystem, type Solution } from './linear';
export { outcomeMeasures, HYPOTONIA_ACTIVITY_LOSS, type OutcomeInputs } from './outcomes';
