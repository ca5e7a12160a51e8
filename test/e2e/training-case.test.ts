/**
 * Issue 19 in Chromium: a trainee starts the unsensed-occlusion case from the library, acts (interrogates,
 * reads the log, treats the withdrawal at the bedside, investigates the catheter and refers it for
 * revision), finishes, and reads a debrief whose expectations, times and chart match what happened. Time
 * is moved by the bench (the instructor's channel), never by sleeping.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLocalDateTime } from '../../src/shared/clinical';
import {
  BenchClient,
  openBedside,
  orderAtBedside,
  screenshot,
  seriousA11yViolations,
  startStack,
  type Stack,
  E2E_CLINICIAN,
  E2E_PATIENT_ID,
} from './helpers';

const CLINIC = { timeZone: 'Europe/Paris', locale: 'en-GB' };
const H = 3600;

let stack: Stack | null = null;
afterAll(async () => {
  await stack?.close();
});

/** A free loopback port: the bench keeps it when the embedded pump restarts with the case. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface CaseOnBench {
  startTime: number;
  now: number;
  ended: boolean;
}

describe('issue 19: a training case in the programmer', () => {
  it('occlusion case: start, act, finish, and a debrief that matches what happened', async () => {
    const benchPort = await freePort();
    stack = await startStack({ connect: false, clinic: CLINIC, simArgs: `--bench-port ${benchPort}` });
    const { page, host } = stack;
    await page.goto(host.url);

    // The library by title and objective; the brief; start.
    await page.getByRole('button', { name: 'Start a training case' }).click();
    const list = page.getByTestId('case-list');
    await list.waitFor();
    expect(await list.innerText()).toContain('Recognise early intrathecal baclofen withdrawal');
    await page.getByRole('button', { name: 'Unsensed catheter occlusion presenting as withdrawal' }).click();
    expect(await page.getByTestId('case-brief').innerText()).toContain('The pump has not alarmed.');
    await screenshot(page, 'training-case-brief');
    await page.getByRole('button', { name: 'Start this case' }).click();
    await expect
      .poll(() => page.getByTestId('connect-notice').textContent(), { timeout: 60_000 })
      .toMatch(/Training case started: Unsensed catheter occlusion/);
    await page.getByTestId('case-banner').waitFor();

    // The embedded pump restarted with the case: its bench is on the same port with a new token.
    const bench = new BenchClient(
      `http://127.0.0.1:${benchPort}`,
      readFileSync(host.ready.benchTokenFile!, 'utf8').trim(),
    );
    await bench.request('POST', '/clock', { action: 'pause' });
    const c0 = await bench.request<CaseOnBench>('GET', '/scenario');
    // 15 minutes after the wife's call (14 h in): the message reaches the trainee's banner.
    await bench.advance({ to: c0.startTime + 14 * H + 15 * 60 });
    await expect
      .poll(() => page.getByTestId('case-latest-message').textContent(), { timeout: 20_000 })
      .toMatch(/his legs are stiff again/);

    // Interrogate (the Connect screen connects and interrogates) and read the log.
    expect(await page.getByLabel('Spinal origin').isChecked()).toBe(true);
    await page.getByLabel('Patient ID').fill(E2E_PATIENT_ID);
    await page.getByLabel('Clinician').fill(E2E_CLINICIAN);
    await page.getByRole('button', { name: 'Connect to virtual pump and interrogate' }).click();
    await page.getByRole('button', { name: 'Event log', exact: true }).click();
    await page.getByRole('heading', { name: 'Event log' }).waitFor();

    // At the bedside: treat the withdrawal, investigate the catheter, refer it for revision.
    await openBedside(page);
    await orderAtBedside(page, 'oralBaclofen', { dose: '20' });
    await orderAtBedside(page, 'ivBenzodiazepine', { drug: 'lorazepam', dose: '2' });
    const aspiration = await orderAtBedside(page, 'catheterAspiration');
    expect(aspiration).toMatch(/no CSF/i);
    await expect
      .poll(() => page.getByTestId('case-latest-message').textContent(), { timeout: 20_000 })
      .toMatch(/The catheter is occluded/);
    await bench.advance({ by: 2 * H });
    await orderAtBedside(page, 'catheterRevision');
    await expect
      .poll(() => page.getByTestId('case-latest-message').textContent(), { timeout: 20_000 })
      .toMatch(/intrathecal delivery is restored/);
    await bench.advance({ by: 24 * H });
    const actions = await bench.request<{ action: string; time: number }[]>('GET', '/bedside/actions');
    const baclofenAt = actions.find((a) => a.action === 'oralBaclofen')!.time;

    // Finish: confirm, then the debrief.
    await page.getByRole('button', { name: 'Finish case' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Finish case' }).click();
    await page.getByRole('heading', { name: /^Debrief: / }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('debrief-outcome').textContent()).toBe('Passed');
    expect(await page.getByTestId('debrief-score').textContent()).toBe('100%');
    const row = (id: string) => page.locator(`[data-testid=debrief-expectations] tr[data-expectation=${id}]`);
    for (const id of ['interrogate', 'read-log', 'no-increase', 'treat-withdrawal', 'investigate', 'restore'])
      expect(await row(id).getAttribute('data-status'), id).toBe('met');
    // The time the debrief gives for the treatment is the pump time the bedside recorded it at.
    expect(await row('treat-withdrawal').innerText()).toContain(formatLocalDateTime(baclofenAt, CLINIC));
    expect(await row('treat-withdrawal').innerText()).toMatch(/oral baclofen/i);
    // Critical expectations are listed first.
    const critical = await page
      .locator('[data-testid=debrief-expectations] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.classList.contains('critical')));
    expect(critical.indexOf(false)).toBeGreaterThan(0);
    expect(critical.slice(critical.indexOf(false))).not.toContain(true);
    // The chart: drawn (a canvas), and its description ends on the programmed dose the pump kept.
    await page.locator('[data-testid=chart-dose] canvas').first().waitFor();
    expect(await page.locator('[data-testid=chart-dose] figcaption').textContent()).toMatch(
      /programmed \(mcg\/day\), last 400/,
    );
    // The expected benefits over the case (issue 21 point 5): drawn, described with their last values.
    await page.locator('[data-testid=chart-benefits] canvas').first().waitFor();
    expect(await page.locator('[data-testid=chart-benefits] figcaption').textContent()).toMatch(
      /pain \(0-10, patient\), last \d+/,
    );
    expect(await page.locator('[data-testid=chart-activities] figcaption').textContent()).toMatch(
      /daily activities \(0-100\), last \d+/,
    );
    const events = await page.getByTestId('debrief-events').innerText();
    expect(events).toMatch(/oral baclofen/i);
    await screenshot(page, 'training-case-debrief');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The debrief exports as a stand-alone HTML document.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export HTML' }).click();
    const file = await (await download).path();
    const html = readFileSync(file!, 'utf8');
    expect(html).toContain('Unsensed catheter occlusion presenting as withdrawal');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});
