import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { findApplication } from '../../electron/core/applications/repository';
import { AcquirerService } from '../../electron/core/acquirer/service';
import { importOutcomeFolder } from '../../electron/core/acquirer/batchChannel';
import { useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import { BatchAcquirerSim, makeOutcomeSigningKey, outcomeFileText, signOutcomeBytes, writeSignedOutcomeFile, type OutcomeSigningKey } from '../support/acquirerSim';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);

async function completed(h: Harness, seed: number, day = '2026-11-25') {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), day) });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  const row = findApplication(h.core.db, signed.id);
  if (!row) throw new Error('no request');
  return row;
}

/** The batch channel with a watched folder, and (when given) the acquirer's key, saved as an admin does. */
async function batchSettings(h: Harness, outcomePublicKey: string | null) {
  const inbox = join(tempDir(), 'outcomes');
  mkdirSync(inbox, { recursive: true });
  const base = (await h.ok('admin', 'settings.get', {})).acquirer;
  await h.ok('admin', 'settings.update', { acquirer: { ...base, channel: 'batch', batch: { outFolder: join(tempDir(), 'handoff'), outcomeFolder: inbox, outcomePublicKey } } });
  return inbox;
}

const outcomeEvents = (h: Harness) => (h.core.db.prepare('SELECT count(*) AS n FROM outcome_events').get() as { n: number }).n;
const audits = (h: Harness, action: string) =>
  (h.core.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { details: string }[]).map((row) => JSON.parse(row.details) as Record<string, unknown>);

/** Two looks: a file is taken once it stayed the same between them. */
function twoLooks(h: Harness, inbox: string) {
  const seen = new Map();
  importOutcomeFolder(h.core.context, inbox, seen);
  return importOutcomeFolder(h.core.context, inbox, seen);
}

describe('the acquirer key in the batch channel settings', () => {
  it('accepts an Ed25519 or ECDSA P-256 public key (saved in standard PEM, audited by fingerprint) and refuses anything else, saying why, changing nothing', async () => {
    const h = await harness();
    const base = (await h.ok('admin', 'settings.get', {})).acquirer;
    expect(base.batch.outcomePublicKey).toBeNull();
    const save = (outcomePublicKey: string | null) => h.call('admin', 'settings.update', { acquirer: { ...base, batch: { ...base.batch, outcomePublicKey } } });
    const pem = (kind: 'rsa' | 'ec384') =>
      (kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'secp384r1' })).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const refusals: [string, string][] = [
      ['not a key at all', 'settings.acquirer_public_key_invalid'],
      ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'settings.acquirer_public_key_invalid'],
      [pem('rsa'), 'settings.acquirer_public_key_type'],
      [pem('ec384'), 'settings.acquirer_public_key_type'],
      [generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'settings.acquirer_public_key_private'],
    ];
    for (const [text, code] of refusals) {
      expect(await save(text)).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'acquirer.batch.outcomePublicKey': code } } });
    }
    expect((await h.ok('admin', 'settings.get', {})).acquirer.batch.outcomePublicKey).toBeNull();
    expect(audits(h, 'acquirer.outcome_key_set')).toEqual([]);

    for (const kind of ['ed25519', 'p256'] as const) {
      const key = makeOutcomeSigningKey(kind);
      // Pasted with the blank lines and spaces a mail client adds: kept as the key's standard PEM.
      const saved = await h.ok('admin', 'settings.update', { acquirer: { ...base, batch: { ...base.batch, outcomePublicKey: `\n  ${key.publicKeyPem}\n\n` } } });
      expect(saved.acquirer.batch.outcomePublicKey).toBe(key.publicKeyPem.trim());
    }
    const [first, second] = audits(h, 'acquirer.outcome_key_set');
    expect(first).toMatchObject({ before: null, after: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second).toMatchObject({ before: first?.after, after: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // An earlier version's stored settings (no key field) still read, with no key.
    h.core.db.prepare("UPDATE settings SET value_json = json_remove(value_json, '$.batch.outcomePublicKey') WHERE key = 'acquirer'").run();
    const { writeSetting, readSettings } = await import('../../electron/core/settings');
    writeSetting(h.core.db, 'idleLockMinutes', 5, new Date());
    expect(readSettings(h.core.db).acquirer).toMatchObject({ channel: base.channel, batch: { outcomePublicKey: null } });
  });
});

describe('the watched outcome folder with signed outcome files', () => {
  it('imports nothing while no acquirer key is configured, and the 交接与回执 panel says why', async () => {
    const h = await harness();
    const inbox = await batchSettings(h, null);
    const a = await completed(h, 401);
    const key = makeOutcomeSigningKey();
    writeSignedOutcomeFile(inbox, 'day.csv', outcomeFileText([{ number: a.number, outcome: 'unbound', reference: 'B1' }]), key.privateKey);
    expect(twoLooks(h, inbox)).toEqual({ imported: [], rejected: [], waiting: 1 });
    expect(readdirSync(inbox).sort()).toEqual(['day.csv', 'day.csv.sig']);
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
    expect((await h.ok('s1', 'handoff.overview', {})).outcomeFiles).toEqual({ folder: inbox, keyFingerprint: null, waiting: 1 });
  });

  it('imports a file whose signature verifies (Ed25519 and P-256), moved with its .sig, audited with the key fingerprint', async () => {
    for (const kind of ['ed25519', 'p256'] as const) {
      const h = await harness();
      const key = makeOutcomeSigningKey(kind);
      const inbox = await batchSettings(h, key.publicKeyPem);
      const [a, b] = [await completed(h, 411), await completed(h, 412)];
      writeSignedOutcomeFile(inbox, 'day.csv', outcomeFileText([{ number: a.number, outcome: 'unbound', reference: 'B1' }, { number: b.number, outcome: 'unbind_failed', reference: 'B2', reason: '终端不存在' }]), key.privateKey);
      expect(twoLooks(h, inbox)).toEqual({ imported: ['day.csv'], rejected: [], waiting: 0 });
      expect(readdirSync(join(inbox, 'imported')).sort()).toEqual(['day.csv', 'day.csv.sig']);
      expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
      expect(findApplication(h.core.db, b.id)?.status).toBe('unbind_failed');
      const overview = await h.ok('s1', 'handoff.overview', {});
      expect(overview.outcomeFiles.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(audits(h, 'acquirer.outcome_file')).toEqual([{ fileName: 'day.csv', lines: 2, recorded: 2, duplicates: 0, keyFingerprint: overview.outcomeFiles.keyFingerprint }]);
    }
  });

  it('refuses a file without its .sig, with a wrong signature, or signed by another key: moved aside with the reason in Chinese, nothing recorded', async () => {
    const h = await harness();
    const key = makeOutcomeSigningKey();
    const other: OutcomeSigningKey = makeOutcomeSigningKey();
    const inbox = await batchSettings(h, key.publicKeyPem);
    const a = await completed(h, 421);
    const text = outcomeFileText([{ number: a.number, outcome: 'unbound', reference: 'B1' }]);
    // No signature at all.
    writeFileSync(join(inbox, 'unsigned.csv'), text);
    // Signed, then changed: another outcome put in after the acquirer signed.
    writeSignedOutcomeFile(inbox, 'altered.csv', text, key.privateKey);
    writeFileSync(join(inbox, 'altered.csv'), text.replace('unbound', 'unbind_failed').replace(',,\n', ',被改动,\n'));
    // Signed by a key that is not the acquirer's.
    writeSignedOutcomeFile(inbox, 'other.csv', text, other.privateKey);
    // A .sig that is not base64 at all.
    writeFileSync(join(inbox, 'garbled.csv.sig'), 'not a signature!');
    writeFileSync(join(inbox, 'garbled.csv'), text);
    const bytes = Object.fromEntries(['unsigned', 'altered', 'other', 'garbled'].map((name) => [name, readFileSync(join(inbox, `${name}.csv`))]));

    expect(twoLooks(h, inbox)).toEqual({ imported: [], rejected: ['altered.csv', 'garbled.csv', 'other.csv', 'unsigned.csv'], waiting: 0 });
    expect(readdirSync(join(inbox, 'rejected')).sort()).toEqual([
      'altered.csv', 'altered.csv.error.txt', 'altered.csv.sig', 'garbled.csv', 'garbled.csv.error.txt', 'garbled.csv.sig',
      'other.csv', 'other.csv.error.txt', 'other.csv.sig', 'unsigned.csv', 'unsigned.csv.error.txt',
    ]);
    const refusal = (name: string) => readFileSync(join(inbox, 'rejected', `${name}.csv.error.txt`), 'utf8');
    expect(refusal('unsigned')).toContain('缺少签名文件 unsigned.csv.sig：回执文件须附收单机构的签名');
    for (const name of ['altered', 'other', 'garbled']) expect(refusal(name)).toContain(`${name}.csv 的签名验证未通过`);
    // The files themselves are unchanged, and nothing was recorded.
    for (const [name, content] of Object.entries(bytes)) expect(readFileSync(join(inbox, 'rejected', `${name}.csv`))).toEqual(content);
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
    expect(outcomeEvents(h)).toBe(0);
    expect(audits(h, 'acquirer.outcome_file')).toEqual([]);
  });

  it('waits while the .sig is still changing, so a signature written just after its file is not missed', async () => {
    const h = await harness();
    const key = makeOutcomeSigningKey();
    const inbox = await batchSettings(h, key.publicKeyPem);
    const a = await completed(h, 431);
    const bytes = Buffer.from(outcomeFileText([{ number: a.number, outcome: 'unbound', reference: 'B1' }]));
    const seen = new Map();
    writeFileSync(join(inbox, 'late.csv'), bytes);
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toMatchObject({ imported: [], rejected: [] });
    writeFileSync(join(inbox, 'late.csv.sig'), signOutcomeBytes(key.privateKey, bytes));
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toMatchObject({ imported: [], rejected: [] });
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toEqual({ imported: ['late.csv'], rejected: [], waiting: 0 });
  });

  it('the batch simulator takes a hand-off batch and answers with a signed outcome file that the counter imports', async () => {
    const h = await harness();
    const key = makeOutcomeSigningKey();
    const inbox = await batchSettings(h, key.publicKeyPem);
    const outFolder = (await h.ok('admin', 'settings.get', {})).acquirer.batch.outFolder ?? '';
    const [a, b] = [await completed(h, 441), await completed(h, 444)];
    const service = new AcquirerService(h.core.context, { checkMs: 60_000, batchEveryMs: 0 });
    service.start();
    await service.stop();
    const sim = new BatchAcquirerSim({ outFolder, outcomeFolder: inbox, signingKey: key.privateKey, decide: (request) => (request.applicationNumber === b.number ? { outcome: 'unbind_failed', reason: '终端已注销' } : { outcome: 'unbound' }) });
    sim.look();
    expect(sim.written).toHaveLength(1);
    service.tick();
    service.tick();
    expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
    expect(findApplication(h.core.db, b.id)?.status).toBe('unbind_failed');
    expect(existsSync(join(inbox, 'imported', `${sim.written[0] ?? ''}.sig`))).toBe(true);
  });
});

describe('the supervisor’s import with the acquirer key configured', () => {
  it('needs the signature too: missing, wrong or another key’s is refused in the user’s words and records nothing; a good one imports, BOM and all', async () => {
    const h = await harness();
    const key = makeOutcomeSigningKey('p256');
    await batchSettings(h, key.publicKeyPem);
    const [a, b] = [await completed(h, 451), await completed(h, 452)];
    // As the screen sends it: the bytes decoded with nothing dropped, the BOM kept as U+FEFF.
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(outcomeFileText([{ number: a.number, outcome: 'unbound', reference: 'Q1' }, { number: b.number, outcome: 'unbound', reference: 'Q2' }]).replaceAll('\n', '\r\n'))]);
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const fileName = 'outcomes-20261125.csv';
    const other = makeOutcomeSigningKey('p256');
    const refused = [
      [undefined, 'handoff.signature_missing'],
      [signOutcomeBytes(key.privateKey, bytes.subarray(3)), 'handoff.signature_invalid'],
      [signOutcomeBytes(other.privateKey, bytes), 'handoff.signature_invalid'],
      ['', 'handoff.signature_invalid'],
    ] as const;
    for (const [signature, message] of refused) {
      const result = await h.call('s1', 'handoff.importOutcomes', { fileName, text, ...(signature !== undefined ? { signature } : {}) });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', message, details: { file: fileName } } });
    }
    expect(outcomeEvents(h)).toBe(0);
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
    // The raw r‖s form (Web Crypto's) verifies as well as DER.
    const p1363 = sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
    expect(await h.ok('s1', 'handoff.importOutcomes', { fileName, text, signature: `${p1363.slice(0, 40)}\n${p1363.slice(40)}\n` })).toEqual({ lines: 2, recorded: 2, duplicates: 0 });
    expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
    expect(audits(h, 'acquirer.outcome_file').at(-1)).toMatchObject({ fileName, recorded: 2, keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('npm run preview -- --acquirer-sim --acquirer-batch', () => {
  it('works out of the box: the hand-off folder goes to the simulated acquirer, whose signed outcome file is imported under the key it configured', async () => {
    const { openHarness } = await import('../support/coreHarness');
    const { startPreview } = await import('../support/preview');
    const dataDir = tempDir();
    // The branch, its accounts, and two requests completed today (the preview runs on today's date).
    const h = await openHarness(dataDir, { now: new Date().toISOString() });
    const day = h.core.context.businessDate();
    const requests = [await completed(h, 461, day), await completed(h, 462, day)];
    h.core.close();
    const preview = await startPreview(dataDir, ['--acquirer-sim', '--acquirer-batch']);
    const imported = join(dataDir, 'acquirer-sim', 'outcomes', 'imported');
    try {
      const deadline = Date.now() + 40_000;
      while (!(existsSync(imported) && readdirSync(imported).some((name) => name.endsWith('.csv.sig'))) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await preview.stop();
    }
    const names = readdirSync(imported).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^outcomes_310101_01_\d{14}_1\.csv$/);
    expect(names[1]).toBe(`${names[0] ?? ''}.sig`);
    const after = await openHarness(dataDir, { now: new Date().toISOString(), setup: false });
    try {
      for (const request of requests) expect(findApplication(after.core.db, request.id)?.status).toBe('unbound');
      const { readSettings } = await import('../../electron/core/settings');
      const settings = readSettings(after.core.db).acquirer;
      expect(settings).toMatchObject({ channel: 'batch', batch: { outcomePublicKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----') } });
      expect(audits(after, 'acquirer.outcome_file')).toEqual([expect.objectContaining({ recorded: 2, keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    } finally {
      after.core.close();
    }
  }, 90_000);
});
