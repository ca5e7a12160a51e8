/**
 * A raw pty echo for the link benchmark's baseline: the same kind of virtual port as the sim, in its own
 * process, answering every `request` bytes received with `reply` bytes, and nothing else (no framing,
 * no pump). Usage: tsx firmware-sim/echo-port.ts REQUEST_BYTES REPLY_BYTES ; prints {"port": path}.
 */
import { openVirtualPort } from './serial-port';

const request = Number(process.argv[2]);
const reply = Number(process.argv[3]);
if (!Number.isInteger(request) || request < 1 || !Number.isInteger(reply) || reply < 1) {
  process.stderr.write('usage: echo-port.ts REQUEST_BYTES REPLY_BYTES\n');
  process.exit(2);
}
const port = openVirtualPort();
const answer = new Uint8Array(reply).fill(0x55);
let got = 0;
port.onData((b) => {
  got += b.length;
  while (got >= request) {
    got -= request;
    port.write(answer);
  }
});
port.onError(() => undefined);
const quit = (): void => void port.close().then(() => process.exit(0));
process.on('SIGTERM', quit);
// The bench holds a pipe on our stdin: when it goes (even killed), so do we.
process.stdin.on('data', () => undefined);
process.stdin.once('end', quit);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ port: port.path })}\n`);
