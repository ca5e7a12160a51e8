/** A small client of the sim's bench API (docs/bench-api.md) for the case handle and the CLI. */
import { readFileSync } from 'node:fs';

export class BenchRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BenchRequestError';
  }
}

export interface BenchClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  text(path: string): Promise<string>;
}

export function benchClient(url: string, tokenFile: string): BenchClient {
  const token = readFileSync(tokenFile, 'utf8').trim();
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      const text = await res.text();
      let msg = text;
      try {
        msg = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // plain text
      }
      throw new BenchRequestError(res.status, `${method} ${path}: ${res.status} ${msg}`);
    }
    return res;
  };
  return {
    get: async <T>(p: string) => (await (await call('GET', p)).json()) as T,
    post: async <T>(p: string, b: unknown) => (await (await call('POST', p, b)).json()) as T,
    text: async (p: string) => (await call('GET', p)).text(),
  };
}
