/**
 * The trainee at the bedside in Chromium (issue 20, point 4, the trainee's half): a patient established on
 * intrathecal baclofen, a catheter occlusion injected through the bench (the pump cannot sense it), time
 * moved on by the bench; the trainee examines the patient on the Bedside tab and sees withdrawal develop,
 * aspirates the catheter access port (no CSF), gives IV lorazepam, and finds each action listed with its
 * local time; the bench (the instructor's channel) sees the same actions. Time moves only by the bench's
 * clock advance on a paused pump. The two-page version with the instructor console extends this file's
 * helpers (openBedside, examineAtBedside, orderAtBedside in helpers.ts).
 */
import { describe, expect, it } from 'vitest';
import type { BedsideAction } from '../../src/shared/bedside';
import {
  examineAtBedside,
  fillAndRun,
  openBedside,
  orderAtBedside,
  screenshot,
  seriousA11yViolations,
  stackPerFile,
} from './helpers';

const H = 3600;

describe('the bedside: an unsensed catheter occlusion presenting as withdrawal', () => {
  const s = stackPerFile({
    // Established on 400 mcg/day; the clock moves only when the bench says so.
    simArgs: '--paused --patient spinal:400',
    program: fillAndRun(400_000),
  });

  it('examine, see withdrawal develop, investigate the catheter, give IV lorazepam: each listed', async () => {
    const { page, host } = s;
    await host.bench.advance({ by: 24 * H });
    await openBedside(page);
    // The pump screens are not on the bedside: no reservoir, no dose, no alarms there.
    expect(await page.getByTestId('bedside').innerText()).not.toMatch(/mcg\/day|reservoir volume|alarm/i);
    const baseline = await examineAtBedside(page);
    expect(baseline.consciousness).toBe('Alert');
    expect(baseline.says.join(' ')).not.toContain('stiff again');
    await screenshot(page, 'bedside-baseline');

    await host.bench.fault({ kind: 'catheter', state: 'fullOcclusion' });
    const exams = [];
    for (let i = 0; i < 3; i++) {
      await host.bench.advance({ by: 12 * H });
      exams.push(await examineAtBedside(page));
    }
    const last = exams.at(-1)!;
    expect(last.says).toContain('"My legs are stiff again."');
    expect(last.heartRate).toBeGreaterThan(baseline.heartRate);
    const grades = ['0', '1', '1+', '2', '3', '4'];
    expect(grades.indexOf(last.ashworth)).toBeGreaterThan(grades.indexOf(baseline.ashworth));
    // Shown in clinic words and units, never the bench's truth.
    const shown = await page.getByTestId('bedside-exam-result').innerText();
    expect(shown).toMatch(/beats\/min/);
    expect(shown).toMatch(/°C/);
    expect(shown).not.toMatch(/withdrawal|occlu|ng\/mL|stage/i);
    // The expected benefits as asked at the visit, and one row per examination so far (issue 21, point 5).
    expect(await page.getByTestId('exam-pain').innerText()).toMatch(/^\d+: (no pain|mild|moderate|severe)$/);
    expect(await page.getByTestId('exam-activities').innerText()).toMatch(/^\d+\/100: \w+/);
    const rows = page.getByTestId('bedside-visit');
    expect(await rows.count()).toBe(4);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim());
    const [first, lastRow] = [await cells(0), await cells(3)];
    expect(first[0]).toBe(baseline.ashworth);
    expect(lastRow[0]).toBe(last.ashworth);
    // Columns: Ashworth, Penn, pain, woken a night, daily activities, caregiver burden: withdrawal undoes them.
    expect(Number(lastRow[2])).toBeGreaterThan(Number(first[2]));
    expect(Number(lastRow[4])).toBeLessThan(Number(first[4]));
    expect(Number(lastRow[5])).toBeGreaterThan(Number(first[5]));
    await screenshot(page, 'bedside-withdrawal-signs');

    const cap = await orderAtBedside(page, 'catheterAspiration');
    expect(cap).toMatch(/No CSF can be aspirated/);
    const given = await orderAtBedside(page, 'ivBenzodiazepine', { drug: 'lorazepam', dose: '2' });
    expect(given).toMatch(/IV lorazepam 2 mg: Given intravenously/);

    // A dose out of range is refused on the screen, nothing given.
    await page.getByTestId('bedside-order-dose').fill('50');
    await page.getByTestId('bedside-order-give').click();
    expect(await page.getByTestId('bedside-error').innerText()).toMatch(/0\.5-10 mg/);

    const list = await page.getByTestId('bedside-actions').innerText();
    expect(list).toMatch(/IV lorazepam 2 mg/);
    expect(list).toMatch(/Catheter access port aspiration/);
    expect(list.match(/Examined the patient/g)).toHaveLength(4);
    // Local times with the zone named once.
    expect(await page.getByTestId('bedside-zone').innerText()).toMatch(/^Times are local, \S+/);
    expect(list).not.toMatch(/\d{4}-\d\d-\d\dT\d\d/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'bedside-lorazepam-given');

    // The instructor's channel sees the same record, with pump times.
    const actions = await host.bench.request<BedsideAction[]>('GET', '/bedside/actions');
    expect(actions.map((a) => a.action)).toEqual([
      'examine',
      'examine',
      'examine',
      'examine',
      'catheterAspiration',
      'ivBenzodiazepine',
    ]);
    const state = await host.bench.state();
    expect(actions.at(-1)!.time).toBe(state.clock.pumpTime);
    const patient = await host.bench.request<{ interventions: { benzodiazepineDiazepamEqMg: number } }>(
      'GET',
      '/patient',
    );
    expect(patient.interventions.benzodiazepineDiazepamEqMg).toBeGreaterThan(19);

    // Back to the programmer: the pump screens, unchanged.
    await page.getByTestId('view-pump').click();
    await page.getByRole('heading', { name: 'Pump summary' }).waitFor();
  });
});
