/** A real pump model, its protocol endpoint and a programmer client joined by an in-memory link. */
import { createPump } from '../../src/device/index';
import type { ProgramChange } from '../../src/device/types';
import { PumpClient, type PumpClientOptions } from '../../src/protocol/session/client';
import { FrameDecoder } from '../../src/protocol/link/frame';
import type { FrameInfo } from '../../src/protocol/messages/messages';
import { createPumpEndpoint, type PumpEndpointOptions } from '../../src/protocol/session/pump-endpoint';
import { createPipe } from './memory-link';

export const T0 = 1_750_000_000;

/** A first refill and a continuous therapy: what a fresh pump needs before it can infuse. */
export const FIRST_FILL: ProgramChange = {
  refill: { withdrawnVolumeUl: 0, drugName: 'Baclofen', concentrationMcgPerMl: 2000, fillVolumeUl: 40000 },
  therapy: { mode: 'continuous', dailyDoseNgPerDay: 300000 },
};

/**
 * Timeouts are generous (200 ms) so that a loaded CI machine never causes a spurious retransmission in the
 * tests that count frames exactly; the soak sets its own short timeout.
 */
export function setup(
  o: { seed?: number; client?: Partial<PumpClientOptions>; endpoint?: Partial<PumpEndpointOptions> } = {},
) {
  const pipe = createPipe(o.seed ?? 1);
  const pump = createPump({ model: 'SM2-40', serial: 'NGP000123', startTime: T0 });
  const clock = { ms: 0 };
  const frames: FrameInfo[] = [];
  const endpoint = createPumpEndpoint({
    pump,
    write: pipe.attachPump((c) => endpoint.receive(c)),
    now: () => clock.ms,
    onFrame: (f) => frames.push(f),
    ...o.endpoint,
  });
  pump.subscribe((n) => endpoint.notify(n));
  const client = new PumpClient(pipe.programmer, {
    programmerId: 'CLINIC-A',
    timeoutMs: 200,
    retries: 8,
    ...o.client,
  });
  const another = (programmerId: string, extra: Partial<PumpClientOptions> = {}) =>
    new PumpClient(pipe.programmer, { programmerId, timeoutMs: 200, retries: 3, ...extra });
  /** Answers the endpoint sent, as summaries ("ACK STOP", "NAK STOP UNAUTHENTICATED", ...). */
  const sent = () => frames.filter((f) => f.direction === 'tx').map((f) => f.summary);
  return { pipe, pump, endpoint, client, clock, frames, sent, another };
}

/** Type id of a wire write (0x00 FEC(frame) 0x00), or null. */
export function typeOfWrite(bytes: Uint8Array): number | null {
  // Decode through the receivers' own path.
  const r = new FrameDecoder().push(bytes)[0];
  return r?.ok ? r.frame.type : null;
}

export const tick = () => new Promise((r) => setTimeout(r, 5));
