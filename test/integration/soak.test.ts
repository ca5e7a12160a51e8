/**
 * Noisy-link soak: firmware-sim as a child process behind a real pty, the bench's link faults on (byte
 * corruption, frame drops, duplicates, both directions), and a programmer issuing a stream of reads and
 * program commits. No command may be lost (every one answered), none applied twice (the pump's
 * programVersion counts applied programs), and the final read-back equals the last program intended.
 *
 * Then a flood of commands into a line nobody reads: the sim's memory must stay bounded (its output queue
 * drops what does not fit, counted) and the next programmer must not be locked out.
 *
 * Sized by SOAK: short (default, part of `npm test`) or long (`npm run soak`).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LinkFaults } from '../../firmware-sim/bench-schema';
import { createPrng } from '../../firmware-sim/prng';
import { MAX_TX_QUEUE_BYTES } from '../../firmware-sim/serial-port';
import { floodPty, openSessionFlood, rssOf } from '../sim/flood';
import { connectProgrammer, FIRST_FILL, Sim, tempDir, type Programmer } from '../sim/harness';

const LONG = process.env.SOAK === 'long';
const COMMANDS = LONG ? 5_000 : 300;
/**
 * Byte corruption is per byte: 1% of bytes, each direction, hits most frames (a status reply is ~140 bytes
 * on the line); the framing's FEC (since protocol version 2) repairs them, and retries absorb the rest (a byte
 * corrupted into a delimiter, dropped frames). 1% of frames dropped and 1% duplicated, each direction.
 * The long soak raises every rate by half.
 */
const FAULTS: Partial<LinkFaults> = LONG
  ? { corruptionRate: 0.015, dropRate: 0.015, duplicateRate: 0.015 }
  : { corruptionRate: 0.01, dropRate: 0.01, duplicateRate: 0.01 };

let sim: Sim | null = null;
let prog: Programmer | null = null;
afterAll(async () => {
  await prog?.close();
  await sim?.stop();
});

describe(`noisy link soak (${LONG ? 'long' : 'short'}: ${COMMANDS} commands)`, () => {
  it(
    'no command lost, none applied twice, final read-back equals the intent',
    async () => {
      sim = await Sim.start(path.join(tempDir(), 'pump.json'), ['--paused', '--seed', '12345']);
      prog = await connectProgrammer(sim.ready.port, { programmerId: 'SOAK', timeoutMs: 150, retries: 12 });
      const c = prog.client;
      await c.openSession();
      const fill = await c.prepare(FIRST_FILL);
      if ('errors' in fill) throw new Error(JSON.stringify(fill.errors));
      await c.commit(fill.token);
      const v0 = (await c.readProgram()).programVersion;

      await sim.ok('POST', '/link-faults', FAULTS);
      const rng = createPrng(99);
      let commits = 0;
      let intended = FIRST_FILL.therapy.dailyDoseNgPerDay;
      let answered = 0;
      for (let i = 0; i < COMMANDS; i++) {
        const pick = rng.int(10);
        if (pick < 3) {
          const dailyDose = 50_000 + 1_000 * rng.int(200);
          const p = await c.prepare({ therapy: { mode: 'continuous', dailyDoseNgPerDay: dailyDose } });
          if ('errors' in p) throw new Error(`prepare refused: ${JSON.stringify(p.errors)}`);
          const r = await c.commit(p.token);
          if ('errors' in r) throw new Error(`commit refused: ${JSON.stringify(r.errors)}`);
          commits++;
          intended = dailyDose;
          expect(r.programVersion).toBe(v0 + commits);
          i++; // prepare + commit: two commands
          answered += 2;
        } else if (pick < 6) {
          expect((await c.interrogate()).serial).toBe(sim.ready.serial);
          answered++;
        } else if (pick < 8) {
          expect((await c.readProgram()).programVersion).toBe(v0 + commits);
          answered++;
        } else if (pick < 9) {
          expect((await c.readLog(0, 5)).entries.length).toBeGreaterThan(0);
          answered++;
        } else {
          await c.keepalive();
          answered++;
        }
      }
      // The faults really happened.
      const faults = await sim.ok<LinkFaults>('GET', '/link-faults');
      expect(faults).toMatchObject(FAULTS);
      expect(c.stats.retries).toBeGreaterThan(0);
      expect(c.stats.fecCorrected).toBeGreaterThan(COMMANDS / 10);

      await sim.ok('POST', '/link-faults', { corruptionRate: 0, dropRate: 0, duplicateRate: 0 });
      const final = await c.readProgram();
      expect(final.programVersion).toBe(v0 + commits);
      expect(final.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: intended });
      const truth = await sim.state();
      expect(truth.program.programVersion).toBe(v0 + commits);
      expect(answered).toBeGreaterThanOrEqual(COMMANDS);
      console.log(`soak: ${answered} commands, ${commits} commits, client stats ${JSON.stringify(c.stats)}`);
      await c.closeSession();
    },
    LONG ? 3_600_000 : 180_000,
  );

  it(
    `a flood with nobody reading (${LONG ? 16 : 1} MiB of commands, answered into an unread line): memory stays bounded`,
    async () => {
      await prog?.close();
      prog = null;
      await sim?.stop();
      sim = await Sim.start(path.join(tempDir(), 'pump.json'), ['--paused']);
      const rss0 = rssOf(sim.ready.pid);
      let peak = rss0;
      const flood = openSessionFlood((LONG ? 16 : 1) * 1024 * 1024);
      // Sample the sim's memory while the flood goes on: it must never grow with the flood's size.
      const sampled = (function* () {
        for (const chunk of flood) {
          peak = Math.max(peak, rssOf(sim!.ready.pid));
          yield chunk;
        }
      })();
      await floodPty(sim.ready.port, sampled);
      const s = await sim.state();
      expect(s.line.port.queuedBytes).toBeLessThanOrEqual(MAX_TX_QUEUE_BYTES);
      expect(s.line.port.droppedWrites).toBeGreaterThan(0);
      expect(peak - rss0).toBeLessThan(64 * 1024 * 1024);
      console.log(
        `flood: RSS ${Math.round(rss0 / 1048576)} -> peak ${Math.round(peak / 1048576)} MiB, ` +
          `line ${JSON.stringify(s.line.port)}`,
      );
      // No lockout: the next programmer is answered within its usual timeouts.
      // The flood's own programmer id holds the session it opened: the same id takes it over.
      prog = await connectProgrammer(sim.ready.port, { programmerId: 'FLOOD' });
      await prog.client.openSession();
      expect((await prog.client.interrogate()).serial).toBe(sim.ready.serial);
    },
    LONG ? 600_000 : 120_000,
  );
});
