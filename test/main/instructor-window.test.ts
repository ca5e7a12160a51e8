/**
 * The instructor console in Electron with `electron` mocked (the binary cannot run here): the menu item that
 * opens it, its window (the programmer's security options, no preload, its own URL), and its loopback server,
 * which serves only the instructor's door (real HTTP and WebSocket).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; loaded: string | null }[] = [];
  class BrowserWindow {
    record: (typeof windows)[number];
    webContents = { on() {}, setWindowOpenHandler() {} };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: null };
      windows.push(this.record);
    }
    on() {}
    once() {}
    show() {}
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
  }
  const menu = { template: null as unknown };
  return {
    windows,
    menu,
    module: {
      BrowserWindow,
      Menu: {
        buildFromTemplate: (t: unknown) => ((menu.template = t), t),
        setApplicationMenu: vi.fn(),
      },
      session: { defaultSession: {} },
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const { appMenuTemplate, createInstructorWindow, installAppMenu, startInstructorServer } =
  await import('../../src/main/instructor-window');
const { createInstructorRelay } = await import('../../src/main/instructor-relay');
const { WEB_PREFERENCES } = await import('../../src/main/window');

const dir = mkdtempSync(join(tmpdir(), 'instructor-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the instructor console in Electron', () => {
  it('the Window menu has "Instructor console", which opens it', () => {
    const open = vi.fn();
    installAppMenu(open);
    const windowMenu = (
      electron.menu.template as { label?: string; submenu?: { label?: string; click?: () => void }[] }[]
    ).find((m) => m.label === 'Window');
    const item = windowMenu?.submenu?.find((i) => i.label === 'Instructor console');
    expect(item).toBeDefined();
    item!.click!();
    expect(open).toHaveBeenCalledOnce();
    expect(appMenuTemplate(open).length).toBe(4);
  });

  it('its window has the security options, no preload, and loads the console URL', () => {
    createInstructorWindow('http://127.0.0.1:1234/instructor/?token=abc');
    const w = electron.windows.at(-1)!;
    expect(w.options.webPreferences).toEqual({ ...WEB_PREFERENCES });
    expect(w.options.title).toMatch(/not a medical device/);
    expect(w.loaded).toBe('http://127.0.0.1:1234/instructor/?token=abc');
  });

  it('its server serves the instructor’s door only, with the relay’s checks', async () => {
    const root = join(dir, 'instructor');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>instructor</title>');
    const relay = createInstructorRelay({ bench: () => null, webRoot: root });
    const s = await startInstructorServer(relay);
    try {
      expect(s.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/instructor/\\?token=${relay.token}$`));
      const base = new URL(s.url).origin;
      expect((await fetch(s.url)).status).toBe(200);
      expect((await fetch(`${base}/instructor/`)).status).toBe(401);
      expect((await fetch(`${base}/`)).status).toBe(404);
      const status = (url: string, origin: string) =>
        new Promise<number | 'open'>((resolve) => {
          const ws = new WebSocket(url, { origin });
          ws.on('open', () => (ws.close(), resolve('open')));
          ws.on('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
          ws.on('error', () => undefined);
        });
      const ws = `${base.replace('http', 'ws')}/instructor/api?token=${relay.token}`;
      expect(await status(ws, base)).toBe('open');
      expect(await status(ws, 'http://evil.example')).toBe(403);
      expect(await status(`${base.replace('http', 'ws')}/instructor/api`, base)).toBe(401);
    } finally {
      await s.close();
    }
  });
});
