/**
 * Closed-form solution of the patient's linear compartment system between input changes.
 *
 * Every state obeys x_i' = u_i + sum_p g_ip x_p - k_i x_i, where each p comes before i (a lower-triangular
 * system: the CSF feeds the effect site, the effect site feeds adaptation, and so on). With constant inputs
 * over an interval the exact solution is a constant plus a sum of exponentials, one per rate constant:
 *   x_i(t) = c_i + sum_j a_ij exp(-k_j t)
 * so the answer at any time does not depend on how the interval was cut up (the property test checks
 * one jump against one-minute steps). Rate constants along one chain must differ (profiles keep them
 * apart); the coefficients are computed once per interval and evaluated at as many times as needed.
 */

export interface Link {
  to: number;
  from: number;
  gain: number;
}

export interface LinearSystem {
  /** Decay rate of each state, 1/h (all > 0). */
  k: readonly number[];
  /** Couplings, `from` < `to`. */
  links: readonly Link[];
}

export interface Solution {
  k: readonly number[];
  c: number[];
  /** For state i: the modes j with a nonzero coefficient of exp(-k_j t), and those coefficients. */
  modes: number[][];
  coef: number[][];
  scratch?: number[];
}

const incomingOf = new WeakMap<LinearSystem, Link[][]>();

/** Coefficients of the exact solution from `x0` under constant inputs `u` (per hour). */
export function solveLinear(sys: LinearSystem, x0: readonly number[], u: readonly number[]): Solution {
  const n = sys.k.length;
  let incoming = incomingOf.get(sys);
  if (!incoming) {
    incoming = Array.from({ length: n }, () => []);
    for (const l of sys.links) incoming[l.to]!.push(l);
    incomingOf.set(sys, incoming);
  }
  const c = new Array<number>(n);
  const modes: number[][] = [];
  const coef: number[][] = [];
  const drive = new Array<number>(n);
  for (let i = 0; i < n; i += 1) {
    const ki = sys.k[i]!;
    let src = u[i] ?? 0;
    const into = incoming[i]!;
    const used: number[] = [];
    const values: number[] = [];
    let sum = 0;
    if (into.length > 0) {
      drive.fill(0);
      for (const l of into) {
        src += l.gain * c[l.from]!;
        const pm = modes[l.from]!;
        const pc = coef[l.from]!;
        for (let m = 0; m < pm.length; m += 1) drive[pm[m]!]! += l.gain * pc[m]!;
      }
      for (let j = 0; j < i; j += 1) {
        const d = drive[j]!;
        if (d === 0) continue;
        // Particular solution of x' = d e^{-k_j t} - k_i x: (d / (k_i - k_j)) e^{-k_j t}.
        const b = d / (ki - sys.k[j]!);
        used.push(j);
        values.push(b);
        sum += b;
      }
    }
    c[i] = src / ki;
    used.push(i);
    values.push((x0[i] ?? 0) - c[i]! - sum);
    modes.push(used);
    coef.push(values);
  }
  return { k: sys.k, c, modes, coef };
}

/** The states `hours` after the start of the solution's interval. */
export function evaluate(sol: Solution, hours: number, out: number[] = []): number[] {
  const n = sol.k.length;
  const e = sol.scratch ?? (sol.scratch = new Array<number>(n));
  for (let j = 0; j < n; j += 1) e[j] = Math.exp(-sol.k[j]! * hours);
  return combine(sol, e, out);
}

/**
 * The states at `first`, `first + step`, ... hours (count of them), handed to `visit` in order: on an even
 * grid each exponential is the previous one times a constant, so a long interval costs one multiplication
 * per mode and sample instead of one exp.
 */
export function evaluateGrid(
  sol: Solution,
  first: number,
  step: number,
  count: number,
  visit: (x: readonly number[], index: number) => void,
): void {
  const n = sol.k.length;
  const e = new Array<number>(n);
  const f = new Array<number>(n);
  for (let j = 0; j < n; j += 1) {
    e[j] = Math.exp(-sol.k[j]! * first);
    f[j] = Math.exp(-sol.k[j]! * step);
  }
  const x: number[] = [];
  for (let i = 0; i < count; i += 1) {
    // Re-anchored every 64 samples so that rounding cannot accumulate over a long interval.
    if (i > 0 && i % 64 === 0)
      for (let j = 0; j < n; j += 1) e[j] = Math.exp(-sol.k[j]! * (first + i * step));
    visit(combine(sol, e, x), i);
    for (let j = 0; j < n; j += 1) e[j] = e[j]! * f[j]!;
  }
}

function combine(sol: Solution, e: readonly number[], out: number[]): number[] {
  const n = sol.k.length;
  for (let i = 0; i < n; i += 1) {
    const coef = sol.coef[i]!;
    const modes = sol.modes[i]!;
    let v = sol.c[i]!;
    for (let m = 0; m < modes.length; m += 1) v += coef[m]! * e[modes[m]!]!;
    out[i] = v;
  }
  return out;
}
