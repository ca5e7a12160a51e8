/**
 * serialport's binding with reads and writes done on the event loop's own thread (Linux and macOS).
 *
 * serialport's Unix binding reads with an asynchronous `fs.read` (a round trip through libuv's thread pool)
 * before it knows whether data is there, so every chunk costs two thread-pool round trips and an EAGAIN
 * error object with a stack trace; every write costs one more. Here a read first waits for the fd to be
 * readable (the binding's own poller, the same epoll), then reads with `readSync`; a write tries
 * `writeSync` and waits for writability only when the line is full. The fd is opened non-blocking by the
 * binding, so neither call ever blocks the event loop. On a 2-vCPU machine this halves the round trip of a
 * command (bench/link.bench.ts measures it) and removes the thread-pool wake-ups from its tail.
 *
 * Opening, settings, flow control and closing stay the base binding's. Other platforms (Windows) get the
 * base binding unchanged.
 */
import fs from 'node:fs';
import { SerialPort } from 'serialport';

type Binding = typeof SerialPort.binding;
type OpenOptions = Parameters<Binding['open']>[0];
type BoundPort = Awaited<ReturnType<Binding['open']>>;

/** The part of bindings-cpp's LinuxPortBinding / DarwinPortBinding this module relies on. */
interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  poller: {
    once(event: 'readable' | 'writable', cb: (err: Error | null) => void): unknown;
  };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  /** The base binding's drain() waits for this before tcdrain. */
  writeOperation: Promise<void> | null;
}

type LineError = NodeJS.ErrnoException & { disconnect?: boolean; canceled?: boolean };

const retryable = (e: LineError): boolean =>
  e.code === 'EAGAIN' || e.code === 'EWOULDBLOCK' || e.code === 'EINTR';

/** As bindings-cpp marks them: errors that mean the device is gone (the stream then closes the port). */
function markDisconnect(e: LineError): LineError {
  if (e.code === 'EBADF' || e.code === 'ENXIO' || e.code === 'UNKNOWN' || e.errno === -1) e.disconnect = true;
  return e;
}

const notOpen = (): LineError => Object.assign(new Error('Port is not open'), { canceled: true });

function isUnixPort(p: unknown): p is UnixPort {
  const u = p as Partial<UnixPort> | null;
  return (
    typeof u?.fd === 'number' &&
    typeof u.poller?.once === 'function' &&
    typeof u.read === 'function' &&
    typeof u.write === 'function'
  );
}

function wait(port: UnixPort, event: 'readable' | 'writable'): Promise<void> {
  return new Promise((resolve, reject) => port.poller.once(event, (err) => (err ? reject(err) : resolve())));
}

async function readDirect(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw notOpen();
    // Readiness first: level-triggered, so bytes already waiting fire it at once.
    await wait(port, 'readable');
    if (!port.isOpen || port.fd === null) throw notOpen();
    let n: number;
    try {
      n = fs.readSync(port.fd, buffer, offset, length, null);
    } catch (e) {
      const err = e as LineError;
      if (retryable(err)) continue; // readiness was spurious
      throw markDisconnect(err);
    }
    if (n > 0) return { buffer, bytesRead: n };
    // Readable with nothing to read is end of file: the other end hung up. Reported as a disconnect (the
    // stream closes the port) rather than read again, which would spin.
    throw Object.assign(new Error('The other end closed the serial line'), { disconnect: true });
  }
}

async function writeDirect(port: UnixPort, buffer: Buffer): Promise<void> {
  let off = 0;
  while (off < buffer.length) {
    if (!port.isOpen || port.fd === null) throw new Error('Port is not open');
    try {
      off += fs.writeSync(port.fd, buffer, off, buffer.length - off);
    } catch (e) {
      const err = e as LineError;
      if (!retryable(err)) throw markDisconnect(err);
      await wait(port, 'writable'); // the line's output buffer is full
    }
  }
}

/** `base` (serialport's detected binding by default) with direct reads and writes where it can. */
export function directIoBinding(base: Binding = SerialPort.binding): Binding {
  return {
    list: () => base.list(),
    async open(options: OpenOptions): Promise<BoundPort> {
      const port: unknown = await base.open(options);
      if (!isUnixPort(port)) return port as BoundPort;
      port.read = (buffer, offset, length) => readDirect(port, buffer, offset, length);
      port.write = (buffer) => {
        const op = writeDirect(port, buffer).finally(() => {
          if (port.writeOperation === op) port.writeOperation = null;
        });
        port.writeOperation = op;
        return op;
      };
      return port as BoundPort;
    },
  } as Binding;
}

/** A SerialPort (not yet open) on `path` at `baudRate`, 8N1, using directIoBinding(). */
export function createSerialPort(path: string, baudRate: number): SerialPort {
  return new SerialPort({ path, baudRate, autoOpen: false, binding: directIoBinding() });
}
