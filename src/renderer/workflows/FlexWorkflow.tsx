import type { WorkflowProps } from './types';

// Placeholder until the workflows engineer replaces this file with the real Flex workflow.
export function FlexWorkflow(_props: WorkflowProps) {
  return <p>Flex workflow: being built.</p>;
}
