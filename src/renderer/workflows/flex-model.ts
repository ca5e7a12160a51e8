/**
 * Flex schedule editor, as pure functions: rows of text (what the clinician typed) -> validated FlexStep[]
 * (seconds of day, ng/day), per-row errors from local checks and from the pump's ProgramErrors, and the
 * geometry and text description of the 24-hour step chart.
 */
import type { FlexStep, ProgramError } from '../../device/types';
import { flexMeanDailyDose } from '../../shared/clinical/arithmetic';
import { formatTimeOfDay, parseTimeOfDay as parseClockTime } from '../../shared/clinical/format';
import { doseText, type Parsed } from './entry';

/** SynchroMed II-like flex dosing: up to 13 dose changes a day (docs/clinical-model.md). */
export const MAX_FLEX_STEPS = 13;
export const DAY_SECONDS = 86_400;

export interface FlexRow {
  /** Stable key for React and for per-row errors that survive adding/removing rows. */
  key: string;
  start: string;
  dose: string;
}

export interface FlexRowErrors {
  start?: string;
  dose?: string;
}

export interface FlexValidation {
  /** The schedule to send, or null while any error remains. */
  steps: FlexStep[] | null;
  rowErrors: FlexRowErrors[];
  /** Errors about the schedule as a whole. */
  scheduleErrors: string[];
}

/** "hh:mm" (or "h:mm") on a 24-hour clock -> second of day (the clinical module's parser, as an entry result). */
export function parseTimeOfDay(text: string): Parsed<number> {
  const r = parseClockTime(text);
  return r.ok ? r : { ok: false, message: r.error.message };
}

export function rowsFromSteps(steps: FlexStep[], newKey: () => string): FlexRow[] {
  return steps.map((s) => ({
    key: newKey(),
    start: formatTimeOfDay(s.startSecondOfDay),
    dose: doseText(s.dailyDoseNgPerDay),
  }));
}

export function validateFlex(rows: FlexRow[], parseDose: (text: string) => Parsed<number>): FlexValidation {
  const rowErrors: FlexRowErrors[] = rows.map(() => ({}));
  const scheduleErrors: string[] = [];
  const steps: FlexStep[] = [];
  if (rows.length === 0) scheduleErrors.push('A flex schedule needs at least one step, starting at 00:00.');
  if (rows.length > MAX_FLEX_STEPS) scheduleErrors.push(`At most ${MAX_FLEX_STEPS} steps a day.`);

  let prevStart: number | null = null;
  rows.forEach((row, i) => {
    const errs = rowErrors[i]!;
    const t = parseTimeOfDay(row.start);
    const d = parseDose(row.dose);
    if (!t.ok) errs.start = t.message;
    else if (i === 0 && t.value !== 0)
      errs.start = 'The first step must start at 00:00 (the pump day starts at midnight).';
    else if (prevStart !== null && t.value === prevStart) errs.start = 'Two steps start at the same time.';
    else if (prevStart !== null && t.value < prevStart)
      errs.start = 'Steps must be in time order: this one starts before the step above.';
    if (!d.ok) errs.dose = d.message;
    if (t.ok) prevStart = t.value;
    if (t.ok && d.ok) steps.push({ startSecondOfDay: t.value, dailyDoseNgPerDay: d.value });
  });

  const valid = scheduleErrors.length === 0 && rowErrors.every((e) => !e.start && !e.dose);
  return { steps: valid ? steps : null, rowErrors, scheduleErrors };
}

/**
 * The pump's ProgramErrors, placed on the rows they name ("therapy.steps.3.startSecondOfDay" -> row 3, start column);
 * errors naming no row are schedule-level.
 */
export function placeProgramErrors(
  errors: ProgramError[],
  rowCount: number,
): { rowErrors: FlexRowErrors[]; scheduleErrors: string[] } {
  const rowErrors: FlexRowErrors[] = Array.from({ length: rowCount }, () => ({}));
  const scheduleErrors: string[] = [];
  for (const e of errors) {
    const m = /^therapy\.steps\.(\d+)(?:\.(startSecondOfDay|dailyDoseNgPerDay))?$/.exec(e.field);
    const idx = m ? Number(m[1]) : -1;
    const target = idx >= 0 && idx < rowCount ? rowErrors[idx] : undefined;
    if (!target) {
      scheduleErrors.push(e.message);
      continue;
    }
    const col = m?.[2] === 'dailyDoseNgPerDay' ? 'dose' : 'start';
    target[col] = target[col] ? `${target[col]} ${e.message}` : e.message;
  }
  return { rowErrors, scheduleErrors };
}

/** A new row after the last: one hour later (capped at 23:00, the clinician adjusts), same dose. */
export function addRow(rows: FlexRow[], key: string): FlexRow[] {
  if (rows.length >= MAX_FLEX_STEPS) return rows;
  const last = rows[rows.length - 1];
  if (!last) return [{ key, start: '00:00', dose: '' }];
  const t = parseTimeOfDay(last.start);
  const next = t.ok ? Math.min(t.value + 3600, 23 * 3600) : 0;
  return [...rows, { key, start: formatTimeOfDay(next), dose: last.dose }];
}

export function removeRow(rows: FlexRow[], key: string): FlexRow[] {
  return rows.length <= 1 ? rows : rows.filter((r) => r.key !== key);
}

/** Mean daily dose of a schedule (ng/day), each step weighted by how long it runs (clinical helper). */
export function meanDailyDose(steps: FlexStep[]): number {
  return steps.length === 0 ? 0 : flexMeanDailyDose(steps);
}

export interface ChartGeometry {
  /** SVG path of the step line, in a width x height box (y grows downwards). */
  path: string;
  maxDose: number;
  /** Hour ticks: x position and label. */
  ticks: { x: number; label: string }[];
}

export function stepChart(steps: FlexStep[], width: number, height: number): ChartGeometry {
  const maxDose = Math.max(1, ...steps.map((s) => s.dailyDoseNgPerDay));
  const x = (sec: number) => round1((sec / DAY_SECONDS) * width);
  const y = (dose: number) => round1(height - (dose / maxDose) * height);
  let path = '';
  steps.forEach((s, i) => {
    const end = steps[i + 1]?.startSecondOfDay ?? DAY_SECONDS;
    path += `${i === 0 ? 'M' : 'L'}${x(s.startSecondOfDay)},${y(s.dailyDoseNgPerDay)} L${x(end)},${y(s.dailyDoseNgPerDay)} `;
  });
  const ticks = [0, 6, 12, 18, 24].map((h) => ({
    x: x(h * 3600),
    label: `${String(h).padStart(2, '0')}:00`,
  }));
  return { path: path.trim(), maxDose, ticks };
}

/** The chart's accessible description: every step in words. */
export function describeSchedule(steps: FlexStep[], formatDose: (ng: number) => string): string {
  if (steps.length === 0) return 'Dose over 24 hours: no valid schedule yet.';
  const parts = steps.map((s, i) => {
    const end = steps[i + 1]?.startSecondOfDay ?? DAY_SECONDS;
    return `${formatTimeOfDay(s.startSecondOfDay)} to ${formatTimeOfDay(end)} at ${formatDose(s.dailyDoseNgPerDay)}`;
  });
  return `Dose over 24 hours, ${steps.length} step${steps.length === 1 ? '' : 's'}: ${parts.join('; ')}. Mean ${formatDose(meanDailyDose(steps))}.`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
