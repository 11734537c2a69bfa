import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Router } from '../core/rpc/router';
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy';

/**
 * Loopback HTTP bridge: serves the built renderer and the core's router to a browser, for development
 * and end-to-end tests. Never packaged. Defences: bound to 127.0.0.1 only, a random token on every RPC,
 * Host and Origin checked (DNS rebinding, other local pages), a body size limit.
 */
export interface PreviewBridge {
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

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

export async function startPreviewBridge(options: {
  router: Router;
  rendererDir: string;
  port?: number;
  token?: string;
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

  async function serveRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.origin !== origin) return send(res, 403, JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: 'error.origin' } }));
    const given = req.headers['x-counter-token'];
    if (typeof given !== 'string' || !sameSecret(given, token)) {
      return send(res, 401, JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'error.token' } }));
    }
    const client = req.headers['x-counter-client'];
    if (typeof client !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(client)) {
      return send(res, 400, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: 'error.client' } }));
    }
    const body = await readBody(req);
    if (body === null) return send(res, 413, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: 'error.too_large' } }));
    let request: { method?: unknown; input?: unknown };
    try {
      request = JSON.parse(body) as { method?: unknown; input?: unknown };
    } catch {
      return send(res, 400, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: 'error.json' } }));
    }
    const result = await options.router.invoke(`preview:${client}`, request?.method, request?.input);
    send(res, 200, JSON.stringify(result));
  }

  const server: Server = createServer((req, res) => {
    // DNS rebinding: a hostile page on another name resolving to 127.0.0.1 would carry another Host.
    if (req.headers.host !== host) return send(res, 421, '{}');
    const pathname = new URL(req.url ?? '/', origin).pathname;
    const work =
      pathname === '/rpc' && req.method === 'POST'
        ? serveRpc(req, res)
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
