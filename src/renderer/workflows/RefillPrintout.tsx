import { useEffect, useState } from 'react';
import type { PumpStatus } from '../../device/types';
import type { ProgrammerBridge, Proposal } from '../../shared/contract';
import { formatConcentration, formatDose, formatLocalDate, formatVolume, formatZone } from './format';
import './workflows.css';

export interface RefillPrintoutProps {
  api: ProgrammerBridge;
  status: PumpStatus;
  /** The committed refill proposal: its change and consequences are what the pump now holds. */
  proposal: Proposal;
}

/** The patient's refill card: what was put in the pump and when to come back. Prints on its own. */
export function RefillPrintout({ api, status, proposal }: RefillPrintoutProps) {
  const [summary, setSummary] = useState<string | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.exportRecord({ format: 'summary' }).then((r) => {
      if (!live) return;
      if (r.ok) setSummary(r.value);
      else setSummaryError(`${r.error.code}: ${r.error.message}`);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const refill = proposal.change.refill;
  const c = proposal.consequences;
  return (
    <section className="wf-printout" aria-labelledby="wf-printout-h" data-testid="refill-printout">
      <h2 id="wf-printout-h">Refill summary</h2>
      <dl className="wf-consequences">
        <dt>Pump</dt>
        <dd>
          {status.model}, serial {status.serial}
        </dd>
        <dt>Drug</dt>
        <dd>{refill?.drugName ?? status.drugName}</dd>
        <dt>Concentration</dt>
        <dd>{formatConcentration(refill?.concentration ?? status.concentration)}</dd>
        <dt>Daily dose</dt>
        <dd>{formatDose(c.effectiveDailyDose)}</dd>
        <dt>Volume withdrawn</dt>
        <dd>{refill ? formatVolume(refill.withdrawnVolume) : 'n/a'}</dd>
        <dt>Volume filled</dt>
        <dd>{refill ? formatVolume(refill.fillVolume) : 'n/a'}</dd>
        <dt>Reservoir volume now</dt>
        <dd>{formatVolume(c.reservoirVolumeAfter)}</dd>
        <dt>Low-reservoir alarm date</dt>
        <dd data-testid="printout-alarm-date">
          {c.lowReservoirAlarmTime === null ? 'none' : formatLocalDate(c.lowReservoirAlarmTime)}
        </dd>
        <dt>Refill by</dt>
        <dd data-testid="printout-refill-by">
          {proposal.nextRefillTime === null ? 'n/a' : formatLocalDate(proposal.nextRefillTime)}
        </dd>
      </dl>
      <p>Training and test bench — not a medical device. Dates are local ({formatZone(status.pumpTime)}).</p>
      {summary && (
        <details>
          <summary>Session summary from the programmer</summary>
          <pre data-testid="printout-summary">{summary}</pre>
        </details>
      )}
      {summaryError && <p className="wf-hint">The session summary is not available ({summaryError}).</p>}
      <div className="wf-actions wf-noprint">
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
    </section>
  );
}
