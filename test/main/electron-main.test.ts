/**
 * Electron main and preload with `electron` mocked (the binary cannot run here): the window's security
 * options, one IPC handler per contract operation, sender and payload validation, and a preload that
 * exposes exactly the contract.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OPERATIONS, type ProgrammerApi, type Result } from '../../src/shared/contract';

type Handler = (event: unknown, payload: unknown) => Promise<Result<unknown>>;

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  const windows: { options: Record<string, unknown>; contents: FakeContents; loaded: string | null }[] = [];
  type FakeContents = {
    handlers: Map<string, (...args: unknown[]) => void>;
    openHandler: ((d: { url: string }) => { action: string }) | null;
    on(name: string, fn: (...args: unknown[]) => void): FakeContents;
    once(name: string, fn: (...args: unknown[]) => void): FakeContents;
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void;
  };
  const makeContents = (): FakeContents => {
    const c: FakeContents = {
      handlers: new Map(),
      openHandler: null,
      on(name, fn) {
        c.handlers.set(name, fn);
        return c;
      },
      once(name, fn) {
        c.handlers.set(name, fn);
        return c;
      },
      setWindowOpenHandler(fn) {
        c.openHandler = fn;
      },
    };
    return c;
  };
  class BrowserWindow {
    webContents = makeContents();
    record: (typeof windows)[number];
    constructor(options: Record<string, unknown>) {
      this.record = { options, contents: this.webContents, loaded: null };
      windows.push(this.record);
    }
    on() {}
    once() {}
    show() {}
    loadFile(path: string) {
      this.record.loaded = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
  }
  const exposed: Record<string, unknown> = {};
  const ipcRenderer = {
    invoke: vi.fn((channel: string, payload: unknown) => Promise.resolve({ channel, payload })),
    on: vi.fn(),
    removeListener: vi.fn(),
  };
  return {
    handlers,
    windows,
    exposed,
    ipcRenderer,
    module: {
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) =>
          handlers.set(channel, fn),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      session: {
        defaultSession: { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn() },
      },
      shell: { openExternal: vi.fn() },
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer,
    },
  };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const { registerIpc, channelOf } = await import('../../src/main/ipc');
const { createMainWindow, isAppUrl, WEB_PREFERENCES } = await import('../../src/main/window');

const paths = { preload: '/app/out/preload/index.cjs', rendererIndex: '/app/out/renderer/index.html' };
const appFrame = { url: 'file:///app/out/renderer/index.html', parent: null };

function fakeApi(): ProgrammerApi & { calls: string[] } {
  const calls: string[] = [];
  const api = { calls } as unknown as ProgrammerApi & { calls: string[] };
  for (const op of OPERATIONS) {
    (api as unknown as Record<string, unknown>)[op] = vi.fn(async (req: unknown) => {
      calls.push(op);
      return { ok: true, value: { op, req } };
    });
  }
  return api;
}

describe('the window', () => {
  it('is created with the security checklist options and the bench statement in its title', () => {
    createMainWindow(paths);
    const w = electron.windows.at(-1)!;
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: paths.preload,
    });
    expect(WEB_PREFERENCES.nodeIntegration).toBe(false);
    expect(String(w.options.title)).toContain('not a medical device');
    expect(w.loaded).toBe(paths.rendererIndex);
  });

  it('denies new windows and navigation away from the app', () => {
    createMainWindow(paths);
    const c = electron.windows.at(-1)!.contents;
    expect(c.openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(c.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const navigate = c.handlers.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    navigate(home, 'file:///app/out/renderer/index.html#/summary');
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('recognises only our renderer as the app', () => {
    expect(isAppUrl('file:///app/out/renderer/index.html', paths)).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html', paths)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', paths)).toBe(false);
    const dev = { ...paths, devServerUrl: 'http://localhost:5173/' };
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('not a url', dev)).toBe(false);
  });
});

describe('IPC', () => {
  let api: ReturnType<typeof fakeApi>;
  beforeEach(() => {
    electron.handlers.clear();
    api = fakeApi();
    registerIpc(electron.module.ipcMain as never, api, (url) => isAppUrl(url, paths));
  });

  it('registers exactly one handler per contract operation', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(OPERATIONS.map((op) => channelOf(op)).sort());
  });

  it('calls the service for a valid request from our frame', async () => {
    const h = electron.handlers.get('programmer:readLog') as Handler;
    const r = await h({ senderFrame: appFrame }, { offset: 0, count: 10 });
    expect(r).toEqual({ ok: true, value: { op: 'readLog', req: { offset: 0, count: 10 } } });
    expect(api.calls).toEqual(['readLog']);
  });

  it('refuses a foreign or embedded frame without calling the service', async () => {
    const h = electron.handlers.get('programmer:stopPump') as Handler;
    for (const senderFrame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/other.html', parent: null },
      { url: appFrame.url, parent: { url: appFrame.url } },
      null,
    ]) {
      const r = await h({ senderFrame }, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(api.calls).toEqual([]);
  });

  it('answers a bad payload with BAD_REQUEST and never calls the service', async () => {
    const cases: [string, unknown][] = [
      ['readLog', { offset: -1, count: 10 }],
      ['readLog', { offset: 0, count: 51 }],
      ['connect', { target: { kind: 'serial', path: '' } }],
      ['silenceAlarms', { minutes: 0 }],
      ['commitChange', { proposalId: 'p', overrideReason: 'x'.repeat(501) }],
      [
        'proposeChange',
        { change: { therapy: { mode: 'continuous', dailyDoseNgPerDay: 1.5 } }, origin: 'spinal' },
      ],
      ['interrogate', { extra: true }],
      ['exportRecord', { format: 'pdf' }],
      ['interrogate', 'not an object'],
    ];
    for (const [op, payload] of cases) {
      const h = electron.handlers.get(channelOf(op as never)) as Handler;
      const r = await h({ senderFrame: appFrame }, payload);
      expect(r, `${op} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(api.calls).toEqual([]);
  });
});

describe('the preload', () => {
  it('exposes exactly the contract: one function per operation plus onEvent', async () => {
    await import('../../src/preload/index');
    const bridge = electron.exposed.programmer as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...OPERATIONS, 'onEvent'].sort());
    for (const key of Object.keys(bridge)) expect(typeof bridge[key]).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);

    const r = await (bridge.interrogate as (req: unknown) => Promise<unknown>)({});
    expect(r).toEqual({ channel: 'programmer:interrogate', payload: {} });

    const seen: unknown[] = [];
    const off = (bridge.onEvent as (l: (e: unknown) => void) => () => void)((e) => seen.push(e));
    const [channel, wrapped] = electron.ipcRenderer.on.mock.calls.at(-1)! as [
      string,
      (ev: unknown, e: unknown) => void,
    ];
    expect(channel).toBe('programmer:event');
    wrapped({ sender: 'ipc internals' }, { type: 'link' });
    expect(seen).toEqual([{ type: 'link' }]);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('programmer:event', wrapped);
  });
});
