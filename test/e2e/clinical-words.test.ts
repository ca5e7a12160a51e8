/**
 * Issue 17 in Chromium: what the clinician reads. Local times with the zone named on the summary, the log
 * and the review; no raw epoch, ng, nL or uL on clinician screens; the log in words with the raw record one
 * click away; two simultaneous alarms both listed by priority with their meaning; a critical alarm's silence
 * needs confirmation; focus moves to the new screen's heading and the change is announced.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatLocalDateTime, formatZone } from '../../src/shared/clinical';
import { fillAndRun, screenshot, seriousA11yViolations, startStack, type Stack } from './helpers';

const CLINIC = { timeZone: 'Europe/Paris', locale: 'en-GB' };
const PARIS = { timeZone: CLINIC.timeZone, locale: CLINIC.locale };
/** What no clinician screen may show: ISO UTC stamps, epoch seconds, ng, nL, uL, alarm codes, log kinds. */
const RAW = /\d{4}-\d\d-\d\dT\d\d:\d\d|\b\d{9,}\b|\b(ng|nL|uL)\b|ng\/d|uL\/d|\b[A-Z]{3,}_[A-Z]{3,}/;

let stack: Stack | null = null;
afterAll(async () => {
  await stack?.close();
});

/** Visible text of the main content and the alarm banner (not the engineer's raw column). */
async function clinicianText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main, [data-testid=alarm-banner]')]
      .map((e) => (e as HTMLElement).innerText)
      .join('\n'),
  );
}

async function focusedHeading(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const a = document.activeElement;
    return a && a.tagName === 'H1' ? a.textContent : null;
  });
}

describe('issue 17: what the clinician reads', () => {
  it('local times with the zone, clinical words, alarms by priority, confirmed critical silence, focus', async () => {
    stack = await startStack({
      simArgs: '--paused',
      program: fillAndRun(400_000),
      clinic: CLINIC,
    });
    const { host, page } = stack;
    const { status } = await host.bench.state();

    // Summary: the pump's time in the clinic's zone, the zone named once.
    await expect
      .poll(() => page.getByTestId('summary-pump-time').textContent())
      .toBe(formatLocalDateTime(status.pumpTime, PARIS));
    expect(await page.getByTestId('summary-zone').textContent()).toContain(
      formatZone(status.pumpTime, PARIS),
    );
    expect(await page.getByTestId('summary-zone').textContent()).toContain('Europe/Paris');
    expect(await clinicianText(page)).not.toMatch(RAW);

    // Two alarms at once: low reservoir (non-critical), then a motor stall (critical).
    await host.bench.advance({ to: status.lowReservoirAlarmTime! + 60 });
    await page.locator('[data-testid=alarm-banner-list] li[data-alarm-code=LOW_RESERVOIR]').waitFor();
    await host.bench.fault({ kind: 'motorStall', recoveryDelayS: 2 * 86_400 });
    await host.bench.advance({ by: 60 });
    const items = page.locator('[data-testid=alarm-banner-list] li');
    await expect
      .poll(() => items.evaluateAll((li) => li.map((e) => e.getAttribute('data-alarm-code'))))
      .toEqual(['MOTOR_STALL', 'LOW_RESERVOIR']);
    const banner = page.getByTestId('alarm-banner');
    const bannerText = (await banner.innerText()) ?? '';
    expect(bannerText).not.toMatch(/more\)/);
    expect(bannerText).toContain('Critical: Motor stall');
    expect(bannerText).toContain('Non-critical: Low reservoir');
    expect(bannerText).toMatch(/withdrawal/);
    expect(bannerText).toContain('Action:');

    // A critical alarm sounds: the longest silence offered is 1 h, and silencing asks first.
    const options = await page
      .getByLabel('Silence for')
      .locator('option')
      .evaluateAll((o) => o.map((x) => x.textContent));
    expect(options).toEqual(['15 min', '1 h']);
    await page.getByRole('button', { name: 'Silence alarms' }).click();
    const dialog = page.getByTestId('confirm-silence-critical');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Motor stall');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await banner.getAttribute('data-tone-active')).toBe('true');
    await page.getByRole('button', { name: 'Silence alarms' }).click();
    await dialog.getByRole('button', { name: 'Silence for 1 h' }).click();
    await expect.poll(() => banner.getAttribute('data-tone-active')).toBe('false');
    const after = await host.bench.state();
    const stall = after.status.alarms.find((a) => a.code === 'MOTOR_STALL')!;
    expect(stall.silencedUntil).toBe(after.status.pumpTime + 3600);
    expect(await banner.innerText()).toContain(
      `Silenced until ${formatLocalDateTime(stall.silencedUntil!, PARIS)}`,
    );
    expect(await page.getByTestId('app-message').count()).toBe(0);
    await screenshot(page, 'issue17-two-alarms-silenced');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The event log: focus on its heading, announced; entries in words and local time, raw one click away.
    await page.getByRole('button', { name: 'Event log' }).click();
    await page.getByRole('heading', { name: 'Event log' }).waitFor();
    await expect.poll(() => focusedHeading(page)).toBe('Event log');
    await expect.poll(() => page.getByTestId('screen-announcer').textContent()).toBe('Event log screen');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toMatch(/matching of \d+ read/);
    expect(await page.getByTestId('log-zone').textContent()).toContain('Europe/Paris');
    // Every page of the log, in words.
    let logText = await clinicianText(page);
    while (await page.getByRole('button', { name: 'Older' }).isEnabled()) {
      await page.getByRole('button', { name: 'Older' }).click();
      logText += await clinicianText(page);
    }
    expect(logText).not.toMatch(RAW);
    expect(logText).toContain('Motor stall silenced until');
    expect(logText).toContain('Alarm raised');
    expect(logText).toContain('Withdrew 0.0 mL, filled 20.0 mL of 2000 mcg/mL');
    expect(logText).toContain('Simple continuous 400 mcg/day');
    const firstTime = await page
      .locator('[data-testid=log-table] tbody tr[data-kind] td')
      .nth(1)
      .textContent();
    expect(firstTime).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d$/);
    await page.getByLabel('Show raw records').check();
    await expect.poll(() => page.getByTestId('log-raw').first().textContent()).toMatch(/Z \d{9,} [A-Z_]+ /);
    expect(await page.getByText('PROGRAM continuous 400000 ng/d', { exact: false }).count()).toBe(1);
    await screenshot(page, 'issue17-log-words');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Back to the summary: focus and announcement again.
    await page.getByRole('button', { name: 'Back to summary' }).click();
    await expect.poll(() => focusedHeading(page)).toBe('Pump summary');
    await expect.poll(() => page.getByTestId('screen-announcer').textContent()).toBe('Pump summary screen');
  });
});
