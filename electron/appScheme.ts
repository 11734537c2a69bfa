import { realpathSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

/**
 * The renderer is served from `app://counter/`, a privileged custom scheme, not from `file://` (Electron's
 * security checklist, item 18): the page's origin is the app alone, so the CSP's 'self' means the built
 * renderer folder and nothing else on the disk, and module scripts load with the file-protocol fuse off.
 * This module decides which file a request gets, without Electron, so it is unit-tested; main.ts only
 * registers the scheme and hands each request here.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'counter';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Standard (a real origin, relative URLs resolve) and secure (like https); no CSP bypass, no service workers. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  corsEnabled: false,
  stream: false,
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
};

export interface AppFile {
  /** Absolute path of the file, inside the renderer folder. */
  file: string;
  contentType: string;
}

/**
 * The path segments an `app://counter/…` URL names, decoded, or null when the URL must be refused: another
 * scheme or host, credentials or a port, a segment that is empty (`//`, an absolute path), `.` or `..`
 * (also when percent-encoded), or that holds a slash, a backslash, a colon (drive letters, alternate
 * streams) or a control character once decoded. `/` is the entry page.
 */
export function appPathSegments(url: string): string[] | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return null;
  const raw = parsed.pathname;
  if (!raw.startsWith('/')) return null;
  if (raw === '/') return ['index.html'];
  const segments: string[] = [];
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[/\\:]/.test(segment) || /\p{Cc}/u.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/**
 * The file an `app://` request gets, or null (answer 404). The path must stay inside `rendererDir` both as
 * written and once symbolic links are followed; a folder or a missing file is refused too.
 */
export function resolveAppRequest(url: string, rendererDir: string, realpath: (path: string) => string = realpathSync): AppFile | null {
  const segments = appPathSegments(url);
  if (!segments) return null;
  const root = resolve(rendererDir);
  const file = resolve(join(root, ...segments));
  if (!file.startsWith(root + sep)) return null;
  let real: string;
  let realRoot: string;
  try {
    real = realpath(file);
    realRoot = realpath(root);
  } catch {
    return null;
  }
  if (!real.startsWith(realRoot + sep)) return null;
  const contentType = CONTENT_TYPES[extname(real).toLowerCase()];
  // Only the kinds of file a built renderer has; a folder (no extension) or anything else is not served.
  if (!contentType) return null;
  return { file: real, contentType };
}
