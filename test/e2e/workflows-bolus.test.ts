import { describe, expect, it } from 'vitest';
import {
  advanceDays,
  seriousA11yViolations,
  screenshot,
  filledStackPerFile,
  updateAndVerify,
} from './helpers';

describe('bolus workflow through the real stack', () => {
  const s = filledStackPerFile(2);

  const cases = [
    {
      kind: 'single',
      field: 'bolus-amount',
      value: '50',
      minutes: '60',
      amount: '50 mcg',
      volume: '0.1 mL',
      mode: 'singleBolus',
    },
    {
      kind: 'bridge',
      field: 'bolus-amount',
      value: '160',
      minutes: '240',
      amount: '160 mcg',
      volume: '0.32 mL',
      mode: 'bridgeBolus',
    },
    {
      kind: 'priming',
      field: 'bolus-volume',
      value: '0.32',
      minutes: '30',
      amount: '160 mcg',
      volume: '0.32 mL',
      mode: 'primingBolus',
    },
  ] as const;

  for (const c of cases) {
    it(`${c.kind} bolus: amount, volume and duration shown before confirmation, then verified`, async () => {
      const { page } = s;
      await page.getByRole('button', { name: 'Bolus', exact: true }).click();
      await page.getByTestId(`bolus-kind-${c.kind}`).check();
      await page.getByTestId(c.field).fill(c.value);
      await page.getByTestId('bolus-duration').fill(c.minutes);
      await page.getByTestId('bolus-preview').waitFor();
      expect(await page.getByTestId('bolus-preview-amount').innerText()).toBe(c.amount);
      expect(await page.getByTestId('bolus-preview-volume').innerText()).toBe(c.volume);
      expect(await page.getByTestId('bolus-preview-duration').innerText()).toMatch(/h|min/);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, `bolus-${c.kind}`);
      await page.getByTestId('to-review').click();
      await page.getByTestId('review-table').waitFor();
      const outcome = await updateAndVerify(page).catch(async (e: Error) => {
        if (!/beyond guidance/.test(e.message)) throw e;
        return updateAndVerify(page, `${c.kind} bolus as prescribed.`);
      });
      expect(outcome).toBe('match');
      const st = (await s.bench('/state')) as { status: { mode: string } };
      expect(st.status.mode).toBe(c.mode);
      await page.getByTestId('workflow-done').click();
      // Let the bolus finish before the next one.
      await advanceDays(s, 1);
    });
  }
});
