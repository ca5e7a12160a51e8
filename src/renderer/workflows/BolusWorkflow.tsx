import type { WorkflowProps } from './types';

// Placeholder until the workflows engineer replaces this file with the real Bolus workflow.
export function BolusWorkflow(_props: WorkflowProps) {
  return <p>Bolus workflow: being built.</p>;
}
