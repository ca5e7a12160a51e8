import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pumpStatechartMarkdown } from '../../src/device/statechart-diagram';

describe('docs/pump-statechart.md', () => {
  it('is the diagram generated from the machine definition (run `npm run statechart` after a change)', () => {
    const committed = readFileSync(new URL('../../docs/pump-statechart.md', import.meta.url), 'utf8');
    expect(committed).toBe(pumpStatechartMarkdown());
  });

  it('shows every region, and the guards where transitions live', () => {
    const md = pumpStatechartMarkdown();
    for (const region of ['reservoir', 'battery', 'motor', 'memory', 'catheter', 'delivery', 'alarms']) {
      expect(md).toContain(`state "${region}" as ${region} {`);
    }
    expect(md).toContain(
      'delivery_infusing --> delivery_bolusing : PATIENT_BOLUS [patientBolusAllowed] / patientBolus',
    );
    expect(md).toContain('reservoir_ok --> reservoir_empty : RESERVOIR.EMPTY / evaluateReservoir');
    expect(md).toContain('battery_eri --> battery_endOfService : BATTERY.EOS / reachEndOfService');
  });
});
