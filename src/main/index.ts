/**
 * Electron main: the programmer service (with its embedded virtual pump), the locked-down window, and the
 * IPC bridge between them. Kept thin: everything testable lives in ./service and runs without Electron.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forwardEvents, registerIpc } from './ipc';
import { createInstructorRelay } from './instructor-relay';
import { instructorHooks } from './instructor-hooks';
import {
  createInstructorWindow,
  installAppMenu,
  startInstructorServer,
  type InstructorServer,
} from './instructor-window';
import { createProtocolLink } from './service/protocol-adapter';
import { ProgrammerService } from './service/programmer-service';
import {
  createMainWindow,
  defaultWindowPaths,
  installContentSecurityPolicy,
  isAppUrl,
  lockDownContents,
} from './window';

const mainDir = dirname(fileURLToPath(import.meta.url));
const paths = defaultWindowPaths(mainDir);

// One programmer per machine: a second instance would fight over the serial port.
if (!app.requestSingleInstanceLock()) app.quit();

const service = new ProgrammerService({
  dataDir: app.getPath('userData'),
  linkFactory: createProtocolLink,
  embedded: {
    onLog: (line) => console.error(`[firmware-sim] ${line}`),
  },
});

app.on('web-contents-created', (_event, contents) => lockDownContents(contents, paths));

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

function openWindow(): void {
  const win = createMainWindow(paths);
  forwardEvents((l) => service.onEvent(l), win.webContents);
}

// The instructor console: a second window from the menu, its server started on first use (the bench must be
// up: its token is read from the embedded pump's token file and stays in this process).
let instructor: Promise<InstructorServer> | null = null;
let embeddedPump: { bench: string; tokenFile: string } | null = null;
function openInstructor(): void {
  if (!embeddedPump) {
    console.error('instructor console: the embedded pump is not running, so there is no bench to control');
    return;
  }
  instructor ??= startInstructorServer(
    createInstructorRelay({
      ...instructorHooks(service),
      // Built by `npm start` / `npm run build` (vite.instructor.config.ts) beside the renderer.
      webRoot: join(mainDir, '../web/instructor'),
    }),
  );
  void instructor.then((s) => createInstructorWindow(s.url)).catch((e: Error) => console.error(e.message));
}

void app.whenReady().then(async () => {
  installContentSecurityPolicy();
  installAppMenu(openInstructor);
  registerIpc(ipcMain, service, (url) => isAppUrl(url, paths));
  openWindow();
  // The window opens at once; the embedded pump's failure is reported when the clinician connects to it.
  embeddedPump = await service
    .start()
    .catch((err: Error) => (console.error(`embedded pump did not start: ${err.message}`), null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  // Stop the embedded pump (it persists its memory) before the process goes.
  event.preventDefault();
  quitting = true;
  void Promise.all([instructor?.then((s) => s.close()).catch(() => undefined), service.dispose()]).finally(
    () => app.quit(),
  );
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
