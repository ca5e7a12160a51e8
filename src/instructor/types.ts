/**
 * The bench's shapes as the console sees them: types only (the page runs in a browser and loads nothing of
 * the sim or the patient model; the answers come through the host's relay, src/main/instructor-relay.ts).
 */
export type { BenchState, ClockInfo, PatientHistory, StreamMessage } from '../../firmware-sim/bench-schema';
export type { AutoPauseCondition } from '../../firmware-sim/auto-pause';
export type { HistoryRow, PatientEvent, PatientFindings, WithdrawalStage, OverdoseStage } from '../patient';
export type { DeviceFault, FaultKind, CatheterState } from '../device/types';
export type { ActivityEntry, InstructorOp, InstructorServerMessage } from '../main/instructor-relay';
