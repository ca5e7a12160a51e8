import { useEffect, useState } from 'react';
import type { PumpStatus } from '../../device/types';
import { therapyMeanDailyDose, therapyMeanRate } from '../../shared/clinical/arithmetic';
import { parseMl } from '../../shared/clinical/format';
import type { ProgrammerBridge, Proposal, VerifyResult } from '../../shared/contract';
import {
  formatAmount,
  formatConcentration,
  formatDose,
  formatDuration,
  formatLocalDate,
  formatLocalDateTime,
  formatRate,
  formatReservoirVolume,
  formatVolume,
  formatZone,
} from '../../shared/clinical/format';
import './workflows.css';

export interface RefillPrintoutProps {
  api: ProgrammerBridge;
  status: PumpStatus;
  /** The committed refill proposal: its review rows hold the values before the refill. */
  proposal: Proposal;
  /** What the pump read back after the update: the card prints these, not what was typed. */
  verified: VerifyResult | null;
}

/**
 * The refill card: what was put in the pump, by whom, and when to come back. Printed from the values the
 * pump read back after the update (program) and a fresh interrogation (dates, reservoir), with the values
 * before the refill from the review. Prints on its own (the rest of the screen is hidden in print).
 */
export function RefillPrintout({ api, status, proposal, verified }: RefillPrintoutProps) {
  const [after, setAfter] = useState<PumpStatus | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [identity, setIdentity] = useState<{ patientId: string | null; clinician: string | null } | null>(
    null,
  );
  useEffect(() => {
    let live = true;
    // Interrogate first, so the card's dates and the session summary are the pump's state after the update.
    void api.interrogate({}).then(async (s) => {
      if (!live) return;
      if (s.ok) setAfter(s.value);
      // The patient ID and the clinician recorded with the session at connection.
      const c = await api.connectionState({});
      if (!live) return;
      if (c.ok) setIdentity({ patientId: c.value.patientId, clinician: c.value.clinician });
      const r = await api.exportRecord({ format: 'summary' });
      if (!live) return;
      if (r.ok) setSummary(r.value);
      else setSummaryError(`${r.error.code}: ${r.error.message}`);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const refill = proposal.change.refill;
  const bolus = proposal.change.bolus;
  const c = proposal.consequences;
  const now = after ?? status;
  const program = verified?.program ?? null;
  const row = (field: string) => proposal.rows.find((r) => r.field === field);
  const expectedText = row('reservoirVolume')?.old ?? null;
  const expected = expectedText === null ? null : parseMl(expectedText);
  const discrepancy =
    refill && expected?.ok ? formatReservoirVolume(refill.withdrawnVolumeUl - expected.value) : 'unknown';
  const lowAlarm = after ? after.lowReservoirAlarmTime : c.lowReservoirAlarmTime;
  const dose = program ? therapyMeanDailyDose(program.therapy) : c.effectiveDailyDoseNgPerDay;
  const rate = program ? therapyMeanRate(program.therapy, program.concentrationMcgPerMl) : c.rateUlPerDay;
  const refilledAt = program?.programmedAt ?? now.pumpTime;

  return (
    <section className="wf-printout" aria-labelledby="wf-printout-h" data-testid="refill-printout">
      <h2 id="wf-printout-h">Refill card</h2>
      <dl className="wf-consequences">
        <dt>Refilled on</dt>
        <dd data-testid="printout-refilled-at">{formatLocalDateTime(refilledAt)}</dd>
        <dt>Pump</dt>
        <dd>
          {now.model}, serial {now.serial}
        </dd>
        <dt>Patient ID</dt>
        <dd data-testid="printout-patient-id">{identity?.patientId ?? 'not recorded for this session'}</dd>
        <dt>Patient name</dt>
        <dd className="wf-write-in">________________________</dd>
        <dt>Clinician</dt>
        <dd data-testid="printout-clinician">{identity?.clinician ?? 'not recorded for this session'}</dd>
        <dt>Clinician&apos;s signature</dt>
        <dd className="wf-write-in">________________________</dd>
        <dt>Previous drug and concentration</dt>
        <dd data-testid="printout-previous">
          {row('drugName')?.old ?? status.drugName}, {row('concentration')?.old ?? '?'}
        </dd>
        <dt>New drug and concentration</dt>
        <dd data-testid="printout-new-drug">
          {program?.drugName ?? refill?.drugName ?? status.drugName},{' '}
          {formatConcentration(
            program?.concentrationMcgPerMl ?? refill?.concentrationMcgPerMl ?? status.concentrationMcgPerMl,
          )}
        </dd>
        <dt>Expected volume (calculated)</dt>
        <dd>{expectedText ?? 'unknown'}</dd>
        <dt>Volume withdrawn</dt>
        <dd>{refill ? formatVolume(refill.withdrawnVolumeUl) : 'n/a'}</dd>
        <dt>Discrepancy (withdrawn - expected)</dt>
        <dd data-testid="printout-discrepancy">{discrepancy}</dd>
        <dt>Volume filled</dt>
        <dd>{refill ? formatVolume(refill.fillVolumeUl) : 'n/a'}</dd>
        <dt>Bridge or priming bolus</dt>
        <dd data-testid="printout-bolus">
          {!bolus
            ? 'none'
            : bolus.kind === 'priming'
              ? `Priming bolus of ${formatVolume(bolus.volumeUl)} over ${formatDuration(bolus.durationS)}`
              : `${bolus.kind === 'bridge' ? 'Bridge' : 'Single'} bolus of ${formatAmount(bolus.amountNg)} over ${formatDuration(bolus.durationS)}`}
        </dd>
        <dt>New daily dose (24 h total)</dt>
        <dd data-testid="printout-dose">{formatDose(dose)}</dd>
        <dt>Rate</dt>
        <dd>{formatRate(rate)}</dd>
        <dt>Reservoir volume now</dt>
        <dd>{formatReservoirVolume(after ? after.reservoirVolumeUl : c.reservoirVolumeAfterUl)}</dd>
        <dt>Low-reservoir alarm date</dt>
        <dd data-testid="printout-alarm-date">{lowAlarm === null ? 'none' : formatLocalDate(lowAlarm)}</dd>
        <dt>Next refill by</dt>
        <dd data-testid="printout-refill-by">
          {proposal.nextRefillTime === null ? 'n/a' : formatLocalDate(proposal.nextRefillTime)}
        </dd>
      </dl>
      <p>
        Training and test bench — not a medical device. Times are local ({formatZone(refilledAt)}).
        {verified && !verified.matches && ' WARNING: the pump did not read back what was sent.'}
      </p>
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
