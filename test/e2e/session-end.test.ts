/**
 * The unsafe session end: stop the pump, end the session, the blocking warning appears (focus trapped,
 * "Go back" the default); going back keeps the session; ending anyway needs a typed reason.
 */
import { describe, expect, it } from 'vitest';
import { fillAndRun, overflowingLayouts, screenshot, seriousA11yViolations, stackPerFile } from './helpers';

const s = stackPerFile({ simArgs: '--paused', program: fillAndRun(300_000) });

describe('ending a session', () => {
  it('stopping the pump asks for confirmation, defaulting to cancel', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Stop pump' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Stop the pump?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, 'stop-confirm');
    await dialog.getByRole('button', { name: 'Stop pump' }).click();
    await page.getByTestId('summary-stopped').waitFor();
    expect(await page.getByTestId('summary-mode').textContent()).toContain('Stopped');
    expect((await s.host.bench.state()).status.mode).toBe('stopped');
  });

  it('ending with the pump stopped shows a blocking warning; Go back keeps the session', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'End session' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'The session is not safe to end' });
    await dialog.waitFor();
    expect(await page.getByTestId('end-session-warning').getAttribute('data-warning-code')).toBe(
      'PUMP_STOPPED',
    );
    expect(await dialog.textContent()).toContain('withdrawal');
    // "Go back" has the focus, and Tab stays inside the dialog.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Go back');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role=alertdialog]'))).toBe(true);
    }
    const endAnyway = dialog.getByRole('button', { name: 'End anyway' });
    expect(await endAnyway.isDisabled()).toBe(true);
    await screenshot(page, 'end-session-warning');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await overflowingLayouts(page, 'end-session-warning')).toEqual([]);

    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
    expect(await page.getByTestId('link-state').getAttribute('data-link-state')).toBe('connected');
  });

  it('Escape is "Go back" too', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'End session' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'The session is not safe to end' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
  });

  it('End anyway needs a typed reason, then ends the session', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'End session' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'The session is not safe to end' });
    await dialog.waitFor();
    const reason = dialog.getByLabel(/Reason for ending anyway/);
    const endAnyway = dialog.getByRole('button', { name: 'End anyway' });
    await reason.fill('   ');
    expect(await endAnyway.isDisabled()).toBe(true);
    // Punctuation or digits are not a reason (issue 17).
    for (const notWords of ['.....', '12345', 'x y z']) {
      await reason.fill(notWords);
      expect(await endAnyway.isDisabled(), notWords).toBe(true);
    }
    await reason.fill('Pump stopped for planned explant tomorrow; oral baclofen cover prescribed.');
    expect(await endAnyway.isEnabled()).toBe(true);
    await endAnyway.click();
    await page.getByRole('heading', { name: 'Connect to the pump' }).waitFor();
    expect(await page.getByTestId('connect-notice').textContent()).toContain('reason was recorded');
    await screenshot(page, 'session-ended');
    // The pump was left as it was: stopped (the clinician's recorded decision).
    expect((await s.host.bench.state()).status.mode).toBe('stopped');
  });
});
