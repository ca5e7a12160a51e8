/**
 * The serial port as a byte duplex (serialport 13 with its own binding, 115200 8N1), plus the port list and
 * path validation.
 */
import { existsSync, statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { ByteDuplex } from './pump-link';

/** A serial port on serialport's own binding, opened by the caller (`port.open`). */
export function createSerialPort(path: string, baudRate: number): SerialPort {
  return new SerialPort({ path, baudRate, autoOpen: false });
}

export interface Transport extends ByteDuplex {
  readonly path: string;
  close(): Promise<void>;
  /** Called once if the port closes or errors by itself (the peer vanished, the device was unplugged). */
  onClosed(cb: (reason: string) => void): void;
}

export type TransportOpener = (path: string) => Promise<Transport>;

export const BAUD_RATE = 115_200;

/**
 * A typed path must look like a serial device: /dev/tty*, /dev/pts/N, /dev/cu.*, a /tmp symlink made by the
 * sim's --link, or COMn on Windows. Returns an error message, or null if it is acceptable.
 */
export function validatePortPath(path: string, platform: NodeJS.Platform = process.platform): string | null {
  if (path.length === 0 || path.length > 256) return 'The port path must be 1 to 256 characters.';
  if (/[\0\n\r]/.test(path)) return 'The port path contains control characters.';
  if (platform === 'win32') {
    return /^(\\\\\.\\)?COM[1-9][0-9]{0,2}$/i.test(path) ? null : 'On Windows a port is COM1 .. COM999.';
  }
  if (!path.startsWith('/')) return 'The port path must be absolute, e.g. /dev/ttyUSB0.';
  if (path.split('/').includes('..')) return 'The port path must not contain "..".';
  if (!existsSync(path)) return `No such port: ${path}`;
  try {
    if (!statSync(path).isCharacterDevice()) return `${path} is not a serial device.`;
  } catch (err) {
    return `Cannot inspect ${path}: ${(err as Error).message}`;
  }
  return null;
}

export const openSerialTransport: TransportOpener = async (path) => {
  const port = createSerialPort(path, BAUD_RATE);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let closing = false;
  let closedCb: ((reason: string) => void) | null = null;
  let closedReported = false;
  const report = (reason: string) => {
    if (closing || closedReported) return;
    closedReported = true;
    closedCb?.(reason);
  };
  port.on('close', () => report('port closed'));
  // A vanished pty peer surfaces as EIO: never let it become an unhandled 'error' that kills the process.
  port.on('error', (err: Error) => report(err.message));
  return {
    path,
    write(bytes) {
      // A view, not a copy: the client never changes bytes it has handed over.
      if (port.isOpen) port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
    onData(cb) {
      port.on('data', (chunk: Buffer) =>
        cb(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
      );
    },
    onClosed(cb) {
      closedCb = cb;
    },
    async close() {
      closing = true;
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
};

export interface ListedPort {
  path: string;
  manufacturer?: string;
}

export async function listSerialPorts(): Promise<ListedPort[]> {
  const ports = await SerialPort.list();
  return ports.map((p) =>
    p.manufacturer ? { path: p.path, manufacturer: p.manufacturer } : { path: p.path },
  );
}
