/**
 * Clinician entries -> integer pump units. Every workflow parses typed values through here, so one set of
 * rules (and one set of error messages) applies everywhere.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DECIMAL = /^\s*(\d+)(?:\.(\d+))?\s*$/;

/**
 * A non-negative decimal with at most `decimals` places, scaled by 10^decimals to an exact integer
 * (no float rounding: "0.1" mL is exactly 100 uL).
 */
export function parseScaled(text: string, decimals: number, unit: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, message: `Enter a value in ${unit}.` };
  if (/^\s*-/.test(t)) return { ok: false, message: `Enter a value of zero or more ${unit}.` };
  if (/^\d*,\d+$/.test(t)) return { ok: false, message: 'Use a point for decimals (for example 0.5).' };
  const m = DECIMAL.exec(t);
  if (!m) return { ok: false, message: `"${t}" is not a number. Enter a value in ${unit}.` };
  const frac = m[2] ?? '';
  if (frac.length > decimals) {
    return {
      ok: false,
      message: `At most ${decimals} decimal place${decimals === 1 ? '' : 's'} in ${unit}.`,
    };
  }
  const value = Number(m[1]) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(value)) return { ok: false, message: `The value in ${unit} is too large.` };
  return { ok: true, value };
}

/** mcg/day typed -> ng/day. */
export function parseDoseEntry(text: string): Parsed<number> {
  return parseScaled(text, 3, 'mcg/day');
}

/** mcg typed -> ng. */
export function parseAmountEntry(text: string): Parsed<number> {
  return parseScaled(text, 3, 'mcg');
}

/** mL typed -> uL. */
export function parseVolumeEntry(text: string): Parsed<number> {
  return parseScaled(text, 3, 'mL');
}

/** mcg/mL typed -> mcg/mL (the pump stores whole mcg/mL). */
export function parseConcentrationEntry(text: string): Parsed<number> {
  return parseScaled(text, 0, 'mcg/mL');
}

/** Minutes typed -> seconds. */
export function parseMinutesEntry(text: string): Parsed<number> {
  const p = parseScaled(text, 0, 'minutes');
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
