/**
 * Every clinical constant the programmer's rules use, in one place. Each one is listed in
 * docs/clinical-model.md ("Programmer clinical rules") with its source and a confidence:
 *   sourced    quoted from a public source (label, manufacturer or clinic page, study)
 *   inferred   derived from a sourced figure (e.g. a proportional rule fitted to two sourced points)
 *   assumption no public source found; a named choice to check against the manufacturer's manuals
 * `CLINICAL_CONSTANTS` below is the machine-readable index of the same list; a test checks that every
 * exported constant is in it and in the document.
 *
 * Units follow src/device/types.ts: ng, ng/day, uL, uL/day, mcg/mL, seconds. Percentages are basis points
 * (1% = 100 bp) or per-mille, named as such.
 */
import type { Microlitres, NanogramsPerDay, Nanograms, McgPerMl, DurationSeconds } from '../../device/types';

// ------------------------------------------------------------------ definitions (exact)
export const SECONDS_PER_HOUR: DurationSeconds = 3600;
export const SECONDS_PER_DAY: DurationSeconds = 86_400;
export const NG_PER_MCG = 1000;
export const UL_PER_ML = 1000;
/** 100% in basis points. */
export const BP_PER_UNIT = 10_000;

// ------------------------------------------------------------------ drug and concentrations
/** Marketed baclofen strengths (Lioresal Intrathecal: 50, 500, 2000; Gablofen: 50, 500, 1000, 2000). */
export const STANDARD_CONCENTRATIONS: readonly McgPerMl[] = [50, 500, 1000, 2000];
/**
 * Highest concentration the programmer accepts. 2000 mcg/mL is the highest marketed strength; 3000 was
 * studied but is not marketed. Anything above is refused as a probable entry error.
 */
export const MAX_CONCENTRATION: McgPerMl = 2000;
/** A concentration change of this factor or more (either way) is refused: the classic tenfold unit error. */
export const CONCENTRATION_HARD_CHANGE_FACTOR = 10;
/** Baclofen: refill within 180 days at most, whatever the reservoir still holds. */
export const BACLOFEN_STABILITY_LIMIT: DurationSeconds = 180 * SECONDS_PER_DAY;

// ------------------------------------------------------------------ refill timing and checks
/** The clinic refills 3-5 days before the low-reservoir alarm date. */
export const REFILL_LEAD_MIN: DurationSeconds = 3 * SECONDS_PER_DAY;
export const REFILL_LEAD_MAX: DurationSeconds = 5 * SECONDS_PER_DAY;
/** Suggested low-reservoir alarm volume (manufacturer recommendation for the older pump generation). */
export const RECOMMENDED_LOW_RESERVOIR_ALARM_VOLUME: Microlitres = 2000;
/**
 * Expected-vs-withdrawn gap that is flagged, per mille of reservoir capacity: strictly more than
 * 1 mL on a 20 mL pump or 2 mL on a 40 mL pump (50 per-mille = 5% of capacity).
 */
export const REFILL_GAP_THRESHOLD_PER_MILLE = 50;

// ------------------------------------------------------------------ titration guidance (warnings)
/** Post-implant dose titration, increase per 24 h, spinal origin: 10-30%. */
export const SPINAL_INCREASE_MIN_BP = 1000;
export const SPINAL_INCREASE_MAX_BP = 3000;
/** Post-implant dose titration, increase per 24 h, cerebral origin: 5-15%. */
export const CEREBRAL_INCREASE_MIN_BP = 500;
export const CEREBRAL_INCREASE_MAX_BP = 1500;
/** Maintenance adjustments (at refills), spinal origin: 10-40%, "but no more than 40%" (a cap). */
export const SPINAL_MAINTENANCE_INCREASE_MIN_BP = 1000;
export const SPINAL_MAINTENANCE_INCREASE_MAX_BP = 4000;
/** Maintenance adjustments, cerebral origin: 5-20%, "but no more than 20%" (a cap). */
export const CEREBRAL_MAINTENANCE_INCREASE_MIN_BP = 500;
export const CEREBRAL_MAINTENANCE_INCREASE_MAX_BP = 2000;
/** The post-implant titration phase: this long after the therapy start (from the pump log). */
export const TITRATION_PHASE_LENGTH: DurationSeconds = 28 * SECONDS_PER_DAY;
/** A rise of this much over ESCALATION_WINDOW in maintenance suggests a catheter check. */
export const ESCALATION_WARNING_BP = 10_000;
export const ESCALATION_WINDOW: DurationSeconds = 28 * SECONDS_PER_DAY;
/** At most one increase per 24 h. */
export const MIN_INTERVAL_BETWEEN_INCREASES: DurationSeconds = 24 * SECONDS_PER_HOUR;
/** No increase in the first 24 h after the starting dose. */
export const NO_INCREASE_AFTER_START: DurationSeconds = 24 * SECONDS_PER_HOUR;
/** Decrease for side effects: 10-20%. */
export const SIDE_EFFECT_DECREASE_MIN_BP = 1000;
export const SIDE_EFFECT_DECREASE_MAX_BP = 2000;
/** A decrease larger than this (for any reason) is warned about: an abrupt cut risks withdrawal. */
export const DECREASE_WARNING_BP = 2000;
/** Usual maintenance ranges, mcg/day expressed in ng/day. */
export const SPINAL_MAINTENANCE_MIN: NanogramsPerDay = 300_000;
export const SPINAL_MAINTENANCE_MAX: NanogramsPerDay = 800_000;
export const CEREBRAL_MAINTENANCE_MIN: NanogramsPerDay = 90_000;
export const CEREBRAL_MAINTENANCE_MAX: NanogramsPerDay = 703_000;
export const CEREBRAL_REPORTED_MAX: NanogramsPerDay = 1_400_000;
export const CHILD_MAINTENANCE_MIN: NanogramsPerDay = 24_000;
export const CHILD_MAINTENANCE_MAX: NanogramsPerDay = 1_199_000;
/** The paediatric range applies under this age (years). */
export const CHILD_AGE_LIMIT_YEARS = 12;

// ------------------------------------------------------------------ titration hard limits (refused)
/** In the titration phase an increase of more than 50% within 24 h is refused (the label gives no cap). */
export const HARD_MAX_INCREASE_PER_24H_BP = 5000;
/** The largest adult daily dose the label reports (spinal origin, 2003 mcg/day): above it, a warning. */
export const LABEL_MAX_REPORTED_DAILY_DOSE: NanogramsPerDay = 2_003_000;
/** A dose change to ten times, or a tenth of, the current dose is refused (unit error). */
export const HARD_DOSE_CHANGE_FACTOR = 10;

// ------------------------------------------------------------------ screening and starting dose
/** Screening bolus ladder: 50, then 75, then 100 mcg, each only if the previous response was inadequate. */
export const SCREENING_DOSES: readonly Nanograms[] = [50_000, 75_000, 100_000];
/**
 * Very small patients start at 25 mcg; the label's exclusion is no response to 100 mcg, so the ladder
 * goes on to 100 mcg (25, 50, 75, 100; the 25 mcg steps after the first are assumed).
 */
export const SCREENING_DOSES_SMALL_PATIENT: readonly Nanograms[] = [25_000, 50_000, 75_000, 100_000];
/** Screening doses are given 24 h apart. */
export const SCREENING_INTERVAL: DurationSeconds = 24 * SECONDS_PER_HOUR;
/** Observe the response 4-8 h after each screening bolus. */
export const SCREENING_OBSERVATION_MIN: DurationSeconds = 4 * SECONDS_PER_HOUR;
export const SCREENING_OBSERVATION_MAX: DurationSeconds = 8 * SECONDS_PER_HOUR;
/** Starting daily dose = 2x the effective screening dose... */
export const STARTING_DOSE_MULTIPLIER = 2;
/** ...or 1x when the screening effect lasted more than 8 h. */
export const STARTING_DOSE_MULTIPLIER_LONG_EFFECT = 1;
export const LONG_SCREENING_EFFECT: DurationSeconds = 8 * SECONDS_PER_HOUR;

// ------------------------------------------------------------------ boluses and concentrations (programmer checks)
/** A single bolus more than this many times the daily dose is refused (a bolus above 1x needs a reason). */
export const BOLUS_HARD_DAILY_DOSE_FACTOR = 2;
/** With no daily dose to compare with, a bolus above the largest screening dose (100 mcg) needs a reason. */
export const BOLUS_MAX_WITHOUT_DAILY_DOSE: Nanograms = 100_000;
/** Below this a concentration is refused as a unit slip: one tenth of the lowest marketed strength. */
export const MIN_PLAUSIBLE_CONCENTRATION: McgPerMl = 5;

// ------------------------------------------------------------------ index for docs and tests

export type Confidence = 'sourced' | 'inferred' | 'assumption' | 'definition';

export interface ConstantSource {
  name: string;
  /** As shown in the document, with its unit. */
  shown: string;
  confidence: Confidence;
  source: string;
}

const LABEL_TITRATION =
  'https://download.skyscape.com/download/ota/lonestar/1C1D0B4F-B5A0-4B97-B0BC-6F1593D2B9CD/pktnuress.ed1/content/HTML/5/tc256.htm';
const MAINTENANCE = 'http://wellness.wageworks.com/DrugDetail/MusculoskeletalDisorders/Musclespasms/GABLOFEN';
const SCREENING = 'https://www.drugs.com/dosage/baclofen.html';
/** Lioresal Intrathecal prescribing information, section 2 (dosage and administration), as reproduced there. */
const LABEL_DOSING = 'https://www.drugs.com/dosage/baclofen.html';
/** Gablofen monograph with the paediatric maintenance range. */
const GABLOFEN_MONOGRAPH = 'http://butalbitalapap.org/index-3327.html';

export const CLINICAL_CONSTANTS: readonly ConstantSource[] = [
  { name: 'SECONDS_PER_HOUR', shown: '3600 s', confidence: 'definition', source: '-' },
  { name: 'SECONDS_PER_DAY', shown: '86400 s', confidence: 'definition', source: '-' },
  { name: 'NG_PER_MCG', shown: '1000', confidence: 'definition', source: '-' },
  { name: 'UL_PER_ML', shown: '1000', confidence: 'definition', source: '-' },
  { name: 'BP_PER_UNIT', shown: '10000 bp = 100%', confidence: 'definition', source: '-' },
  {
    name: 'STANDARD_CONCENTRATIONS',
    shown: '50, 500, 1000, 2000 mcg/mL',
    confidence: 'sourced',
    source:
      'https://lioresal.com/hcp/dosing-and-administration/ampules-refill-kit/ ; https://medlibrary.org/lib/rx/meds/gablofen/page/6/',
  },
  {
    name: 'MAX_CONCENTRATION',
    shown: '2000 mcg/mL',
    confidence: 'assumption',
    source:
      'highest marketed strength (as above); 3000 studied, not marketed: http://edrugswiki.com/drug/gablofen',
  },
  {
    name: 'CONCENTRATION_HARD_CHANGE_FACTOR',
    shown: '10x',
    confidence: 'assumption',
    source: 'tenfold unit error',
  },
  {
    name: 'BACLOFEN_STABILITY_LIMIT',
    shown: '180 days',
    confidence: 'sourced',
    source: 'https://pubmed.ncbi.nlm.nih.gov/38043050 (clinical abstract, secondary)',
  },
  {
    name: 'REFILL_LEAD_MIN',
    shown: '3 days',
    confidence: 'sourced',
    source:
      'https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-pump-refills',
  },
  {
    name: 'REFILL_LEAD_MAX',
    shown: '5 days',
    confidence: 'sourced',
    source:
      'https://www.gillettechildrens.org/your-visit/patient-education/intrathecal-baclofen-pump-refills',
  },
  {
    name: 'RECOMMENDED_LOW_RESERVOIR_ALARM_VOLUME',
    shown: '2000 uL (2 mL)',
    confidence: 'sourced',
    source: 'https://pubmed.ncbi.nlm.nih.gov/15271246 (older pump generation)',
  },
  {
    name: 'REFILL_GAP_THRESHOLD_PER_MILLE',
    shown: '50 per-mille of capacity (1 mL / 20 mL, 2 mL / 40 mL)',
    confidence: 'inferred',
    source:
      'https://bvbvf1.bib-bvb.de/vufind/PrimoRecord/cdi_proquest_journals_1949114606 (the two points are sourced; the proportional rule is inferred)',
  },
  { name: 'SPINAL_INCREASE_MIN_BP', shown: '1000 bp (10%)', confidence: 'sourced', source: LABEL_TITRATION },
  { name: 'SPINAL_INCREASE_MAX_BP', shown: '3000 bp (30%)', confidence: 'sourced', source: LABEL_TITRATION },
  { name: 'CEREBRAL_INCREASE_MIN_BP', shown: '500 bp (5%)', confidence: 'sourced', source: LABEL_TITRATION },
  {
    name: 'CEREBRAL_INCREASE_MAX_BP',
    shown: '1500 bp (15%)',
    confidence: 'sourced',
    source: LABEL_TITRATION,
  },
  { name: 'MIN_INTERVAL_BETWEEN_INCREASES', shown: '24 h', confidence: 'sourced', source: LABEL_TITRATION },
  { name: 'NO_INCREASE_AFTER_START', shown: '24 h', confidence: 'sourced', source: LABEL_TITRATION },
  {
    name: 'SIDE_EFFECT_DECREASE_MIN_BP',
    shown: '1000 bp (10%)',
    confidence: 'sourced',
    source: `${LABEL_DOSING} (maintenance, stated for both origins)`,
  },
  {
    name: 'SIDE_EFFECT_DECREASE_MAX_BP',
    shown: '2000 bp (20%)',
    confidence: 'sourced',
    source: `${LABEL_DOSING} (maintenance, stated for both origins)`,
  },
  {
    name: 'DECREASE_WARNING_BP',
    shown: '2000 bp (20%)',
    confidence: 'assumption',
    source: 'withdrawal risk of abrupt reduction: https://medlibrary.org/lib/rx/meds/gablofen/page/3/',
  },
  { name: 'SPINAL_MAINTENANCE_MIN', shown: '300 mcg/day', confidence: 'sourced', source: MAINTENANCE },
  { name: 'SPINAL_MAINTENANCE_MAX', shown: '800 mcg/day', confidence: 'sourced', source: MAINTENANCE },
  {
    name: 'CEREBRAL_MAINTENANCE_MIN',
    shown: '90 mcg/day',
    confidence: 'sourced',
    source: GABLOFEN_MONOGRAPH,
  },
  {
    name: 'CEREBRAL_MAINTENANCE_MAX',
    shown: '703 mcg/day',
    confidence: 'sourced',
    source: GABLOFEN_MONOGRAPH,
  },
  { name: 'CEREBRAL_REPORTED_MAX', shown: '1400 mcg/day', confidence: 'sourced', source: LABEL_DOSING },
  { name: 'CHILD_MAINTENANCE_MIN', shown: '24 mcg/day', confidence: 'sourced', source: GABLOFEN_MONOGRAPH },
  { name: 'CHILD_MAINTENANCE_MAX', shown: '1199 mcg/day', confidence: 'sourced', source: GABLOFEN_MONOGRAPH },
  { name: 'CHILD_AGE_LIMIT_YEARS', shown: '12 years', confidence: 'sourced', source: GABLOFEN_MONOGRAPH },
  {
    name: 'SPINAL_MAINTENANCE_INCREASE_MIN_BP',
    shown: '1000 bp (10%)',
    confidence: 'sourced',
    source: LABEL_DOSING,
  },
  {
    name: 'SPINAL_MAINTENANCE_INCREASE_MAX_BP',
    shown: '4000 bp (40%, a cap)',
    confidence: 'sourced',
    source: LABEL_DOSING,
  },
  {
    name: 'CEREBRAL_MAINTENANCE_INCREASE_MIN_BP',
    shown: '500 bp (5%)',
    confidence: 'sourced',
    source: LABEL_DOSING,
  },
  {
    name: 'CEREBRAL_MAINTENANCE_INCREASE_MAX_BP',
    shown: '2000 bp (20%, a cap)',
    confidence: 'sourced',
    source: LABEL_DOSING,
  },
  {
    name: 'TITRATION_PHASE_LENGTH',
    shown: '28 days',
    confidence: 'assumption',
    source: 'the label names the phases but gives no length; the pump log gives the therapy start',
  },
  {
    name: 'ESCALATION_WARNING_BP',
    shown: '10000 bp (100%)',
    confidence: 'assumption',
    source: `threshold assumed; the advice (sudden dose escalation: check the catheter) is the label's, ${LABEL_DOSING}`,
  },
  {
    name: 'ESCALATION_WINDOW',
    shown: '28 days',
    confidence: 'assumption',
    source: 'window assumed ("sudden" is not quantified by the label)',
  },
  {
    name: 'HARD_MAX_INCREASE_PER_24H_BP',
    shown: '5000 bp (50%)',
    confidence: 'assumption',
    source:
      'titration phase only: the label gives 10-30% / 5-15% steps but no cap; maintenance uses the label caps (40% / 20%)',
  },
  {
    name: 'LABEL_MAX_REPORTED_DAILY_DOSE',
    shown: '2003 mcg/day',
    confidence: 'sourced',
    source: `${LABEL_DOSING} (largest maintenance dose reported, spinal origin)`,
  },
  { name: 'HARD_DOSE_CHANGE_FACTOR', shown: '10x', confidence: 'assumption', source: 'tenfold unit error' },
  { name: 'SCREENING_DOSES', shown: '50, 75, 100 mcg', confidence: 'sourced', source: SCREENING },
  {
    name: 'SCREENING_DOSES_SMALL_PATIENT',
    shown: '25, 50, 75 mcg',
    confidence: 'assumption',
    source: `25 mcg first dose sourced (${SCREENING}); the 25 mcg steps after it are assumed; the ladder ends at the label's 100 mcg exclusion`,
  },
  { name: 'SCREENING_INTERVAL', shown: '24 h', confidence: 'sourced', source: SCREENING },
  {
    name: 'SCREENING_OBSERVATION_MIN',
    shown: '4 h',
    confidence: 'sourced',
    source: 'https://lioresal.com/hcp/screening-trial/what-to-expect/',
  },
  {
    name: 'SCREENING_OBSERVATION_MAX',
    shown: '8 h',
    confidence: 'sourced',
    source: 'https://lioresal.com/hcp/screening-trial/what-to-expect/',
  },
  { name: 'STARTING_DOSE_MULTIPLIER', shown: '2x', confidence: 'sourced', source: LABEL_TITRATION },
  {
    name: 'STARTING_DOSE_MULTIPLIER_LONG_EFFECT',
    shown: '1x',
    confidence: 'sourced',
    source: LABEL_TITRATION,
  },
  { name: 'LONG_SCREENING_EFFECT', shown: '8 h', confidence: 'sourced', source: LABEL_TITRATION },
  {
    name: 'BOLUS_HARD_DAILY_DOSE_FACTOR',
    shown: '2x the daily dose',
    confidence: 'assumption',
    source: 'no label limit for a clinician bolus through the pump; overdose risk (label section 10)',
  },
  {
    name: 'BOLUS_MAX_WITHOUT_DAILY_DOSE',
    shown: '100 mcg',
    confidence: 'inferred',
    source: `the largest screening bolus, ${SCREENING}`,
  },
  {
    name: 'MIN_PLAUSIBLE_CONCENTRATION',
    shown: '5 mcg/mL',
    confidence: 'assumption',
    source: 'one tenth of the lowest marketed strength (50 mcg/mL): a mg/mL entry slip',
  },
];
