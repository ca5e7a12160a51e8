/**
 * Clinician entries -> integer pump units. Every workflow parses typed values through here, so one set of
 * rules (and one set of error messages) applies everywhere.
 */
import {
  parseMcg,
  parseMcgPerMl,
  parseMl,
  type EntryErrorCode,
  type ParseResult,
} from '../../shared/clinical/format';

/** An entry parsed, or the reason it was refused (with the clinical parser's typed code when it has one). */
export type Parsed<T> =
  { ok: true; value: T } | { ok: false; message: string; code?: EntryErrorCode | 'OUT_OF_RANGE' };

function fromClinical(r: ParseResult<number>): Parsed<number> {
  return r.ok ? r : { ok: false, message: r.error.message, code: r.error.code };
}

/** A non-negative whole number (minutes, counts), typed. */
function parseWhole(text: string, what: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `${what}: enter a value.`, code: 'EMPTY' };
  if (t.startsWith('-')) return { ok: false, message: `${what}: cannot be negative.`, code: 'NEGATIVE' };
  if (!/^\d+$/.test(t)) return { ok: false, message: `${what}: whole numbers only.`, code: 'NOT_A_NUMBER' };
  const v = Number(t);
  return Number.isSafeInteger(v)
    ? { ok: true, value: v }
    : { ok: false, message: `${what}: value too large.`, code: 'TOO_LARGE' };
}

/** mcg/day typed -> ng/day (clinical parseMcg). */
export function parseDoseEntry(text: string): Parsed<number> {
  return fromClinical(parseMcg(text));
}

/** mcg typed -> ng (clinical parseMcg). */
export function parseAmountEntry(text: string): Parsed<number> {
  return fromClinical(parseMcg(text));
}

/** mL typed -> uL (clinical parseMl). */
export function parseVolumeEntry(text: string): Parsed<number> {
  return fromClinical(parseMl(text));
}

/** mcg/mL typed -> mcg/mL (clinical parseMcgPerMl: whole mcg/mL, as the pump stores it). */
export function parseConcentrationEntry(text: string): Parsed<number> {
  return fromClinical(parseMcgPerMl(text));
}

/** Minutes typed -> seconds. */
export function parseMinutesEntry(text: string): Parsed<number> {
  const p = parseWhole(text, 'Duration (minutes)');
  return p.ok ? { ok: true, value: p.value * 60 } : p;
}

/** Percent typed ("+15", "-10", "20 %") -> percent as a number. */
export function parsePercentEntry(text: string): Parsed<number> {
  const m = /^\s*([+-]?)(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) return { ok: false, message: 'Enter a percentage, for example +15 or -10.' };
  const v = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  if (v <= -100) return { ok: false, message: 'A decrease must be less than 100 %.' };
  return { ok: true, value: v };
}

/** An integer unit value shown in an input, e.g. ng/day -> "400" or "412.5" (mcg/day), without float noise. */
export function scaledText(value: number, decimals: number): string {
  const scale = 10 ** decimals;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale)
    .padStart(decimals, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export const doseText = (ngPerDay: number) => scaledText(ngPerDay, 3);
export const volumeText = (uL: number) => scaledText(uL, 3);
