/**
 * A noisy-link soak in memory: thousands of commands through corruption, drops, duplicates and reordering
 * delay in both directions. Nothing may be lost (every call resolves), nothing applied twice (program
 * versions and log entries count exactly the commits and stops), and the final read-back is what was
 * intended. SOAK=long runs ten times as many commands.
 */
import { describe, expect, it } from 'vitest';
import type { TherapyRequest } from '../../src/device/types';
import { FIRST_FILL, setup } from './harness';

const COMMANDS = process.env.SOAK === 'long' ? 20_000 : 2_000;

describe('noisy link soak', () => {
  it(`${COMMANDS} commands at 1% byte corruption, 1-5% damaged writes, drops, duplicates and delay: none lost, none applied twice`, async () => {
    const h = setup({ seed: 20251125, client: { timeoutMs: 15, retries: 25 } });
    await h.client.openSession();
    const fill = (await h.client.prepare(FIRST_FILL)) as { token: number };
    await h.client.commit(fill.token);
    const v0 = h.pump.program().programVersion;
    // Count what reaches the pump model itself: the only place "applied twice" could happen.
    const applied = { stop: 0, apply: 0, resume: 0 };
    const pump = h.pump;
    for (const k of ['stop', 'apply', 'resume'] as const) {
      const real = pump[k].bind(pump) as (...a: unknown[]) => never;
      (pump as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
        applied[k]++;
        return real(...a);
      };
    }

    // 1% of bytes corrupted each way (the FEC's design point), plus a few writes with one more bad byte.
    Object.assign(h.pipe.faults.toPump, {
      corruptBytes: 0.01,
      corrupt: 0.03,
      drop: 0.02,
      duplicate: 0.05,
      delayMs: 3,
    });
    Object.assign(h.pipe.faults.toProgrammer, {
      corruptBytes: 0.01,
      corrupt: 0.05,
      drop: 0.01,
      duplicate: 0.03,
      delayMs: 3,
    });

    let commits = 0;
    let stops = 0;
    let intended: TherapyRequest = FIRST_FILL.therapy!;
    let token = 0;
    let done = 0;
    for (let i = 0; done < COMMANDS; i++) {
      switch (i % 8) {
        case 0:
          expect((await h.client.interrogate()).serial).toBe('NGP000123');
          break;
        case 1: {
          // Multiples of 2000 ng/day: exactly representable at 2000 mcg/mL and 1 uL/day resolution.
          const therapy: TherapyRequest = {
            mode: 'continuous',
            dailyDoseNgPerDay: 250_000 + (i % 97) * 2000,
          };
          const p = await h.client.prepare({ therapy });
          if (!('token' in p)) throw new Error(`prepare refused: ${JSON.stringify(p.errors)}`);
          token = p.token;
          intended = therapy;
          break;
        }
        case 2:
          expect(await h.client.commit(token)).toEqual({ programVersion: v0 + ++commits });
          break;
        case 3:
          expect((await h.client.readProgram()).therapy).toEqual(intended);
          break;
        case 4:
          await h.client.stop();
          stops++;
          break;
        case 5:
          await h.client.resume();
          expect(h.pump.status().mode).toBe('continuous');
          break;
        case 6:
          await h.client.keepalive();
          break;
        case 7:
          expect((await h.client.readLog(0, 10)).entries.length).toBeGreaterThan(0);
          break;
      }
      done++;
    }

    h.pipe.faults.toPump = {};
    h.pipe.faults.toProgrammer = {};
    const program = await h.client.readProgram();
    expect(program.therapy).toEqual(intended);
    expect(program.programVersion).toBe(v0 + commits);
    expect(h.pump.program()).toEqual(program);
    expect(h.pump.status().mode).toBe('continuous');
    expect(applied).toEqual({ stop: stops, apply: commits, resume: stops });

    // Every command that reached the pump got exactly one fresh ACK; repeats were served from the cache.
    const acks = new Map<string, number>();
    for (const f of h.frames) {
      if (f.direction !== 'tx' || f.message?.kind !== 'ack' || !f.frame) continue;
      const k = `${f.frame.session}:${f.frame.seq}`;
      acks.set(k, (acks.get(k) ?? 0) + 1);
    }
    expect([...acks.values()].every((n) => n === 1)).toBe(true);
    // Open, first prepare, first commit, the soak's commands, the final read-back.
    expect(acks.size).toBe(3 + COMMANDS + 1);

    // The link really was noisy.
    expect(h.pipe.counts.corrupted).toBeGreaterThan(COMMANDS * 0.03);
    expect(h.pipe.counts.dropped).toBeGreaterThan(COMMANDS * 0.01);
    expect(h.pipe.counts.duplicated).toBeGreaterThan(COMMANDS * 0.03);
    expect(h.client.stats.retries).toBeGreaterThan(0);
    expect(h.endpoint.stats.duplicates).toBeGreaterThan(0);
    expect(h.pipe.counts.bytesCorrupted).toBeGreaterThan(COMMANDS);
    // FEC repaired frames on both sides; what it could not repair (a byte turned into a delimiter, more
    // than 8 bad symbols in a block) was dropped and retried.
    expect(h.client.stats.fecCorrected).toBeGreaterThan(COMMANDS * 0.1);
    expect(h.endpoint.stats.fecCorrected).toBeGreaterThan(COMMANDS * 0.1);
    console.log(
      `soak: ${COMMANDS} commands, ${commits} commits, link ${JSON.stringify(h.pipe.counts)}, client ${JSON.stringify(h.client.stats)}, pump ${JSON.stringify(h.endpoint.stats)}`,
    );
  });
});
