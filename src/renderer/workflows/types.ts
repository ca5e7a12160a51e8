import type { PumpProgram } from '../../device/pump-api';
import type { PumpStatus } from '../../device/types';
import type { AgeGroup, ProgrammerBridge, SpasticityOrigin } from '../../shared/contract';

/** Props every workflow screen receives from the shell (src/renderer/App.tsx). */
export interface WorkflowProps {
  api: ProgrammerBridge;
  /** Latest interrogation; the shell re-interrogates after `onDone`. */
  status: PumpStatus;
  program: PumpProgram;
  origin: SpasticityOrigin;
  /** Chosen with the origin on the Connect screen: children under 12 get the paediatric rules. */
  ageGroup: AgeGroup;
  /** True when the link is lost: values are stale and nothing may be sent. */
  stale: boolean;
  /** Leave the workflow (after verify, or on cancel); the shell re-interrogates. */
  onDone(): void;
}
