/**
 * Bolus workflow, as pure functions: single and bridge boluses are prescribed as drug (mcg), priming as
 * volume (mL); either way the clinician sees drug amount, volume and duration before confirming.
 */
import type { DeviceProfile } from '../../shared/device-facts/profiles';
import type { BolusRequest, PumpStatus } from '../../device/types';
import { mulDivFloor, mulDivRoundHalfUp } from '../../shared/clinical/arithmetic';
import { SECONDS_PER_DAY } from '../../shared/clinical/constants';
import { formatRate, formatVolume } from '../../shared/clinical/format';
import { parseAmountEntry, parseMinutesEntry, parseVolumeEntry, type Parsed } from './entry';
import { formatDuration } from '../../shared/clinical/format';

export type BolusKind = BolusRequest['kind'];

export const BOLUS_KIND_LABELS: Record<BolusKind, string> = {
  single: 'Single bolus',
  bridge: 'Bridge bolus',
  priming: 'Priming bolus',
};

export interface BolusEntries {
  kind: BolusKind;
  /** mcg, for single and bridge. */
  amount: string;
  /** mL, for priming. */
  volume: string;
  /** minutes. */
  duration: string;
}

export interface BolusPreview {
  request: BolusRequest;
  /** ng of drug delivered. */
  amount: number;
  /** uL pushed. */
  volume: number;
  /** s. */
  duration: number;
  /** uL/day while the bolus runs. */
  rate: number;
}

export type BolusFieldErrors = Partial<Record<'amount' | 'volume' | 'duration', string>>;

/** The priming volume the profile suggests: pump tubing plus the default catheter. */
export function suggestedPrimingVolume(profile: DeviceProfile): number {
  return profile.pumpTubingVolume + profile.catheterVolumePerCm * profile.catheterLengthCm;
}

export function bolusPreview(
  e: BolusEntries,
  status: PumpStatus,
  profile: DeviceProfile,
): { preview: BolusPreview | null; errors: BolusFieldErrors } {
  const errors: BolusFieldErrors = {};
  const conc = status.concentrationMcgPerMl;
  const dur = parseMinutesEntry(e.duration);
  if (!dur.ok) errors.duration = dur.message;
  else if (dur.value < profile.bolusMinDuration || dur.value > profile.bolusMaxDuration) {
    errors.duration = `Between ${formatDuration(profile.bolusMinDuration)} and ${formatDuration(profile.bolusMaxDuration)}.`;
  }
  let amount = 0;
  let volume = 0;
  if (e.kind === 'priming') {
    const v: Parsed<number> = parseVolumeEntry(e.volume);
    if (!v.ok) errors.volume = v.message;
    else if (v.value === 0) errors.volume = 'Enter the volume to prime (tubing and catheter).';
    else if (v.value > profile.primingMaxVolume)
      errors.volume = `At most ${formatVolume(profile.primingMaxVolume)}.`;
    else {
      volume = v.value;
      amount = mulDivFloor(volume, conc, 1);
    }
  } else {
    const a = parseAmountEntry(e.amount);
    if (!a.ok) errors.amount = a.message;
    else if (a.value === 0) errors.amount = 'Enter the drug amount in mcg.';
    else if (conc <= 0) errors.amount = 'The pump has no drug concentration: refill first.';
    else {
      amount = a.value;
      volume = mulDivRoundHalfUp(amount, 1, conc);
      if (volume === 0) errors.amount = 'Less than 1 microlitre at this concentration: too small to deliver.';
    }
  }
  if (volume > status.reservoirVolumeUl && !errors.volume && !errors.amount) {
    errors[e.kind === 'priming' ? 'volume' : 'amount'] =
      `Needs ${formatVolume(volume)}; the reservoir holds ${formatVolume(status.reservoirVolumeUl)}.`;
  }
  if (Object.keys(errors).length > 0 || !dur.ok) return { preview: null, errors };
  const duration = dur.value;
  const rate = mulDivRoundHalfUp(volume, SECONDS_PER_DAY, duration);
  if (rate > profile.bolusMaxRate) {
    errors.duration = `Too fast: ${formatRate(rate)} exceeds the pump's ${formatRate(profile.bolusMaxRate)}; lengthen the duration.`;
    return { preview: null, errors };
  }
  const request: BolusRequest =
    e.kind === 'priming'
      ? { kind: 'priming', volumeUl: volume, durationS: duration }
      : { kind: e.kind, amountNg: amount, durationS: duration };
  return { preview: { request, amount, volume, duration, rate }, errors };
}
