/**
 * The pump's event log in a clinic's words. The pump writes short machine details ("w 5000 f 20000 uL
 * 500 mcg/mL", "single 25000 nL over 3600 s"); a clinician reads "Withdrew 5.0 mL, filled 20.0 mL of
 * 500 mcg/mL". One function per entry, using the same formatters as every other screen; the raw record
 * stays available to engineers. An entry whose detail does not parse says so rather than showing raw units.
 */
import type { AlarmCode, LogEntry, LogKind } from '../../device/types';
import { ALARM_TEXT } from './alarm-text';
import { describeClockRule, parseClockDetail } from '../device-facts/local-clock';
import {
  formatAmount,
  formatConcentration,
  formatDose,
  formatDuration,
  formatLocalDateTime,
  formatRate,
  formatVolume,
  type TimeDisplay,
} from './format';

export const LOG_KIND_TEXT: Record<LogKind, string> = {
  PROGRAM: 'Program changed',
  REFILL: 'Refill',
  BOLUS_START: 'Bolus started',
  BOLUS_END: 'Bolus ended',
  PATIENT_BOLUS: 'Patient bolus (PTM)',
  PATIENT_BOLUS_REFUSED: 'Patient bolus refused',
  ALARM_RAISED: 'Alarm raised',
  ALARM_CLEARED: 'Alarm cleared',
  ALARM_SILENCED: 'Alarm silenced',
  ALARM_TEST: 'Alarm test',
  MOTOR_STALL: 'Motor stall',
  MOTOR_STALL_RECOVERY: 'Motor running again',
  STOPPED: 'Pump stopped',
  RESUMED: 'Pump resumed',
  MEMORY_ERROR: 'Memory error',
  CLOCK_SET: 'Clock set',
};

const BOLUS_KIND_TEXT: Record<string, string> = {
  single: 'Single bolus',
  bridge: 'Bridge bolus',
  priming: 'Priming bolus',
  patient: 'Patient bolus',
};

const STOP_TEXT: Record<string, string> = {
  update: 'Stopped for a program update',
  'update abandoned: pump left stopped': 'Program update abandoned: the pump was left STOPPED',
  clinician: 'Stopped by the clinician: no drug is delivered',
  'reservoir empty': 'Reservoir empty: delivery stopped',
  'end of service': 'End of service: delivery stopped for good',
};

const RESUME_TEXT: Record<string, string> = {
  'update complete': 'Program update complete: delivery resumed',
  clinician: 'Resumed by the clinician',
};

function alarmTitle(code: string): string | null {
  return code in ALARM_TEXT ? ALARM_TEXT[code as AlarmCode].title : null;
}

/** nL -> uL (the formatters' unit), rounded to the nearest uL. */
function nlToUl(nl: number): number {
  return Math.round(nl / 1000);
}

/** mcg delivered by a volume at a concentration: nL x mcg/mL = pg; / 1000 = ng. */
function amountOf(volumeNl: number, concentration: number): number {
  return Math.round((volumeNl * concentration) / 1000);
}

/** ISO UTC times some details carry ("lockout until 2026-12-18T02:34:57Z") -> local time. */
function localiseIsoTimes(text: string, opts: TimeDisplay): string {
  return text.replace(/\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\b/g, (iso) => {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? formatLocalDateTime(Math.floor(ms / 1000), opts) : iso;
  });
}

export interface LogEntryText {
  /** What happened, e.g. "Refill". */
  what: string;
  /** The detail in clinical words and units. */
  detail: string;
}

const UNREADABLE = 'Detail not recognised: see the raw record';

/**
 * One entry in words. `concentration` is the drug concentration in force at the entry (from the refill
 * entries before it, see describeLog), used to say a bolus in mcg; null when the log does not tell.
 */
export function describeLogEntry(
  e: LogEntry,
  concentration: number | null,
  opts: TimeDisplay = {},
): LogEntryText {
  const what = LOG_KIND_TEXT[e.kind] ?? 'Event';
  const d = e.detail;
  let m: RegExpExecArray | null;
  const detail = ((): string => {
    switch (e.kind) {
      case 'ALARM_RAISED':
      case 'ALARM_CLEARED':
        return alarmTitle(d) ?? UNREADABLE;
      case 'ALARM_SILENCED':
        if ((m = /^(\w+) until (\d+)$/.exec(d))) {
          const title = alarmTitle(m[1]!);
          const until = Number(m[2]);
          return title
            ? `${title} silenced until ${formatLocalDateTime(until, opts)} (${formatDuration(Math.max(0, until - e.time))})`
            : UNREADABLE;
        }
        return UNREADABLE;
      case 'REFILL':
        if ((m = /^w (\d+) f (\d+) uL (\d+) mcg\/mL$/.exec(d))) {
          return `Withdrew ${formatVolume(Number(m[1]))}, filled ${formatVolume(Number(m[2]))} of ${formatConcentration(Number(m[3]))}`;
        }
        return UNREADABLE;
      case 'PROGRAM':
        if (d === 'therapy stopped') return 'Therapy set to stopped: no drug is delivered';
        if (d === 'patient bolus off') return 'Patient bolus (PTM) turned off';
        if ((m = /^continuous (\d+) ng\/d (\d+) uL\/d$/.exec(d))) {
          return `Simple continuous ${formatDose(Number(m[1]))} (${formatRate(Number(m[2]))})`;
        }
        if ((m = /^flex (\d+) steps (\d+) ng\/d$/.exec(d))) {
          return `Flex schedule of ${m[1]} step${m[1] === '1' ? '' : 's'}: ${formatDose(Number(m[2]))} over 24 h`;
        }
        if ((m = /^low reservoir alarm (\d+) uL$/.exec(d))) {
          return `Low-reservoir alarm set at ${formatVolume(Number(m[1]))}`;
        }
        if ((m = /^patient bolus (\d+) ng$/.exec(d))) {
          return `Patient bolus (PTM) set to ${formatAmount(Number(m[1]))} per activation`;
        }
        return UNREADABLE;
      case 'BOLUS_START':
        if ((m = /^(\w+) (\d+) nL over (\d+) s$/.exec(d))) {
          const kind = BOLUS_KIND_TEXT[m[1]!] ?? 'Bolus';
          const nl = Number(m[2]);
          const size =
            concentration !== null && m[1] !== 'priming'
              ? formatAmount(amountOf(nl, concentration))
              : formatVolume(nlToUl(nl));
          return `${kind} of ${size} over ${formatDuration(Number(m[3]))}`;
        }
        return UNREADABLE;
      case 'BOLUS_END':
        if ((m = /^(\w+) cancelled: (.+)$/.exec(d))) {
          return `${BOLUS_KIND_TEXT[m[1]!] ?? 'Bolus'} cancelled (${m[2]})`;
        }
        if ((m = /^(\w+) (\d+) nL$/.exec(d))) {
          const kind = BOLUS_KIND_TEXT[m[1]!] ?? 'Bolus';
          const nl = Number(m[2]);
          const size =
            concentration !== null && m[1] !== 'priming'
              ? formatAmount(amountOf(nl, concentration))
              : formatVolume(nlToUl(nl));
          return `${kind} complete: ${size} given`;
        }
        return UNREADABLE;
      case 'PATIENT_BOLUS':
        if ((m = /^(\d+) ng (\d+) nL$/.exec(d))) return `Patient bolus given: ${formatAmount(Number(m[1]))}`;
        return UNREADABLE;
      case 'PATIENT_BOLUS_REFUSED':
        return /\b(ng|nL|uL)\b|\d{9,}/.test(d) ? UNREADABLE : `Refused: ${localiseIsoTimes(d, opts)}`;
      case 'ALARM_TEST':
        return 'Alarm tones played for the patient to learn them';
      case 'MOTOR_STALL':
        if ((m = /^recovery in (\d+) s$/.exec(d))) {
          return `Motor stalled: no delivery; recovery expected in ${formatDuration(Number(m[1]))}`;
        }
        return 'Motor stalled: no delivery';
      case 'MOTOR_STALL_RECOVERY':
        return 'Motor running again: delivery restarted';
      case 'STOPPED':
        if (STOP_TEXT[d]) return STOP_TEXT[d];
        if ((m = /^update complete, pump (\w+)$/.exec(d))) {
          return `Program update complete; the pump is ${m[1]}: no drug is delivered`;
        }
        return UNREADABLE;
      case 'RESUMED':
        return RESUME_TEXT[d] ?? UNREADABLE;
      case 'MEMORY_ERROR':
        return d === 'critical'
          ? 'Critical memory error: delivery stopped'
          : 'Non-critical memory error: delivery continues';
      case 'CLOCK_SET': {
        const rule = parseClockDetail(d);
        return rule ? `Pump clock set to local time: ${describeClockRule(rule)}` : UNREADABLE;
      }
      default:
        return UNREADABLE;
    }
  })();
  return { what, detail };
}

/**
 * Every entry with its words; the concentration for each entry is the one of the latest refill before it
 * (entries may come in any order; they are read oldest first by seq).
 */
export function describeLog(entries: readonly LogEntry[], opts: TimeDisplay = {}): Map<number, LogEntryText> {
  const out = new Map<number, LogEntryText>();
  let concentration: number | null = null;
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (e.kind === 'REFILL') {
      const m = /(\d+) mcg\/mL$/.exec(e.detail);
      if (m) concentration = Number(m[1]);
    }
    out.set(e.seq, describeLogEntry(e, concentration, opts));
  }
  return out;
}
