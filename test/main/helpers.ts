/** Shared helpers for the programmer-service tests: the embedded sim's bench API and polling. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createPump, type Pump } from '../../src/device';
import type { SimReadyLine } from '../../src/main/service/embedded-pump';
import { OpError, toOperationError } from '../../src/main/service/op-error';
import type { OperationError } from '../../src/shared/contract';

export async function bench(
  ready: SimReadyLine,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const token = readFileSync(ready.tokenFile, 'utf8').trim();
  const res = await fetch(`${ready.bench}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain text answer
  }
  return { status: res.status, json };
}

/** Poll until `check` returns a truthy value (or throw with `what` after `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function unwrap<T>(
  r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A fresh pump's first fill: 20 mL of 500 mcg/mL baclofen at 400 mcg/day (one change: refill and therapy). */
export const FIRST_FILL = {
  refill: {
    withdrawnVolumeUl: 0,
    drugName: 'baclofen',
    concentrationMcgPerMl: 500,
    concentrationConfirmMcgPerMl: 500,
    fillVolumeUl: 20_000,
  },
  therapy: { mode: 'continuous' as const, dailyDoseNgPerDay: 400_000 },
};

/** A part's refusal (an OpError thrown by a service part), as the service answers it. */
export async function refusal(p: Promise<unknown>): Promise<OperationError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpError);
  return toOperationError(err);
}

/** A pump model (no host, no wire) filled with 20 mL of 2000 mcg/mL baclofen at 400 mcg/day, at `startTime`. */
export function filledPump(startTime: number): Pump {
  const pump = createPump({ model: 'SM2-20', serial: 'V1', startTime });
  const filled = pump.apply({
    refill: { withdrawnVolumeUl: 0, drugName: 'baclofen', concentrationMcgPerMl: 2000, fillVolumeUl: 20_000 },
    therapy: { mode: 'continuous', dailyDoseNgPerDay: 400_000 },
  });
  expect(filled.ok).toBe(true);
  return pump;
}
