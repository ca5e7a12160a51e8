/**
 * Alarms end to end: raised on the pump through the bench (clock, faults), shown in the banner and list,
 * tones scheduled (window.__toneLog, data-tones-scheduled) and stopped by Silence; the alarm test.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  fillAndRun,
  screenshot,
  seriousA11yViolations,
  startStack,
  toneLog,
  type BrowserSession,
  type Stack,
} from './helpers';

let stack: Stack | null = null;

/** A fresh pump filled and running at 400 mcg/day, the programmer connected to it. */
async function setUp(simArgs: string): Promise<Stack> {
  stack = await startStack({ simArgs, program: fillAndRun(400_000) });
  return stack;
}

async function tearDown() {
  await stack?.close();
  stack = null;
}
afterEach(tearDown);
afterAll(tearDown);

async function expectBanner(b: BrowserSession, code: string) {
  const banner = b.page.getByTestId('alarm-banner');
  await banner.waitFor({ timeout: 30_000 });
  expect(await banner.getAttribute('role')).toBe('alert');
  await expect
    .poll(() => b.page.locator(`[data-testid=alarm-list] li[data-alarm-code=${code}]`).count())
    .toBe(1);
  return banner;
}

async function silenceAndCheck(b: BrowserSession, name: string) {
  const banner = b.page.getByTestId('alarm-banner');
  await expect.poll(() => banner.getAttribute('data-tone-active')).toBe('true');
  const scheduled = Number(await banner.getAttribute('data-tones-scheduled'));
  expect(scheduled).toBeGreaterThan(0);
  expect((await toneLog(b.page)).length).toBe(scheduled);
  await b.page.getByLabel('Silence for').selectOption('60');
  await b.page.getByRole('button', { name: 'Silence alarms' }).click();
  // A sounding critical alarm: the silence is confirmed first (issue 17); a non-critical one is not asked.
  const critical = ((await banner.getAttribute('class')) ?? '').split(' ').includes('critical');
  const confirm = b.page.getByTestId('confirm-silence-critical');
  if (critical) {
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Silence for 1 h' }).click();
  } else {
    expect(await confirm.count()).toBe(0);
  }
  // Silenced: no repeat pending and no new tone; the alarm stays listed until its cause is gone.
  await expect.poll(() => banner.getAttribute('data-tone-active')).toBe('false');
  expect(Number(await banner.getAttribute('data-tones-scheduled'))).toBe(scheduled);
  expect(await b.page.getByTestId('alarm-list').textContent()).toContain('silenced until');
  await screenshot(b.page, `${name}-silenced`);
}

describe('alarms', () => {
  it('low reservoir: non-critical alarm shown, single tone scheduled, silenced', async () => {
    const { host, browser: b } = await setUp('--paused');
    const { status } = await host.bench.state();
    await host.bench.advance({ to: status.lowReservoirAlarmTime! + 60 });
    const banner = await expectBanner(b, 'LOW_RESERVOIR');
    expect(await banner.getAttribute('data-top-alarm')).toBe('LOW_RESERVOIR');
    const tones = await toneLog(b.page);
    expect(tones[0]).toMatchObject({ code: 'LOW_RESERVOIR', priority: 'nonCritical' });
    await screenshot(b.page, 'alarm-low-reservoir');
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await silenceAndCheck(b, 'alarm-low-reservoir');
  });

  it('catheter occlusion on the engineering profile: critical alarm first, two-tone scheduled, silenced', async () => {
    const { host, browser: b } = await setUp('--model SM2-20-ENG --paused');
    const { status } = await host.bench.state();
    // A low-reservoir alarm first, then the occlusion: the critical one must be listed and sounded first.
    await host.bench.advance({ to: status.lowReservoirAlarmTime! + 60 });
    await expectBanner(b, 'LOW_RESERVOIR');
    await host.bench.fault({ kind: 'catheter', state: 'fullOcclusion' });
    await host.bench.advance({ by: 86_400 });
    const banner = await expectBanner(b, 'CATHETER_OCCLUSION');
    await expect.poll(() => banner.getAttribute('data-top-alarm')).toBe('CATHETER_OCCLUSION');
    const codes = await b.page
      .locator('[data-testid=alarm-list] li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-alarm-code')));
    expect(codes.indexOf('CATHETER_OCCLUSION')).toBeLessThan(codes.indexOf('LOW_RESERVOIR'));
    const critical = (await toneLog(b.page)).filter((t) => t.code === 'CATHETER_OCCLUSION');
    expect(critical[0]).toMatchObject({ priority: 'critical' });
    await screenshot(b.page, 'alarm-occlusion');
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await silenceAndCheck(b, 'alarm-occlusion');
  });

  it('end of service: critical alarm, delivery suspended, silenced', async () => {
    const { host, browser: b } = await setUp('--paused');
    await host.bench.fault({ kind: 'battery', to: 'endOfService' });
    await expectBanner(b, 'END_OF_SERVICE');
    const tones = await toneLog(b.page);
    expect(tones.find((t) => t.code === 'END_OF_SERVICE')).toMatchObject({ priority: 'critical' });
    await b.page.getByRole('button', { name: 'Interrogate again' }).click();
    await expect.poll(() => b.page.getByTestId('summary-battery').textContent()).toBe('End of service');
    await screenshot(b.page, 'alarm-end-of-service');
    await silenceAndCheck(b, 'alarm-end-of-service');
  });

  it('alarm test plays both patterns, critical then non-critical', async () => {
    const { browser: b } = await setUp('--paused');
    await b.page.getByRole('button', { name: 'Alarm test' }).click();
    await expect
      .poll(async () => (await toneLog(b.page)).filter((t) => t.code === 'ALARM_TEST').map((t) => t.priority))
      .toEqual(['critical', 'nonCritical']);
    expect(await b.page.getByTestId('app-message').textContent()).toContain('Alarm test');
  });
});
