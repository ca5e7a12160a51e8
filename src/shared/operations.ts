/**
 * The programmer's operation names, with no runtime dependency: the sandboxed preload and the renderer
 * (whose CSP forbids the code generation zod may try) import this, not the zod schemas of contract.ts.
 */
export const OPERATION_NAMES = [
  'listPorts',
  'connect',
  'interrogate',
  'readProgram',
  'readLog',
  'clinicalContext',
  'proposeChange',
  'commitChange',
  'verify',
  'stopPump',
  'resumePump',
  'silenceAlarms',
  'alarmTest',
  'endSession',
  'sessionRecord',
  'exportRecord',
  'connectionState',
  'assessCandidacy',
  'screening',
  'implantNewPump',
  'trainingCases',
  'trainingCase',
  'startTrainingCase',
  'finishTrainingCase',
  'exportDebrief',
  'sinceLastVisit',
  'bedsideExamine',
  'bedsideRefillSyringe',
  'bedsideOrder',
  'bedsideActions',
] as const;

export type OperationName = (typeof OPERATION_NAMES)[number];
