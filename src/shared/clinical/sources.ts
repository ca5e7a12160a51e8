/**
 * The source of each rule, shown with every finding. The full wording and the confidence of each constant
 * are in docs/clinical-model.md; these are the short citations a clinician sees beside a finding.
 */
const LABEL = 'Lioresal Intrathecal / Gablofen label, Dosage and Administration';
const LABEL_MAINT = `${LABEL}, Maintenance Therapy`;
const LABEL_TITR = `${LABEL}, Post-Implant Dose Titration`;
const DEVICE = 'Pump bolus limits: src/shared/device-facts/profiles.ts';
const BENCH = 'Bench assumption (docs/clinical-model.md)';

const SOURCES: Record<string, string> = {
  INPUT_INVALID: 'Programmer input check',
  DOSE_CHANGE_TENFOLD: `${BENCH}: tenfold unit error`,
  DOSE_ABOVE_REPORTED_MAXIMUM: `${LABEL_MAINT} (largest doses reported)`,
  INCREASE_HARD_LIMIT: `${LABEL_MAINT} ("no more than 40%" / "no more than 20%"); titration phase: ${BENCH} (50%)`,
  INCREASE_ABOVE_GUIDANCE: `${LABEL_TITR} / ${LABEL_MAINT}`,
  INCREASE_WITHIN_GUIDANCE: `${LABEL_TITR} / ${LABEL_MAINT}`,
  INCREASE_BELOW_GUIDANCE: `${LABEL_TITR} / ${LABEL_MAINT}`,
  NO_CURRENT_DOSE: `${LABEL}, Screening Phase and starting dose`,
  INCREASE_WITHIN_24H: `${LABEL_TITR} (only once every 24 hours)`,
  INCREASE_IN_FIRST_24H: `${LABEL_TITR} (first 24 hours at the starting dose)`,
  INCREASE_DESPITE_SIDE_EFFECTS: `${LABEL_MAINT} (reduce 10-20% for side effects)`,
  DECREASE_ABOVE_GUIDANCE: `${LABEL_MAINT} (reduce 10-20% for side effects); abrupt reduction: boxed warning`,
  DECREASE_WITHIN_GUIDANCE: LABEL_MAINT,
  DECREASE_BELOW_GUIDANCE: LABEL_MAINT,
  DOSE_ABOVE_TYPICAL_RANGE: `${LABEL_MAINT} (usual maintenance ranges)`,
  DOSE_BELOW_TYPICAL_RANGE: `${LABEL_MAINT} (usual maintenance ranges)`,
  NO_CHANGE: 'Programmer',
  ESCALATION_CATHETER_CHECK: `${LABEL_MAINT} (sudden dose escalation: catheter complication); threshold: ${BENCH}`,
  DOSE_ROUNDED_BY_PUMP: 'Pump rate resolution (1 uL/day): docs/clinical-model.md',
  THERAPY_STOPPED: 'Label boxed warning (abrupt discontinuation)',
  RUNNING_BOLUS_CANCELLED: 'Pump behaviour: a program update cancels a running bolus',
  BOLUS_ABOVE_DAILY_DOSE: `${BENCH} (no label limit for a pump bolus); overdose: label section Overdosage`,
  BOLUS_WITHIN_DAILY_DOSE: BENCH,
  BOLUS_ABOVE_SCREENING_MAXIMUM: `${LABEL}, Screening Phase (largest screening bolus 100 mcg)`,
  PRIMING_ABOVE_DEAD_SPACE: `${DEVICE} (tubing and catheter volume)`,
  BRIDGE_BOLUS_SUGGESTED: `${BENCH} (bridge rule); ${DEVICE}`,
  BRIDGE_BOLUS_NOT_COMPUTED: `${BENCH} (bridge rule); ${DEVICE}`,
  BRIDGE_BOLUS_NOT_AS_PLANNED: `${BENCH} (bridge rule); ${DEVICE}`,
  BRIDGE_BOLUS_SPLIT: DEVICE,
  PATIENT_BOLUS_DAILY_MAXIMUM: `${LABEL_TITR} / ${LABEL_MAINT} (the step a daily dose may rise)`,
  PATIENT_BOLUS_WITHOUT_DAILY_DOSE: BENCH,
  WITHDRAWN_OVER_CAPACITY: 'Refill check: docs/clinical-model.md, Refill rules',
  WITHDRAWN_LESS_THAN_EXPECTED: 'Refill check: docs/clinical-model.md, Refill rules',
  WITHDRAWN_MORE_THAN_EXPECTED: 'Refill check: docs/clinical-model.md, Refill rules',
  WITHDRAWN_AS_EXPECTED: 'Refill check: docs/clinical-model.md, Refill rules',
  FILL_VOLUME_ZERO: 'Refill check',
  FILL_OVER_CAPACITY: 'Refill check',
  CONCENTRATION_ENTRY_MISMATCH: 'Refill check: double entry',
  CONCENTRATION_ZERO: 'Refill check',
  CONCENTRATION_ABOVE_MAXIMUM: `${LABEL}, How Supplied (highest strength 2000 mcg/mL)`,
  CONCENTRATION_NON_STANDARD: `${LABEL}, How Supplied (50, 500, 1000, 2000 mcg/mL)`,
  CONCENTRATION_NOT_A_PRODUCT: `${LABEL}, How Supplied; ${BENCH} (mg/mL slip)`,
  CONCENTRATION_TENFOLD_CHANGE: `${BENCH}: tenfold unit error`,
  CONCENTRATION_CHANGED: `${BENCH} (bridge rule)`,
  DRUG_NOT_BACLOFEN: 'Refill check',
};

export function ruleSource(rule: string): string {
  return SOURCES[rule] ?? BENCH;
}

/** Every rule with a source (for the test that each one is documented in docs/clinical-model.md). */
export const RULES_WITH_SOURCES: readonly string[] = Object.keys(SOURCES);
