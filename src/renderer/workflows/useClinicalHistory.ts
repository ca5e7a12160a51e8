/**
 * The pump's history as the rule engine needs it (operation clinicalContext): read when a workflow opens
 * and whenever the pump's status is re-read, so the edit screen evaluates with the review's inputs.
 */
import { useEffect, useState } from 'react';
import type { PumpStatus } from '../../device/types';
import type { ClinicalHistory } from '../../shared/clinical/history';
import type { ProgrammerBridge } from '../../shared/contract';

export interface ClinicalHistoryState {
  history: ClinicalHistory | null;
  /** Why it could not be read (the review still evaluates the change with the pump's own log). */
  error: string | null;
}

export function useClinicalHistory(api: ProgrammerBridge, status: PumpStatus): ClinicalHistoryState {
  const [state, setState] = useState<ClinicalHistoryState>({ history: null, error: null });
  useEffect(() => {
    let live = true;
    void api.clinicalContext({}).then((r) => {
      if (!live) return;
      setState(r.ok ? { history: r.value, error: null } : { history: null, error: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [api, status]);
  return state;
}
