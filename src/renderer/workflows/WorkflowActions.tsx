/** The button row under a workflow's task screen: Cancel, optionally Previous, then the primary step. */
export interface WorkflowActionsProps {
  onCancel(): void;
  /** A Previous button (multi-step workflows). */
  previous?: { onClick(): void; disabled: boolean };
  /** Label of the primary button; default "Review". */
  primaryLabel?: string;
  /** data-testid of the primary button; default "to-review". */
  primaryTestId?: string;
  primaryDisabled: boolean;
  onPrimary(): void;
}

export function WorkflowActions({
  onCancel,
  previous,
  primaryLabel = 'Review',
  primaryTestId = 'to-review',
  primaryDisabled,
  onPrimary,
}: WorkflowActionsProps) {
  return (
    <div className="wf-actions">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {previous && (
        <button type="button" onClick={previous.onClick} disabled={previous.disabled}>
          Previous
        </button>
      )}
      <button
        type="button"
        className="wf-primary"
        data-testid={primaryTestId}
        disabled={primaryDisabled}
        onClick={onPrimary}
      >
        {primaryLabel}
      </button>
    </div>
  );
}
