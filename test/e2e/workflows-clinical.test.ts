/**
 * Issue 16 on the screens, through the real stack (host, firmware-sim on a pty, Chromium): the delivered
 * dose, the same findings on the edit screen and the review, bolus checks, the bridge bolus the pump
 * accepts, what a program cancels, children's rules, the mg/mL slip and the pump's refusals.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  advanceDays,
  fillAndRun,
  refillToReview,
  screenshot,
  seriousA11yViolations,
  stackPerFile,
  updateAndVerify,
} from './helpers';

const rulesIn = async (page: Page, testId: string) =>
  (
    await page
      .getByTestId(testId)
      .locator('[data-rule]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule') ?? ''))
  ).sort();

async function titrate(page: Page, dose: string) {
  await page.getByRole('button', { name: 'Titrate', exact: true }).click();
  await page.getByTestId('titration-entry').fill(dose);
  await page.getByTestId('titration-findings').waitFor();
}

async function cancelWorkflow(page: Page, testId: string) {
  await page.getByTestId(testId).getByRole('button', { name: 'Cancel' }).first().click();
  await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
}

describe('adult, spinal origin: 2000 mcg/mL at 400 mcg/day, two days in', () => {
  const s = stackPerFile({ program: fillAndRun(400_000) }, async (st) => advanceDays(st, 2));

  it('#4: 401 mcg/day at 2000 mcg/mL shows the 402 the pump delivers, and verifies', async () => {
    const { page } = s;
    await titrate(page, '401');
    expect(await page.getByTestId('titration-delivered').innerText()).toBe('402 mcg/day');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-table').waitFor();
    expect(
      await page.locator('[data-testid=review-table] tr', { hasText: 'Daily dose' }).innerText(),
    ).toContain('402 mcg/day');
    expect(await updateAndVerify(page)).toBe('match');
    await page.getByTestId('workflow-done').click();
  });

  it('#6: the edit screen and the review show the same findings (an increase earlier today counts)', async () => {
    const { page } = s;
    await titrate(page, '500');
    const edit = await rulesIn(page, 'titration-findings');
    expect(edit).toContain('INCREASE_WITHIN_24H');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-findings').waitFor();
    expect(await rulesIn(page, 'review-findings')).toEqual(edit);
    await screenshot(page, 'clinical-same-findings-review');
    await page.getByTestId('review').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
  });

  it('#10: over 50% in 24 h (delivered: 608 mcg/day) is a hard stop on the edit screen; Review is off beside it', async () => {
    const { page } = s;
    await titrate(page, '607'); // the pump delivers 608: +52% on the 400 in force 24 h ago
    await expect
      .poll(() => page.getByTestId('titration-findings').getAttribute('data-verdict'))
      .toBe('hardStop');
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    expect(await rulesIn(page, 'titration-findings')).toContain('INCREASE_HARD_LIMIT');
    expect(await page.getByTestId('titration-delivered').innerText()).toBe('608 mcg/day');
    expect(await page.getByTestId('titration-change').innerText()).toBe('+52%');
    await cancelWorkflow(page, 'workflow-titration');
  });

  it('#1: a 2000 mcg bolus on 402 mcg/day is refused on the bolus screen', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Bolus', exact: true }).click();
    await page.getByTestId('bolus-amount').fill('2000');
    await page.getByTestId('bolus-duration').fill('60');
    await expect.poll(() => page.getByTestId('bolus-findings').getAttribute('data-verdict')).toBe('hardStop');
    expect(await page.getByTestId('bolus-findings').innerText()).toMatch(/more than 2 times the daily dose/);
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'clinical-bolus-refused');
    await cancelWorkflow(page, 'workflow-bolus');
  });

  it('#3: a refill to 1000 mcg/mL offers the bridge in parts the pump accepts; it commits and verifies', async () => {
    const { page } = s;
    const st = (await s.bench('/state')) as { status: { reservoirVolumeUl: number } };
    const withdrawn = (st.status.reservoirVolumeUl / 1000).toFixed(1);
    await page.getByRole('button', { name: 'Refill', exact: true }).click();
    await page.getByTestId('refill-withdrawn').fill(withdrawn);
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-conc-1000').check();
    await page.getByTestId('refill-conc-confirm').fill('1000');
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-fill').fill('20');
    await page.getByTestId('refill-next').click();
    const offer = page.getByTestId('refill-bridge-offer');
    await offer.waitFor();
    expect(await offer.innerText()).toMatch(/split into 2 parts/);
    await page.getByTestId('refill-bridge-accept').check();
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-findings').waitFor();
    const edit = await rulesIn(page, 'refill-findings');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-table').waitFor();
    // The bolus in the program is the first part; the review names the split and the pump's prepare took it.
    expect(await rulesIn(page, 'review-findings')).toContain('BRIDGE_BOLUS_SPLIT');
    expect(await rulesIn(page, 'review-findings')).toEqual(edit);
    expect(await page.getByTestId('review').innerText()).not.toMatch(/did not accept this program/);
    expect(await updateAndVerify(page, 'Change to 1000 mcg/mL, bridge as planned.')).toBe('match');
    await page.getByTestId('workflow-done').click();
    const after = (await s.bench('/state')) as { status: { mode: string } };
    expect(after.status.mode).toBe('bridgeBolus');
  });

  it('#2: a bolus during the bridge says what it cancels, on the bolus screen and the review', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Bolus', exact: true }).click();
    await page.getByTestId('bolus-amount').fill('50');
    await page.getByTestId('bolus-duration').fill('60');
    await page.getByTestId('bolus-findings').waitFor();
    expect(await rulesIn(page, 'bolus-findings')).toContain('RUNNING_BOLUS_CANCELLED');
    expect(await page.getByTestId('bolus-findings').innerText()).toMatch(/A bridge bolus is running/);
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-table').waitFor();
    expect(
      await page.locator('[data-testid=review-table] tr', { hasText: 'Bolus' }).first().innerText(),
    ).toMatch(/bridge bolus running/);
    await screenshot(page, 'clinical-bridge-cancel-review');
    await page.getByTestId('review').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
  });
});

describe('a child under 12, spinal origin, on a fresh (empty) pump', () => {
  const s = stackPerFile({ ageGroup: 'childUnder12' });

  it('#10: the pump refusing a titration on an empty pump is shown', async () => {
    const { page } = s;
    expect(await page.getByTestId('header-age').innerText()).toMatch(/child under 12/);
    await titrate(page, '100');
    await page.getByTestId('to-review').click();
    const refused = page.getByTestId('pump-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/No drug in the reservoir: refill first/);
    await cancelWorkflow(page, 'workflow-titration');
  });

  it('#9: a first fill typed as "2" (mg/mL) is refused', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Refill', exact: true }).click();
    await page.getByTestId('refill-withdrawn').fill('0');
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-conc-custom').check();
    await page.getByTestId('refill-conc-custom-value').fill('2');
    await page.getByTestId('refill-conc-confirm').fill('2');
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-fill').fill('20');
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-dose').fill('40');
    // The refill screen shows the review's findings: the slip is a hard stop and Review stays off.
    await expect
      .poll(() => page.getByTestId('refill-findings').getAttribute('data-verdict'))
      .toBe('hardStop');
    expect(await rulesIn(page, 'refill-findings')).toContain('CONCENTRATION_NOT_A_PRODUCT');
    expect(await page.getByTestId('refill-findings').innerText()).toMatch(/looks like 2 mg\/mL/);
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    await cancelWorkflow(page, 'workflow-refill');
  });

  it('#8: after a fill, +25% is within an adult spinal step but needs a reason for a child', async () => {
    const { page } = s;
    await refillToReview(page, { withdrawn: '0', concentration: '500', fill: '20', dose: '200' });
    expect(await updateAndVerify(page, 'First fill after implant, as prescribed.')).toBe('match');
    await page.getByTestId('workflow-done').click();
    await advanceDays(s, 2);
    await titrate(page, '250');
    await expect
      .poll(() => page.getByTestId('titration-findings').getAttribute('data-verdict'))
      .toBe('warning');
    expect(await page.getByTestId('titration-guidance').innerText()).toMatch(/Child under 12/);
    expect(await page.getByTestId('titration-findings').innerText()).toMatch(/children under 12/);
    await cancelWorkflow(page, 'workflow-titration');
  });
});
