/**
 * "Since the last visit" (issue 17): what happened to the pump between the end of the previous session
 * with it on this programmer and now, in a clinic's words: the drug delivered as the pump calculates it,
 * alarms raised and silenced, motor stalls, boluses, refills, program changes and stops. Pure: built from
 * the previous visit's last read-back (the session record) and the pump's log.
 */
import type { AlarmCode, LogEntry } from '../../device/types';
import { ALARM_TEXT } from './alarm-text';
import { formatReservoirVolume } from './format';

/** What the previous visit last read from the pump (its session record's last interrogation). */
export interface PreviousVisit {
  /** Pump time of that read-back. */
  pumpTime: number;
  /** Calculated reservoir volume then, uL. */
  reservoirVolumeUl: number;
  /** Concentration then, mcg/mL. */
  concentrationMcgPerMl: number;
}

export interface SinceLastVisit {
  /** Null: no earlier session with this pump on this programmer. */
  previous: PreviousVisit | null;
  /** Volume delivered as the pump calculates (reservoir then minus now), uL; null across a refill. */
  deliveredUl: number | null;
  /** The same as drug, mcg, at the concentration of the previous visit; null when the volume is. */
  deliveredMcg: number | null;
  alarmsRaised: { code: string; title: string; count: number }[];
  silenced: number;
  motorStalls: number;
  boluses: number;
  patientBoluses: number;
  refills: number;
  programChanges: number;
  stops: number;
  /** The log did not reach back to the previous visit (it holds a bounded number of entries). */
  logIncomplete: boolean;
}

export function sinceLastVisit(
  previous: PreviousVisit | null,
  now: { reservoirVolumeUl: number },
  entries: readonly LogEntry[],
  logReachesBack: boolean,
): SinceLastVisit {
  const after = previous ? entries.filter((e) => e.time > previous.pumpTime) : [];
  const count = (k: LogEntry['kind']) => after.filter((e) => e.kind === k).length;
  const raised = new Map<string, number>();
  for (const e of after)
    if (e.kind === 'ALARM_RAISED') {
      const code = e.detail.split(/\s/)[0] ?? e.detail;
      raised.set(code, (raised.get(code) ?? 0) + 1);
    }
  const refills = count('REFILL');
  const deliveredUl =
    previous && refills === 0 ? Math.max(0, previous.reservoirVolumeUl - now.reservoirVolumeUl) : null;
  return {
    previous,
    deliveredUl,
    deliveredMcg:
      deliveredUl === null || !previous
        ? null
        : Math.round((deliveredUl * previous.concentrationMcgPerMl) / 1000),
    alarmsRaised: [...raised].map(([code, n]) => ({
      code,
      title: ALARM_TEXT[code as AlarmCode]?.title ?? code,
      count: n,
    })),
    silenced: count('ALARM_SILENCED'),
    motorStalls: count('MOTOR_STALL'),
    boluses: count('BOLUS_START'),
    patientBoluses: count('PATIENT_BOLUS'),
    refills,
    programChanges: count('PROGRAM'),
    stops: count('STOPPED'),
    logIncomplete: previous !== null && !logReachesBack,
  };
}

/** The summary in words, one sentence per fact ("first visit" when there was none). */
export function sinceLastVisitWords(s: SinceLastVisit): string[] {
  if (!s.previous) return ['No earlier visit with this pump on this programmer: nothing to compare with.'];
  const out: string[] = [];
  out.push(
    s.deliveredUl === null
      ? 'Delivered: not computed (the reservoir was refilled since).'
      : `Delivered, as the pump calculates: ${formatReservoirVolume(s.deliveredUl)} (${s.deliveredMcg} mcg).`,
  );
  out.push(
    s.alarmsRaised.length === 0
      ? 'No alarm was raised.'
      : `Alarms raised: ${s.alarmsRaised.map((a) => `${a.title}${a.count > 1 ? ` (${a.count} times)` : ''}`).join(', ')}${s.silenced ? `; silenced ${s.silenced} time${s.silenced === 1 ? '' : 's'}` : ''}.`,
  );
  const n = (k: number, one: string, many: string) => `${k === 0 ? 'no' : k} ${k === 1 ? one : many}`;
  out.push(
    `${cap(n(s.motorStalls, 'motor stall', 'motor stalls'))}, ${n(s.boluses, 'clinician bolus', 'clinician boluses')}, ${n(s.patientBoluses, 'patient bolus', 'patient boluses')}, ${n(s.refills, 'refill', 'refills')}, ${n(s.programChanges, 'program change', 'program changes')}, ${n(s.stops, 'stop', 'stops')}.`,
  );
  if (s.logIncomplete)
    out.push('The pump log does not reach back to the last visit: older events are not counted.');
  return out;
}

const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
