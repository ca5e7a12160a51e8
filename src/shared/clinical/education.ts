/**
 * The printable patient and caregiver sheet: signs of withdrawal and of overdose, what to do, the refill
 * date and what an alarm sounds like, from the session's values. Pure (no clock: the print time and the
 * clinic's time zone are inputs), no zod (the renderer may import it). Text and HTML carry the same
 * content. Sources: docs/clinical-model.md, "Patient and caregiver sheet".
 */
import { TONE_PATTERNS } from '../device-facts/profiles';
import type { McgPerMl, NanogramsPerDay, PumpInstant } from '../../device/types';
import { formatConcentration, formatDose } from './format';

export interface CaregiverSheetInput {
  patientName: string;
  /** As the clinic names it, e.g. "SynchroMed II 20 mL". */
  pumpName: string;
  dailyDose: NanogramsPerDay;
  concentration: McgPerMl;
  /** Refill no later than this (from nextRefill). */
  refillBy: PumpInstant;
  /** The calculated low-reservoir alarm (from lowReservoirAlarmTime); null when nothing is delivered. */
  lowReservoirAlarmAt: PumpInstant | null;
  clinicPhone: string;
  printedAt: PumpInstant;
  /** IANA time zone of the clinic, e.g. "Europe/Paris": dates are printed in it, with its name. */
  timeZone: string;
}

export interface CaregiverSheet {
  title: string;
  /** Sections in print order: heading and lines. */
  sections: { heading: string; lines: string[] }[];
  text: string;
  html: string;
}

export class SheetInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'SheetInputError';
  }
}

/** Early and late signs, in the label's terms (boxed warning; Warnings, withdrawal; Overdosage). */
export const WITHDRAWAL_EARLY_SIGNS = [
  'the old stiffness and spasms coming back',
  'itching',
  'low blood pressure (feeling faint or dizzy when sitting up)',
  'tingling or pins and needles',
];
export const WITHDRAWAL_LATE_SIGNS = [
  'high fever',
  'confusion or a change in behaviour',
  'very strong rebound stiffness and rigid muscles',
  'seizures',
];
export const OVERDOSE_SIGNS = [
  'drowsiness or unusual sleepiness',
  'light-headedness or dizziness',
  'slow or shallow breathing',
  'weakness or floppiness spreading up the body',
  'seizures',
  'hard to wake, or unconscious',
];

const fail = (m: string): never => {
  throw new SheetInputError(m);
};

function text(name: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.trim().length === 0) fail(`${name} is required`);
  const t = (v as string).trim();
  if (t.length > max) fail(`${name} is at most ${max} characters`);
  return t;
}

function time(name: string, v: unknown): PumpInstant {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(`${name} must be a pump time in whole seconds`);
  return v as PumpInstant;
}

/** A date in the clinic's zone with the zone's name: "Monday 14 June 2027 (CEST)", "..., 10:00 CET". */
function dateIn(zone: string, t: PumpInstant, withTime = false): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(t * 1000);
  const p = (type: Intl.DateTimeFormatPartTypes): string => parts.find((x) => x.type === type)?.value ?? '';
  const date = `${p('weekday')} ${p('day')} ${p('month')} ${p('year')}`;
  return withTime
    ? `${date}, ${p('hour')}:${p('minute')} ${p('timeZoneName')}`
    : `${date} (${p('timeZoneName')})`;
}

function toneWords(): { critical: string; nonCritical: string } {
  const c = TONE_PATTERNS.critical;
  const n = TONE_PATTERNS.nonCritical;
  const cSeconds = c.segments.reduce((a, s) => a + s.durationMs, 0) / 1000;
  const nSeconds = n.segments.reduce((a, s) => a + s.durationMs, 0) / 1000;
  return {
    critical: `a ${cSeconds}-second two-tone alarm (high and low notes alternating), repeating about every ${Math.round(c.repeatIntervalS / 60)} minutes`,
    nonCritical: `a single ${nSeconds}-second beep about once every ${Math.round(n.repeatIntervalS / 3600)} hour`,
  };
}

export function caregiverSheet(input: CaregiverSheetInput): CaregiverSheet {
  if (typeof input !== 'object' || input === null) fail('the sheet needs the session values');
  const name = text('patientName', input.patientName, 80);
  const pump = text('pumpName', input.pumpName, 60);
  const phone = text('clinicPhone', input.clinicPhone, 40);
  const zone = text('timeZone', input.timeZone, 64);
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    fail(`timeZone "${zone}" is not a known time zone`);
  }
  if (!Number.isSafeInteger(input.dailyDose) || input.dailyDose <= 0)
    fail('dailyDose must be a positive whole number of ng/day');
  if (!Number.isSafeInteger(input.concentration) || input.concentration <= 0)
    fail('concentration must be a positive whole number of mcg/mL');
  const printedAt = time('printedAt', input.printedAt);
  const refillBy = time('refillBy', input.refillBy);
  if (refillBy < printedAt)
    fail('the refill date is already past: plan the refill before printing the sheet');
  const alarmAt =
    input.lowReservoirAlarmAt === null ? null : time('lowReservoirAlarmAt', input.lowReservoirAlarmAt);

  const tones = toneWords();
  const sections: CaregiverSheet['sections'] = [
    {
      heading: 'Your pump',
      lines: [
        `Patient: ${name}`,
        `Pump: ${pump}, intrathecal baclofen ${formatConcentration(input.concentration)}`,
        `Dose: ${formatDose(input.dailyDose)}`,
        `Refill no later than: ${dateIn(zone, refillBy)}`,
        alarmAt === null
          ? 'Low-reservoir alarm: none expected at this dose.'
          : `The low-reservoir alarm is expected on: ${dateIn(zone, alarmAt)}`,
        'Never miss a refill: if the pump runs empty, baclofen stops suddenly, which can be dangerous.',
      ],
    },
    {
      heading: 'What the alarms sound like',
      lines: [
        `Urgent: ${tones.critical}. The medicine may have stopped flowing. Call the clinic now (${phone}); if you cannot reach it, go to the emergency department and watch for the signs of withdrawal below.`,
        `Not urgent: ${tones.nonCritical}. The reservoir is getting low or the pump is due for replacement. Call the clinic within a day or two (${phone}).`,
        'Ask the clinic to play both alarms for you so you know them.',
      ],
    },
    {
      heading: 'Signs of withdrawal (too little baclofen)',
      lines: [
        `Early signs: ${WITHDRAWAL_EARLY_SIGNS.join('; ')}.`,
        `What to do: call the clinic the same day (${phone}). Do not wait for the next visit.`,
        `Serious signs: ${WITHDRAWAL_LATE_SIGNS.join('; ')}.`,
        'What to do: this is an emergency. Call the emergency services and say the patient has an intrathecal baclofen pump. Withdrawal can worsen over 1 to 3 days and become life-threatening.',
      ],
    },
    {
      heading: 'Signs of overdose (too much baclofen)',
      lines: [
        `Signs: ${OVERDOSE_SIGNS.join('; ')}.`,
        'What to do: if breathing is slow or shallow, or the patient is hard to wake, call the emergency services now and say the patient has an intrathecal baclofen pump. Otherwise call the clinic now.',
      ],
    },
    {
      heading: 'Bring this sheet',
      lines: [
        `Printed ${dateIn(zone, printedAt, true)}. Bring it to every visit and to the emergency department.`,
      ],
    },
  ];
  const title = 'Intrathecal baclofen pump: information for the patient and caregivers';
  const textOut = [
    title,
    '',
    ...sections.flatMap((s) => [s.heading.toUpperCase(), ...s.lines.map((l) => `- ${l}`), '']),
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font:14pt/1.4 sans-serif;max-width:42em;margin:1em auto}h1{font-size:18pt}h2{font-size:15pt;margin-top:1em}@media print{body{margin:0}}</style>',
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    ...sections.map(
      (s) =>
        `<section><h2>${esc(s.heading)}</h2><ul>${s.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>`,
    ),
    '</body></html>',
  ].join('\n');
  return { title, sections, text: textOut, html };
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
