import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Router } from '../core/rpc/router';
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy';

/**
 * Loopback HTTP bridge: serves the built renderer and the core's router to a browser, for development
 * and end-to-end tests. Never packaged. Defences: bound to 127.0.0.1 only, a random token on every RPC,
 * Host and Origin checked (DNS rebinding, other local pages), session ids issued by the bridge (a caller
 * cannot name another tab's session), JSON only, a body size and nesting limit checked before parsing,
 * short server timeouts (a slow or stalled client is dropped).
 */
export interface PreviewBridge {
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The contract's deepest input is a handful of levels; anything past this is an attack on the parser. */
export const MAX_JSON_DEPTH = 32;
/** Issued session ids kept at once; the oldest is forgotten first (a tab that long gone must start again). */
const MAX_CLIENTS = 1000;
/** A whole request (headers and body) must arrive within these; Node checks them every CHECK_INTERVAL_MS. */
export const HEADERS_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 5_000;
const CHECK_INTERVAL_MS = 500;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(body);
}

/**
 * Whether any array or object in `text` is nested deeper than `limit`: one pass over the characters, strings
 * skipped, before JSON.parse is given a body that could tie up the core. Text that is not JSON is left to
 * the parser to refuse.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth -= 1;
  }
  return false;
}

/** application/json, with or without parameters (charset); a form or text/plain post is refused before its body is read. */
function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

const refusal = (error: { code: string; message: string }) => JSON.stringify({ ok: false, error });

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolveBody(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Routes a preview tool adds under its own prefix. POSTs pass the same origin, token and JSON checks as /rpc. */
export interface PreviewExtra {
  prefix: string;
  /** The page at `prefix` (HTML) and its script at `prefix`/panel.js (the CSP allows no inline script). */
  page(): string;
  script(): string;
  action(name: string, body: unknown): Promise<unknown>;
}

export async function startPreviewBridge(options: {
  router: Router;
  rendererDir: string;
  port?: number;
  token?: string;
  /** Extra routes of the preview's own (e.g. the simulated card reader's panel): GET pages and POST actions. */
  extra?: PreviewExtra;
}): Promise<PreviewBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = resolve(options.rendererDir);
  let origin = '';
  let host = '';

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = resolve(join(root, relative));
    if (file !== root && !file.startsWith(root + sep)) return send(res, 404, '{}');
    const info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) file = join(root, 'index.html');
    const body = await readFile(file).catch(() => null);
    if (!body) return send(res, 404, 'renderer not built: run npm run build', 'text/plain; charset=utf-8');
    send(res, 200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  }

  /**
   * Issued session ids (kept as their SHA-256, so a lookup's timing says nothing about an id), oldest first.
   * The id is the router's session key: only ids issued here are accepted.
   */
  const clients = new Set<string>();
  const digest = (client: string) => createHash('sha256').update(client, 'utf8').digest('hex');

  /** Origin, token and JSON content type: every POST must pass these before anything else is looked at. */
  function admitted(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.headers.origin !== origin) {
      send(res, 403, refusal({ code: 'FORBIDDEN', message: 'error.origin' }));
      return false;
    }
    const given = req.headers['x-counter-token'];
    if (typeof given !== 'string' || !sameSecret(given, token)) {
      send(res, 401, refusal({ code: 'UNAUTHENTICATED', message: 'error.token' }));
      return false;
    }
    if (!isJson(req)) {
      send(res, 415, refusal({ code: 'VALIDATION', message: 'error.content_type' }));
      return false;
    }
    return true;
  }

  /** A new session for one tab: a random id that only the bridge makes. */
  function serveSession(req: IncomingMessage, res: ServerResponse): void {
    if (!admitted(req, res)) return;
    req.resume();
    const client = randomBytes(24).toString('base64url');
    clients.add(digest(client));
    if (clients.size > MAX_CLIENTS) {
      const oldest = clients.values().next().value;
      if (oldest !== undefined) clients.delete(oldest);
    }
    send(res, 200, JSON.stringify({ ok: true, value: { client } }));
  }

  async function serveRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!admitted(req, res)) return;
    const client = req.headers['x-counter-client'];
    if (typeof client !== 'string' || !clients.has(digest(client))) {
      return send(res, 401, refusal({ code: 'UNAUTHENTICATED', message: 'error.client' }));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return send(res, 413, refusal({ code: 'VALIDATION', message: 'error.too_large' }));
    const body = await readBody(req);
    if (body === null) return send(res, 413, refusal({ code: 'VALIDATION', message: 'error.too_large' }));
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) return send(res, 400, refusal({ code: 'VALIDATION', message: 'error.too_deep' }));
    let request: { method?: unknown; input?: unknown };
    try {
      request = JSON.parse(body) as { method?: unknown; input?: unknown };
    } catch {
      return send(res, 400, refusal({ code: 'VALIDATION', message: 'error.json' }));
    }
    const result = await options.router.invoke(`preview:${client}`, request?.method, request?.input);
    send(res, 200, JSON.stringify(result));
  }

  async function serveExtra(extra: PreviewExtra, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && pathname === extra.prefix) return send(res, 200, extra.page(), 'text/html; charset=utf-8');
    if (req.method === 'GET' && pathname === `${extra.prefix}/panel.js`) return send(res, 200, extra.script(), 'text/javascript; charset=utf-8');
    if (req.method !== 'POST') return send(res, 405, '{}');
    if (!admitted(req, res)) return;
    const body = await readBody(req);
    if (body === null) return send(res, 413, refusal({ code: 'VALIDATION', message: 'error.too_large' }));
    let parsed: unknown;
    try {
      parsed = body === '' ? {} : JSON.parse(body);
    } catch {
      return send(res, 400, refusal({ code: 'VALIDATION', message: 'error.json' }));
    }
    try {
      send(res, 200, JSON.stringify({ ok: true, value: await extra.action(pathname.slice(extra.prefix.length + 1), parsed) }));
    } catch (error) {
      send(res, 400, refusal({ code: 'VALIDATION', message: error instanceof Error ? error.message : 'error.validation' }));
    }
  }

  const server: Server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS }, (req, res) => {
    // DNS rebinding: a hostile page on another name resolving to 127.0.0.1 would carry another Host.
    if (req.headers.host !== host) return send(res, 421, '{}');
    const pathname = new URL(req.url ?? '/', origin).pathname;
    const extra = options.extra;
    const work =
      extra !== undefined && (pathname === extra.prefix || pathname.startsWith(`${extra.prefix}/`))
        ? serveExtra(extra, pathname, req, res)
        : pathname === '/rpc' && req.method === 'POST'
        ? serveRpc(req, res)
        : pathname === '/session' && req.method === 'POST'
          ? Promise.resolve(serveSession(req, res))
          : req.method === 'GET'
            ? serveStatic(pathname, res)
            : Promise.resolve(send(res, 405, '{}'));
    work.catch(() => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } }));
    });
  });

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
