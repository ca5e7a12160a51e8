/**
 * The programmer shell end to end in Chromium against the browser host and its embedded pump:
 * connect and interrogate, summary values against the bench's view of the pump, event-log paging,
 * protocol monitor, stale values after a link loss; axe scans and layouts of each screen.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  formatDose,
  formatLocalDate,
  formatRate,
  formatReservoirVolume,
  formatVolume,
} from '../../src/shared/clinical';
import {
  connectVirtualPump,
  fillAndRun,
  overflowingLayouts,
  screenshot,
  seriousA11yViolations,
  stackPerFile,
} from './helpers';

// Paused clock: the values on screen and the bench's state stay equal while the test compares them.
// The connect screen is the first test's subject, so the page starts blank.
const s = stackPerFile({
  simArgs: '--paused',
  program: fillAndRun(400_000),
  connect: false,
  async prepare(api) {
    // Stop/resume pairs fill the event log beyond one page.
    for (let i = 0; i < 6; i++) {
      expect((await api.stopPump({})).ok).toBe(true);
      expect((await api.resumePump({})).ok).toBe(true);
    }
  },
});

/** Leave a screen whatever happened in the test, so the next test starts on the summary. */
async function backToSummary() {
  const back = s.page.getByRole('button', { name: /^(Back|Back to summary)$/ });
  if (await back.count()) await back.first().click();
  await s.page.getByRole('heading', { name: 'Pump summary' }).waitFor();
}

describe('programmer shell', () => {
  it('connect screen: origin first, accessible, fits both layouts', async () => {
    const { page } = s;
    await page.goto(s.host.url);
    await page.getByRole('heading', { name: 'Connect to the pump' }).waitFor();
    const connect = page.getByRole('button', { name: 'Connect to virtual pump and interrogate' });
    // The spasticity origin is chosen before interrogating (the titration limits depend on it).
    await expect.poll(() => page.getByTestId('link-state').getAttribute('data-transport')).toBe('open');
    expect(await connect.isDisabled()).toBe(true);
    // The session's patient ID and clinician come first; a bad one says why and keeps Connect disabled.
    await page.getByLabel('Patient ID').fill('<script>');
    await page.getByLabel('Clinician').fill('....');
    await page.getByLabel('Cerebral origin').check();
    await page.getByLabel('Child under 12 years').check();
    expect(await connect.isDisabled()).toBe(true);
    expect(await page.locator('#patient-id-error').textContent()).toMatch(/Letters, digits/);
    expect(await page.locator('#clinician-error').textContent()).toMatch(/Letters|clinician/);
    await page.getByLabel('Patient ID').fill('MRN-0042');
    await page.getByLabel('Clinician').fill('Dr Anne Martin');
    expect(await connect.isEnabled()).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Connect to the pump' }).waitFor();
    await expect.poll(() => page.getByTestId('link-state').getAttribute('data-transport')).toBe('open');
    await page.getByLabel('Patient ID').fill('MRN-0042');
    await page.getByLabel('Clinician').fill('Dr Anne Martin');
    expect(await connect.isDisabled()).toBe(true);
    await page.getByLabel('Cerebral origin').check();
    // ... and so is the age group (children under 12 get the label's paediatric rules)
    expect(await connect.isDisabled()).toBe(true);
    await page.getByLabel('Child under 12 years').check();
    expect(await connect.isEnabled()).toBe(true);
    expect(await page.getByTestId('safety-statement').textContent()).toBe(
      'Training and test bench — not a medical device',
    );
    await screenshot(page, 'connect');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await overflowingLayouts(page, 'connect')).toEqual([]);
  });

  it('interrogates and shows the pump summary with units, as the pump reports it', async () => {
    const { page } = s;
    await connectVirtualPump(page, s.host.url, 'spinal');
    const { status } = await s.host.bench.state();
    const text = (id: string) => page.getByTestId(id).textContent();
    expect(await text('summary-serial')).toBe(status.serial);
    expect(await text('summary-model')).toBe(status.model);
    expect(await text('summary-dose')).toBe(formatDose(status.dailyDoseNgPerDay));
    expect(await text('summary-dose')).toBe('400 mcg/day');
    expect(await text('summary-rate')).toBe(formatRate(status.rateUlPerDay));
    expect(await text('summary-concentration')).toBe('2000 mcg/mL');
    expect(await text('summary-reservoir')).toBe(formatReservoirVolume(status.reservoirVolumeUl));
    expect(await text('summary-alarm-threshold')).toBe(formatVolume(status.lowReservoirAlarmVolumeUl));
    // Local dates in the browser's locale and zone (issue 17).
    const clinic = await page.evaluate(() => ({
      locale: navigator.language,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }));
    expect(await text('summary-alarm-date')).toBe(formatLocalDate(status.lowReservoirAlarmTime!, clinic));
    expect(await text('summary-mode')).toContain('Simple continuous');
    expect(await text('summary-next-refill')).toMatch(/\d{4}/);
    expect(await text('summary-next-refill')).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(await text('header-origin')).toContain('spinal');
    expect(await page.getByTestId('link-state').getAttribute('data-link-state')).toBe('connected');
    expect(await text('link-stats')).toMatch(
      /frames \d+ sent\/\d+ received · retries \d+ · CRC errors \d+ · repaired \d+ · timeouts \d+/,
    );
    expect(await page.getByTestId('flex-chart').count()).toBe(1);
    expect(await page.locator('#reservoir-meter').getAttribute('value')).toBe(
      String(status.reservoirVolumeUl),
    );
    expect(await page.getByTestId('stale-badge').count()).toBe(0);
    await screenshot(page, 'summary');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await overflowingLayouts(page, 'summary')).toEqual([]);
  });

  it('pages the event log 10 at a time, newest first, and filters by kind', async () => {
    const { page } = s;
    onTestFinished(() => backToSummary());
    await page.getByRole('button', { name: 'Event log' }).click();
    await page.getByRole('heading', { name: 'Event log' }).waitFor();
    const rows = page.locator('[data-testid=log-table] tbody tr[data-seq]');
    await expect.poll(() => rows.count()).toBe(10);
    const seqs = async () =>
      await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
    const first = await seqs();
    expect([...first].sort((a, b) => b - a)).toEqual(first);
    expect(await page.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Older' }).click();
    expect(await page.getByTestId('log-page').textContent()).toMatch(/^Page 2 of \d+$/);
    const second = await seqs();
    expect(Math.max(...second)).toBeLessThan(Math.min(...first));
    await page.getByRole('button', { name: 'Newer' }).click();
    expect(await seqs()).toEqual(first);

    const log = await s.host.bench.request<{ entries: { kind: string }[] }>(
      'GET',
      '/log?offset=0&count=1000',
    );
    const stopped = log.entries.filter((e) => e.kind === 'STOPPED').length;
    expect(stopped).toBeGreaterThanOrEqual(6); // the six stops, and the stop inside each program update
    await page.getByLabel('Kind').selectOption('STOPPED');
    await expect
      .poll(() => page.getByTestId('log-count').textContent())
      .toMatch(new RegExp(`^${stopped} matching`));
    await expect.poll(() => rows.count()).toBe(Math.min(stopped, 10));
    // The row keeps the pump's kind for engineers; the cell says it in words (issue 17).
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(new Set(['STOPPED']));
    const words = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]?.textContent));
    expect(new Set(words)).toEqual(new Set(['Pump stopped']));
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(stopped <= 10);
    await page.getByLabel('Kind').selectOption('ALL');
    await screenshot(page, 'event-log');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await overflowingLayouts(page, 'event-log')).toEqual([]);
  });

  it('protocol monitor shows decoded frames and can pause and clear', async () => {
    const { page } = s;
    onTestFinished(() => backToSummary());
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
    await page.getByRole('button', { name: 'Interrogate again' }).click();
    await page.getByRole('button', { name: 'Protocol monitor' }).click();
    await page.getByRole('heading', { name: 'Protocol monitor' }).waitFor();
    const frameRows = page.locator('[data-testid=frame-table] tbody tr');
    await expect
      .poll(async () => Number(await page.getByTestId('monitor-frames').textContent()))
      .toBeGreaterThan(0);
    expect(await frameRows.first().textContent()).toMatch(/pump/);
    expect(await page.locator('[data-testid=frame-table] td.hex').first().textContent()).toMatch(
      /^[0-9A-F]{2}( [0-9A-F]{2})*/,
    );
    await screenshot(page, 'protocol-monitor');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await overflowingLayouts(page, 'protocol-monitor')).toEqual([]);

    await page.getByRole('button', { name: 'Pause' }).click();
    const frozen = await frameRows.count();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Interrogate again' }).click();
    await page.getByRole('button', { name: 'Protocol monitor' }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    expect(await page.getByTestId('monitor-frames').textContent()).toBe('0');
    expect(frozen).toBeGreaterThan(0);
  });

  it('marks values stale when the link is lost, and fresh again after it returns', async () => {
    const { page } = s;
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
    await s.host.bench.linkFaults({ disconnected: true });
    try {
      // The keepalive notices the silence; or the next command does.
      await page.getByRole('button', { name: 'Interrogate again' }).click();
      await page.getByTestId('stale-badge').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('stale-badge').textContent()).toMatch(
        /^STALE — link lost( at \d\d:\d\d)?$/,
      );
      expect(await page.getByTestId('summary-dose').getAttribute('data-stale')).toBe('true');
      expect(await page.getByRole('button', { name: 'Titrate' }).isDisabled()).toBe(true);
      await screenshot(page, 'summary-stale');
    } finally {
      await s.host.bench.linkFaults({ disconnected: false });
    }
    // Fresh values need a new interrogation over the restored link.
    await expect
      .poll(
        async () => {
          const again = page.getByRole('button', { name: 'Interrogate again' });
          if (await again.isEnabled()) await again.click();
          return page.getByTestId('stale-badge').count();
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe(0);
    expect(await page.getByTestId('summary-dose').getAttribute('data-stale')).toBe('false');
  });
});
