/**
 * The instructor console in Chromium: open it beside (or without) the trainee's programmer, drive its
 * controls, read what it shows. Kept apart from helpers.ts so a two-page test (instructor + trainee) only
 * adds `openInstructor(stack.host, stack.browser.browser)` to a stack it already has.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Host } from './helpers';

export interface InstructorPage {
  page: Page;
  /** The pump time as the console shows it (local time with zone). */
  pumpTime(): Promise<string>;
  /** Heart rate, blood pressure, temperature, respiratory rate, SpO2, as shown. */
  vitals(): Promise<string>;
  withdrawalStage(): Promise<string>;
  catheter(state: 'patent' | 'partialOcclusion' | 'fullOcclusion' | 'disconnected'): Promise<void>;
  speed(factor: 1 | 60 | 600 | 3600 | 86_400 | 100_000 | 'fast'): Promise<void>;
  /** Press the global pause (or resume) and wait until the clock says so. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Auto-pause when the patient's withdrawal reaches `stage`. */
  autoPauseOnWithdrawal(stage: 'early' | 'moderate' | 'severe' | 'lifeThreatening'): Promise<void>;
  /** The activity feed, newest first, as shown. */
  activity(): Promise<string[]>;
  /** [first, last] of each series of a chart, as it draws them. */
  chartEnds(
    testId: 'chart-vitals' | 'chart-spasticity' | 'chart-dose',
  ): Promise<[number | null, number | null][]>;
  errors: string[];
}

/**
 * Open the console in its own browser context (its own cookies: the instructor and the trainee are two
 * people on two machines) and wait until it is connected and shows the pump time.
 */
export async function openInstructor(host: Host, browser: Browser): Promise<InstructorPage> {
  const url = host.ready.instructorUrl;
  if (!url) throw new Error('the host printed no instructorUrl in its ready line');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByText('Connected to the bench').waitFor({ timeout: 30_000 });
  await page.getByTestId('pump-time').filter({ hasText: /\d{4}/ }).waitFor({ timeout: 30_000 });
  const mode = () => page.getByTestId('clock-mode').innerText();
  return {
    page,
    errors,
    pumpTime: () => page.getByTestId('pump-time').innerText(),
    vitals: async () =>
      (
        await Promise.all(
          ['vital-hr', 'vital-bp', 'vital-temp', 'vital-rr', 'vital-spo2'].map((id) =>
            page.getByTestId(id).innerText(),
          ),
        )
      ).join(' | '),
    withdrawalStage: () => page.getByTestId('withdrawal-stage').innerText(),
    async catheter(state) {
      await page.getByTestId(`catheter-${state}`).click();
      await expect
        .poll(() => page.getByTestId(`catheter-${state}`).getAttribute('aria-pressed'), { timeout: 10_000 })
        .toBe('true');
    },
    async speed(factor) {
      const name = factor === 'fast' ? 'Fast' : `x${factor.toLocaleString('en-GB')}`;
      await page.getByRole('button', { name, exact: true }).click();
    },
    async pause() {
      if (!(await mode()).startsWith('Paused')) await page.getByTestId('pause-toggle').click();
      await expect.poll(mode, { timeout: 10_000 }).toMatch(/^Paused/);
    },
    async resume() {
      if ((await mode()).startsWith('Paused')) await page.getByTestId('pause-toggle').click();
      await expect.poll(mode, { timeout: 10_000 }).toMatch(/^Running/);
    },
    async autoPauseOnWithdrawal(stage) {
      await page.getByLabel('Withdrawal stage').selectOption(stage);
      await page.getByRole('button', { name: 'Set auto-pause' }).click();
      await expect.poll(() => page.getByTestId('auto-pause').innerText()).toMatch(/withdrawal reaches/);
    },
    activity: () => page.getByTestId('activity').locator('li').allInnerTexts(),
    async chartEnds(testId) {
      return JSON.parse((await page.getByTestId(testId).getAttribute('data-ends')) ?? '[]') as [
        number | null,
        number | null,
      ][];
    },
  };
}

/**
 * Read `read()` repeatedly over `ms` of real time and return its one value; fails if it ever changed.
 * The interval is the test's subject (nothing may move during it), not a way of ordering events.
 */
export async function unchangedOver(read: () => Promise<string>, ms: number, everyMs = 100): Promise<string> {
  const first = await read();
  const seen = new Set([first]);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, everyMs));
    seen.add(await read());
  }
  expect([...seen]).toEqual([first]);
  return first;
}
