/**
 * The printable refill/session summary (exportRecord 'summary'): plain text, so it prints anywhere and
 * diffs in tests. Built from the session record plus the last values read from the pump.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { PumpStatus } from '../../device/types';
import type { Proposal, SessionRecordEntry } from '../../shared/contract';
import { fmtPumpTime, fmtTherapy } from './review';
import {
  formatConcentration,
  formatDose,
  formatReservoirVolume,
  formatVolume,
  formatZone,
} from '../../shared/clinical/format';

export interface SummaryInput {
  entries: SessionRecordEntry[];
  status: PumpStatus | null;
  program: PumpProgram | null;
}

function isProposal(v: unknown): v is Proposal {
  return typeof v === 'object' && v !== null && typeof (v as Proposal).proposalId === 'string';
}

/** The proposals that were committed in this session, in order. */
export function committedProposals(entries: SessionRecordEntry[]): Proposal[] {
  const proposals = new Map<string, Proposal>();
  const out: Proposal[] = [];
  for (const e of entries) {
    if (e.operation === 'proposeChange' && e.result === 'ok' && isProposal(e.detail)) {
      proposals.set(e.detail.proposalId, e.detail);
    }
    if (e.operation === 'commitChange' && e.result === 'ok') {
      const id = (e.request as { proposalId?: string }).proposalId;
      const committed = (e.detail as { committed?: boolean }).committed;
      const p = id ? proposals.get(id) : undefined;
      if (p && committed) out.push(p);
    }
  }
  return out;
}

export function renderSummary({ entries, status, program }: SummaryInput): string {
  const lines: string[] = [];
  const rule = '='.repeat(64);
  lines.push(rule, 'INTRATHECAL PUMP SESSION SUMMARY', 'Training bench, not a medical device.', rule);
  // The record keeps ISO UTC stamps; the summary a clinic reads says local time, with its zone once.
  const local = (iso: string | undefined): string | null => {
    const ms = iso === undefined ? NaN : Date.parse(iso);
    return Number.isFinite(ms) ? fmtPumpTime(Math.floor(ms / 1000)) : null;
  };
  const started = entries[0]?.at;
  lines.push(`Session started: ${local(started) ?? 'unknown'}`);
  lines.push(
    `Session ended:   ${local(entries.find((e) => e.operation === 'endSession' && e.result === 'ok')?.at) ?? 'open'}`,
  );
  const zoneAt = status?.pumpTime ?? (started ? Math.floor(Date.parse(started) / 1000) : null);
  if (zoneAt !== null && Number.isSafeInteger(zoneAt)) lines.push(`Times are local: ${formatZone(zoneAt)}`);
  if (status) {
    lines.push(`Pump model:      ${status.model}`, `Pump serial:     ${status.serial}`);
  }
  if (program) {
    lines.push(
      `Drug:            ${program.drugName}`,
      `Concentration:   ${formatConcentration(program.concentrationMcgPerMl)}`,
      `Therapy:         ${fmtTherapy(program.therapy)}`,
    );
  }
  if (status) {
    lines.push(
      `Daily dose:      ${formatDose(status.dailyDoseNgPerDay)}`,
      `Reservoir:       ${formatReservoirVolume(status.reservoirVolumeUl)} of ${formatVolume(status.reservoirCapacityUl)} (calculated)`,
      `Low-reservoir alarm at ${formatVolume(status.lowReservoirAlarmVolumeUl)}: ${fmtPumpTime(status.lowReservoirAlarmTime)}`,
    );
  }

  const committed = committedProposals(entries);
  const refills = committed.filter((p) => p.change.refill);
  for (const p of refills) {
    const refill = p.change.refill!;
    const row = (field: string) => p.rows.find((r) => r.field === field);
    lines.push('', '-- Refill --');
    lines.push(
      `Drug:            ${refill.drugName}`,
      `Concentration:   ${formatConcentration(refill.concentrationMcgPerMl)}`,
      `Expected volume: ${row('reservoirVolume')?.old ?? 'unknown'} (pump's calculated reservoir)`,
      `Withdrawn:       ${formatVolume(refill.withdrawnVolumeUl)}`,
      `Filled:          ${formatVolume(refill.fillVolumeUl)}`,
      `Daily dose:      ${formatDose(p.consequences.effectiveDailyDoseNgPerDay)}`,
      `Low-reservoir alarm date: ${fmtPumpTime(p.consequences.lowReservoirAlarmTime)}`,
      `Refill by:       ${fmtPumpTime(p.nextRefillTime)}`,
    );
    for (const f of p.findings) lines.push(`  [${f.severity}] ${f.message}`);
  }
  if (refills.length === 0 && committed.length > 0) {
    const last = committed[committed.length - 1]!;
    lines.push('', `Refill by:       ${fmtPumpTime(last.nextRefillTime)}`);
  }

  const overrides = entries.filter((e) => e.reason);
  if (overrides.length > 0) {
    lines.push('', '-- Stated reasons (overrides, forced end) --');
    for (const e of overrides) lines.push(`${e.at} ${e.operation}: ${e.reason}`);
  }

  lines.push('', '-- Operations --');
  for (const e of entries) {
    if (e.operation === 'event') continue;
    lines.push(`${e.at} ${e.operation} ${e.result}`);
  }
  lines.push(rule, 'Training bench, not a medical device. Not for clinical use.', rule);
  return lines.join('\n') + '\n';
}
