import type { WorkflowProps } from './types';

// Placeholder until the workflows engineer replaces this file with the real Titration workflow.
export function TitrationWorkflow(_props: WorkflowProps) {
  return <p>Titration workflow: being built.</p>;
}
