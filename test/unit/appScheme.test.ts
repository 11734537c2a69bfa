import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { APP_ENTRY_URL, APP_ORIGIN, appPathSegments, resolveAppRequest } from '../../electron/appScheme';

/** A built renderer folder beside a secret the scheme must never serve. */
const base = mkdtempSync(join(tmpdir(), 'unbinddesk-app-scheme-'));
const renderer = join(base, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'export {}');
writeFileSync(join(renderer, 'assets', 'style.css'), 'body{}');
writeFileSync(join(base, 'secret.json'), '{"key":"secret"}');
writeFileSync(join(base, 'above.json'), '{"key":"secret"}');
// A file of that name inside the folder too: a path the URL parser folds back inside must land here, never above.
writeFileSync(join(renderer, 'above.json'), '{"key":"public"}');
mkdirSync(join(base, 'outside'));
writeFileSync(join(base, 'outside', 'leak.js'), 'leak');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const served = (url: string) => resolveAppRequest(url, renderer)?.file ?? null;

describe('the app:// scheme serves the built renderer folder and nothing else', () => {
  it('serves the entry page and the built assets with their content types', () => {
    expect(APP_ENTRY_URL).toBe(`${APP_ORIGIN}/index.html`);
    expect(resolveAppRequest(APP_ENTRY_URL, renderer)).toEqual({ file: join(renderer, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(served(`${APP_ORIGIN}/`)).toBe(join(renderer, 'index.html'));
    expect(resolveAppRequest(`${APP_ORIGIN}/assets/index-abc.js?v=1#x`, renderer)).toEqual({ file: join(renderer, 'assets', 'index-abc.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(served(`${APP_ORIGIN}/assets/style.css`)).toBe(join(renderer, 'assets', 'style.css'));
  });

  it('keeps dot segments inside the folder: the URL parser folds them away before the scheme sees them', () => {
    for (const path of ['/../above.json', '/assets/../../above.json', '/%2e%2e/above.json', '/%2E%2E/%2e%2e/above.json', '/.%2e/above.json']) {
      expect(served(`${APP_ORIGIN}${path}`), path).toBe(join(renderer, 'above.json'));
    }
  });

  it('refuses paths that climb out encoded, with either slash', () => {
    for (const path of [
      '/..%2fsecret.json',
      '/assets%2f..%2f..%2fsecret.json',
      '/..%5csecret.json',
      '/assets\\..\\..\\secret.json',
      '/%252e%252e/secret.json',
    ]) {
      expect(served(`${APP_ORIGIN}${path}`), path).toBeNull();
    }
  });

  it('refuses absolute paths, drive letters, control characters, folders and missing files', () => {
    for (const path of [
      `//${base.slice(1)}/secret.json`,
      `/${encodeURIComponent(join(base, 'secret.json'))}`,
      '/C:%5cWindows%5cwin.ini',
      '/C:/Windows/win.ini',
      '/index.html%00.png',
      '/assets',
      '/assets/',
      '/missing.js',
      '/%E0%A4%A',
    ]) {
      expect(served(`${APP_ORIGIN}${path}`), path).toBeNull();
    }
  });

  it('refuses another scheme, another host, a port or credentials', () => {
    for (const url of ['file:///etc/passwd', `file://${join(renderer, 'index.html')}`, 'app://evil/index.html', 'app://counter:8080/index.html', 'app://user:pw@counter/index.html', 'https://counter/index.html', 'not a url']) {
      expect(served(url), url).toBeNull();
    }
  });

  it('refuses a symbolic link inside the folder that leads out of it, and follows one that stays inside', () => {
    symlinkSync(join(base, 'outside'), join(renderer, 'linked'));
    symlinkSync(join(base, 'secret.json'), join(renderer, 'secret.json'));
    symlinkSync(join(renderer, 'assets', 'index-abc.js'), join(renderer, 'alias.js'));
    expect(served(`${APP_ORIGIN}/linked/leak.js`)).toBeNull();
    expect(served(`${APP_ORIGIN}/secret.json`)).toBeNull();
    expect(served(`${APP_ORIGIN}/alias.js`)).toBe(join(renderer, 'assets', 'index-abc.js'));
  });

  it('never answers with a file outside the folder, whatever the path', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '..%2f', '..%5c', '\\..', '', 'assets', 'index.html', 'secret.json', '%00', 'C:', '%2f', '~'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const file = served(`${APP_ORIGIN}/${segments.join('/')}`);
        return file === null || file.startsWith(renderer + sep);
      }),
      { numRuns: 2000 },
    );
    expect(appPathSegments(`${APP_ORIGIN}/assets/index-abc.js`)).toEqual(['assets', 'index-abc.js']);
  });
});
