/**
 * The outcome measures the clinical document lists as expected benefits of intrathecal baclofen (seed
 * document, "Expected Benefits": decreased pain, improved sleep quality, enhanced ability to perform
 * activities of daily living, reduced caregiver burden), as functions of the model's tone, spasms,
 * withdrawal signs and excess drug. No source gives these functions: each is an assumption, documented with
 * its calibration in docs/patient-model.md ("Outcome measures"). Pure; imports only ./types.
 */
import type { HypotoniaExtent, OutcomeMeasures } from './types';

/** What the outcome measures are computed from (the model's continuous scores, see model.ts derive). */
export interface OutcomeInputs {
  /** Continuous tone, 0 (Ashworth 0) .. 5 (Ashworth 4). */
  tone: number;
  /** Continuous Penn spasm frequency, 0..4. */
  spasms: number;
  /** Withdrawal sign severity, 0..1+. */
  withdrawalSigns: number;
  /** CNS depression index (1 = drowsy, see model.ts). */
  depression: number;
  hypotonia: HypotoniaExtent;
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const ramp = (v: number, from: number, to: number): number => clamp((v - from) / (to - from), 0, 1);

/** Lost function from too little tone (legs that no longer hold a transfer, then trunk, then arms). */
export const HYPOTONIA_ACTIVITY_LOSS: Record<HypotoniaExtent, number> = {
  none: 0,
  lowerLimbs: 15,
  trunk: 30,
  upperLimbs: 45,
  generalized: 70,
};

/** The four measures. Every one is bounded and monotone in its causes (tested in model.test.ts). */
export function outcomeMeasures(i: OutcomeInputs): OutcomeMeasures {
  const tone = clamp(i.tone, 0, 5);
  const spasms = clamp(i.spasms, 0, 4);
  const signs = clamp(i.withdrawalSigns, 0, 1.2);
  // Pain: painful spasms weigh most, then stiffness above Ashworth 1; withdrawal adds its own pain.
  const painNrs = Math.round(clamp(1.1 * spasms + 0.6 * Math.max(0, tone - 1) + 4 * signs, 0, 10));
  // Sleep: spasms of Penn 2 and above wake the patient, more than linearly; withdrawal keeps them awake.
  const awakeningsPerNight = Math.round(clamp(1.5 * Math.max(0, spasms - 1.5) ** 1.5 + 4 * signs, 0, 10));
  // Daily activities on a 0-100 scale in steps of 5 (as the Barthel index is scored).
  const limitation =
    10 * Math.max(0, tone - 1) +
    5 * spasms +
    HYPOTONIA_ACTIVITY_LOSS[i.hypotonia] +
    25 * ramp(i.depression, 1, 2.5) +
    30 * signs;
  const dailyActivities = clamp(Math.round((100 - limitation) / 5) * 5, 0, 100);
  // Caregiver burden: the help needed, the broken nights, and positioning and hygiene in a stiff patient.
  const caregiverBurden = Math.round(
    clamp((100 - dailyActivities) / 12 + 0.6 * awakeningsPerNight + 1.5 * ramp(tone, 3, 5), 0, 10),
  );
  // `+ 0` turns a -0 (Math.round of a small negative) into 0: a score is never "minus zero".
  return {
    painNrs: painNrs + 0,
    awakeningsPerNight: awakeningsPerNight + 0,
    dailyActivities: dailyActivities + 0,
    caregiverBurden: caregiverBurden + 0,
  };
}
