import { join } from 'node:path';
import { getProfile } from '../../src/shared/device-facts/profiles';
import { pdfText } from './pdf-text';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  advanceDays,
  E2E_CLINICIAN,
  E2E_PATIENT_ID,
  seriousA11yViolations,
  DOCS,
  refillToReview,
  screenshot,
  filledStackPerFile,
  updateAndVerify,
} from './helpers';

interface State {
  status: { reservoirVolumeUl: number; concentrationMcgPerMl: number; serial: string };
  truth: { trueReservoirVolumeNl: number };
  program: { programVersion: number; concentrationMcgPerMl: number };
}

/** mL text of an integer uL volume, as the clinician reads the syringe. */
const ml = (uL: number) => (uL / 1000).toFixed(3);

describe('refill workflow through the real stack', () => {
  const s = filledStackPerFile(0);
  beforeAll(async () => {
    await screenshot(s.page, 'summary-after-fill', join(DOCS, 'screenshot-summary.png'));
  });

  it('refills without a discrepancy, prints the summary', async () => {
    const { page } = s;
    await advanceDays(s, 5);
    const st = (await s.bench('/state')) as State;
    await page.getByRole('button', { name: 'Refill', exact: true }).click();
    expect(await page.getByTestId('refill-expected').innerText()).toMatch(/mL$/);
    await page.getByTestId('refill-withdrawn').fill(ml(st.status.reservoirVolumeUl));
    await page.getByTestId('refill-discrepancy').waitFor();
    expect(await page.getByTestId('refill-discrepancy').getAttribute('data-kind')).toBe('asExpected');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'refill-withdraw-ok');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await refillToReview(page, {
      withdrawn: ml(st.status.reservoirVolumeUl),
      concentration: '500',
      fill: '20',
      dose: '400',
    });
    // Local times on the review, the zone named once (issue 17).
    expect(await page.getByTestId('review-zone').innerText()).toMatch(/^Times are local: \S+/);
    const review = await page.getByTestId('review').innerText();
    expect(review).not.toMatch(/\d{4}-\d\d-\d\dT\d\d|\b(ng|nL|uL)\b/);
    expect(review.match(/Times are local/g)).toHaveLength(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'refill-review', join(DOCS, 'screenshot-refill-review.png'));
    await screenshot(page, 'refill-review');
    expect(await updateAndVerify(page)).toBe('match');
    const printout = page.getByTestId('refill-printout');
    await printout.waitFor();
    // The card as it prints (print media: the rest of the screen is hidden), after the fresh interrogation.
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.getByTestId('printout-summary').count()).toBe(1);
    const text = await printout.innerText();
    // Each value as the card shows it, to find again in the printed PDF.
    const values = await page
      .locator('[data-testid=refill-printout] [data-testid^=printout-]:not([data-testid=printout-summary])')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), (e as HTMLElement).innerText]));
    // Printed to PDF by Chromium and read back with pdf.js: what is on paper, not what the DOM says.
    const printed = (await pdfText(await page.pdf({ format: 'A4', printBackground: true })))
      .replace(/\s+/g, ' ')
      .trim();
    await page.emulateMedia({ media: 'screen' });
    const after = (await s.bench('/state')) as State;
    for (const want of [
      'Refilled on',
      'SM2-20',
      `serial ${after.status.serial}`,
      'Patient ID',
      E2E_PATIENT_ID,
      'Clinician',
      E2E_CLINICIAN,
      'Previous drug and concentration',
      'Baclofen, 500 mcg/mL',
      'Expected volume (calculated)',
      'Volume withdrawn',
      'Discrepancy (withdrawn - expected)',
      'Volume filled',
      '20.0 mL',
      'Bridge or priming bolus',
      'New daily dose (24 h total)',
      '400 mcg/day',
      'Low-reservoir alarm date',
      'Next refill by',
      'Times are local',
    ]) {
      expect(text).toContain(want);
    }
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|\b(ng|nL|uL)\b/);
    for (const want of [
      'Refill card',
      'Refilled on',
      `serial ${after.status.serial}`,
      `Patient ID ${E2E_PATIENT_ID}`,
      `Clinician ${E2E_CLINICIAN}`,
      'Previous drug and concentration',
      'New drug and concentration Baclofen, 500 mcg/mL',
      'Expected volume (calculated)',
      'Volume withdrawn',
      'Discrepancy (withdrawn - expected)',
      'Volume filled 20.0 mL',
      'Bridge or priming bolus',
      'New daily dose (24 h total) 400 mcg/day',
      'Low-reservoir alarm date',
      'Next refill by',
      'Times are local',
    ]) {
      expect(printed, want).toContain(want);
    }
    expect(values.length).toBeGreaterThanOrEqual(8);
    for (const [id, value] of values)
      expect(printed, String(id)).toContain(value!.replace(/\s+/g, ' ').trim());
    expect(printed).not.toMatch(/\d{4}-\d\d-\d\dT|\b(ng|nL|uL)\b/);
    // Dates are local (no ISO date), and the alarm date is the pump's after the update.
    expect(await page.getByTestId('printout-alarm-date').innerText()).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(after.status.concentrationMcgPerMl).toBe(500);
    await page.getByRole('button', { name: 'Print' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'refill-printout');
    await page.getByTestId('workflow-done').click();
  });

  it('flags a discrepancy after an over-infusion and says what to do', async () => {
    const { page } = s;
    await s.bench('/faults', { kind: 'overInfusion', ppm: 200_000 });
    await advanceDays(s, 10);
    const st = (await s.bench('/state')) as State;
    // What the needle can get out: the true volume less the residual that stays in an emptied reservoir.
    const trueUl = Math.floor(st.truth.trueReservoirVolumeNl / 1000) - getProfile('SM2-20').residualVolume;
    expect(st.status.reservoirVolumeUl - trueUl).toBeGreaterThan(1000);
    await page.getByRole('button', { name: 'Refill', exact: true }).click();
    await page.getByTestId('refill-withdrawn').fill(ml(trueUl));
    const d = page.getByTestId('refill-discrepancy');
    await d.waitFor();
    expect(await d.getAttribute('data-kind')).toBe('lessThanExpected');
    expect(await d.getAttribute('role')).toBe('alert');
    expect(await d.innerText()).toMatch(/over-infusion or pocket fill/);
    expect(await d.innerText()).toMatch(/overdose/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'refill-discrepancy');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await s.bench('/faults', { kind: 'overInfusion', ppm: 0 });
  });

  it('offers a bridge bolus when the concentration changes; double entry mismatch blocks', async () => {
    const { page } = s;
    const st = (await s.bench('/state')) as State;
    await page.getByRole('button', { name: 'Refill', exact: true }).click();
    await page.getByTestId('refill-withdrawn').fill(ml(st.status.reservoirVolumeUl));
    await page.getByTestId('refill-next').click();
    await page.getByTestId('refill-conc-1000').check();
    await page.getByTestId('refill-conc-confirm').fill('100');
    await page.getByText(/The two entries differ/).waitFor();
    expect(await page.getByTestId('refill-conc-confirm').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('refill-next').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await refillToReview(page, {
      withdrawn: ml(st.status.reservoirVolumeUl),
      concentration: '1000',
      fill: '20',
      bridge: 'accept',
      dose: '400',
    });
    const review = await page.getByTestId('review-table').innerText();
    expect(review).toMatch(/1000 mcg\/mL/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'refill-concentration-change-review');
    // The concentration change is a warning: it needs a stated reason, as any change beyond routine.
    const outcome = await updateAndVerify(page).catch(async (e: Error) => {
      if (!/beyond guidance/.test(e.message)) throw e;
      return updateAndVerify(page, 'Pharmacy switched to 1000 mcg/mL; checked the label twice.');
    });
    expect(outcome).toBe('match');
    const after = (await s.bench('/state')) as State & { status: { mode: string } };
    expect(after.program.concentrationMcgPerMl).toBe(1000);
    expect(after.status.mode).toBe('bridgeBolus');
    await page.getByTestId('workflow-done').click();
  });
});
