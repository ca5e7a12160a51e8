/**
 * "Since the last visit" through the programmer service against a real firmware-sim over a pty: a first
 * session fills the pump; two days and a motor stall later, the second session's summary counts from the
 * first session's last read-back, in the pump's own calculation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimReadyLine } from '../../src/main/service/embedded-pump';
import { ProgrammerService } from '../../src/main/service/programmer-service';
import { createProtocolLink } from '../../src/main/service/protocol-adapter';
import { bench, FIRST_FILL, unwrap } from './helpers';

describe('since the last visit (service over a pty)', () => {
  let dir: string;
  let service: ProgrammerService;
  let ready: SimReadyLine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itb-since-'));
    service = new ProgrammerService({
      dataDir: dir,
      linkFactory: createProtocolLink,
      embedded: { extraArgs: ['--paused'] },
    });
    const r = await service.start();
    if (!r) throw new Error('embedded pump did not start');
    ready = r;
  });
  afterAll(async () => {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first visit: nothing to compare; the next visit counts delivery, alarms and stalls since', async () => {
    unwrap(
      await service.connect({
        target: { kind: 'embedded' },
        patient: { origin: 'spinal', ageGroup: 'adult' },
      }),
    );
    expect(unwrap(await service.sinceLastVisit({})).previous).toBeNull();
    const p = unwrap(await service.proposeChange({ change: FIRST_FILL, origin: 'spinal' }));
    unwrap(
      await service.commitChange({ proposalId: p.proposalId, overrideReason: 'Starting dose per screening' }),
    );
    const last = unwrap(await service.interrogate({}));
    expect(unwrap(await service.endSession({})).ended).toBe(true);

    // Two days pass; the motor stalls for an hour on the way.
    await bench(ready, 'POST', '/clock/advance', { by: 86_400 });
    await bench(ready, 'POST', '/faults', { kind: 'motorStall', recoveryDelayS: 3600 });
    await bench(ready, 'POST', '/clock/advance', { by: 86_400 });

    unwrap(
      await service.connect({
        target: { kind: 'embedded' },
        patient: { origin: 'spinal', ageGroup: 'adult' },
      }),
    );
    const now = unwrap(await service.interrogate({}));
    const s = unwrap(await service.sinceLastVisit({}));
    expect(s.previous).toEqual({
      pumpTime: last.pumpTime,
      reservoirVolumeUl: last.reservoirVolumeUl,
      concentrationMcgPerMl: 500,
    });
    expect(s.deliveredUl).toBe(last.reservoirVolumeUl - now.reservoirVolumeUl);
    expect(s.deliveredUl!).toBeGreaterThan(1400); // two days at 0.8 mL/day, less the hour stalled
    expect(s.deliveredMcg).toBe(Math.round((s.deliveredUl! * 500) / 1000));
    expect(s.motorStalls).toBe(1);
    expect(s.alarmsRaised.map((a) => a.code)).toContain('MOTOR_STALL');
    expect(s.refills).toBe(0);
    unwrap(await service.endSession({}));
  });
});
