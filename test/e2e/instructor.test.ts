/**
 * The instructor console in Chromium (issue 20, points 1 and 4, the instructor's half): beside the trainee's
 * programmer, the instructor injects a catheter occlusion and speeds time; the patient's withdrawal shows on
 * the monitor and in the trends, and the clock pauses itself there as asked; the trainee's actions appear
 * live; one global pause freezes the pump time and the vital signs over a real interval. Screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillAndRun, screenshot, seriousA11yViolations, startStack, type Stack } from './helpers';
import { openInstructor, unchangedOver, type InstructorPage } from './instructor-helpers';

let stack: Stack;
let console_: InstructorPage;

beforeAll(async () => {
  // A spinal patient established on 400 mcg/day, the pump filled and running at that dose, time paused.
  stack = await startStack({ simArgs: '--paused --patient spinal:400', program: fillAndRun(400_000) });
  console_ = await openInstructor(stack.host, stack.browser.browser);
});
afterAll(async () => {
  await stack?.close();
});

describe('instructor console', () => {
  it('opens with its own token and shows time, the patient and the truth', async () => {
    expect(stack.host.ready.instructorUrl).toMatch(/\/instructor\/\?token=[0-9a-f]{64}$/);
    expect(await console_.pumpTime()).toMatch(/\d{4}, \d{2}:\d{2}:\d{2} \S+$/); // local time with its zone
    expect(await console_.withdrawalStage()).toBe('none');
    expect(await console_.page.getByTestId('dose-programmed').innerText()).toBe('400 mcg/day programmed');
    expect(await console_.page.getByTestId('reservoir-calculated').innerText()).toMatch(/^\d+\.\d{1,3} mL$/);
    expect(await seriousA11yViolations(console_.page)).toEqual([]);
    await screenshot(console_.page, 'instructor-console-start');
  });

  it('a catheter occlusion and x100000: withdrawal develops, the trends show it, and time pauses itself there', async () => {
    const p = console_.page;
    await console_.catheter('fullOcclusion');
    expect(await p.getByTestId('catheter-true').innerText()).toBe('full occlusion');
    await expect
      .poll(() => console_.activity())
      .toContainEqual(expect.stringMatching(/instructor injected catheter full occlusion$/));
    await console_.autoPauseOnWithdrawal('moderate');
    await console_.speed(100_000);
    await console_.resume();
    // About 1 pump day per host second: withdrawal from a full occlusion evolves over 1-3 days.
    await expect
      .poll(() => console_.withdrawalStage(), { timeout: 60_000, interval: 200 })
      .toMatch(/moderate|severe|life-threatening/);
    await expect.poll(() => p.getByTestId('clock-mode').innerText(), { timeout: 10_000 }).toMatch(/^Paused/);
    await expect
      .poll(() => console_.activity())
      .toContainEqual(expect.stringMatching(/time paused itself: withdrawal reached/));
    // The trends: withdrawal signs rose from nothing, and the dose that reached the spinal fluid fell.
    await expect
      .poll(async () => (await console_.chartEnds('chart-spasticity'))[2], { timeout: 10_000 })
      .toSatisfy((ends: [number | null, number | null]) => ends[0] === 0 && (ends[1] ?? 0) > 0);
    expect(await p.getByTestId('dose-delivered').innerText()).toMatch(
      /^\d+(\.\d)? mcg\/day reached the spinal fluid$/,
    );
    await screenshot(p, 'instructor-console-withdrawal');
  });

  it('the trainee’s actions appear as they happen', async () => {
    const before = (await console_.activity()).filter((t) => / trainee /.test(t)).length;
    await stack.page.getByRole('button', { name: 'Interrogate again' }).click();
    await expect
      .poll(async () => (await console_.activity()).filter((t) => / trainee /.test(t)).length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(before);
    await expect
      .poll(() => console_.activity(), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/ trainee interrogate$/));
  });

  it('one global pause freezes the pump time and the vital signs', async () => {
    await console_.resume();
    const t0 = await console_.pumpTime();
    await expect.poll(() => console_.pumpTime(), { timeout: 10_000 }).not.toBe(t0);
    await console_.pause();
    const frozen = await unchangedOver(() => console_.pumpTime(), 2000);
    const vitals = await unchangedOver(() => console_.vitals(), 1000);
    expect(vitals).toMatch(/bpm/);
    // The pump itself stands still, not only the page.
    const a = (await stack.host.bench.state()).clock.pumpTime;
    expect(await console_.pumpTime()).toBe(frozen);
    expect((await stack.host.bench.state()).clock.pumpTime).toBe(a);
    expect(console_.errors).toEqual([]);
    await screenshot(console_.page, 'instructor-console-paused');
  });
});
