/**
 * The instructor console in Electron (issue 20): a second window, opened from the app's menu. The console is
 * the same page as on the browser host, served by a loopback server of its own with the same door
 * (instructor-relay.ts: its own per-run token, loopback Host and own Origin only), so the bench token stays
 * in the main process here too. The window has no preload: it has no IPC, only its socket to the relay.
 */
import { BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WEB_PREFERENCES } from './window';
import { INSTRUCTOR_PATH, type InstructorRelay } from './instructor-relay';

export interface InstructorServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A loopback server that serves only the instructor's door (anything else: 404). */
export async function startInstructorServer(relay: InstructorRelay): Promise<InstructorServer> {
  let port = 0;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const server = createServer((req, res) => {
    if (relay.handleRequest(req, res, hosts())) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    if (relay.handleUpgrade(req, socket, head, hosts(), origins())) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}${INSTRUCTOR_PATH}?token=${relay.token}`,
    server,
    close: async () => {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const INSTRUCTOR_TITLE = 'Instructor console - ITB training bench - not a medical device';

/** The console's window: the programmer's security options, no preload, its own URL. */
export function createInstructorWindow(url: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 900,
    title: INSTRUCTOR_TITLE,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: { ...WEB_PREFERENCES },
  });
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

/** The app menu: the platform's usual roles, and "Instructor console" under Window. */
export function appMenuTemplate(openInstructor: () => void): MenuItemConstructorOptions[] {
  return [
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    {
      label: 'Window',
      submenu: [
        { label: 'Instructor console', accelerator: 'CmdOrCtrl+Shift+K', click: () => openInstructor() },
        { type: 'separator' },
        { role: 'minimize' },
        { role: 'close' },
      ],
    },
  ];
}

export function installAppMenu(openInstructor: () => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(openInstructor)));
}
