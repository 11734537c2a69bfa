import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openCore, type Core } from './core';
import { fileEventLog } from './core/eventLog';
import { bindRouter } from './ipc';
import { safeStorageKeyStore } from './keystore';
import { chooseExportDirectory } from './dialogs';
import { pointsToMicrons, printJobOptions, printPdf } from './print';
import { cupsSlipPrinter, type SlipPrinter } from './core/printing/slipPrinter';
import { readSettings } from './core/settings';
import { allowNavigation, counterWindowOptions, permissionDecision, windowOpenDecision } from './windowPolicy';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './appScheme';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy';

/**
 * The Electron shell: window, hardening, and the router bound to IPC. Every rule lives in ./core.
 */
const rendererUrl = (): string => (process.env.ELECTRON_RENDERER_URL && !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : APP_ENTRY_URL);

/** The built renderer: the only folder `app://counter/` serves. */
const RENDERER_DIR = join(import.meta.dirname, '../renderer');

/** `app://counter/…`: a file of the built renderer (see appScheme.ts for what is refused), or 404. */
async function serveApp(request: Request): Promise<Response> {
  const target = request.method === 'GET' ? resolveAppRequest(request.url, RENDERER_DIR) : null;
  const body = target ? await readFile(target.file).catch(() => null) : null;
  if (!target || !body) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': target.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

/**
 * Windows only: the slip goes through Chromium's print dialog (no CUPS there), from a private temporary file
 * kept only as long as the job needs it (it holds a signature). Pressing 打印 in the dialog is the teller's
 * confirmation; cancelling it leaves the request approved.
 */
function dialogSlipPrinter(): SlipPrinter {
  const systemPrinters = async () => (mainWindow ? await mainWindow.webContents.getPrintersAsync() : []);
  return {
    kind: 'dialog',
    listPrinters: async () =>
      (await systemPrinters()).map((printer) => ({ name: printer.name, description: printer.description, isDefault: false, state: 'idle' as const, accepting: true, reasons: [], message: '' })),
    async print(pdf, job) {
      const folder = await mkdtemp(join(app.getPath('temp'), 'unbinddesk-'));
      const file = join(folder, 'slip.pdf');
      try {
        await writeFile(file, pdf, { mode: 0o600 });
        const printers = await systemPrinters();
        const settings = core ? readSettings(core.db).printer : { mode: 'dialog' as const };
        const options = printJobOptions(
          { mode: settings.mode, layout: job.layout, ...(job.printer ? { printerName: job.printer } : {}) },
          printers.map((printer) => ({ name: printer.name, isDefault: false })),
          pointsToMicrons(job.pageHeightPoints),
        );
        const outcome = await printPdf(file, options);
        return outcome.ok ? { kind: 'dialog_printed' } : { kind: 'dialog_failed', reason: outcome.reason };
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}

function createWindow(): void {
  const window = new BrowserWindow(
    counterWindowOptions({ preloadPath: join(import.meta.dirname, '../preload/preload.cjs'), isPackaged: app.isPackaged }),
  );
  const sessionKey = `window:${window.webContents.id}`;
  window.once('ready-to-show', () => window.show());
  window.webContents.once('destroyed', () => core?.context.sessions.end(sessionKey));
  void window.loadURL(rendererUrl());
  mainWindow = window;
}

if (!app.requestSingleInstanceLock()) {
  // One counter, one process: a second launch only brings the first window forward.
  app.quit();
} else {
  app.enableSandbox();
  // Before the app is ready, or the scheme is not standard and secure.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(url, rendererUrl())) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenDecision());
  });

  void app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, serveApp);
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
    session.defaultSession.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
    const dataDir = join(app.getPath('userData'), 'data');
    // One log for the whole run: the core writes to it, and so does a start that fails.
    const log = fileEventLog(join(dataDir, 'logs'));
    try {
      core = await openCore({
        dataDir,
        appVersion: app.getVersion(),
        migrationsDir: join(app.getAppPath(), 'electron/core/db/migrations'),
        resourcesDir: join(app.getAppPath(), 'resources'),
        keyStore: await safeStorageKeyStore(dataDir, { allowBasicText: process.env.UNBINDDESK_ALLOW_BASIC_TEXT_KEYSTORE === '1' }),
        log,
        ports: {
          // CUPS on Linux (UOS, Kylin) and macOS, in plain Node like the tests; the print dialog on Windows only.
          slipPrinter: process.platform === 'win32' ? dialogSlipPrinter() : cupsSlipPrinter(),
          chooseExportDirectory: () => chooseExportDirectory(mainWindow),
        },
        acquirer: true,
      });
    } catch (error) {
      log.error('app.start_failed', { error: error instanceof Error ? error.name : typeof error });
      dialog.showErrorBox('UnbindDesk', error instanceof Error ? error.message : String(error));
      app.quit();
      return;
    }
    bindRouter(ipcMain, core.router, rendererUrl);
    // Outcome messages to customers go out while the app runs; what is queued waits for the next start.
    core.notifications.start();
    createWindow();
  });

  app.on('window-all-closed', () => {
    const closing = core;
    core = null;
    // An ordinary quit is not a crash: the message being sent and the acquirer's answer being recorded finish first.
    void (closing?.shutdown() ?? Promise.resolve()).finally(() => app.quit());
  });
}
