/**
 * The programmer's side of the pump clock: the pump's time-zone rule (src/shared/device-facts/local-clock.ts)
 * derived from the clinic's IANA zone with Intl, so the programmer can set the pump at interrogation.
 */
import { floorDiv, mod } from '../device-facts/dose';
import {
  clockRuleProblem,
  daysFromCivil,
  daysInMonth,
  DST_DELTA_MAX,
  DST_DELTA_MIN,
  transitionsIn,
  utcOffsetAt,
  yearOfDays,
  type ClockRule,
  type TransitionRule,
} from '../device-facts/local-clock';

const DAY = 86_400;

/** The offset (minutes) of IANA zone `zone` at UTC instant `t` (seconds), from Intl. */
export function intlOffsetMinutes(zone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t * 1000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const local =
    daysFromCivil(get('year'), get('month'), get('day')) * DAY +
    get('hour') * 3600 +
    get('minute') * 60 +
    get('second');
  return Math.round((local - t) / 60);
}

/** The first second in (lo, hi] at which the zone's offset differs from its offset at lo. */
function findChange(zone: string, lo: number, hi: number): number {
  const before = intlOffsetMinutes(zone, lo);
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (intlOffsetMinutes(zone, mid) === before) a = mid;
    else b = mid;
  }
  return b;
}

function transitionRuleAt(t: number, offsetBefore: number): TransitionRule {
  const local = t + offsetBefore * 60;
  const days = floorDiv(local, DAY);
  const y = yearOfDays(days);
  let month = 1;
  while (month < 12 && daysFromCivil(y, month + 1, 1) <= days) month += 1;
  const day = days - daysFromCivil(y, month, 1) + 1;
  const weekday = mod(days + 4, 7);
  const week = day + 7 > daysInMonth(y, month) ? 5 : Math.ceil(day / 7);
  return { month, week, weekday, minute: floorDiv(mod(local, DAY), 60) };
}

/**
 * The pump rule for IANA zone `zone` around UTC instant `t`: its offset changes in the year of `t` found
 * with Intl, written as POSIX M-rules, and checked against Intl over that year and the next two. A zone
 * whose changes are not of that form (or that changed its rules) gets its current offset and no DST:
 * `exact` says which, and the programmer then sets the clock again at the next interrogation.
 */
export function ruleFromZone(zone: string, t: number): { rule: ClockRule; exact: boolean } {
  const now = intlOffsetMinutes(zone, t);
  const y = yearOfDays(floorDiv(t, DAY));
  const yearStart = daysFromCivil(y, 1, 1) * DAY;
  const yearEnd = daysFromCivil(y + 1, 1, 1) * DAY;
  const changes: { at: number; before: number; after: number }[] = [];
  let prevT = yearStart;
  let prev = intlOffsetMinutes(zone, prevT);
  for (let x = yearStart + DAY; x <= yearEnd; x += DAY) {
    const o = intlOffsetMinutes(zone, x);
    if (o !== prev) {
      const at = findChange(zone, prevT, x);
      changes.push({ at, before: prev, after: o });
    }
    prevT = x;
    prev = o;
  }
  const fixed = { rule: { stdOffset: now, dst: null }, exact: changes.length === 0 };
  if (changes.length !== 2) return { ...fixed, exact: changes.length === 0 };
  const [c1, c2] = changes as [(typeof changes)[0], (typeof changes)[0]];
  const forward = c1.after > c1.before ? c1 : c2;
  const back = forward === c1 ? c2 : c1;
  const std = forward.before;
  const delta = forward.after - forward.before;
  if (back.before !== forward.after || back.after !== std || delta < DST_DELTA_MIN || delta > DST_DELTA_MAX) {
    return { ...fixed, exact: false };
  }
  const rule: ClockRule = {
    stdOffset: std,
    dst: {
      delta,
      start: transitionRuleAt(forward.at, forward.before),
      end: transitionRuleAt(back.at, back.before),
    },
  };
  if (clockRuleProblem(rule) !== null) return { ...fixed, exact: false };
  // Check: the rule gives Intl's offset at every change of this year and the next two, either side.
  for (const yy of [y, y + 1, y + 2]) {
    const tr = transitionsIn(rule, yy)!;
    for (const x of [tr.start, tr.end]) {
      for (const probe of [x - 1, x, x + 3600]) {
        if (utcOffsetAt(rule, probe) !== intlOffsetMinutes(zone, probe) * 60)
          return { ...fixed, exact: false };
      }
    }
  }
  return { rule, exact: true };
}
