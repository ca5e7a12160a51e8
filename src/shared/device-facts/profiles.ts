/**
 * Device profiles: every clinical and engineering constant of the virtual pump, in one place.
 * Each constant is listed with its source and confidence in docs/clinical-model.md ("Device profiles").
 * Keep this module free of imports other than ./types: the renderer imports TONE_PATTERNS from it.
 */
import type { AlarmCode, AlarmPriority, PumpModel, TonePattern } from '../../device/types';

export const SECONDS_PER_DAY = 86_400;
/** Year length used for service life (365-day years: an assumption, the manuals give years only). */
export const SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY;

export interface DeviceProfile {
  model: PumpModel;
  /** Nominal reservoir capacity (the usable volume a refill may put in), uL. */
  reservoirCapacity: number;
  /** Volume that stays in an emptied reservoir: neither the pump nor the needle can remove it, uL. */
  residualVolume: number;
  /** Calculated volume at which the pump declares the reservoir empty, uL. */
  emptyThreshold: number;
  /** Internal pump tubing volume (priming), uL. */
  pumpTubingVolume: number;
  /** Catheter volume per cm and a default catheter length, for the priming bolus suggestion. */
  catheterVolumePerCm: number;
  catheterLengthCm: number;

  minRate: number;
  maxRate: number;

  flexMaxSteps: number;
  flexMinStepLength: number;

  lowReservoirAlarmMin: number;
  lowReservoirAlarmMax: number;
  lowReservoirAlarmDefault: number;

  bolusMaxRate: number;
  bolusMinDuration: number;
  bolusMaxDuration: number;
  primingMaxVolume: number;

  patientBolusMaxPerDayLimit: number;
  patientBolusLockoutMin: number;
  patientBolusLockoutMax: number;
  patientBolusMinDuration: number;
  patientBolusMaxDuration: number;

  concentrationMin: number;
  concentrationMax: number;

  /** Battery model: integer charge units; ERI when `eriUsed` units are spent. */
  batteryCapacityUnits: number;
  batteryDrainPerSecond: number;
  batteryDrainPerNanolitre: number;
  batteryEriUsed: number;
  /** Hard service life from manufacture (automatic shutdown). */
  serviceLife: number;
  /** End of service follows ERI after this delay. */
  eosAfterEri: number;

  /** ENG variant only: catheter pressure sensor debounce before CATHETER_OCCLUSION; null without sensor. */
  occlusionSensorDebounce: number | null;
}

const BASE: Omit<DeviceProfile, 'model' | 'reservoirCapacity' | 'occlusionSensorDebounce'> = {
  residualVolume: 1_000,
  emptyThreshold: 0,
  pumpTubingVolume: 200,
  catheterVolumePerCm: 2,
  catheterLengthCm: 60,
  minRate: 48,
  maxRate: 24_000,
  flexMaxSteps: 13,
  flexMinStepLength: 900,
  lowReservoirAlarmMin: 500,
  lowReservoirAlarmMax: 5_000,
  lowReservoirAlarmDefault: 2_000,
  bolusMaxRate: 86_400,
  bolusMinDuration: 60,
  bolusMaxDuration: SECONDS_PER_DAY,
  primingMaxVolume: 1_000,
  patientBolusMaxPerDayLimit: 10,
  patientBolusLockoutMin: 600,
  patientBolusLockoutMax: SECONDS_PER_DAY,
  patientBolusMinDuration: 60,
  patientBolusMaxDuration: 4 * 3_600,
  concentrationMin: 1,
  concentrationMax: 4_000,
  batteryCapacityUnits: 1_000_000_000_000,
  batteryDrainPerSecond: 3_700,
  batteryDrainPerNanolitre: 40,
  batteryEriUsed: 800_000_000_000,
  serviceLife: 7 * SECONDS_PER_YEAR,
  eosAfterEri: 90 * SECONDS_PER_DAY,
};

export const PROFILES: Record<PumpModel, DeviceProfile> = {
  'SM2-20': { ...BASE, model: 'SM2-20', reservoirCapacity: 20_000, occlusionSensorDebounce: null },
  'SM2-40': { ...BASE, model: 'SM2-40', reservoirCapacity: 40_000, occlusionSensorDebounce: null },
  'SM2-20-ENG': { ...BASE, model: 'SM2-20-ENG', reservoirCapacity: 20_000, occlusionSensorDebounce: 3_600 },
};

export function getProfile(model: PumpModel): DeviceProfile {
  const p = PROFILES[model];
  if (!p) throw new RangeError(`unknown pump model "${String(model)}"`);
  return p;
}

/** Standard concentrations of baclofen (mcg/mL); custom dilutions within the profile range are accepted. */
export const STANDARD_CONCENTRATIONS: readonly number[] = [50, 500, 1000, 2000];

/**
 * Alarm tones. Critical: 3-second two-tone; non-critical: 1-second single tone about hourly (sourced).
 * Frequencies and the critical repeat interval (10 minutes) are assumptions.
 */
export const TONE_PATTERNS: Record<AlarmPriority, TonePattern> = {
  critical: {
    segments: [
      { frequencyHz: 880, durationMs: 500 },
      { frequencyHz: 660, durationMs: 500 },
      { frequencyHz: 880, durationMs: 500 },
      { frequencyHz: 660, durationMs: 500 },
      { frequencyHz: 880, durationMs: 500 },
      { frequencyHz: 660, durationMs: 500 },
    ],
    repeatIntervalS: 600,
  },
  nonCritical: {
    segments: [{ frequencyHz: 1_000, durationMs: 1_000 }],
    repeatIntervalS: 3_600,
  },
};

/** Every alarm the pump raises, in the wire's enumeration order (the codec numbers them by position). */
export const ALARM_CODES = [
  'LOW_RESERVOIR',
  'EMPTY_RESERVOIR',
  'ERI',
  'END_OF_SERVICE',
  'MOTOR_STALL',
  'MEMORY_ERROR_NONCRITICAL',
  'MEMORY_ERROR_CRITICAL',
  'CATHETER_OCCLUSION',
] as const satisfies readonly AlarmCode[];

export const ALARM_PRIORITY: Record<AlarmCode, AlarmPriority> = {
  LOW_RESERVOIR: 'nonCritical',
  EMPTY_RESERVOIR: 'critical',
  ERI: 'nonCritical',
  END_OF_SERVICE: 'critical',
  MOTOR_STALL: 'critical',
  MEMORY_ERROR_NONCRITICAL: 'nonCritical',
  MEMORY_ERROR_CRITICAL: 'critical',
  CATHETER_OCCLUSION: 'critical',
};

/** Event log capacity: the oldest entries are dropped beyond it. */
export const LOG_CAPACITY = 512;
