/**
 * Pump-summary view-model: staleness after a link loss, the link status line, the reservoir gauge, today's
 * flex schedule as a 24-hour step chart, and the recommended next refill date.
 */
import type { PumpProgram } from '../../device/pump-api';
import type { FlexStep, LogEntry, PumpStatus, PumpInstant } from '../../device/types';
import { nextRefill } from '../../shared/clinical';
import type { ConnectionInfo, LinkStats } from '../../shared/contract';
import type { TransportState } from '../api';
import { formatHostClock } from '../components/units';

export interface Staleness {
  stale: boolean;
  /** Host time (ms) the link was lost, when known. */
  lostAt: number | null;
  /** Badge text, e.g. "STALE — link lost at 13:04"; empty when fresh. */
  label: string;
}

/**
 * Values read from the pump are stale once the pump link is lost (or the host socket is gone): they may no
 * longer be true, and nothing may be sent on their basis. `lostAt` is the last successful contact.
 */
export function staleness(connection: ConnectionInfo | null, transport: TransportState): Staleness {
  const linkLost =
    connection !== null && (connection.state === 'lost' || connection.state === 'disconnected');
  const hostLost = transport.state === 'reconnecting' || transport.state === 'closed';
  if (!linkLost && !hostLost) return { stale: false, lostAt: null, label: '' };
  const lostAt = connection?.lastContactAt ?? transport.closedAt ?? null;
  // A session the clinician ended is not a lost link: its values are old, but nothing went wrong.
  if (!hostLost && connection?.state === 'disconnected') {
    return { stale: true, lostAt, label: 'Session ended: values are from the last interrogation' };
  }
  const where = hostLost && !linkLost ? 'host connection lost' : 'link lost';
  return {
    stale: true,
    lostAt,
    label: `STALE — ${where}${lostAt !== null ? ` at ${formatHostClock(lostAt)}` : ''}`,
  };
}

export type LinkTone = 'ok' | 'warn' | 'bad' | 'idle';

export interface LinkView {
  label: string;
  tone: LinkTone;
  /** e.g. "frames 12/12 · retries 0 · CRC errors 0 · timeouts 0". */
  statsText: string;
}

export function formatLinkStats(s: LinkStats): string {
  const auth = s.authFailures > 0 ? ` · UNAUTHENTICATED answers ${s.authFailures}` : '';
  return `frames ${s.framesSent} sent/${s.framesReceived} received · retries ${s.retries} · CRC errors ${s.crcErrors} · repaired ${s.fecCorrected} · timeouts ${s.timeouts}${auth}`;
}

export function linkView(connection: ConnectionInfo | null, transport: TransportState): LinkView {
  if (transport.state !== 'open') {
    const label =
      transport.state === 'connecting'
        ? `Connecting to programmer host…${transport.attempts ? ` (attempt ${transport.attempts + 1})` : ''}`
        : transport.state === 'closed'
          ? 'Programmer host closed'
          : `Programmer host lost — reconnecting (attempt ${transport.attempts})`;
    return { label, tone: transport.state === 'connecting' ? 'idle' : 'bad', statsText: '' };
  }
  if (!connection) return { label: 'Not connected', tone: 'idle', statsText: '' };
  const stats = formatLinkStats(connection.stats);
  switch (connection.state) {
    case 'connected':
      return {
        label: `Connected${connection.pumpSerial ? ` to ${connection.pumpSerial}` : ''}${connection.embedded ? ' (virtual pump)' : connection.portPath ? ` on ${connection.portPath}` : ''}`,
        tone: 'ok',
        statsText: stats,
      };
    case 'retrying':
      return { label: 'Retrying — link degraded', tone: 'warn', statsText: stats };
    case 'lost':
      return { label: 'Link lost', tone: 'bad', statsText: stats };
    case 'connecting':
      return { label: 'Connecting…', tone: 'idle', statsText: stats };
    case 'disconnected':
      return { label: 'Not connected', tone: 'idle', statsText: stats };
  }
}

export interface ReservoirGauge {
  volume: number;
  capacity: number;
  lowThreshold: number;
  /** 0..1 */
  fraction: number;
  belowThreshold: boolean;
}

export function reservoirGauge(status: PumpStatus): ReservoirGauge {
  const capacity = Math.max(1, status.reservoirCapacityUl);
  const volume = Math.max(0, Math.min(status.reservoirVolumeUl, capacity));
  return {
    volume,
    capacity,
    lowThreshold: status.lowReservoirAlarmVolumeUl,
    fraction: volume / capacity,
    belowThreshold: status.reservoirVolumeUl <= status.lowReservoirAlarmVolumeUl,
  };
}

export const DAY_SECONDS = 86_400;

export interface FlexBar {
  start: number;
  end: number;
  dailyDose: number;
  x: number;
  width: number;
  y: number;
  height: number;
}

export interface FlexChart {
  bars: FlexBar[];
  maxDose: number;
  /** SVG path of the step outline. */
  path: string;
  width: number;
  height: number;
}

/** Today's schedule as steps covering 00:00..24:00 (continuous therapy is one step; stopped is none). */
export function scheduleSteps(program: PumpProgram): FlexStep[] {
  const t = program.therapy;
  if (t.mode === 'flex') return [...t.steps].sort((a, b) => a.startSecondOfDay - b.startSecondOfDay);
  if (t.mode === 'continuous') return [{ startSecondOfDay: 0, dailyDoseNgPerDay: t.dailyDoseNgPerDay }];
  return [];
}

/** Geometry of a 24-hour step chart of `steps` in a width x height box (y grows downwards, as in SVG). */
export function flexChart(steps: readonly FlexStep[], width: number, height: number): FlexChart {
  const sorted = [...steps]
    .filter((s) => s.startSecondOfDay >= 0 && s.startSecondOfDay < DAY_SECONDS)
    .sort((a, b) => a.startSecondOfDay - b.startSecondOfDay);
  const maxDose = Math.max(1, ...sorted.map((s) => s.dailyDoseNgPerDay));
  const bars: FlexBar[] = sorted.map((s, i) => {
    const end = sorted[i + 1]?.startSecondOfDay ?? DAY_SECONDS;
    const x = (s.startSecondOfDay / DAY_SECONDS) * width;
    const h = (s.dailyDoseNgPerDay / maxDose) * height;
    return {
      start: s.startSecondOfDay,
      end,
      dailyDose: s.dailyDoseNgPerDay,
      x,
      width: ((end - s.startSecondOfDay) / DAY_SECONDS) * width,
      y: height - h,
      height: h,
    };
  });
  const r = (n: number) => Math.round(n * 100) / 100;
  let path = '';
  if (bars.length) {
    path = `M ${r(bars[0]!.x)} ${height}`;
    for (const b of bars) path += ` L ${r(b.x)} ${r(b.y)} L ${r(b.x + b.width)} ${r(b.y)}`;
    path += ` L ${width} ${height} Z`;
  }
  return { bars, maxDose, path, width, height };
}

export interface RefillPlan {
  /** Not yet in the refill window, in it (due), or past its end (overdue). */
  state: RefillState;
  /** The end of the refill window, not moved to now: the date an overdue refill was due. */
  dueBy: PumpInstant;
  /** Refill by this pump time (the printout's date). */
  latest: PumpInstant;
  earliest: PumpInstant;
  reason: string;
  /** False when no refill is in the log read: drug age, hence the stability limit, is unknown. */
  fillKnown: boolean;
}

export type RefillState = 'notYet' | 'due' | 'overdue';

/** What the summary says about the refill: "Refill due by 18 Dec 2026" / "Refill OVERDUE since ...". */
export function refillStateText(
  plan: { state: RefillState; dueBy: PumpInstant },
  date: (t: PumpInstant) => string,
): string {
  if (plan.state === 'overdue') return `Refill OVERDUE since ${date(plan.dueBy)}`;
  if (plan.state === 'due') return `Refill due now, by ${date(plan.dueBy)}`;
  return `Next refill due by ${date(plan.dueBy)}`;
}

/**
 * The next refill from the clinical rule (3-5 days before the low-reservoir alarm date, within the drug's
 * stability limit from the fill). The fill time comes from the pump's log; without it the stability limit
 * cannot be placed, which the plan says rather than guessing.
 */
export function refillPlan(status: PumpStatus, lastRefillAt: PumpInstant | null): RefillPlan {
  const plan = nextRefill({
    filledAt: lastRefillAt ?? status.pumpTime,
    lowReservoirAlarmTime: status.lowReservoirAlarmTime,
  });
  const fillKnown = lastRefillAt !== null;
  // Due from the start of the window, overdue after its end (the date the clinic should have refilled by).
  const state: RefillState =
    status.pumpTime > plan.latest ? 'overdue' : status.pumpTime >= plan.earliest ? 'due' : 'notYet';
  return {
    state,
    dueBy: plan.latest,
    latest: Math.max(plan.latest, status.pumpTime),
    earliest: Math.max(plan.earliest, status.pumpTime),
    reason: fillKnown ? plan.reason : `${plan.reason} (No refill in the log read: check the drug's age.)`,
    fillKnown,
  };
}

/** Pump time of the newest REFILL entry in a newest-first log page, or null. */
export function lastRefillTime(entries: readonly LogEntry[]): PumpInstant | null {
  let best: PumpInstant | null = null;
  for (const e of entries) if (e.kind === 'REFILL' && (best === null || e.time > best)) best = e.time;
  return best;
}
