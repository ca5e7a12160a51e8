import { describe, expect, it } from 'vitest';
import {
  createLinkFaultInjector,
  MAX_DELAYED_BYTES,
  MAX_HELD_RUN_BYTES,
} from '../../firmware-sim/link-faults';
import { NO_LINK_FAULTS, linkFaultsPatchSchema, linkFaultsSchema } from '../../firmware-sim/bench-schema';

/** Frames as the protocol sends them: 0x00, body without zeros, 0x00. */
function frames(n: number, len = 20): Uint8Array[] {
  return Array.from({ length: n }, (_, k) =>
    Uint8Array.from([0, ...Array.from({ length: len }, (_, j) => ((k * 31 + j) % 255) + 1), 0]),
  );
}
const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
/** Split a byte stream back into non-empty frame bodies. */
const bodies = (bytes: Uint8Array): string[] => {
  const out: string[] = [];
  let cur: number[] = [];
  for (const b of bytes) {
    if (b === 0) {
      if (cur.length > 0) out.push(Buffer.from(cur).toString('hex'));
      cur = [];
    } else cur.push(b);
  }
  return out;
};

function harness(seed = 7) {
  const toEndpoint: Uint8Array[] = [];
  const toPort: Uint8Array[] = [];
  const inj = createLinkFaultInjector({
    seed,
    // Copies: delivered bytes may be the injector's scratch buffer, valid only during the call.
    toEndpoint: (b) => toEndpoint.push(b.slice()),
    toPort: (b) => toPort.push(b.slice()),
  });
  return { inj, toEndpoint, toPort };
}

describe('link-fault injector', () => {
  it('passes bytes through untouched and synchronously on a clean link', () => {
    const { inj, toEndpoint, toPort } = harness();
    const all = new Uint8Array(256).map((_, i) => i);
    inj.inbound.push(all);
    inj.outbound.push(all.subarray(0, 10));
    expect(concat(toEndpoint)).toEqual(all);
    expect(concat(toPort)).toEqual(all.subarray(0, 10));
  });

  it('drops, duplicates and corrupts at roughly the configured rates, reproducibly from the seed', () => {
    const run = (seed: number) => {
      const { inj, toEndpoint } = harness(seed);
      inj.set({ ...NO_LINK_FAULTS, dropRate: 0.1, duplicateRate: 0.1, corruptionRate: 0.01 });
      for (const f of frames(2000)) inj.inbound.push(f);
      return { out: concat(toEndpoint), stats: inj.inbound.stats() };
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(a.out).toEqual(b.out);
    expect(a.out).not.toEqual(c.out);
    expect(a.stats.framesDropped).toBeGreaterThan(120);
    expect(a.stats.framesDropped).toBeLessThan(280);
    expect(a.stats.framesDuplicated).toBeGreaterThan(120);
    expect(a.stats.framesDuplicated).toBeLessThan(280);
    // 2000 frames x 22 bytes, plus duplicates, at 1%.
    expect(a.stats.bytesCorrupted).toBeGreaterThan(250);
    expect(a.stats.bytesCorrupted).toBeLessThan(700);
  });

  it('corrupts each byte independently at the configured rate, whatever the chunking', () => {
    // 400 000 bytes in chunks of 1..97 bytes: the count is binomial (n p, n p (1-p)); each position in a
    // chunk (first byte, others) is hit at the same rate, so the skip count carries across chunks.
    for (const rate of [0.01, 0.2]) {
      const { inj, toEndpoint } = harness(11);
      inj.set({ ...NO_LINK_FAULTS, corruptionRate: rate });
      const sent: Uint8Array[] = [];
      let total = 0;
      for (let k = 0; total < 400_000; k++) {
        const chunk = new Uint8Array(1 + ((k * 37) % 97)).fill(0x55);
        sent.push(chunk);
        total += chunk.length;
        inj.inbound.push(chunk);
      }
      let hit = 0;
      let firstHit = 0;
      toEndpoint.forEach((c, i) => {
        expect(c.length).toBe(sent[i]!.length);
        c.forEach((b, j) => {
          if (b !== 0x55) {
            hit++;
            if (j === 0) firstHit++;
          }
        });
      });
      const sd = Math.sqrt(total * rate * (1 - rate));
      expect(Math.abs(hit - total * rate)).toBeLessThan(5 * sd);
      expect(inj.inbound.stats().bytesCorrupted).toBe(hit);
      const firsts = sent.length;
      expect(Math.abs(firstHit - firsts * rate)).toBeLessThan(5 * Math.sqrt(firsts * rate * (1 - rate)) + 1);
    }
  });

  it('never changes the bytes it is given, corrupted or not', () => {
    const { inj, toEndpoint } = harness(5);
    inj.set({ ...NO_LINK_FAULTS, corruptionRate: 0.3 });
    const chunk = new Uint8Array(200).fill(0x55);
    for (let i = 0; i < 20; i++) inj.inbound.push(chunk);
    expect(chunk.every((b) => b === 0x55)).toBe(true);
    expect(toEndpoint.some((c) => c.some((b) => b !== 0x55))).toBe(true);
  });

  it('drops only whole frames: every delivered frame is intact when only drops and duplicates are on', () => {
    const { inj, toEndpoint } = harness(3);
    inj.set({ ...NO_LINK_FAULTS, dropRate: 0.3, duplicateRate: 0.3 });
    const sent = frames(250); // bodies repeat with period 255
    const valid = new Set(sent.map((f) => bodies(f)[0]));
    // Feed in awkward chunk sizes: frame boundaries must not depend on chunking.
    const stream = concat(sent);
    for (let i = 0; i < stream.length; i += 7) inj.inbound.push(stream.subarray(i, i + 7));
    const got = bodies(concat(toEndpoint));
    expect(got.length).toBeGreaterThan(120);
    for (const g of got) expect(valid.has(g)).toBe(true);
    // Order is kept: indices of delivered frames never go backwards.
    const order = sent.map((f) => bodies(f)[0]);
    const idx = got.map((g) => order.indexOf(g!));
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThanOrEqual(idx[i - 1]!);
  });

  it('disconnected: nothing passes either way, and the link works again after reconnecting', () => {
    const { inj, toEndpoint, toPort } = harness();
    inj.set({ ...NO_LINK_FAULTS, disconnected: true });
    inj.inbound.push(Uint8Array.from([1, 2, 3]));
    inj.outbound.push(Uint8Array.from([4, 5, 6]));
    expect(toEndpoint).toHaveLength(0);
    expect(toPort).toHaveLength(0);
    inj.set({ ...NO_LINK_FAULTS });
    inj.inbound.push(Uint8Array.from([7]));
    expect(concat(toEndpoint)).toEqual(Uint8Array.from([7]));
  });

  it('adds latency and paces bytes at baud/10 per second, in order', async () => {
    const { inj, toPort } = harness();
    inj.set({ ...NO_LINK_FAULTS, latencyMs: 30, baud: 9600 });
    const t0 = performance.now();
    const data = new Uint8Array(96).fill(1); // 96 bytes at 960 B/s = 100 ms on the line
    inj.outbound.push(data.subarray(0, 48));
    inj.outbound.push(data.subarray(48));
    expect(toPort).toHaveLength(0);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (toPort.length === 2) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    // Lower bound only (a loaded machine may be later, never earlier): line time + latency.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(125);
    expect(concat(toPort)).toEqual(data);
  });

  /** Injected time: the injector's timers run when the test says so. */
  function timed(seed = 7) {
    let now = 0;
    const due: { at: number; fn: () => void; id: number }[] = [];
    let ids = 0;
    const timers = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const id = ++ids;
        due.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimeout: (h: unknown) => {
        const i = due.findIndex((d) => d.id === h);
        if (i >= 0) due.splice(i, 1);
      },
    };
    const toEndpoint: Uint8Array[] = [];
    const inj = createLinkFaultInjector({
      seed,
      toEndpoint: (b) => toEndpoint.push(b.slice()),
      toPort: () => undefined,
      timers,
    });
    const advance = (ms: number) => {
      now += ms;
      for (;;) {
        const next = due.filter((d) => d.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        due.splice(due.indexOf(next), 1);
        next.fn();
      }
    };
    return { inj, toEndpoint, advance };
  }

  it('holds at most one frame-length run for frame faults: endless noise without a delimiter is discarded, counted', () => {
    const { inj, toEndpoint } = harness();
    inj.set({ ...NO_LINK_FAULTS, dropRate: 0.01 });
    const noise = new Uint8Array(64 * 1024).fill(0x55);
    for (let i = 0; i < 32; i++) inj.inbound.push(noise); // 2 MiB without a single 0x00
    const st = inj.inbound.stats();
    expect(st.bytesQueued).toBeLessThanOrEqual(MAX_HELD_RUN_BYTES);
    expect(st.bytesOverlong).toBe(2 * 1024 * 1024);
    // The next frame after the noise's end still goes through intact.
    const [f] = frames(1);
    inj.inbound.push(Uint8Array.of(0));
    inj.inbound.push(f!);
    expect(bodies(concat(toEndpoint))).toEqual(bodies(f!));
  });

  it('delays at most MAX_DELAYED_BYTES; beyond it new bytes are an overrun, counted', () => {
    const { inj, advance, toEndpoint } = timed();
    inj.set({ ...NO_LINK_FAULTS, latencyMs: 1000 });
    const chunk = new Uint8Array(1024).fill(7);
    for (let i = 0; i < 1024; i++) inj.inbound.push(chunk); // 1 MiB within one second of latency
    const st = inj.inbound.stats();
    expect(st.bytesQueued).toBeLessThanOrEqual(MAX_DELAYED_BYTES);
    expect(st.bytesOverrun).toBe(1024 * 1024 - MAX_DELAYED_BYTES);
    advance(1000);
    expect(concat(toEndpoint).length).toBe(MAX_DELAYED_BYTES);
    expect(inj.inbound.stats().bytesQueued).toBe(0);
  });

  it('a baud change applies to what is already queued', () => {
    const { inj, advance, toEndpoint } = timed();
    inj.set({ ...NO_LINK_FAULTS, baud: 1200 });
    for (const f of frames(10, 118)) inj.inbound.push(f); // 1200 bytes: 10 s at 1200 baud
    advance(1000);
    expect(toEndpoint.length).toBeLessThan(2);
    inj.set({ ...NO_LINK_FAULTS }); // back to an unpaced line: the backlog leaves at once
    advance(0);
    expect(concat(toEndpoint).length).toBe(1200);
    // And a faster baud paces the rest at the new speed.
    const r = timed();
    r.inj.set({ ...NO_LINK_FAULTS, baud: 1200 });
    for (const f of frames(10, 118)) r.inj.inbound.push(f);
    r.inj.set({ ...NO_LINK_FAULTS, baud: 120_000 }); // 100x faster: 1200 bytes in 100 ms
    r.advance(101);
    expect(concat(r.toEndpoint).length).toBe(1200);
  });

  it('schemas refuse rates outside 0..1 and unknown fields; the patch schema takes subsets', () => {
    expect(linkFaultsSchema.safeParse({ ...NO_LINK_FAULTS, dropRate: 1.5 }).success).toBe(false);
    expect(linkFaultsPatchSchema.safeParse({ corruptionRate: -0.1 }).success).toBe(false);
    expect(linkFaultsPatchSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(linkFaultsPatchSchema.safeParse({ latencyMs: 5 }).success).toBe(true);
  });
});
