/**
 * What the device host's two loopback HTTP servers share: the bench API (bench-server.ts) and the bedside
 * API (bedside-server.ts). A per-run bearer token in a file only this user can read; only loopback Host
 * names (a page elsewhere cannot reach us through DNS rebinding); bounded JSON bodies validated with zod;
 * JSON answers that are never cached; a 4xx with a message for every bad request.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { z } from 'zod';

const MAX_BODY = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function writeTokenFile(file: string, token: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.unlinkSync(file); // a fresh inode, so a stale file with looser permissions is not reused
  } catch {
    // did not exist
  }
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(file, 0o600);
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'a JSON body is required');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new HttpError(
      400,
      `invalid body: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      issues,
    );
  }
  return r.data;
}

/** A JSON answer, never cached. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** A route's answer: JSON, or a body of its own type (an HTML debrief). */
export function sendAnswer(
  res: http.ServerResponse,
  out: { status: number; body: unknown; contentType?: string },
): void {
  if (out.contentType) {
    res.writeHead(out.status, { 'content-type': out.contentType, 'cache-control': 'no-store' });
    res.end(String(out.body));
    return;
  }
  sendJson(res, out.status, out.body);
}

/** Only loopback names: a page elsewhere cannot reach us through DNS rebinding. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/**
 * The door of a request: a loopback Host (403), then, when `pagesRefused` says why, no Origin header (a
 * browser page always sends one: 403), then the bearer token (401, with `unauthorized` as the message).
 * Answers the refusal itself and returns false; true when the request may go on.
 */
export function admit(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  door: { port: number; token: string; unauthorized: string; pagesRefused?: string },
): boolean {
  if (!loopbackHost(req.headers.host, door.port)) {
    sendJson(res, 403, { error: 'bad Host header: loopback only' });
    return false;
  }
  if (door.pagesRefused !== undefined && req.headers.origin !== undefined) {
    sendJson(res, 403, { error: door.pagesRefused });
    return false;
  }
  const auth = req.headers.authorization;
  const given = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
  if (!sameToken(given, door.token)) {
    res.setHeader('www-authenticate', 'Bearer');
    sendJson(res, 401, { error: door.unauthorized });
    return false;
  }
  return true;
}

/** Remove the token file, but only while it still holds this server's token (a newer server's is kept). */
export function removeTokenFile(file: string, token: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === token) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

/** A new per-run token (32 random bytes, hex), written to its file for the one who may use it. */
export function newTokenFile(file: string): string {
  const token = randomBytes(32).toString('hex');
  writeTokenFile(file, token);
  return token;
}

/** 405 unless the request's method is one of these. */
export function allowOnly(method: string, path: string, ...methods: string[]): void {
  if (!methods.includes(method))
    throw new HttpError(405, `${method} not allowed on ${path}; use ${methods.join(' or ')}`);
}

/** Listen on 127.0.0.1 (`port` 0: a free one); later errors go to `onError`. Resolves with the port. */
export async function listenLoopback(
  server: http.Server,
  port: number,
  onError?: (e: unknown) => void,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.on('error', (e) => onError?.(e));
  return (server.address() as AddressInfo).port;
}
