/**
 * Display and entry helpers: the one formatter of each quantity, used by every layer that prints one (the
 * programmer's screens, the programmer service's review and summary, the instructor console, the training
 * engines, the bench's scenario runner and debrief). Integer arithmetic on strings of digits only for the
 * pump's quantities: no floats, no locale, so the same value prints the same everywhere; local date and time
 * through Intl. Parsers return a typed error for bad input (never clamp, never guess): the clinician retypes.
 */
import type {
  McgPerMl,
  Microlitres,
  MicrolitresPerDay,
  Nanograms,
  NanogramsPerDay,
  DurationSeconds,
  PumpInstant,
  SecondOfDay,
} from '../../device/types';
import { formatPumpTime as pumpTime } from '../device-facts/dose';
import { ClinicalInputError, requireInteger } from './arithmetic';

/** value / 1000 as a decimal string with between minDecimals and 3 decimals (trailing zeros trimmed). */
function thousandths(value: number, minDecimals: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 1000);
  let frac = String(abs % 1000).padStart(3, '0');
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  return frac.length > 0 ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

/** 400000 ng/day -> "400 mcg/day"; 400500 -> "400.5 mcg/day". Exact (up to 3 decimals). */
export function formatDose(dailyDose: NanogramsPerDay): string {
  return `${thousandths(requireInteger('dailyDose', dailyDose, Number.MIN_SAFE_INTEGER), 0)} mcg/day`;
}

/** 50000 ng -> "50 mcg" (a bolus or screening amount). */
export function formatAmount(amount: Nanograms): string {
  return `${thousandths(requireInteger('amount', amount, Number.MIN_SAFE_INTEGER), 0)} mcg`;
}

/** 20000 uL -> "20.0 mL"; 18550 -> "18.55 mL". At least one decimal, exact. */
export function formatVolume(volume: Microlitres): string {
  return `${thousandths(requireInteger('volume', volume, Number.MIN_SAFE_INTEGER), 1)} mL`;
}

/**
 * A calculated reservoir volume (the pump's estimate, not a measurement) at 0.1 mL, rounded half up:
 * 18399 uL -> "18.4 mL". Finer digits would claim a precision the estimate does not have (the pump's
 * volume accuracy is a percentage of what it delivered; syringes read to 0.1-0.2 mL). See
 * docs/clinical-model.md, "Volume precision". Entered and bolus volumes keep formatVolume (exact).
 */
export function formatReservoirVolume(volume: Microlitres): string {
  const v = requireInteger('volume', volume, Number.MIN_SAFE_INTEGER);
  const tenths = Math.floor((Math.abs(v) + 50) / 100);
  return `${v < 0 && tenths > 0 ? '-' : ''}${Math.floor(tenths / 10)}.${tenths % 10} mL`;
}

/** 800 uL/day -> "0.800 mL/day": always three decimals, the pump's resolution. */
export function formatRate(rate: MicrolitresPerDay): string {
  return `${thousandths(requireInteger('rate', rate, Number.MIN_SAFE_INTEGER), 3)} mL/day`;
}

/** 500 -> "500 mcg/mL". */
export function formatConcentration(concentration: McgPerMl): string {
  return `${requireInteger('concentration', concentration)} mcg/mL`;
}

/** 1500 bp -> "15%", 1234 -> "12.34%" (sign kept). */
export function formatBasisPoints(bp: number): string {
  requireInteger('bp', bp, Number.MIN_SAFE_INTEGER);
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  let frac = String(abs % 100).padStart(2, '0');
  while (frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}${Math.floor(abs / 100)}${frac ? `.${frac}` : ''}%`;
}

/** Pump time (seconds since 1970-01-01T00:00:00Z) -> "2026-11-25T13:27:54Z". No Date, no locale. */
export function formatPumpTime(time: PumpInstant): string {
  return pumpTime(requireInteger('time', time, Number.MIN_SAFE_INTEGER));
}

/** Date part only, "2026-11-25", for the printout's alarm and refill-by dates. */
export function formatPumpDate(time: PumpInstant): string {
  return formatPumpTime(time).split('T')[0]!;
}

// ------------------------------------------------------------------ parsing clinician entries

/** Shortest stated reason (characters, trimmed). */
export const MIN_REASON_LENGTH = 5;

/**
 * A stated reason (override, ending a session by force) must be words: at least MIN_REASON_LENGTH
 * characters and at least two words of two or more letters. "....." or "12345" is not a reason.
 */
export function isReasonInWords(text: string): boolean {
  if (typeof text !== 'string') return false;
  const t = text.trim();
  return t.length >= MIN_REASON_LENGTH && (t.match(/\p{L}{2,}/gu) ?? []).length >= 2;
}

export type EntryErrorCode = 'EMPTY' | 'NEGATIVE' | 'TOO_MANY_DECIMALS' | 'NOT_A_NUMBER' | 'TOO_LARGE';

export interface EntryError {
  code: EntryErrorCode;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: EntryError };

const fail = (code: EntryErrorCode, message: string): ParseResult<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * A non-negative decimal with at most `decimals` decimals, optionally followed by one of `units`
 * (so a formatted value parses back), scaled by 10^decimals to an integer. Accepts "18.5", " 18.5 mL",
 * ".5", "5."; refuses "-1", "1e3", "18,5", "0x10", "", "1.2345" (for 3 decimals).
 */
function parseScaled(
  text: string,
  decimals: number,
  units: readonly string[],
  what: string,
): ParseResult<number> {
  if (typeof text !== 'string') return fail('NOT_A_NUMBER', `${what}: enter a number.`);
  let t = text.trim();
  const unit = units.find((u) => t.toLowerCase().endsWith(u.toLowerCase()));
  if (unit) t = t.slice(0, -unit.length).trim();
  if (t === '') return fail('EMPTY', `${what}: enter a value.`);
  if (t.startsWith('-')) return fail('NEGATIVE', `${what}: cannot be negative.`);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
    return fail('NOT_A_NUMBER', `${what}: "${text.trim()}" is not a number (digits and one decimal point).`);
  }
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (frac.length > decimals) {
    return fail(
      'TOO_MANY_DECIMALS',
      decimals === 0
        ? `${what}: whole numbers only.`
        : `${what}: at most ${decimals} decimal${decimals === 1 ? '' : 's'}.`,
    );
  }
  const digits = `${whole}${frac.padEnd(decimals, '0')}`.replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return fail('TOO_LARGE', `${what}: value too large.`);
  return { ok: true, value };
}

/** "400.5" (mcg, optionally "mcg" or "mcg/day") -> 400500 ng. At most 3 decimals (the ng resolution). */
export function parseMcg(text: string): ParseResult<Nanograms> {
  return parseScaled(text, 3, ['mcg/day', 'mcg'], 'Dose (mcg)');
}

/** "18.5" (mL, optionally "mL") -> 18500 uL. At most 3 decimals (the uL resolution). */
export function parseMl(text: string): ParseResult<Microlitres> {
  return parseScaled(text, 3, ['mL'], 'Volume (mL)');
}

/** "0.8" (mL/day, optionally "mL/day") -> 800 uL/day. */
export function parseMlPerDay(text: string): ParseResult<MicrolitresPerDay> {
  return parseScaled(text, 3, ['mL/day'], 'Rate (mL/day)');
}

/** "500" (mcg/mL, optionally "mcg/mL") -> 500. Whole numbers only: concentration is stored in mcg/mL. */
export function parseMcgPerMl(text: string): ParseResult<McgPerMl> {
  return parseScaled(text, 0, ['mcg/mL'], 'Concentration (mcg/mL)');
}

// ------------------------------------------------------------------ local date and time, durations

/**
 * How clinician screens show time: the clinic's locale and zone (both default to the runtime's, i.e. the
 * programmer's). The pump counts UTC seconds; a clinic reads its own wall clock. UTC stays in the protocol
 * monitor and the raw log record. Tests pass both explicitly.
 */
export interface TimeDisplay {
  locale?: string;
  timeZone?: string;
}

/** Options of formatLocalDateTime for views that follow time closely (the instructor's console). */
export interface DateTimeDisplay extends TimeDisplay {
  /** Show the seconds ("14:05:09"). */
  seconds?: boolean;
  /** Name the zone after the time ("14:05:09 CET"): for views that show times without a zone line. */
  withZone?: boolean;
}

function dateTimeFormat(opts: TimeDisplay, o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(opts.locale, { ...o, timeZone: opts.timeZone });
}

/**
 * Pump time -> the clinic's local date and time, e.g. "18 Dec 2026, 03:34" (en-GB). No zone (see formatZone)
 * unless `withZone`: "18 Dec 2026, 03:34:05 CET" with `seconds` too.
 */
export function formatLocalDateTime(time: PumpInstant, opts: DateTimeDisplay = {}): string {
  requireInteger('time', time, Number.MIN_SAFE_INTEGER);
  if (!opts.seconds && !opts.withZone)
    return dateTimeFormat(opts, { dateStyle: 'medium', timeStyle: 'short' }).format(time * 1000);
  return dateTimeFormat(opts, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(opts.seconds ? { second: '2-digit' } : {}),
    ...(opts.withZone ? { timeZoneName: 'short' } : {}),
  }).format(time * 1000);
}

/** Pump time -> the clinic's local date, e.g. "18 Dec 2026" (en-GB). */
export function formatLocalDate(time: PumpInstant, opts: TimeDisplay = {}): string {
  requireInteger('time', time, Number.MIN_SAFE_INTEGER);
  return dateTimeFormat(opts, { dateStyle: 'medium' }).format(time * 1000);
}

/**
 * The zone the local times of a screen are in, named once per screen: "Europe/Paris (GMT+1)". The offset is
 * the one in force at `time` (it changes at a daylight-saving change).
 */
export function formatZone(time: PumpInstant, opts: TimeDisplay = {}): string {
  requireInteger('time', time, Number.MIN_SAFE_INTEGER);
  const f = dateTimeFormat(opts, { timeZoneName: 'shortOffset' });
  const offset = f.formatToParts(time * 1000).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const zone = f.resolvedOptions().timeZone;
  return offset && offset !== zone ? `${zone} (${offset})` : zone;
}

/**
 * A duration in words, the way a clinic says it: "30 s", "45 min", "1 h 30 min", "2 days 3 h". Whole units,
 * rounded down (7199 s reads "1 h 59 min", never "1 h 60 min" or "2 h"); seconds only under a minute,
 * minutes only under a day. With `exact`, every non-zero unit down to the second ("1 h 59 min 59 s"), for
 * the bench's records of what was asked (an advance of the clock, a fault's delay).
 */
export function formatDuration(seconds: DurationSeconds, opts: { exact?: boolean } = {}): string {
  requireInteger('seconds', seconds);
  const days = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (h) parts.push(`${h} h`);
  if (m && (opts.exact || !days)) parts.push(`${m} min`);
  if (s && (opts.exact || seconds < 60)) parts.push(`${s} s`);
  return parts.join(' ') || '0 s';
}

/**
 * A second of the pump's day -> "06:30" (24-hour clock, minutes rounded down). 86400, the end of the last
 * flex step, reads "24:00". Inverse of parseTimeOfDay for whole minutes.
 */
export function formatTimeOfDay(secondOfDay: SecondOfDay): string {
  const s = requireInteger('secondOfDay', secondOfDay);
  if (s > 86_400) throw new ClinicalInputError('secondOfDay', `must be at most 86400, got ${s}`);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}`;
}

/** "07:30" (24-hour clock) -> 27000 s of day; "24:00" and anything past 23:59 refused. */
export function parseTimeOfDay(text: string): ParseResult<SecondOfDay> {
  const m = typeof text === 'string' ? /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text) : null;
  if (!m) return fail('NOT_A_NUMBER', 'Enter a time as hh:mm, 24-hour clock (for example 07:30).');
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return fail('TOO_LARGE', 'Enter a time from 00:00 to 23:59.');
  return { ok: true, value: h * 3600 + min * 60 };
}

/** Time into a training case, as a clinic would say it: "at the start", "1 day 6 h in", "45 min in". */
export function formatCaseTime(t: PumpInstant, start: PumpInstant): string {
  const s = Math.max(
    0,
    requireInteger('t', t, Number.MIN_SAFE_INTEGER) - requireInteger('start', start, Number.MIN_SAFE_INTEGER),
  );
  return s === 0 ? 'at the start' : `${formatDuration(s)} in`;
}
