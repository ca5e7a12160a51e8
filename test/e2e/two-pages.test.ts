/**
 * Issue 20, point 4: the instructor and the trainee on two pages at once, through the real path (browser
 * host, embedded sim, pty). The instructor injects a catheter occlusion and speeds time; the trainee
 * examines the patient and sees withdrawal develop; the trainee treats it (IV lorazepam), investigates the
 * catheter and refers it for revision, which the instructor (playing the surgeon) carries out; the
 * instructor sees each action as it happens; one global pause freezes both pages: the pump time and the
 * vital signs stay the same over a real interval. Screenshots of both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  examineAtBedside,
  fillAndRun,
  openBedside,
  orderAtBedside,
  screenshot,
  startStack,
  type ExamOnScreen,
  type Stack,
} from './helpers';
import { openInstructor, unchangedOver, type InstructorPage } from './instructor-helpers';

let stack: Stack;
let instructor: InstructorPage;

beforeAll(async () => {
  // A spinal patient established on 400 mcg/day, the pump filled and running at that dose, time paused.
  stack = await startStack({ simArgs: '--paused --patient spinal:400', program: fillAndRun(400_000) });
  instructor = await openInstructor(stack.host, stack.browser.browser);
});
afterAll(async () => {
  await stack?.close();
});

describe('instructor and trainee, two pages at once', () => {
  it('occlusion: withdrawal develops at the bedside, the trainee acts, the instructor sees it live, one pause freezes both', async () => {
    const trainee = stack.page;
    await openBedside(trainee);
    const baseline: ExamOnScreen = await examineAtBedside(trainee);
    expect(baseline.says).not.toContain('"My legs are stiff again."');

    // The instructor: a full catheter occlusion (the pump cannot sense it), time x100000 until moderate.
    await instructor.catheter('fullOcclusion');
    await instructor.autoPauseOnWithdrawal('moderate');
    await instructor.speed(100_000);
    await instructor.resume();
    await expect
      .poll(() => instructor.page.getByTestId('clock-mode').innerText(), { timeout: 60_000, interval: 200 })
      .toMatch(/^Paused/);
    expect(await instructor.withdrawalStage()).toMatch(/moderate|severe/);

    // The trainee examines again: withdrawal signs, in what the patient says and what is seen.
    const later = await examineAtBedside(trainee);
    expect(later.says).toContain('"My legs are stiff again."');
    expect(later.heartRate).toBeGreaterThan(baseline.heartRate);
    await expect
      .poll(() => instructor.activity(), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/trainee at the bedside: Examined the patient/));
    await screenshot(trainee, 'two-pages-trainee-withdrawal');

    // Treat, investigate, refer: each appears on the instructor's activity feed as it happens.
    await orderAtBedside(trainee, 'ivBenzodiazepine', { drug: 'lorazepam', dose: '2' });
    await expect
      .poll(() => instructor.activity(), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/trainee at the bedside: IV lorazepam 2 mg/));
    expect(await orderAtBedside(trainee, 'catheterAspiration')).toMatch(/no CSF/i);
    await orderAtBedside(trainee, 'catheterRevision');
    await expect
      .poll(() => instructor.activity(), { timeout: 10_000 })
      .toContainEqual(expect.stringMatching(/trainee at the bedside: Refer for catheter revision/));
    // The instructor plays the surgeon: the catheter is revised, delivery reaches the spinal fluid again.
    await instructor.catheter('patent');
    expect(await instructor.page.getByTestId('catheter-true').innerText()).toBe('patent');
    await screenshot(instructor.page, 'two-pages-instructor-activity');

    // One global pause: both pages' clocks and the patient's vital signs stand still over a real interval.
    await instructor.speed(3600);
    await instructor.resume();
    const t0 = await instructor.pumpTime();
    await expect.poll(() => instructor.pumpTime(), { timeout: 10_000 }).not.toBe(t0);
    await instructor.pause();
    await trainee.getByTestId('view-pump').click();
    const pumpTimeOnTrainee = () => trainee.getByTestId('summary-pump-time').innerText();
    const before = await pumpTimeOnTrainee();
    await trainee.getByRole('button', { name: 'Interrogate again' }).click();
    await expect.poll(pumpTimeOnTrainee, { timeout: 10_000 }).not.toBe(before);
    const frozenTrainee = await pumpTimeOnTrainee();
    const frozen = await unchangedOver(() => instructor.pumpTime(), 2000);
    await unchangedOver(() => instructor.vitals(), 1000);
    // Interrogated again after a real interval: the pump's time has not moved.
    await trainee.getByRole('button', { name: 'Interrogate again' }).click();
    expect(await unchangedOver(pumpTimeOnTrainee, 1500)).toBe(frozenTrainee);
    await openBedside(trainee);
    const a = await examineAtBedside(trainee);
    const b = await examineAtBedside(trainee);
    expect([b.heartRate, b.temperature, b.ashworth]).toEqual([a.heartRate, a.temperature, a.ashworth]);
    expect(await instructor.pumpTime()).toBe(frozen);
    await screenshot(trainee, 'two-pages-trainee-paused');
    await screenshot(instructor.page, 'two-pages-instructor-paused');
    expect(instructor.errors).toEqual([]);
  });
});
