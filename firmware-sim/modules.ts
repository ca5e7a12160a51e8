/**
 * The two modules the host drives, the pump model (src/device) and the wire protocol (src/protocol), loaded
 * in one place so the host itself depends only on their interfaces.
 */
import type { FrameEvent } from './bench-schema';
import type { HostModules } from './host';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The endpoint's frame report, whatever its exact field names, as the bench stream shows it. */
export function describeFrame(info: unknown): FrameEvent {
  const i = (info ?? {}) as Record<string, unknown>;
  const bytes = i.bytes ?? i.raw ?? i.hex;
  const hex = typeof bytes === 'string' ? bytes : bytes instanceof Uint8Array ? toHex(bytes) : '';
  const dir = i.direction ?? i.dir;
  const error = typeof i.error === 'string' ? i.error : undefined;
  return {
    direction: dir === 'tx' || dir === 'out' ? 'tx' : 'rx',
    at: typeof i.at === 'number' ? i.at : Date.now(),
    hex,
    summary: typeof i.summary === 'string' ? i.summary : error ? `error: ${error}` : '',
    ok: typeof i.ok === 'boolean' ? i.ok : error === undefined,
    ...(error ? { error } : {}),
  };
}

export async function loadModules(): Promise<HostModules> {
  const device = await import('../src/device/index');
  const endpoint = await import('../src/protocol/pump-endpoint');
  const auth = await import('../src/protocol/auth');
  return {
    createPump: device.createPump,
    restorePump: device.restorePump,
    createEndpoint: (o) => endpoint.createPumpEndpoint(o),
    defaultKey: auth.DEFAULT_DEMO_KEY,
    describeFrame,
  };
}
