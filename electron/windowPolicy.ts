import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The hardening of the counter window as pure decisions, so each one is unit-tested without Electron.
 * main.ts only wires these into Electron's events.
 */
export function counterWindowOptions(options: { preloadPath: string; isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '柜面解绑台 UnbindDesk',
    backgroundColor: '#f5f5f5',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !options.isPackaged,
    },
  };
}

/**
 * The renderer's own page, and nothing else, may be shown or call the core. The app is served from
 * `app://counter/` (appScheme.ts), or from the dev server during development. Scheme and host (with port)
 * are compared one by one: for a custom scheme URL.origin is the opaque "null", the same for every such URL.
 * A `file:` URL must also name the same host and file.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (target.protocol !== app.protocol || target.host !== app.host || target.username !== '' || target.password !== '') return false;
    if (app.protocol === 'file:') return target.pathname === app.pathname;
    return app.host !== '';
  } catch {
    return false;
  }
}

/** `will-navigate`: the app is one page; any navigation (a dropped file, a link) is refused. */
export function allowNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl) && new URL(url).pathname === new URL(appUrl).pathname;
}

/** `setWindowOpenHandler`: no new windows, ever. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, microphone, notifications, geolocation…: the counter needs none of them. */
export function permissionDecision(_permission: string): boolean {
  return false;
}

/** IPC sender check: the top frame of our page only, not a subframe and not another origin. */
export function isTrustedSender(frame: { url: string; isTopFrame: boolean } | null, appUrl: string): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url, appUrl);
}
