/**
 * Delivery integration, exact to the nanolitre. Within a segment the motor's rate is constant; the
 * integrated volume keeps its remainder (carry) so that any partition of time gives the same totals:
 * ten years in one step or in one-minute ticks deliver identical nanolitres.
 */
import { ceilDiv, floorDiv, mod } from '../shared/device-facts/dose';
import { localSecondOfDay, nextLocalBoundary } from '../shared/device-facts/local-clock';
import { getProfile, SECONDS_PER_DAY } from '../shared/device-facts/profiles';
import { phaseOf, type ActiveBolus, type PumpState } from './state';
import { moveTrueDrug } from './truth';

export type Segment =
  | { kind: 'none'; end: null }
  /** Basal: motor volume numerator `num` = rate x 1000 nL per day, over 86400 s. */
  | { kind: 'basal'; num: number; end: number | null }
  | { kind: 'bolus'; bolus: ActiveBolus; end: number };

const PPM = 1_000_000;

/** The delivery segment starting now: constant until `end` (flex step boundary or bolus end). */
export function currentSegment(s: PumpState): Segment {
  const phase = phaseOf(s);
  if (phase === 'bolusing' && s.bolus) return { kind: 'bolus', bolus: s.bolus, end: s.bolus.endTime };
  if (phase !== 'infusing') return { kind: 'none', end: null };
  const t = s.therapy;
  if (t.mode === 'continuous') return { kind: 'basal', num: t.rate * 1000, end: null };
  if (t.mode === 'flex') {
    // Steps follow the patient's local clock; a daylight-saving change also ends the segment.
    const sod = localSecondOfDay(s.clock, s.now);
    let idx = 0;
    for (let i = 0; i < t.steps.length; i += 1) if ((t.steps[i]?.start ?? 0) <= sod) idx = i;
    const step = t.steps[idx];
    const nextStart = t.steps[idx + 1]?.start ?? 0;
    return {
      kind: 'basal',
      num: (step?.rate ?? 0) * 1000,
      end: nextLocalBoundary(s.clock, s.now, nextStart),
    };
  }
  return { kind: 'none', end: null };
}

function bolusCumulative(b: ActiveBolus, elapsed: number): number {
  const d = b.endTime - b.startTime;
  if (elapsed >= d) return b.volumeNl;
  return floorDiv(b.volumeNl * elapsed, d);
}

/** Motor volume (nL, before the empty clamp) moved in the next `dt` seconds of segment `seg`. */
export function motorDelta(s: PumpState, seg: Segment, dt: number): number {
  if (seg.kind === 'basal') return floorDiv(seg.num * dt + s.carry.basal, SECONDS_PER_DAY);
  if (seg.kind === 'bolus') {
    const e0 = s.now - seg.bolus.startTime;
    return bolusCumulative(seg.bolus, e0 + dt) - bolusCumulative(seg.bolus, e0);
  }
  return 0;
}

/** Smallest dt >= 1 at which the motor has moved at least `x` nL in this segment, or null if never. */
export function secondsUntilMotorVolume(s: PumpState, seg: Segment, x: number): number | null {
  if (x <= 0) return 0;
  if (seg.kind === 'basal') {
    if (seg.num <= 0) return null;
    return ceilDiv(x * SECONDS_PER_DAY - s.carry.basal, seg.num);
  }
  if (seg.kind === 'bolus') {
    const b = seg.bolus;
    const e0 = s.now - b.startTime;
    const y = x + bolusCumulative(b, e0);
    if (y > b.volumeNl) return null;
    const e = ceilDiv(y * (b.endTime - b.startTime), b.volumeNl);
    return e - e0;
  }
  return null;
}

/**
 * Integrates from now to `t` (within the current segment). The motor's volume comes off the calculated
 * reservoir (belief); the true reservoir loses that volume scaled by the over-infusion factor, but only
 * while drug is left above the residual volume: past true empty the pump "pumps air" (the calculated
 * volume keeps falling, nothing flows). A full occlusion holds the drug in the reservoir.
 */
export function integrate(s: PumpState, t: number): void {
  const dt = t - s.now;
  if (dt <= 0) return;
  const p = getProfile(s.model);
  const seg = currentSegment(s);
  const raw = motorDelta(s, seg, dt);
  if (seg.kind === 'basal') s.carry.basal = mod(seg.num * dt + s.carry.basal, SECONDS_PER_DAY);
  const m = raw < s.calculatedNl ? raw : s.calculatedNl;
  if (m > 0) {
    s.calculatedNl -= m;
    s.ledger.motorNl += m;
    const x = m * (PPM + s.overInfusionPpm) + s.carry.trueDemand;
    const demand = floorDiv(x, PPM);
    s.carry.trueDemand = mod(x, PPM);
    const residual = p.residualVolume * 1000;
    const avail = s.trueNl > residual ? s.trueNl - residual : 0;
    const out = s.catheter === 'fullOcclusion' ? 0 : demand < avail ? demand : avail;
    s.trueNl -= out;
    s.ledger.pumpedNl += out;
    let intrathecal = out;
    if (s.catheter === 'disconnected') intrathecal = 0;
    else if (s.catheter === 'partialOcclusion') {
      // Assumption: half of what is pumped passes the partial occlusion, half leaks back along the catheter.
      const y = out + s.carry.catheterSplit;
      intrathecal = floorDiv(y, 2);
      s.carry.catheterSplit = mod(y, 2);
    }
    const lost = out - intrathecal;
    s.ledger.deliveredIntrathecalNl += intrathecal;
    s.ledger.catheterLostNl += lost;
    addMass(s, intrathecal, 'delivered');
    addMass(s, lost, 'lost');
    moveTrueDrug(s, out);
  }
  s.batteryUsed += dt * p.batteryDrainPerSecond + m * p.batteryDrainPerNanolitre;
  s.now = t;
}

/** Accumulates drug mass (ng = nL x ng/uL / 1000) with its remainder carried. */
export function addMass(s: PumpState, volumeNl: number, which: 'delivered' | 'lost'): void {
  if (volumeNl === 0) return;
  if (which === 'delivered') {
    const y = volumeNl * s.concentration + s.carry.deliveredNg;
    s.ledger.deliveredIntrathecalNg += floorDiv(y, 1000);
    s.carry.deliveredNg = mod(y, 1000);
  } else {
    const y = volumeNl * s.concentration + s.carry.lostNg;
    s.ledger.lostNg += floorDiv(y, 1000);
    s.carry.lostNg = mod(y, 1000);
  }
}
