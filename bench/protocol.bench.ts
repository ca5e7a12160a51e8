/**
 * In-memory protocol figures: codec throughput for typical and largest frames, MAC cost, and commands per
 * second through PumpClient + PumpEndpoint + the real pump model over a zero-delay in-memory link.
 * Figures only, never a pass/fail (the pty round trip is measured by the host's benchmark).
 */
import { createPump } from '../src/device/index';
import { DEFAULT_DEMO_KEY, deriveSessionKey } from '../src/protocol/session/auth';
import { PumpClient } from '../src/protocol/session/client';
import { buildFrame, FrameDecoder, wrapFrame } from '../src/protocol/link/frame';
import { decodePayload, encodePayload, type Message, messageTypeId } from '../src/protocol/messages/messages';
import { createPumpEndpoint } from '../src/protocol/session/pump-endpoint';

function rate(label: string, n: number, fn: () => void): void {
  for (let i = 0; i < Math.min(n, 200); i++) fn(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(52)} ${((n / ms) * 1000).toFixed(0).padStart(9)} /s  ${((ms / n) * 1000).toFixed(1)} us each`,
  );
}

export default async function run(): Promise<void> {
  const pump = createPump({ model: 'SM2-40', serial: 'NGP000123', startTime: 1_750_000_000 });
  const key = deriveSessionKey(DEFAULT_DEMO_KEY, 1, new Uint8Array(8), new Uint8Array(8));
  const samples: [string, Message, Uint8Array | undefined][] = [
    ['INTERROGATE answer', { kind: 'ack', command: 'INTERROGATE', body: pump.status() }, undefined],
    [
      'COMMIT with MAC',
      { kind: 'command', command: 'COMMIT', body: { token: 42, changeDigest: new Uint8Array(16) } },
      key,
    ],
    [
      'READ_LOG answer, 50 entries x 64-char detail (largest)',
      {
        kind: 'ack',
        command: 'READ_LOG',
        body: {
          entries: Array.from({ length: 50 }, (_, i) => ({
            seq: i,
            time: i,
            kind: 'PROGRAM',
            detail: 'x'.repeat(64),
          })),
          total: 50,
        },
      },
      undefined,
    ],
  ];
  for (const [label, m, k] of samples) {
    const wire = wrapFrame(
      buildFrame({ session: 1, seq: 1, type: messageTypeId(m), payload: encodePayload(m) }, k),
    );
    console.log(`${label}: ${wire.length} bytes on the wire`);
    rate(`  encode ${label}`, 20_000, () => {
      wrapFrame(buildFrame({ session: 1, seq: 1, type: messageTypeId(m), payload: encodePayload(m) }, k));
    });
    const dec = new FrameDecoder();
    rate(`  decode ${label}`, 20_000, () => {
      const r = dec.push(wire)[0]!;
      if (r.ok) decodePayload(r.frame.type, r.frame.payload);
    });
  }

  // Repairs of the status answer, one damaged copy per position: one byte changed, and one byte corrupted
  // into 0x00 (which cuts the frame: at 1% byte corruption about one answer in 300).
  const answer = wrapFrame(
    buildFrame({
      session: 1,
      seq: 1,
      type: messageTypeId(samples[0]![1]),
      payload: encodePayload(samples[0]![1]),
    }),
  );
  for (const [label, value] of [
    ['one byte changed', (b: number) => b ^ 0x5a],
    ['one byte turned into 0x00 (a cut)', () => 0],
  ] as const) {
    const damaged = Array.from({ length: answer.length - 2 }, (_, i) => {
      const w = answer.slice();
      w[i + 1] = value(w[i + 1]!);
      return w;
    });
    const dec = new FrameDecoder();
    let at = 0;
    rate(`  decode INTERROGATE answer, ${label}`, 20_000, () => {
      dec.push(damaged[at]!);
      at = (at + 1) % damaged.length;
    });
  }

  // Garbage between delimiters (line noise, a peer speaking another protocol): each run is tried as a
  // frame with every repair the receiver knows, and must stay cheap. Random non-zero runs of 1..400 bytes,
  // including the lengths a frame can have; goal: at most a few hundred microseconds per run.
  {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const runs = Array.from({ length: 2000 }, () => {
      const run = Uint8Array.from({ length: 1 + Math.floor(rnd() * 400) }, () => 1 + Math.floor(rnd() * 255));
      return Uint8Array.of(...run, 0);
    });
    const dec = new FrameDecoder();
    for (const r of runs.slice(0, 200)) dec.push(r); // warm up
    const times = runs.map((r) => {
      const t0 = performance.now();
      dec.push(r);
      return (performance.now() - t0) * 1000;
    });
    times.sort((a, b) => a - b);
    const at = (q: number): string => times[Math.floor(times.length * q)]!.toFixed(1);
    // Percentiles rather than the mean: on a shared machine a few runs are stretched by other load.
    console.log(
      `garbage run of 1..400 bytes between delimiters     p50 ${at(0.5)} us  p90 ${at(0.9)} us  p99 ${at(0.99)} us  (goal: a few hundred us)`,
    );
  }

  // Commands per second end to end in memory: each write is delivered on the next microtask.
  let endpointReceive: (c: Uint8Array) => void = () => {};
  const toProgrammer = new Set<(c: Uint8Array) => void>();
  const endpoint = createPumpEndpoint({
    pump,
    write: (b) => queueMicrotask(() => toProgrammer.forEach((l) => l(b))),
  });
  endpointReceive = (c) => endpoint.receive(c);
  const client = new PumpClient(
    { write: (b) => queueMicrotask(() => endpointReceive(b)), onData: (cb) => void toProgrammer.add(cb) },
    { programmerId: 'BENCH' },
  );
  await client.openSession();
  for (const [label, op] of [
    ['INTERROGATE round trips', () => client.interrogate()],
    ['KEEPALIVE round trips', () => client.keepalive()],
    ['READ_LOG(0, 50) round trips', () => client.readLog(0, 50)],
  ] as const) {
    const n = 3000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await op();
    const ms = performance.now() - t0;
    console.log(
      `${label.padEnd(52)} ${((n / ms) * 1000).toFixed(0).padStart(9)} /s  ${((ms / n) * 1000).toFixed(1)} us each`,
    );
  }
  await client.closeSession();
  client.dispose();
}
