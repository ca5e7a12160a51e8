/**
 * The clinician's window, locked down per Electron's security checklist: context isolation, sandbox, no
 * Node in the renderer, web security on, a strict CSP on every response, no navigation away from the app
 * and no new windows.
 */
import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_TITLE, CONTENT_SECURITY_POLICY } from './csp';

export interface WindowPaths {
  /** Absolute path of the built preload script. */
  preload: string;
  /** Absolute path of the built renderer's index.html (production). */
  rendererIndex: string;
  /** electron-vite's dev server URL (`ELECTRON_RENDERER_URL`) in development, else undefined. */
  devServerUrl?: string | undefined;
}

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** The URL the app's renderer is loaded from: anything else is foreign. */
export function appUrl(paths: WindowPaths): string {
  return paths.devServerUrl ?? pathToFileURL(paths.rendererIndex).toString();
}

/** True when `url` is our renderer (same file, or same dev-server origin), for navigation and IPC checks. */
export function isAppUrl(url: string, paths: WindowPaths): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (paths.devServerUrl) return u.origin === new URL(paths.devServerUrl).origin;
  const app = new URL(appUrl(paths));
  return u.protocol === 'file:' && u.pathname === app.pathname;
}

/** Deny navigation away from the app and every new window, on any web contents. */
export function lockDownContents(contents: WebContents, paths: WindowPaths): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, paths)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, paths)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Documentation links open in the user's browser, never inside the programmer.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** CSP on every response of the default session (the renderer also carries it as a meta tag). */
export function installContentSecurityPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // The programmer needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    title: APP_TITLE,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: { ...WEB_PREFERENCES, preload: paths.preload },
  });
  lockDownContents(win.webContents, paths);
  // Keep our title (with the bench statement) even if the page sets its own.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl);
  else void win.loadFile(paths.rendererIndex);
  return win;
}

/** Paths of the built app relative to out/main/index.js. */
export function defaultWindowPaths(mainDir: string): WindowPaths {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererIndex: join(mainDir, '../renderer/index.html'),
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  };
}
