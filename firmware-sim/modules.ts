/**
 * The two modules the host drives, the pump model (src/device) and the wire protocol (src/protocol), loaded
 * in one place so the host itself depends only on their interfaces.
 */
import type { FrameEvent } from './bench-schema';
import type { HostModules } from './host';
import type { FrameInfo } from '../src/protocol/messages/messages';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The endpoint's frame report as the bench stream shows it (bytes as hex, the message as its summary). */
export function describeFrame(info: FrameInfo): FrameEvent {
  return {
    direction: info.direction,
    atMs: info.at,
    hex: toHex(info.bytes),
    summary: info.summary !== '' ? info.summary : info.error !== null ? `error: ${info.error}` : '',
    ok: info.error === null,
    ...(info.error !== null ? { error: info.error } : {}),
  };
}

export async function loadModules(): Promise<HostModules> {
  const device = await import('../src/device/index');
  const endpoint = await import('../src/protocol/session/pump-endpoint');
  const auth = await import('../src/protocol/session/auth');
  return {
    createPump: device.createPump,
    restorePump: device.restorePump,
    createEndpoint: (o) => endpoint.createPumpEndpoint(o),
    defaultKey: auth.DEFAULT_DEMO_KEY,
    describeFrame,
  };
}
