import { describe, expect, it } from 'vitest';
import {
  allowNavigation,
  counterWindowOptions,
  isAppUrl,
  isTrustedSender,
  permissionDecision,
  windowOpenDecision,
} from '../../electron/windowPolicy';
import { CONTENT_SECURITY_POLICY } from '../../electron/contentSecurityPolicy';
import { APP_ENTRY_URL } from '../../electron/appScheme';

/** The packaged app's page, served by the app:// scheme. */
const APP = APP_ENTRY_URL;

describe('counter window hardening', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = counterWindowOptions({ preloadPath: '/p/preload.cjs', isPackaged: true }).webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/p/preload.cjs',
    });
  });

  it('offers DevTools only when not packaged', () => {
    expect(counterWindowOptions({ preloadPath: 'p', isPackaged: true }).webPreferences?.devTools).toBe(false);
    expect(counterWindowOptions({ preloadPath: 'p', isPackaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('blocks navigation away from the app page', () => {
    expect(allowNavigation(APP, APP)).toBe(true);
    expect(allowNavigation('https://example.com/', APP)).toBe(false);
    expect(allowNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(allowNavigation('not a url', APP)).toBe(false);
    expect(allowNavigation('http://localhost:5173/other', 'http://localhost:5173/')).toBe(false);
    expect(allowNavigation('app://counter/other.html', APP)).toBe(false);
  });

  it('knows the app by scheme and host: another host, scheme or a URL with an opaque origin is not the app', () => {
    expect(isAppUrl('app://counter/index.html', APP)).toBe(true);
    expect(isAppUrl('app://counter/assets/index-abc.js', APP)).toBe(true);
    // A custom scheme's origin is the opaque "null" for every such URL: comparing origins would admit these.
    for (const url of ['app://evil/index.html', 'other://counter/index.html', 'javascript:alert(1)', 'data:text/html,x', 'about:blank', 'app://user@counter/index.html']) {
      expect(isAppUrl(url, APP), url).toBe(false);
    }
    // The dev server: same scheme, host and port.
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('checks a file: URL\'s host too (issue 18, item 16)', () => {
    const page = 'file:///opt/UnbindDesk/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(page, page)).toBe(true);
    expect(isAppUrl('file://evil-share/opt/UnbindDesk/resources/app.asar/out/renderer/index.html', page)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', page)).toBe(false);
  });

  it('denies new windows and every permission request', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(permissionDecision(permission)).toBe(false);
    }
  });

  it('trusts IPC only from the top frame of the app page', () => {
    expect(isTrustedSender({ url: APP, isTopFrame: true }, APP)).toBe(true);
    expect(isTrustedSender({ url: APP, isTopFrame: false }, APP)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, APP)).toBe(false);
    expect(isTrustedSender(null, APP)).toBe(false);
  });

  it('has a strict content security policy: no remote scripts, no eval, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
