/**
 * IPC: one `programmer:<op>` handler per contract operation. Each checks that the sender is our own
 * renderer's main frame, validates the payload with the contract's schema, and only then calls the service.
 * Events go back with webContents.send on one channel.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  OPERATIONS,
  type OperationName,
  type ProgrammerApi,
  type ProgrammerEvent,
  type Result,
} from '../shared/contract';
import { dispatch } from './dispatch';

export const CHANNEL_PREFIX = 'programmer:';
export const EVENT_CHANNEL = 'programmer:event';

export function channelOf(op: OperationName): string {
  return `${CHANNEL_PREFIX}${op}`;
}

export type SenderCheck = (url: string) => boolean;

/** The frame that sent the message, if it is a top-level frame whose URL is ours. */
export function isTrustedSender(event: IpcMainInvokeEvent, isAppUrl: SenderCheck): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  // Only the top-level document: an embedded frame of any origin must not drive the pump.
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

const FOREIGN_SENDER: Result<never> = {
  ok: false,
  error: { code: 'BAD_REQUEST', message: 'Refused: the request did not come from the programmer window.' },
};

/** Register every handler; returns a function that removes them (tests, hot reload). */
export function registerIpc(ipcMain: IpcMain, api: ProgrammerApi, isAppUrl: SenderCheck): () => void {
  for (const op of OPERATIONS) {
    ipcMain.handle(channelOf(op), async (event, payload: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) return FOREIGN_SENDER;
      return dispatch(api, op, payload);
    });
  }
  return () => {
    for (const op of OPERATIONS) ipcMain.removeHandler(channelOf(op));
  };
}

/** Forward service events to a window's renderer (dropped once the window is gone). */
export function forwardEvents(
  subscribe: (listener: (e: ProgrammerEvent) => void) => () => void,
  contents: WebContents,
): () => void {
  const unsubscribe = subscribe((event) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
  contents.once('destroyed', unsubscribe);
  return unsubscribe;
}
