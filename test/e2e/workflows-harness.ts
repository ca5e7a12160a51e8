/**
 * Harness for the workflow end-to-end tests: the browser host (`npm run web`'s src/main/web-host.ts, with its
 * embedded firmware-sim on a pty), Debian's Chromium through playwright-core, and the bench API client.
 * The shell's shared helpers (test/e2e/helpers.ts) did not exist when these tests were written; when they
 * land, this file should delegate to them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface Ready {
  url: string;
  bench: string | null;
  benchTokenFile: string | null;
}

export interface Stack {
  page: Page;
  ready: Ready;
  bench(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

let webRoot: string | null = null;

/**
 * The renderer built once per test process into a private directory: out/web is shared with whoever runs
 * `npm run build:web` meanwhile (its emptyOutDir would pull the page away mid-test).
 */
function buildRenderer(): string {
  if (webRoot) return webRoot;
  const dir = mkdtempSync(join(tmpdir(), 'itb-e2e-web-'));
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'vite.web.config.ts',
      '--outDir',
      dir,
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  webRoot = dir;
  return dir;
}

/** Start host + pump + browser; the page is connected to the virtual pump and on the summary screen. */
export async function startStack(origin: 'spinal' | 'cerebral' = 'spinal', simArgs = ''): Promise<Stack> {
  const root = buildRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'itb-e2e-wf-'));
  const args = ['--import', 'tsx', 'src/main/web-host.ts', '--data-dir', dataDir, '--root', root];
  if (simArgs) args.push('--sim-args', simArgs);
  // Its own process group, so the embedded firmware-sim goes down with it whatever happens.
  const host: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const killHost = async () => {
    if (!host.pid || host.exitCode !== null) return;
    const exited = new Promise((r) => host.once('exit', r));
    host.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      process.kill(-host.pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  };
  let stderr = '';
  host.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const ready = await new Promise<Ready>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`web host not ready in 60 s:\n${stderr}`)), 60_000);
    createInterface({ input: host.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as Ready & { event?: string };
      if (msg.event === 'ready') {
        clearTimeout(timer);
        res(msg);
      }
    });
    host.once('exit', (code) => rej(new Error(`web host exited ${code}:\n${stderr}`)));
  }).catch(async (err: unknown) => {
    await killHost();
    throw err;
  });
  const userDataDir = mkdtempSync(join(tmpdir(), 'itb-e2e-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      viewport: { width: 1024, height: 768 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    await killHost();
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => undefined);
    await killHost();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await page.goto(ready.url);
    await page.getByLabel(origin === 'spinal' ? 'Spinal origin' : 'Cerebral origin').check();
    const connect = page.getByRole('button', { name: 'Connect to virtual pump and interrogate' });
    // The page's WebSocket to the host occasionally stays at "Connecting to programmer host" on this busy
    // machine; a reload (as a clinician would) gets it going.
    for (let attempt = 0; attempt < 3 && (await connect.isDisabled()); attempt++) {
      await connect.waitFor({ state: 'visible' });
      const enabled = await page
        .waitForFunction(
          () => {
            const b = [...document.querySelectorAll('button')].find((x) =>
              x.textContent?.startsWith('Connect to virtual'),
            );
            return !!b && !(b as HTMLButtonElement).disabled;
          },
          undefined,
          { timeout: 10_000 },
        )
        .then(() => true)
        .catch(() => false);
      if (enabled) break;
      await page.reload();
      await page.getByLabel(origin === 'spinal' ? 'Spinal origin' : 'Cerebral origin').check();
    }
    await connect.click();
    await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor({ timeout: 30_000 });
  } catch (err) {
    await screenshot(page, `startup-failure-${origin}`).catch(() => undefined);
    await close();
    throw err;
  }
  const token = ready.benchTokenFile ? readFileSync(ready.benchTokenFile, 'utf8').trim() : '';
  return {
    page,
    ready,
    async bench(path, body) {
      if (!ready.bench) throw new Error('no bench API');
      const r = await fetch(`${ready.bench}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await r.json()) as unknown;
      if (!r.ok) throw new Error(`bench ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    },
    close,
  };
}

export async function screenshot(page: Page, name: string, path?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path ?? join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core scan: the serious and critical violations (expected to be none). */
export async function axeSerious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export const DOCS = join(ROOT, 'docs');

export interface RefillSteps {
  withdrawn: string;
  concentration: '50' | '500' | '1000' | '2000';
  fill: string;
  dose?: string;
  bridge?: 'accept' | 'decline';
}

/**
 * Walk the refill workflow's task screens (from the summary) up to its review screen. Used by the refill
 * tests and to fill the fresh, empty virtual pump before the other workflows.
 */
export async function refillToReview(page: Page, r: RefillSteps): Promise<void> {
  await page.getByRole('button', { name: 'Refill', exact: true }).click();
  await page.getByTestId('refill-withdrawn').fill(r.withdrawn);
  await page.getByTestId('refill-next').click();
  await page.getByTestId(`refill-conc-${r.concentration}`).check();
  await page.getByTestId('refill-conc-confirm').fill(r.concentration);
  await page.getByTestId('refill-next').click();
  await page.getByTestId('refill-fill').fill(r.fill);
  await page.getByTestId('refill-next').click();
  if (r.bridge) {
    await page.getByTestId('refill-bridge-offer').waitFor();
    await page.getByTestId(`refill-bridge-${r.bridge}`).check();
    await page.getByTestId('refill-next').click();
  }
  if (r.dose !== undefined) await page.getByTestId('refill-dose').fill(r.dose);
  await page.getByTestId('to-review').click();
  await page.getByTestId('review-table').waitFor();
}

/** Press Update pump on the review screen and wait for the read-back; returns its outcome. */
export async function updateAndVerify(page: Page, overrideReason?: string): Promise<string | null> {
  if (overrideReason !== undefined) await page.getByTestId('override-reason').fill(overrideReason);
  const button = page.getByTestId('update-pump');
  if (await button.isDisabled()) {
    const findings = await page
      .getByTestId('review-findings')
      .innerText()
      .catch(() => '');
    const blockers = await page
      .getByTestId('commit-blockers')
      .innerText()
      .catch(() => '');
    throw new Error(`Update pump is disabled.\nFindings: ${findings}\nBlockers: ${blockers}`);
  }
  await button.click();
  const v = page.getByTestId('verify-result');
  await v.waitFor({ timeout: 30_000 });
  return v.getAttribute('data-outcome');
}

/** Fill the fresh pump: 20 mL of 500 mcg/mL baclofen at `dose` mcg/day. */
export async function initialFill(page: Page, dose = '400'): Promise<void> {
  await refillToReview(page, { withdrawn: '0', concentration: '500', fill: '20', dose });
  // A first dose has nothing to compare with: the rules ask for the prescription as the stated reason.
  const outcome = await updateAndVerify(
    page,
    'First fill after implant: dose as prescribed after screening.',
  );
  if (outcome !== 'match') throw new Error(`initial fill not verified: ${outcome}`);
  await page.getByTestId('workflow-done').click();
  await page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
}

/** Move the pump's clock on (bench channel) and re-interrogate from the summary screen. */
export async function advanceDays(s: Stack, days: number): Promise<void> {
  await s.bench('/clock/advance', { by: days * 86_400 });
  await s.page.getByRole('button', { name: 'Interrogate again' }).click();
  await s.page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
}
