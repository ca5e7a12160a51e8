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
  /** a[i][j]: coefficient of exp(-k_j t) in state i. */
  a: number[][];
}

/** Coefficients of the exact solution from `x0` under constant inputs `u` (per hour). */
export function solveLinear(sys: LinearSystem, x0: readonly number[], u: readonly number[]): Solution {
  const n = sys.k.length;
  const c = new Array<number>(n).fill(0);
  const a: number[][] = [];
  const incoming: Link[][] = Array.from({ length: n }, () => []);
  for (const l of sys.links) incoming[l.to]!.push(l);
  for (let i = 0; i < n; i += 1) {
    const ki = sys.k[i]!;
    let src = u[i] ?? 0;
    const row = new Array<number>(n).fill(0);
    const drive = new Array<number>(n).fill(0);
    for (const l of incoming[i]!) {
      src += l.gain * c[l.from]!;
      const ap = a[l.from]!;
      for (let j = 0; j < n; j += 1) drive[j]! += l.gain * ap[j]!;
    }
    c[i] = src / ki;
    let sum = 0;
    for (let j = 0; j < n; j += 1) {
      const d = drive[j]!;
      if (d === 0 || j === i) continue;
      // Particular solution of x' = d e^{-k_j t} - k_i x: (d / (k_i - k_j)) e^{-k_j t}.
      row[j] = d / (ki - sys.k[j]!);
      sum += row[j]!;
    }
    row[i] = (x0[i] ?? 0) - c[i]! - sum;
    a.push(row);
  }
  return { k: sys.k, c, a };
}

/** The states `hours` after the start of the solution's interval. */
export function evaluate(sol: Solution, hours: number, out: number[] = []): number[] {
  const n = sol.k.length;
  const e = new Array<number>(n);
  for (let j = 0; j < n; j += 1) e[j] = Math.exp(-sol.k[j]! * hours);
  for (let i = 0; i < n; i += 1) {
    const row = sol.a[i]!;
    let v = sol.c[i]!;
    for (let j = 0; j < n; j += 1) if (row[j] !== 0) v += row[j]! * e[j]!;
    out[i] = v;
  }
  return out;
}
