/**
 * The pump's local clock: it counts UTC seconds and keeps a time-zone rule (a standard offset and, where
 * the zone has one, a daylight-saving rule in the POSIX "M" form: month, week, weekday, local time), so it
 * can tell local time across a daylight-saving change by itself, with integer arithmetic only (no Date, no
 * time-zone database: an implant has none). The programmer derives the rule from its IANA zone
 * (`ruleFromZone`, using Intl) and sets it at interrogation (CLOCK_SET). Why a rule and not a fixed offset
 * or a zone name: docs/clinical-model.md, "The pump clock".
 */
import { floorDiv, mod } from './dose';

/** A daylight-saving change: the `week`th (5 = last) `weekday` (0 = Sunday) of `month` at local `minute`. */
export interface TransitionRule {
  /** 1..12 */
  month: number;
  /** 1..5; 5 means the last such weekday of the month. */
  week: number;
  /** 0..6, 0 = Sunday. */
  weekday: number;
  /** 0..1439: wall-clock minute of the day, in the local time in force before the change. */
  minute: number;
}

export interface ClockRule {
  /** Standard time's offset from UTC, minutes (UTC+1 = 60), -720..840. */
  stdOffset: number;
  /** Daylight saving, or null for a zone without it. */
  dst: { delta: number; start: TransitionRule; end: TransitionRule } | null;
}

/** UTC: the rule of a pump never set (and of a state saved before the pump had a clock rule). */
export const UTC_RULE: ClockRule = { stdOffset: 0, dst: null };

export const STD_OFFSET_MIN = -720;
export const STD_OFFSET_MAX = 840;
/** Daylight-saving shifts in use are 30 min (Lord Howe) to 2 h (Troll); 0 is "no DST" and is null. */
export const DST_DELTA_MIN = 1;
export const DST_DELTA_MAX = 120;

const DAY = 86_400;

const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Why a rule is refused (a clear message naming the field), or null when it is valid. */
export function clockRuleProblem(rule: unknown): string | null {
  if (typeof rule !== 'object' || rule === null) return 'rule must be an object';
  const r = rule as Partial<ClockRule>;
  if (!int(r.stdOffset) || r.stdOffset < STD_OFFSET_MIN || r.stdOffset > STD_OFFSET_MAX) {
    return `stdOffset must be a whole number of minutes from ${STD_OFFSET_MIN} to ${STD_OFFSET_MAX}`;
  }
  if (r.dst === null) return null;
  if (typeof r.dst !== 'object') return 'dst must be an object or null';
  const d = r.dst;
  if (!int(d.delta) || d.delta < DST_DELTA_MIN || d.delta > DST_DELTA_MAX) {
    return `dst.delta must be a whole number of minutes from ${DST_DELTA_MIN} to ${DST_DELTA_MAX}`;
  }
  for (const k of ['start', 'end'] as const) {
    const t = d[k] as Partial<TransitionRule> | undefined;
    if (typeof t !== 'object' || t === null) return `dst.${k} must be an object`;
    if (!int(t.month) || t.month < 1 || t.month > 12) return `dst.${k}.month must be 1 to 12`;
    if (!int(t.week) || t.week < 1 || t.week > 5) return `dst.${k}.week must be 1 to 5 (5 = last)`;
    if (!int(t.weekday) || t.weekday < 0 || t.weekday > 6) return `dst.${k}.weekday must be 0 (Sunday) to 6`;
    if (!int(t.minute) || t.minute < 0 || t.minute > 1439) return `dst.${k}.minute must be 0 to 1439`;
  }
  if (d.start.month === d.end.month && d.start.week === d.end.week)
    return 'dst.start and dst.end are the same day';
  return null;
}

export function sameClockRule(a: ClockRule, b: ClockRule): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(r: ClockRule): ClockRule {
  const t = (x: TransitionRule): TransitionRule => ({
    month: x.month,
    week: x.week,
    weekday: x.weekday,
    minute: x.minute,
  });
  return {
    stdOffset: r.stdOffset,
    dst: r.dst ? { delta: r.dst.delta, start: t(r.dst.start), end: t(r.dst.end) } : null,
  };
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = floorDiv(yy, 400);
  const yoe = yy - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Civil year of a day number. */
export function yearOfDays(days: number): number {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** Day of the month of the rule's day in year `y`. */
export function transitionDay(y: number, t: TransitionRule): number {
  const first = daysFromCivil(y, t.month, 1);
  // 1970-01-01 was a Thursday (4).
  const firstWeekday = mod(first + 4, 7);
  let day = 1 + mod(t.weekday - firstWeekday, 7) + (t.week - 1) * 7;
  const len = daysInMonth(y, t.month);
  while (day > len) day -= 7;
  return day;
}

/** The UTC instants daylight saving starts and ends in year `y` (local-time year of the rule). */
export function transitionsIn(rule: ClockRule, y: number): { start: number; end: number } | null {
  if (!rule.dst) return null;
  const { delta, start, end } = rule.dst;
  const at = (t: TransitionRule, offsetMin: number): number =>
    daysFromCivil(y, t.month, transitionDay(y, t)) * DAY + t.minute * 60 - offsetMin * 60;
  return { start: at(start, rule.stdOffset), end: at(end, rule.stdOffset + delta) };
}

/** The offset from UTC (seconds) in force at UTC instant `t`. */
export function utcOffsetAt(rule: ClockRule, t: number): number {
  const std = rule.stdOffset * 60;
  if (!rule.dst) return std;
  const y = yearOfDays(floorDiv(t + std, DAY));
  const tr = transitionsIn(rule, y)!;
  const inDst = tr.start < tr.end ? t >= tr.start && t < tr.end : t >= tr.start || t < tr.end;
  return inDst ? std + rule.dst.delta * 60 : std;
}

/** The first daylight-saving change strictly after `t`, or null for a zone without one. */
export function nextTransitionAfter(rule: ClockRule, t: number): number | null {
  if (!rule.dst) return null;
  const y = yearOfDays(floorDiv(t + rule.stdOffset * 60, DAY));
  let best: number | null = null;
  for (const yy of [y - 1, y, y + 1]) {
    const tr = transitionsIn(rule, yy)!;
    for (const x of [tr.start, tr.end]) if (x > t && (best === null || x < best)) best = x;
  }
  return best;
}

/** Local wall-clock seconds (UTC instant + offset in force). */
export function localTime(rule: ClockRule, t: number): number {
  return t + utcOffsetAt(rule, t);
}

/** Seconds since local midnight at UTC instant `t`. */
export function localSecondOfDay(rule: ClockRule, t: number): number {
  return mod(localTime(rule, t), DAY);
}

/**
 * The first UTC instant after `t` whose local second-of-day is `sod` under the offset in force at `t`, or
 * the next daylight-saving change if that comes first (the caller re-evaluates there): the end of a
 * constant-offset stretch. Used for flex-step boundaries on the patient's local clock.
 */
export function nextLocalBoundary(rule: ClockRule, t: number, sod: number): number {
  const cur = localSecondOfDay(rule, t);
  const wait = sod > cur ? sod - cur : sod + DAY - cur;
  const candidate = t + wait;
  const tr = nextTransitionAfter(rule, t);
  return tr !== null && tr < candidate ? tr : candidate;
}

const WEEK = ['first', 'second', 'third', 'fourth', 'last'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const hhmm = (minutes: number): string =>
  `${String(floorDiv(minutes, 60)).padStart(2, '0')}:${String(mod(minutes, 60)).padStart(2, '0')}`;

/** "UTC+01:00", "UTC-03:30", "UTC". */
export function formatUtcOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  return `UTC${sign}${hhmm(Math.abs(minutes))}`;
}

/** The rule in words: "UTC+01:00, daylight saving +1 h from the last Sunday of March 02:00 to ...". */
export function describeClockRule(rule: ClockRule): string {
  const base = formatUtcOffset(rule.stdOffset);
  if (!rule.dst) return `${base}, no daylight saving`;
  const t = (x: TransitionRule): string =>
    `the ${WEEK[x.week - 1]} ${DAY_NAMES[x.weekday]} of ${MONTH_NAMES[x.month - 1]} at ${hhmm(x.minute)}`;
  const d = rule.dst.delta;
  const delta = d % 60 === 0 ? `${d / 60} h` : `${d} min`;
  return `${base}, daylight saving +${delta} from ${t(rule.dst.start)} to ${t(rule.dst.end)}`;
}

/**
 * The log detail of a CLOCK_SET entry (at most 64 ASCII characters, parsed back by `parseClockDetail`):
 * "std 60 dst 60 3.5.0.120 10.5.0.180" or "std 330 dst none".
 */
export function clockDetail(rule: ClockRule): string {
  if (!rule.dst) return `std ${rule.stdOffset} dst none`;
  const t = (x: TransitionRule): string => `${x.month}.${x.week}.${x.weekday}.${x.minute}`;
  return `std ${rule.stdOffset} dst ${rule.dst.delta} ${t(rule.dst.start)} ${t(rule.dst.end)}`;
}

export function parseClockDetail(detail: string): ClockRule | null {
  const none = /^std (-?\d+) dst none$/.exec(detail);
  if (none) return { stdOffset: Number(none[1]), dst: null };
  const m = /^std (-?\d+) dst (\d+) (\d+)\.(\d)\.(\d)\.(\d+) (\d+)\.(\d)\.(\d)\.(\d+)$/.exec(detail);
  if (!m) return null;
  const n = m.slice(1).map(Number);
  const rule: ClockRule = {
    stdOffset: n[0]!,
    dst: {
      delta: n[1]!,
      start: { month: n[2]!, week: n[3]!, weekday: n[4]!, minute: n[5]! },
      end: { month: n[6]!, week: n[7]!, weekday: n[8]!, minute: n[9]! },
    },
  };
  return clockRuleProblem(rule) === null ? rule : null;
}
