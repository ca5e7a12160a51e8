/**
 * A clock and timers that move only when the test says so, for code that takes its time by injection
 * (firmware-sim's clock driver, PumpClient): `advance(ms)` fires every timer due on the way in time order,
 * and runs queued immediates (the clock driver's slices) until none is left. No real sleeps.
 */
export function manualTime() {
  let t = 0;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const immediates = new Map<number, () => void>();
  const runImmediates = (): void => {
    for (let guard = 0; immediates.size > 0 && guard < 100_000; guard++) {
      const [id, fn] = [...immediates][0]!;
      immediates.delete(id);
      fn();
    }
  };
  return {
    now: () => t,
    setTimeout: (fn: () => void, ms: number): unknown => (timers.set(next, { at: t + ms, fn }), next++),
    clearTimeout: (h: unknown) => void timers.delete(h as number),
    setImmediate: (fn: () => void): unknown => (immediates.set(next, fn), next++),
    clearImmediate: (h: unknown) => void immediates.delete(h as number),
    advance(ms: number) {
      const end = t + ms;
      runImmediates();
      for (;;) {
        const due = [...timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        t = due[1].at;
        due[1].fn();
        runImmediates();
      }
      t = end;
    },
  };
}
