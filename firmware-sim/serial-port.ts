/**
 * The pump's end of the telemetry line: a virtual serial port (a pty made by node-pty's `open()`, no system
 * packages) or a real one (serialport). Both look the same to the host: bytes in, bytes out, never an
 * exception from the line (a programmer that vanishes must not take the pump down).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

/** What the port's transmit side did with the bytes it was given. */
export interface PortStats {
  /** Bytes waiting to be written (the line is not read fast enough, or not at all). */
  queuedBytes: number;
  /**
   * Writes dropped whole because the transmit queue was full (MAX_TX_QUEUE_BYTES): as a real UART's
   * buffer overruns, the newest is lost; the programmer's retry recovers what mattered.
   */
  droppedWrites: number;
  droppedBytes: number;
}

/**
 * The most bytes the virtual port holds for a programmer that is not reading (beyond what the pty itself
 * buffers): about a second of a fast serial line, far more than any answer a waiting programmer still
 * wants. A flood answered into a line nobody reads costs this much memory, and a programmer that starts
 * reading afterwards waits for this much stale output at most.
 */
export const MAX_TX_QUEUE_BYTES = 64 * 1024;

export interface HostPort {
  /** The path a programmer opens (e.g. /dev/pts/3), or the real device path. */
  readonly path: string;
  write(bytes: Uint8Array): void;
  stats(): PortStats;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Non-fatal line trouble (EIO when a reader vanishes, write errors): reported, never thrown. */
  onError(listener: (e: Error) => void): void;
  close(): Promise<void>;
}

// node-pty's typings declare only `spawn`; `open()` and these private fields are what we use (see
// /work/shared/reference/toolchain.md).
interface PtyOpenResult {
  _pty: string;
  _fd: number;
  _master: NodeJS.ReadStream & { destroy(): void };
  _slave: (NodeJS.ReadStream & { setRawMode(raw: boolean): void; destroy(): void }) | null;
  on(event: 'error', listener: (e: Error) => void): void;
}
interface NodePtyModule {
  open(opts: { encoding: null; cols?: number; rows?: number }): PtyOpenResult;
}

const require = createRequire(import.meta.url);

/** Open a pty and hold its slave so programmers can come and go; optionally symlink it at `link`. */
export function openVirtualPort(
  opts: { link?: string | null } = {},
): HostPort & { readonly link: string | null } {
  const pty = require('node-pty') as NodePtyModule;
  const t = pty.open({ encoding: null });
  const dataListeners: ((b: Uint8Array) => void)[] = [];
  const errorListeners: ((e: Error) => void)[] = [];
  const report = (e: Error): void => errorListeners.forEach((l) => l(e));
  // Without a second 'error' listener node-pty rethrows EIO from the master socket and kills us.
  t.on('error', report);
  t._master.on('error', report);

  // Raw mode before any programmer opens it: no echo of our replies back to ourselves, no line editing,
  // no CR/LF translation; all 256 byte values pass.
  t._slave?.setRawMode(true);
  // Our own slave fd, never read: while it is open the pty survives a programmer closing the port, and a
  // second programmer can open the same path. node-pty's reader on the slave would steal the programmer's
  // bytes, so it goes.
  const keepSlaveFd = fs.openSync(t._pty, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  t._slave?.destroy();
  t._slave = null;

  t._master.on('data', (d: Buffer) => {
    const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    dataListeners.forEach((l) => l(bytes));
  });

  // Writes go straight to the master fd, in order, retrying on EAGAIN (the fd is non-blocking and the
  // stream's own writer busy-loops on large writes).
  const queue: Buffer[] = [];
  let queuedBytes = 0;
  let droppedWrites = 0;
  let droppedBytes = 0;
  let writing = false;
  let closed = false;
  const drain = (): void => {
    if (writing || closed) return;
    const buf = queue[0];
    if (!buf) return;
    writing = true;
    fs.write(t._fd, buf, 0, buf.length, null, (err, written) => {
      writing = false;
      if (closed) return;
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          setTimeout(drain, 1);
          return;
        }
        queue.length = 0; // the line is gone; the programmer will retry after it reopens
        queuedBytes = 0;
        report(err);
        return;
      }
      queuedBytes -= written;
      if (written < buf.length) queue[0] = buf.subarray(written);
      else queue.shift();
      drain();
    });
  };

  let link: string | null = null;
  if (opts.link) {
    try {
      fs.unlinkSync(opts.link);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.symlinkSync(t._pty, opts.link);
    link = opts.link;
  }

  return {
    path: t._pty,
    link,
    write(bytes) {
      if (closed || bytes.length === 0) return;
      if (queue.length === 0 && !writing) {
        // Nothing queued: try the write now (the fd is non-blocking), the thread pool only for what is left.
        let written = 0;
        try {
          written = fs.writeSync(t._fd, bytes);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
            report(e as Error);
            return;
          }
        }
        if (written === bytes.length) return;
        bytes = bytes.subarray(written);
      }
      if (queuedBytes + bytes.length > MAX_TX_QUEUE_BYTES) {
        droppedWrites++;
        droppedBytes += bytes.length;
        return;
      }
      queue.push(Buffer.from(bytes));
      queuedBytes += bytes.length;
      drain();
    },
    stats: () => ({ queuedBytes, droppedWrites, droppedBytes }),
    onData: (l) => void dataListeners.push(l),
    onError: (l) => void errorListeners.push(l),
    async close() {
      if (closed) return;
      closed = true;
      if (link) {
        try {
          if (fs.readlinkSync(link) === t._pty) fs.unlinkSync(link);
        } catch {
          // already gone
        }
      }
      t._master.destroy();
      try {
        fs.closeSync(keepSlaveFd);
      } catch {
        // already closed
      }
    },
  };
}

/** Attach to a real serial port (the pump end of a cable or a null-modem pair). */
export async function openRealPort(path: string, baudRate = 115200): Promise<HostPort> {
  const { SerialPort } = await import('serialport');
  const sp = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => sp.open((err) => (err ? reject(err) : resolve())));
  const errorListeners: ((e: Error) => void)[] = [];
  sp.on('error', (e: Error) => errorListeners.forEach((l) => l(e)));
  let droppedWrites = 0;
  let droppedBytes = 0;
  return {
    path,
    write(bytes) {
      // serialport queues without limit: refuse beyond the same bound as the virtual port.
      if (sp.writableLength + bytes.length > MAX_TX_QUEUE_BYTES) {
        droppedWrites++;
        droppedBytes += bytes.length;
        return;
      }
      sp.write(Buffer.from(bytes));
    },
    stats: () => ({ queuedBytes: sp.writableLength, droppedWrites, droppedBytes }),
    onData: (l) => void sp.on('data', (d: Buffer) => l(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))),
    onError: (l) => void errorListeners.push(l),
    close: () => new Promise<void>((resolve) => (sp.isOpen ? sp.close(() => resolve()) : resolve())),
  };
}
