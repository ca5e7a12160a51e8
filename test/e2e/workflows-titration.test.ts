import { describe, expect, it } from 'vitest';
import {
  advanceDays,
  seriousA11yViolations,
  screenshot,
  filledStackPerFile,
  updateAndVerify,
} from './helpers';

describe('titration workflow through the real stack', () => {
  // No increase in the first 24 h after a starting dose: titrate two days later.
  const s = filledStackPerFile(2);

  it('titrates within guidance: review, update, verified', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Titrate', exact: true }).click();
    await page.getByLabel('Percentage change').check();
    await page.getByTestId('titration-entry').fill('+10');
    await expect.poll(() => page.getByTestId('titration-findings').getAttribute('data-verdict')).toBe('ok');
    expect(await page.getByTestId('titration-new-dose').innerText()).toBe('440 mcg/day');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'titration-entry');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-table').waitFor();
    expect(await page.locator('[data-testid=review-table] tr.wf-changed').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('override-reason').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'titration-review');
    expect(await updateAndVerify(page)).toBe('match');
    await screenshot(page, 'titration-verified');
    await page.getByTestId('workflow-done').click();
    const st = (await s.bench('/state')) as { program: { therapy: unknown } };
    expect(st.program.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 440_000 });
  });

  it('beyond guidance needs an override reason before Update', async () => {
    const { page } = s;
    await advanceDays(s, 2);
    await page.getByRole('button', { name: 'Titrate', exact: true }).click();
    await page.getByLabel('Percentage change').check();
    await page.getByTestId('titration-entry').fill('+40');
    await expect
      .poll(() => page.getByTestId('titration-findings').getAttribute('data-verdict'))
      .toBe('warning');
    await page.getByTestId('to-review').click();
    await page.getByTestId('override-reason').waitFor();
    expect(await page.getByTestId('update-pump').isDisabled()).toBe(true);
    await page.getByTestId('override-reason').fill('Severe spasms at night, agreed with the prescriber.');
    expect(await page.getByTestId('update-pump').isDisabled()).toBe(false);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'titration-override');
    expect(await updateAndVerify(page)).toBe('match');
    await page.getByTestId('workflow-done').click();
    const st = (await s.bench('/state')) as { program: { therapy: unknown } };
    expect(st.program.therapy).toEqual({ mode: 'continuous', dailyDoseNgPerDay: 616_000 });
  });

  it('a tenfold entry is a hard stop: Review stays disabled beside it (issue 16 #10); Cancel changes nothing', async () => {
    const { page } = s;
    const before = (await s.bench('/state')) as { program: { programVersion: number } };
    await page.getByRole('button', { name: 'Titrate', exact: true }).click();
    await page.getByTestId('titration-entry').fill('9000');
    await expect
      .poll(() => page.getByTestId('titration-findings').getAttribute('data-verdict'))
      .toBe('hardStop');
    expect(await page.getByTestId('titration-hard-stop').innerText()).toBe(
      'This change cannot be sent to the pump.',
    );
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    await page.getByTestId('workflow-titration').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
    const after = (await s.bench('/state')) as { program: { programVersion: number } };
    expect(after.program.programVersion).toBe(before.program.programVersion);
  });
});
