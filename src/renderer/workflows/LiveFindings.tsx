/**
 * The rule engine's findings on an edit screen, computed with the review's inputs (the pump's history via
 * clinicalContext, no prepare consequences: the engine rounds doses through the rate as the pump does), so
 * what the clinician sees while editing is what the review will show.
 */
import { useMemo } from 'react';
import { evaluateChange, type ChangeEvaluation } from '../../shared/clinical/rules';
import type { ProgramChangeRequest } from '../../shared/contract';
import { FindingList } from './FindingList';
import type { WorkflowProps } from './types';
import { useClinicalHistory } from './useClinicalHistory';

export function useLiveEvaluation(
  props: Pick<WorkflowProps, 'api' | 'status' | 'program' | 'origin' | 'ageGroup'>,
  change: ProgramChangeRequest | null,
): ChangeEvaluation | null {
  const { api, status, program, origin, ageGroup } = props;
  const { history } = useClinicalHistory(api, status);
  const key = change ? JSON.stringify(change) : '';
  return useMemo(
    () =>
      change && history
        ? evaluateChange({ status, program, history, change, consequences: null, origin, ageGroup })
        : null,
    // `key` stands for `change`: a new object with the same content is the same change.
    [key, history, status, program, origin, ageGroup],
  );
}

export function FindingsPanel({
  evaluation,
  testId,
}: {
  evaluation: ChangeEvaluation | null;
  testId: string;
}) {
  if (!evaluation || evaluation.findings.length === 0) return null;
  const verdict = evaluation.hardStop ? 'hardStop' : evaluation.needsOverrideReason ? 'warning' : 'ok';
  return (
    <div
      className={`wf-guardrail wf-verdict-${verdict}`}
      data-testid={testId}
      data-verdict={verdict}
      aria-live="polite"
    >
      <h2>Clinical checks</h2>
      <FindingList findings={evaluation.findings} />
      {evaluation.needsOverrideReason && <p>The update will need a stated reason for the override.</p>}
      {evaluation.hardStop && <p>This change cannot be sent to the pump.</p>}
    </div>
  );
}
