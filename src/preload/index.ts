/**
 * The preload bridge: the renderer sees `window.programmer`, exactly the `ProgrammerBridge` contract (one
 * function per operation, plus onEvent), and nothing of Electron or Node. It runs sandboxed, so it imports
 * only 'electron' at run time (the contract is imported for types only).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ProgrammerBridge, ProgrammerEvent } from '../shared/contract';
import { OPERATION_NAMES } from '../shared/operations';

export const EVENT_CHANNEL = 'programmer:event';

export function buildBridge(
  renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>,
): ProgrammerBridge {
  const bridge: Record<string, unknown> = {};
  for (const op of OPERATION_NAMES) {
    // Only the request crosses: never the IpcRendererEvent or any Electron object.
    bridge[op] = (request: unknown) => renderer.invoke(`programmer:${op}`, request ?? {});
  }
  bridge.onEvent = (listener: (event: ProgrammerEvent) => void) => {
    const wrapped = (_e: IpcRendererEvent, event: ProgrammerEvent) => listener(event);
    renderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      renderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  };
  return Object.freeze(bridge) as unknown as ProgrammerBridge;
}

contextBridge.exposeInMainWorld('programmer', buildBridge(ipcRenderer));
