/**
 * A small seeded PRNG (mulberry32, the same generator as firmware-sim/prng.ts, copied so that the pure
 * patient model imports nothing from the host): the variability between patients must be reproducible
 * from a seed, which Math.random cannot give.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
