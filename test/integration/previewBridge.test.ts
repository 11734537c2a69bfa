import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openCore, type Core } from '../../electron/core';
import { writeBranchProfile } from '../../electron/core/system/branchProfile';
import { silentEventLog } from '../../electron/core/eventLog';
import { startPreviewBridge, type PreviewBridge } from '../../electron/preview/bridge';
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

async function start() {
  const dataDir = tempDir();
  const rendererDir = join(tempDir(), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  // 2026-11-25 17:00 UTC is already 2026-11-26 in Beijing: the business date follows the branch's zone.
  const opened = await openCore({ dataDir, appVersion: '9.9.9', clock: new FixedClock('2026-11-25T17:00:00Z'), log: silentEventLog });
  core = opened;
  writeBranchProfile(opened.db, { code: '310101', name: '上海分行营业部', bankName: '示例银行', timeZone: 'Asia/Shanghai' }, new Date());
  bridge = await startPreviewBridge({ router: opened.router, rendererDir });
  return { dataDir, bridge };
}

function rpc(b: PreviewBridge, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${b.origin}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: b.origin, 'X-Counter-Token': b.token, 'X-Counter-Client': 'test-client-1', ...headers },
    body: JSON.stringify(body),
  });
}

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
        branch: { code: '310101', name: '上海分行营业部' },
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
    const bad = await fetch(`${b.origin}/rpc`, {
      method: 'POST',
      headers: { Origin: b.origin, 'X-Counter-Token': b.token, 'X-Counter-Client': 'test-client-1' },
      body: '{not json',
    });
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
});
