import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueClient, startPreview, type RunningPreview } from '../support/preview';

let dir: string;
let preview: RunningPreview;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unbinddesk-reader-sim-'));
  preview = await startPreview(dir, ['--reader-sim']);
}, 30_000);

afterAll(async () => {
  await preview.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${preview.origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: preview.origin, 'X-Counter-Token': preview.token, ...headers },
    body: JSON.stringify(body),
  });

async function rpc(client: string, method: string, input: unknown): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: unknown }> {
  const response = await post('/rpc', { method, input }, { 'X-Counter-Client': client });
  return (await response.json()) as { ok: boolean; value?: Record<string, unknown> };
}

describe('npm run preview -- --reader-sim', () => {
  it('serves its panel, and refuses its actions without the token or from another origin', async () => {
    const page = await fetch(`${preview.origin}/reader-sim`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('模拟身份证读卡器');
    expect((await post('/reader-sim/place', { card: 'resident' }, { 'X-Counter-Token': 'wrong' })).status).toBe(401);
    expect((await post('/reader-sim/place', { card: 'resident' }, { Origin: 'http://evil.example' })).status).toBe(403);
    const unknown = await post('/reader-sim/place', { textBlock: 'AAAA', photo: 'AAAA' });
    expect(unknown.status).toBe(400);
  });

  it('puts a demo card on the reader the core polls, and the logged-in window gets the read', async () => {
    const client = await issueClient(preview);
    expect((await rpc(client, 'auth.setup', { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Brass-Lantern-61' } })).ok).toBe(true);
    expect((await rpc(client, 'auth.login', { employeeNo: 'A001', password: 'Brass-Lantern-61' })).ok).toBe(true);
    const watching = await rpc(client, 'reader.watch', { on: true });
    expect(watching.value).toMatchObject({ configured: true, read: null });
    expect((await post('/reader-sim/place', { card: 'foreign' })).status).toBe(200);
    let read: unknown = null;
    for (let i = 0; i < 40 && read === null; i += 1) {
      await sleep(100);
      read = (await rpc(client, 'reader.status', {})).value?.read ?? null;
    }
    expect(read).toMatchObject({ facts: { documentType: 'foreign_permanent_resident', englishName: 'JOHN ADAM SMITH', nationality: 'GBR' }, evidence: { readerKind: 'simulated' } });
  });
});
