/**
 * Who refused (issue 15, point 9): a value the programmer itself cannot send, or flex steps the review
 * cannot work with, is a bad request with the field named, not "The pump refused" and not INTERNAL.
 * The programmer service against the real sim.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { connectProgrammer, FIRST_FILL, Sim, tempDir } from '../sim/harness';

let sim: Sim;
let service: ProgrammerService;
beforeAll(async () => {
  sim = await Sim.start(path.join(tempDir('sim-refusals-'), 'pump.json'), ['--paused']);
  const prog = await connectProgrammer(sim.ready.port, { programmerId: 'REFUSALS' });
  await prog.client.openSession();
  const f = await prog.client.prepare(FIRST_FILL);
  if ('errors' in f) throw new Error(JSON.stringify(f.errors));
  await prog.client.commit(f.token);
  await prog.close();
  service = new ProgrammerService({
    dataDir: tempDir('programmer-refusals-'),
    linkFactory: createProtocolLink,
    embedded: null,
    programmerId: 'REFUSALS',
  });
  const c = await service.connect({ target: { kind: 'serial', path: sim.ready.port } });
  if (!c.ok) throw new Error(c.error.message);
});
afterAll(async () => {
  await service?.dispose();
  await sim?.stop();
});

describe('refusals say who refused', () => {
  it("the programmer's own encoding refusal is a bad request, not the pump's", async () => {
    const r = await service.proposeChange({
      change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 5_000_000_000 } },
      origin: 'spinal',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_REQUEST');
    expect(r.error.message).toMatch(/programmer cannot send/);
    expect(r.error.message).not.toMatch(/pump refused/i);
    expect(r.error.message).toMatch(/therapy\.dailyDose/);
  });

  it('empty or unsorted flex steps are refused naming the field, not INTERNAL', async () => {
    // The clinical rules review what they can; the pump's refusal is shown on the review, naming the field,
    // and the proposal cannot be committed (issue 16: pump refusals are visible).
    for (const [steps, field] of [
      [[], /steps/],
      [
        [
          { startSecondOfDay: 43_200, dailyDoseNgPerDay: 100_000 },
          { startSecondOfDay: 0, dailyDoseNgPerDay: 90_000 },
        ],
        /steps\.1\.start/,
      ],
    ] as const) {
      const r = await service.proposeChange({
        change: { therapy: { mode: 'flex', steps: [...steps] } },
        origin: 'spinal',
      });
      if (!r.ok) {
        expect(r.error.code).toBe('BAD_REQUEST');
        expect(`${r.error.message} ${JSON.stringify(r.error.details ?? '')}`).toMatch(field);
        continue;
      }
      expect(r.value.committable).toBe(false);
      expect(r.value.errors.map((e) => `${e.field}: ${e.message}`).join('; ')).toMatch(field);
    }
    // Nothing changed on the pump.
    expect((await sim.state()).program.therapy).toEqual(FIRST_FILL.therapy);
  });
});
