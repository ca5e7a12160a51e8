/**
 * The door checks and plain answers shared by the browser host (web-host.ts) and the instructor's door
 * (instructor-relay.ts): a per-run token compared in constant time, the asset cookie derived from it (it
 * opens static files only), static files served from one folder and never outside it, and refusals.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from './csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of our cookie: `name=value` split at the first '=' only, the whole value kept. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq <= 0 || p.slice(0, eq) !== name) continue;
    const v = p.slice(eq + 1);
    return v === '' ? null : v;
  }
  return null;
}

/** The asset cookie's value: HMAC-SHA256(token, label), hex. Opens static files only, never a socket. */
export function assetKey(token: string, label: string): string {
  return createHmac('sha256', token).update(label).digest('hex');
}

/** An answer with the security headers, never cached. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

/** A file under `root` (`rel` already decoded): 403 outside it, 404 when missing; HEAD gets no body. */
export function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  rel: string,
  extra: Record<string, string> = {},
): void {
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return send(res, 403, 'Forbidden\n');
  if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found\n');
  const body = readFileSync(file);
  send(res, 200, req.method === 'HEAD' ? '' : body, MIME[extname(file)] ?? 'application/octet-stream', extra);
}

/** Refuse a WebSocket upgrade with this status line ("403 Forbidden") and close. */
export function refuseUpgrade(socket: Duplex, status: string): void {
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
