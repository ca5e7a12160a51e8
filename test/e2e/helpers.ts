/**
 * Shared end-to-end helpers: build the renderer once into a private directory, start the browser host
 * (`src/main/web-host.ts`, which starts the embedded firmware-sim), parse its ready line, drive Debian's
 * Chromium with playwright-core, talk to the sim's bench API, take screenshots, run axe-core, check layouts
 * and walk the workflows. Used by every test/e2e/*.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { buildRenderer } from './renderer-build';
import type { DeviceFault, FaultKind, PumpStatus } from '../../src/device/types';
import type { PumpProgram } from '../../src/device/pump-api';
import type { ProgramChangeRequest, ProgrammerBridge } from '../../src/shared/contract';
// The host's first stdout line, read with the product's own parser.
import {
  parseWebHostReadyLine as parseReadyLine,
  type WebHostReadyLine as ReadyLine,
} from '../../src/main/web-host-ready';
import { createWsBridge, hostSocketUrl, type SocketLike, type WsBridge } from '../../src/renderer/api';
import WebSocket from 'ws';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');
export const DOCS = join(ROOT, 'docs');

export interface HostOptions {
  /** Extra arguments for the embedded firmware-sim, e.g. "--model SM2-20-ENG". */
  simArgs?: string;
  /** Give up waiting for the ready line after this long. */
  readyTimeoutMs?: number;
  /** The host's time zone (TZ), for the times the programmer service writes. */
  timeZone?: string;
}

export interface Host {
  ready: ReadyLine;
  url: string;
  bench: BenchClient;
  /** The embedded pump's bedside API (docs/bedside-api.md) and its own token, read from its token file. */
  bedside: { base: string; token: string };
  /** Everything the host wrote to stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The renderer built once for the whole run by test/e2e/global-setup.ts. */
    webRoot: string;
  }
}

let privateWebRoot: string | null = null;

/** The renderer the host serves: built once per run by the global setup, or once per process without it. */
function webRoot(): string {
  const provided = inject('webRoot');
  if (provided) return provided;
  privateWebRoot ??= buildRenderer();
  return privateWebRoot;
}

/**
 * Start the browser host on a random port with a fresh data dir (a new pump every time), serving the
 * private renderer build, and wait for its ready line. The host runs in its own process group, so the
 * embedded firmware-sim goes down with it whatever happens.
 */
export async function startHost(options: HostOptions = {}): Promise<Host> {
  const root = webRoot();
  const dataDir = mkdtempSync(join(tmpdir(), 'itb-e2e-'));
  const args = ['--import', 'tsx', 'src/main/web-host.ts', '--port', '0', '--data-dir', dataDir];
  args.push('--root', root);
  if (options.simArgs) args.push('--sim-args', options.simArgs);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: options.timeZone ? { ...process.env, TZ: options.timeZone } : process.env,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = await new Promise<ReadyLine>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`web host gave no ready line within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const r = parseReadyLine(line);
      if (r) {
        clearTimeout(timer);
        resolveReady(r);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited (${code}) before its ready line:\n${stderr}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  if (!ready.bench || !ready.benchTokenFile) {
    await stop();
    throw new Error('the web host started without an embedded pump (no bench in its ready line)');
  }
  const token = readFileSync(ready.benchTokenFile, 'utf8').trim();
  if (!ready.bedside || !ready.bedsideTokenFile) {
    await stop();
    throw new Error('the web host started without a bedside (no bedside in its ready line)');
  }
  return {
    ready,
    url: ready.url,
    bench: new BenchClient(ready.bench, token),
    bedside: { base: ready.bedside, token: readFileSync(ready.bedsideTokenFile, 'utf8').trim() },
    stderr: () => stderr,
    stop,
  };
}

/** SIGTERM (the host stops its pump, which saves its state), then SIGKILL to the whole group after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

// ---------------------------------------------------------------- bench API (docs/bench-api.md)

export interface BenchState {
  serial: string;
  model: string;
  status: PumpStatus;
  program: PumpProgram;
  truth: unknown;
  clock: { mode: string; speed: number; pumpTime: number; nextEventTime: number | null };
  linkFaults: Record<string, unknown>;
}

export class BenchClient {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`bench ${method} ${path} -> ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  state(): Promise<BenchState> {
    return this.request('GET', '/state');
  }
  advance(by: { by: number } | { to: number }) {
    return this.request('POST', '/clock/advance', by);
  }
  fault(fault: DeviceFault): Promise<BenchState> {
    return this.request('POST', '/faults', fault);
  }
  clearFault(kind: FaultKind): Promise<BenchState> {
    return this.request('DELETE', `/faults/${kind}`);
  }
  linkFaults(settings: Record<string, unknown>) {
    return this.request('POST', '/link-faults', settings);
  }
}

// ---------------------------------------------------------------- browser

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Alarm tones are scheduled without a click first.
  '--autoplay-policy=no-user-gesture-required',
];

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

/** Launch Debian's Chromium (playwright gives each launch a fresh temporary user-data-dir). */
export async function launchBrowser(
  viewport = { width: 1024, height: 768 },
  clinic: { timezoneId?: string; locale?: string } = {},
): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport, ...clinic });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return {
    browser,
    context,
    page,
    errors,
    close: () => browser.close(),
  };
}

/** Full-page screenshot to test-results/screenshots/<name>.png, or to `path` (e.g. one for the docs). */
export async function screenshot(
  page: Page,
  name: string,
  path = join(SCREENSHOT_DIR, `${name}.png`),
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A full-page capture of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe-core violations of impact serious or critical, as readable strings (empty = pass). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** True when nothing overflows horizontally at the current viewport. */
export async function fitsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

export const LAYOUTS = [
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** Check both layouts: returns the sizes that overflow (empty = pass). Restores 1024x768. */
export async function overflowingLayouts(page: Page, name: string): Promise<string[]> {
  const bad: string[] = [];
  for (const size of LAYOUTS) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50); // one layout pass
    if (!(await fitsHorizontally(page))) bad.push(`${size.width}x${size.height}`);
    if (size.width === 1920) await screenshot(page, `${name}-1920x1080`);
  }
  await page.setViewportSize(LAYOUTS[0]);
  return bad;
}

/** The session's patient ID and clinician entered on the Connect screen by `connectVirtualPump`. */
export const E2E_PATIENT_ID = 'MRN-0042';
export const E2E_CLINICIAN = 'Dr Anne Martin';

/**
 * Open the programmer, enter the patient ID and clinician, pick the patient's origin and age group, connect
 * to the embedded pump; waits for the summary.
 */
export async function connectVirtualPump(
  page: Page,
  url: string,
  origin: 'spinal' | 'cerebral' = 'spinal',
  ageGroup: 'adult' | 'childUnder12' = 'adult',
) {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Connect to the pump' }).waitFor();
  // The connect buttons wait for the page's socket to the host.
  const link = page.getByTestId('link-state');
  try {
    await page.locator('[data-testid=link-state][data-transport=open]').waitFor({ timeout: 30_000 });
  } catch {
    throw new Error(
      `the page never reached the host: ${await link.getAttribute('data-transport')} "${await link.textContent()}"`,
    );
  }
  await page.getByLabel('Patient ID').fill(E2E_PATIENT_ID);
  await page.getByLabel('Clinician').fill(E2E_CLINICIAN);
  await page.getByLabel(origin === 'spinal' ? 'Spinal origin' : 'Cerebral origin').check();
  await page.getByLabel(ageGroup === 'adult' ? '12 years or older' : 'Child under 12 years').check();
  await page.getByRole('button', { name: 'Connect to virtual pump and interrogate' }).click();
  await page.getByRole('heading', { name: 'Pump summary' }).waitFor({ timeout: 30_000 });
}

/** Tones recorded by the page (window.__toneLog). */
export async function toneLog(page: Page): Promise<{ code: string; priority: string; at: number }[]> {
  return page.evaluate(() =>
    (window.__toneLog ?? []).map(({ code, priority, at }) => ({ code, priority, at })),
  );
}

// ---------------------------------------------------------------- programmer API from the test (set-up only)

/**
 * A programmer client in the test process, over the host's own WebSocket API (the renderer's client with
 * Node's `ws`). For set-up the screens under test do not cover, e.g. filling and programming a fresh pump.
 */
export function programmerClient(url: string): WsBridge {
  const u = new URL(url);
  return createWsBridge({
    url: hostSocketUrl({ protocol: u.protocol, host: u.host, search: u.search }),
    // The host requires its own Origin on /api (as the page's browser sends it).
    createSocket: (socketUrl) => new WebSocket(socketUrl, { origin: u.origin }) as unknown as SocketLike,
  });
}

async function must<T>(
  what: string,
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error.message}`);
  return r.value;
}

/** Connect, propose and commit a program change (refill, therapy...), as a clinician would after review. */
export async function programPump(
  api: ProgrammerBridge,
  change: ProgramChangeRequest,
  overrideReason = 'e2e set-up',
): Promise<void> {
  await must('connect', api.connect({ target: { kind: 'embedded' } }));
  await must('interrogate', api.interrogate({}));
  const proposal = await must('proposeChange', api.proposeChange({ change, origin: 'spinal' }));
  if (!proposal.committable) throw new Error(`proposal not committable: ${JSON.stringify(proposal.errors)}`);
  const needsReason = proposal.findings.some((f) => f.severity === 'warning');
  const result = await must(
    'commitChange',
    api.commitChange({ proposalId: proposal.proposalId, ...(needsReason ? { overrideReason } : {}) }),
  );
  if (!result.committed) throw new Error(`commit refused: ${JSON.stringify(result.errors)}`);
}

/** A typical fill: 20 mL of baclofen 2000 mcg/mL at `dailyDose` ng/day continuous. */
export function fillAndRun(dailyDose: number, fillVolume = 20_000): ProgramChangeRequest {
  return {
    refill: {
      withdrawnVolumeUl: 0,
      drugName: 'baclofen',
      concentrationMcgPerMl: 2000,
      concentrationConfirmMcgPerMl: 2000,
      fillVolumeUl: fillVolume,
    },
    therapy: { mode: 'continuous', dailyDoseNgPerDay: dailyDose },
  };
}

// ---------------------------------------------------------------- a whole stack per test file

export interface StackOptions {
  /** Extra arguments for the embedded firmware-sim, e.g. "--paused". */
  simArgs?: string;
  /** Programmed over the host's API before the browser starts (the screens under test need not cover it). */
  program?: ProgramChangeRequest;
  /** More set-up over the host's API, after `program`. */
  prepare?: (api: WsBridge) => Promise<void>;
  /** Open the programmer and connect to the embedded pump with this origin; false leaves the page blank. */
  connect?: 'spinal' | 'cerebral' | false;
  /** The age group chosen with the origin (default adult). */
  ageGroup?: 'adult' | 'childUnder12';
  /** The clinic's zone and locale: the browser's and the host's (default: the machine's). */
  clinic?: { timeZone: string; locale: string };
}

export interface Stack {
  host: Host;
  browser: BrowserSession;
  page: Page;
  /** The bench API, raw: GET `path` without a body, POST with one. */
  bench(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Host + pump + browser; by default the page is connected to the virtual pump and on the summary screen. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const host = await startHost({ simArgs: options.simArgs, timeZone: options.clinic?.timeZone });
  let browser: BrowserSession | null = null;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await host.stop();
  };
  try {
    if (options.program || options.prepare) {
      const api = programmerClient(host.url);
      try {
        if (options.program) await programPump(api, options.program);
        await options.prepare?.(api);
      } finally {
        api.dispose();
      }
    }
    browser = await launchBrowser(
      undefined,
      options.clinic ? { timezoneId: options.clinic.timeZone, locale: options.clinic.locale } : {},
    );
    const origin = options.connect ?? 'spinal';
    if (origin) {
      await connectVirtualPump(browser.page, host.url, origin, options.ageGroup).catch(
        async (err: unknown) => {
          await screenshot(browser!.page, `startup-failure-${origin}`).catch(() => undefined);
          throw err;
        },
      );
    }
  } catch (err) {
    await close();
    throw err;
  }
  const b = browser;
  return {
    host,
    browser: b,
    page: b.page,
    bench: (path, body) => host.bench.request(body === undefined ? 'GET' : 'POST', path, body),
    close,
  };
}

/**
 * One stack for the test file: started in beforeAll (then `setUp`), closed in afterAll. The returned object
 * is filled in when beforeAll has run.
 */
export function stackPerFile(options: StackOptions = {}, setUp?: (s: Stack) => Promise<void>): Stack {
  const s = {} as Stack;
  beforeAll(async () => {
    Object.assign(s, await startStack(options));
    await setUp?.(s);
  });
  afterAll(async () => {
    await s.close?.();
  });
  return s;
}

// ---------------------------------------------------------------- workflows through the screens

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

/** Fill the fresh pump through the screens: 20 mL of 500 mcg/mL baclofen at `dose` mcg/day. */
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
  await s.host.bench.advance({ by: days * 86_400 });
  await s.page.getByRole('button', { name: 'Interrogate again' }).click();
  await s.page.getByRole('button', { name: 'Titrate', exact: true }).waitFor();
}

/** A workflow test file's stack: a fresh pump filled through the refill screens, then `days` later. */
export function filledStackPerFile(days: number, origin: 'spinal' | 'cerebral' = 'spinal'): Stack {
  return stackPerFile({ connect: origin }, async (s) => {
    await initialFill(s.page, '400');
    if (days > 0) await advanceDays(s, days);
  });
}

// ---------------------------------------------------------------- the bedside (issue 20), through the screens

/** Open the Bedside tab (the patient), from any screen. */
export async function openBedside(page: Page): Promise<void> {
  await page.getByTestId('view-bedside').click();
  await page.getByRole('heading', { name: 'Bedside', exact: true }).waitFor();
}

/** What the trainee reads after pressing "Examine the patient". */
export interface ExamOnScreen {
  heartRate: number;
  temperature: number;
  ashworth: string;
  consciousness: string;
  says: string[];
  signs: string[];
}

/** Examine the patient on the Bedside tab and read the result off the screen. */
export async function examineAtBedside(page: Page): Promise<ExamOnScreen> {
  const before = await page.getByTestId('bedside-action').count();
  await page.getByTestId('bedside-examine').click();
  await expect.poll(() => page.getByTestId('bedside-action').count()).toBe(before + 1);
  const text = (id: string) => page.getByTestId(id).innerText();
  const items = async (id: string) =>
    (await page.getByTestId(id).locator('li').allInnerTexts()).map((s) => s.trim());
  return {
    heartRate: parseInt(await text('exam-hr'), 10),
    temperature: parseFloat(await text('exam-temp')),
    ashworth: (await text('exam-ashworth')).trim(),
    consciousness: (await text('exam-consciousness')).trim(),
    says: await items('exam-says'),
    signs: await items('exam-signs'),
  };
}

/** Give an order on the Bedside tab (option value of the order list, and a dose where it takes one). */
export async function orderAtBedside(
  page: Page,
  order: string,
  o: { drug?: 'lorazepam' | 'diazepam' | 'midazolam'; dose?: string } = {},
): Promise<string> {
  const before = await page.getByTestId('bedside-action').count();
  await page.getByTestId('bedside-order-kind').selectOption(order);
  if (o.drug) await page.getByTestId('bedside-order-drug').selectOption(o.drug);
  if (o.dose !== undefined) await page.getByTestId('bedside-order-dose').fill(o.dose);
  await page.getByTestId('bedside-order-give').click();
  await expect.poll(() => page.getByTestId('bedside-action').count()).toBe(before + 1);
  return page.getByTestId('bedside-order-outcome').innerText();
}
