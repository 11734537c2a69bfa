import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openCore, type Core } from '../../electron/core';
import { writeBranchProfile } from '../../electron/core/system/branchProfile';
import { silentEventLog } from '../../electron/core/eventLog';
import { connect } from 'node:net';
import { HEADERS_TIMEOUT_MS, MAX_JSON_DEPTH, nestedDeeperThan, startPreviewBridge, type PreviewBridge } from '../../electron/preview/bridge';
import { issueClient } from '../support/preview';
import { FixedClock } from '../support/fixedClock';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
let core: Core | null = null;
let bridge: PreviewBridge | null = null;

afterEach(async () => {
  await bridge?.close();
  core?.close();
  bridge = null;
  core = null;
});

async function start(options: { profile?: boolean } = {}) {
  const dataDir = tempDir();
  const rendererDir = join(tempDir(), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  // 2026-11-25 17:00 UTC is already 2026-11-26 in Beijing: the business date follows the branch's zone.
  const opened = await openCore({ dataDir, appVersion: '9.9.9', clock: new FixedClock('2026-11-25T17:00:00Z'), log: silentEventLog });
  core = opened;
  if (options.profile !== false) writeBranchProfile(opened.db, { code: '310101', name: '上海分行营业部', bankName: '示例银行', timeZone: 'Asia/Shanghai', desk: '01' }, new Date());
  bridge = await startPreviewBridge({ router: opened.router, rendererDir });
  return { dataDir, bridge };
}

/** The session each bridge issued to this test's client, like a browser tab's. */
const sessions = new WeakMap<PreviewBridge, Promise<string>>();

async function rpc(b: PreviewBridge, body: unknown, headers: Record<string, string> = {}) {
  let client = sessions.get(b);
  if (!client) {
    client = issueClient(b);
    sessions.set(b, client);
  }
  return fetch(`${b.origin}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: b.origin, 'X-Counter-Token': b.token, 'X-Counter-Client': await client, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const SETUP = { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Brass-Lantern-61' } };

describe('preview bridge over real HTTP', () => {
  it('answers system.info from the real SQLite file', async () => {
    const { dataDir, bridge: b } = await start();
    const response = await rpc(b, { method: 'system.info', input: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      value: {
        appVersion: '9.9.9',
        schemaVersion: expect.any(Number),
        dataDir,
        businessDate: '2026-11-26',
        timeZone: 'Asia/Shanghai',
        branch: { code: '310101', name: '上海分行营业部', desk: '01' },
        setupDone: true,
      },
    });
  });

  it('listens on loopback only, with the token in the URL fragment', async () => {
    const { bridge: b } = await start();
    expect(b.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.url).toBe(`${b.origin}/#token=${b.token}`);
    expect(b.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a wrong or missing token', async () => {
    const { bridge: b } = await start();
    const wrong = await rpc(b, { method: 'system.info', input: {} }, { 'X-Counter-Token': 'x'.repeat(b.token.length) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const missing = await fetch(`${b.origin}/rpc`, { method: 'POST', headers: { Origin: b.origin }, body: '{}' });
    expect(missing.status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const { bridge: b } = await start();
    const response = await rpc(b, { method: 'system.info', input: {} }, { Origin: 'http://evil.example' });
    expect(response.status).toBe(403);
  });

  it('refuses another Host name (DNS rebinding)', async () => {
    const { bridge: b } = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(`${b.origin}/`, { headers: { Host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    expect(status).toBe(421);
  });

  it('answers malformed JSON and unknown methods with error envelopes', async () => {
    const { bridge: b } = await start();
    const bad = await rpc(b, '{not json');
    expect(bad.status).toBe(400);
    expect(await (await rpc(b, { method: 'system.rm', input: {} })).json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('serves the renderer but nothing outside its folder', async () => {
    const { bridge: b } = await start();
    const page = await fetch(`${b.origin}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>t</title>');
    const escape = await fetch(`${b.origin}/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toContain('"name"');
  });

  it('accepts only session ids it issued itself: a chosen id, or another tab\'s login, is refused', async () => {
    const { bridge: b } = await start({ profile: false });
    const chosen = await rpc(b, { method: 'system.info', input: {} }, { 'X-Counter-Client': 'test-client-1' });
    expect(chosen.status).toBe(401);
    expect(await chosen.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'error.client' } });
    const missing = await rpc(b, { method: 'system.info', input: {} }, { 'X-Counter-Client': '' });
    expect(missing.status).toBe(401);
    // Each tab gets its own id; a login in one is not the other's, and the ids cannot be guessed.
    const first = await issueClient(b);
    const second = await issueClient(b);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const as = (client: string, method: string, input: unknown) =>
      fetch(`${b.origin}/rpc`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: b.origin, 'X-Counter-Token': b.token, 'X-Counter-Client': client },
        body: JSON.stringify({ method, input }),
      }).then((response) => response.json() as Promise<{ ok: boolean; error?: { code: string } }>);
    expect((await as(first, 'auth.setup', SETUP)).ok).toBe(true);
    expect((await as(first, 'auth.login', { employeeNo: 'A001', password: 'Brass-Lantern-61' })).ok).toBe(true);
    expect((await as(first, 'applications.board', {})).ok).toBe(true);
    expect(await as(second, 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // A session is issued only to a token holder on the page's own origin.
    const noToken = await fetch(`${b.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: b.origin }, body: '{}' });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${b.origin}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example', 'X-Counter-Token': b.token }, body: '{}' });
    expect(foreign.status).toBe(403);
  });

  it('refuses a body that is not declared application/json, and runs nothing', async () => {
    const { bridge: b } = await start({ profile: false });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await rpc(b, { method: 'auth.setup', input: SETUP }, { 'Content-Type': type });
      expect(response.status, type).toBe(415);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'error.content_type' } });
    }
    const info = (await (await rpc(b, { method: 'system.info', input: {} }, { 'Content-Type': 'application/json; charset=utf-8' })).json()) as { value: { setupDone: boolean } };
    expect(info.value.setupDone).toBe(false);
  });

  it('refuses a 2 MB deeply nested body quickly, before parsing it, and keeps answering', async () => {
    const { bridge: b } = await start();
    const levels = 1_000_000;
    const body = `{"method":"system.info","input":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect(body.length).toBeGreaterThan(1_900_000);
    const started = performance.now();
    const response = await rpc(b, body);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'error.too_deep' } });
    expect(elapsed).toBeLessThan(1000);
    // Nesting inside strings is text, not depth; the real contract's inputs stay well within the limit.
    expect(nestedDeeperThan(JSON.stringify({ note: '['.repeat(100) }), MAX_JSON_DEPTH)).toBe(false);
    expect(nestedDeeperThan(JSON.stringify({ a: '\\"', b: [[[]]] }), 4)).toBe(false);
    expect(nestedDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect((await rpc(b, { method: 'system.info', input: {} })).status).toBe(200);
  });

  it('drops a client that sends its headers too slowly', async () => {
    const { bridge: b } = await start();
    const { port } = new URL(b.origin);
    const started = performance.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        // Half a request line and one header, then nothing: a slow-loris client holding the connection.
        socket.write(`POST /rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
      });
      socket.on('data', () => {});
      socket.on('error', () => {});
      socket.on('close', () => resolve(performance.now() - started));
      setTimeout(() => reject(new Error('the bridge kept a stalled connection open')), 15_000);
    });
    expect(closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(closedAfter).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
  }, 20_000);
});
