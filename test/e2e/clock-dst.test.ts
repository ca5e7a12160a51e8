/**
 * The pump clock in local time through the real stack (issue 17): the programmer sets the pump's
 * local-time rule at interrogation from the clinic's zone (CLOCK_SET, shown in words), and a flex night step
 * at 22:00 local delivers from 22:00 local on both sides of a daylight-saving change.
 */
import { describe, expect, it } from 'vitest';
import { initialFill, seriousA11yViolations, stackPerFile, updateAndVerify } from './helpers';

const utc = (iso: string): number => Date.parse(iso) / 1000;

describe('pump clock in the clinic zone, flex steps across a daylight-saving change', () => {
  // Paris, two days before the spring change of 29 March 2026 (02:00 CET -> 03:00 CEST, 01:00 UTC).
  const s = stackPerFile(
    {
      simArgs: `--paused --start-time ${utc('2026-03-27T09:00:00Z')}`,
      clinic: { timeZone: 'Europe/Paris', locale: 'en-GB' },
    },
    async (st) => {
      await initialFill(st.page, '400');
    },
  );

  it('sets the pump clock to the clinic zone at interrogation and says so in words', async () => {
    const { page } = s;
    const clock = await page.getByTestId('pump-clock').textContent();
    expect(clock).toMatch(/Pump clock set this session to Europe\/Paris local time/);
    expect(clock).toMatch(/daylight saving \+1 h from the last Sunday of March at 02:00/);
    expect(clock).toMatch(/it was UTC, no daylight saving/);
    const log = (await s.bench('/log?offset=0&count=100')) as { entries: { kind: string; detail: string }[] };
    const sets = log.entries.filter((e) => e.kind === 'CLOCK_SET');
    expect(sets).toEqual([{ ...sets[0], detail: 'std 60 dst 60 3.5.0.120 10.5.0.180' }]);
    // The event log says it in words.
    await page.getByRole('button', { name: 'Event log' }).click();
    await page.getByRole('heading', { name: 'Event log' }).waitFor();
    await page
      .getByText('Pump clock set to local time: UTC+01:00, daylight saving +1 h', { exact: false })
      .first()
      .waitFor();
    await page
      .getByRole('button', { name: /^(Back|Back to summary)$/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
  });

  it('a flex night step at 22:00 local delivers from 22:00 local before and after the change', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Flex schedule', exact: true }).click();
    expect(await page.getByText(/times are the patient's local time \(Europe\/Paris/).count()).toBe(1);
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 2 start time').fill('22:00');
    await page.getByLabel('Step 2 dose in mcg/day').fill('440');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-table').waitFor();
    // A step change inside the workflow moves focus to the step's heading and announces it.
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    await expect.poll(focused).toBe('Review and update');
    await expect.poll(() => page.getByTestId('step-announcer').textContent()).toMatch(/: Review and update$/);
    const outcome = await updateAndVerify(page).catch(async (e: Error) => {
      if (!/beyond guidance/.test(e.message)) throw e;
      return updateAndVerify(page, 'Night-time spasms: higher night dose as prescribed.');
    });
    expect(outcome).toBe('match');
    await expect.poll(focused).toBe('Pump updated and verified');
    await expect
      .poll(() => page.getByTestId('step-announcer').textContent())
      .toMatch(/: Pump updated and verified$/);
    await page.getByTestId('workflow-done').click();
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();

    const step = page.getByTestId('summary-current-step');
    /** At pump time `iso`: the pump's own rate (bench) and what the summary says after interrogating. */
    const at = async (iso: string, dose: 400 | 440): Promise<void> => {
      await s.host.bench.advance({ to: utc(iso) });
      const st = (await s.bench('/state')) as { status: { pumpTime: number; dailyDoseNgPerDay: number } };
      expect(st.status, iso).toMatchObject({ pumpTime: utc(iso), dailyDoseNgPerDay: dose * 1000 });
      await page.getByRole('button', { name: 'Interrogate again' }).click();
      await expect
        .poll(() => step.textContent(), { timeout: 10_000 })
        .toMatch(new RegExp(`^${dose} mcg/day`));
    };
    // Before the change (CET, UTC+1): 22:00 local is 21:00 UTC.
    await at('2026-03-28T20:59:59Z', 400);
    await at('2026-03-28T21:00:00Z', 440);
    // After the change (CEST, UTC+2): 22:00 local is 20:00 UTC, an hour earlier on the pump's UTC count.
    await at('2026-03-29T19:59:59Z', 400);
    await at('2026-03-29T20:00:00Z', 440);
    const st = (await s.bench('/state')) as { status: { rateUlPerDay: number; dailyDoseNgPerDay: number } };
    expect(st.status).toMatchObject({ rateUlPerDay: 880, dailyDoseNgPerDay: 440_000 });
    // The summary names the zone with the offset now in force.
    expect(await page.getByTestId('summary-zone').textContent()).toMatch(/Europe\/Paris \(GMT\+2\)/);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
