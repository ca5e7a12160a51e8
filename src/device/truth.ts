/**
 * The drug mass that truly reaches the patient. The pump reckons drug from the concentration entered at the
 * refill; the truth follows the drug itself:
 * - the reservoir is well mixed: from one mixing (a refill, or the bench setting its concentration) to the
 *   next its concentration is the constant ratio `ng / nl` of that moment, whatever volume leaves;
 * - the pump tubing and catheter hold a first-in first-out column: after a refill the old drug in them
 *   reaches the CSF before the new one does. One segment per mixing period.
 * Every mass is a floor of a cumulative volume times a fixed concentration, so (like the volumes in
 * delivery.ts) any partition of time gives the same nanograms, and mass is conserved exactly.
 */
import { floorDiv, mod, mulDivFloor } from '../shared/device-facts/dose';
import { deadSpaceNl, type PumpState } from './state';

/** floor(a * b / d) in plain numbers when the product is exact, else exactly with BigInt. */
function mulDiv(a: number, b: number, d: number): number {
  const p = a * b;
  return Number.isSafeInteger(p) ? floorDiv(p, d) : mulDivFloor(a, b, d);
}

/** The reservoir since its last mixing: `ng` over `nl` then; `drainedNl` left since (drainedNg with it). */
export interface ReservoirDrug {
  seq: number;
  ng: number;
  nl: number;
  drainedNl: number;
  drainedNg: number;
}

/** A slug in the tubing and catheter, at concentration cNg / cNl: `inNl` entered, `outNl` left the tip. */
export interface LineSegment {
  seq: number;
  cNg: number;
  cNl: number;
  inNl: number;
  inNg: number;
  outNl: number;
  outNg: number;
}

function drain(r: ReservoirDrug, nl: number): { r: ReservoirDrug; ng: number } {
  const drainedNl = r.drainedNl + nl;
  const drainedNg = mulDiv(drainedNl, r.ng, r.nl);
  return { r: { ...r, drainedNl, drainedNg }, ng: drainedNg - r.drainedNg };
}

/** The line as it starts: primed with drug of concentration `c` (mcg/mL = ng/uL). */
function primedLine(s: PumpState, c: number): LineSegment[] {
  const ds = deadSpaceNl(s.model);
  return [{ seq: 0, cNg: c, cNl: 1000, inNl: ds, inNg: mulDiv(ds, c, 1000), outNl: 0, outNg: 0 }];
}

/**
 * `out` nL left the reservoir into the tubing, pushing as much out of the catheter tip; the catheter state
 * decides where it went (as in delivery.ts: all to the CSF, half through a partial occlusion, none when
 * disconnected; a full occlusion moves nothing).
 */
export function moveTrueDrug(s: PumpState, out: number): void {
  if (out <= 0) return;
  const d = drain(s.reservoirDrug, out);
  s.reservoirDrug = d.r;
  const line = s.line.map((x) => ({ ...x }));
  const back = line[line.length - 1];
  if (back && back.seq === d.r.seq) {
    back.inNl += out;
    back.inNg += d.ng;
  } else line.push({ seq: d.r.seq, cNg: d.r.ng, cNl: d.r.nl, inNl: out, inNg: d.ng, outNl: 0, outNg: 0 });
  let need = out;
  let exitNg = 0;
  while (need > 0 && line.length > 0) {
    const f = line[0]!;
    const left = f.inNl - f.outNl;
    if (left <= need) {
      need -= left;
      exitNg += f.inNg - f.outNg;
      line.shift();
    } else {
      const outNl = f.outNl + need;
      const total = mulDiv(outNl, f.cNg, f.cNl);
      const outNg = total < f.inNg ? total : f.inNg;
      exitNg += outNg - f.outNg;
      line[0] = { ...f, outNl, outNg };
      need = 0;
    }
  }
  s.line = line;
  let delivered = exitNg;
  if (s.catheter === 'disconnected') delivered = 0;
  else if (s.catheter === 'partialOcclusion') {
    const y = exitNg + s.trueSplitCarry;
    delivered = floorDiv(y, 2);
    s.trueSplitCarry = mod(y, 2);
  }
  s.ledger.trueDeliveredIntrathecalNg += delivered;
  s.ledger.trueCatheterLostNg += exitNg - delivered;
}

/**
 * A refill's truth, after the volumes are done (s.trueNl is the new volume): `withdrawn` nL were aspirated
 * at the old concentration, `into` nL of the syringe's true concentration went in, and the reservoir mixed.
 * A first fill stands for the implant procedure (reservoir rinsed, tubing and catheter primed with the
 * drug): residual and line take the new drug (assumption, docs/clinical-model.md).
 */
export function refillTrueDrug(
  s: PumpState,
  withdrawn: number,
  into: number,
  enteredConcentration: number,
  firstFill: boolean,
): void {
  const c = s.syringeConcentration ?? enteredConcentration;
  s.syringeConcentration = null;
  const seq = s.reservoirDrug.seq + 1;
  if (firstFill) {
    s.reservoirDrug = { seq, ng: mulDiv(s.trueNl, c, 1000), nl: s.trueNl, drainedNl: 0, drainedNg: 0 };
    s.line = primedLine(s, c);
    return;
  }
  const d = drain(s.reservoirDrug, withdrawn);
  const left = d.r.ng - d.r.drainedNg;
  s.reservoirDrug = { seq, ng: left + mulDiv(into, c, 1000), nl: s.trueNl, drainedNl: 0, drainedNg: 0 };
}

/** Bench truth: the drug now in the reservoir has concentration `c` (mcg/mL). */
export function setReservoirConcentration(s: PumpState, c: number): void {
  const seq = s.reservoirDrug.seq + 1;
  s.reservoirDrug = { seq, ng: mulDiv(s.trueNl, c, 1000), nl: s.trueNl, drainedNl: 0, drainedNg: 0 };
}

/** Truth fields for a state saved before the drug truth existed: the entered concentration was true. */
export function defaultTrueDrug(s: PumpState): void {
  if (typeof s.reservoirDrug !== 'object' || s.reservoirDrug === null) {
    s.reservoirDrug = {
      seq: 1,
      ng: mulDiv(s.trueNl, s.concentration, 1000),
      nl: s.trueNl,
      drainedNl: 0,
      drainedNg: 0,
    };
  }
  if (!Array.isArray(s.line)) s.line = primedLine(s, s.concentration);
  if (s.syringeConcentration === undefined) s.syringeConcentration = null;
  if (typeof s.trueSplitCarry !== 'number') s.trueSplitCarry = 0;
  if (typeof s.ledger.trueDeliveredIntrathecalNg !== 'number')
    s.ledger.trueDeliveredIntrathecalNg = s.ledger.deliveredIntrathecalNg;
  if (typeof s.ledger.trueCatheterLostNg !== 'number') s.ledger.trueCatheterLostNg = 0;
}

/** Drug mass in the reservoir now. */
export function reservoirNg(s: PumpState): number {
  return s.reservoirDrug.ng - s.reservoirDrug.drainedNg;
}

/** Concentration (mcg/mL, nearest integer) of `ng` over `nl`. */
export function concentrationOf(ng: number, nl: number): number {
  return nl > 0 ? floorDiv(ng * 2000 + nl, 2 * nl) : 0;
}
