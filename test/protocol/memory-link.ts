/**
 * An in-memory byte duplex between a programmer and a pump endpoint, with a seeded fault injector per
 * direction: corruption (one byte flipped per corrupted write, and/or each byte independently), drops and
 * duplicates of whole writes, and delivery delay.
 */
import type { ByteLink } from '../../src/protocol/session/client';

export interface Faults {
  /** Probability that a write has one of its bytes changed. */
  corrupt?: number;
  /** Probability that each byte is changed (independently, like the bench's corruptionRate). */
  corruptBytes?: number;
  drop?: number;
  duplicate?: number;
  /** Maximum extra delay in ms (uniform 0..delayMs); 0 delivers on the next macrotask. */
  delayMs?: number;
}

/** Small deterministic PRNG (mulberry32) so a failing soak can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Pipe {
  /** The programmer's side of the link. */
  programmer: ByteLink;
  /** Connect the pump side: bytes from the programmer go to `receive`. Returns the pump's write. */
  attachPump(receive: (chunk: Uint8Array) => void): (bytes: Uint8Array) => void;
  faults: { toPump: Faults; toProgrammer: Faults };
  /** Deterministic per-write decisions for targeted tests; return 'drop' to lose this write. */
  intercept: {
    toPump?: (bytes: Uint8Array) => 'drop' | 'pass';
    toProgrammer?: (bytes: Uint8Array) => 'drop' | 'pass';
  };
  /** Every write the programmer made (a tap for replay attacks). */
  programmerWrites: Uint8Array[];
  counts: { corrupted: number; bytesCorrupted: number; dropped: number; duplicated: number };
}

export function createPipe(seed = 1): Pipe {
  const rnd = prng(seed);
  const counts = { corrupted: 0, bytesCorrupted: 0, dropped: 0, duplicated: 0 };
  const faults = { toPump: {} as Faults, toProgrammer: {} as Faults };
  const programmerListeners = new Set<(c: Uint8Array) => void>();
  let pumpReceive: ((c: Uint8Array) => void) | null = null;

  const intercept: Pipe['intercept'] = {};
  const programmerWrites: Uint8Array[] = [];

  function transmit(
    bytes: Uint8Array,
    f: Faults,
    deliver: (c: Uint8Array) => void,
    hook?: (b: Uint8Array) => 'drop' | 'pass',
  ): void {
    if (hook?.(bytes) === 'drop') {
      counts.dropped++;
      return;
    }
    if (f.drop && rnd() < f.drop) {
      counts.dropped++;
      return;
    }
    const data = bytes.slice();
    if (f.corrupt && rnd() < f.corrupt) {
      counts.corrupted++;
      const i = Math.floor(rnd() * data.length);
      data[i] = data[i]! ^ (1 + Math.floor(rnd() * 255));
    }
    if (f.corruptBytes) {
      for (let i = 0; i < data.length; i++) {
        if (rnd() < f.corruptBytes) {
          counts.bytesCorrupted++;
          data[i] = data[i]! ^ (1 + Math.floor(rnd() * 255));
        }
      }
    }
    const copies = f.duplicate && rnd() < f.duplicate ? 2 : 1;
    if (copies === 2) counts.duplicated++;
    for (let k = 0; k < copies; k++) {
      const delay = f.delayMs ? rnd() * f.delayMs : 0;
      const copy = data;
      setTimeout(() => deliver(copy), delay);
    }
  }

  return {
    faults,
    counts,
    intercept,
    programmerWrites,
    programmer: {
      write: (bytes) => {
        programmerWrites.push(bytes.slice());
        transmit(bytes, faults.toPump, (c) => pumpReceive?.(c), intercept.toPump);
      },
      onData: (cb) => {
        programmerListeners.add(cb);
        return () => programmerListeners.delete(cb);
      },
    },
    attachPump(receive) {
      pumpReceive = receive;
      return (bytes) =>
        transmit(
          bytes,
          faults.toProgrammer,
          (c) => {
            for (const l of programmerListeners) l(c);
          },
          intercept.toProgrammer,
        );
    },
  };
}
