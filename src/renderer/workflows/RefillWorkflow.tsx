import type { WorkflowProps } from './types';

// Placeholder until the workflows engineer replaces this file with the real Refill workflow.
export function RefillWorkflow(_props: WorkflowProps) {
  return <p>Refill workflow: being built.</p>;
}
