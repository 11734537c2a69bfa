import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { applicationInputSchema, syntheticRandom } from '../../shared';
import { DATABASE_FILE, openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { openDatabase } from '../../electron/core/db/connection';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate } from '../../electron/core/db/migrations';
import canonicalize from 'canonicalize';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { KEY_FILE } from '../../electron/core/crypto/keyFileStore';
import { keyFingerprint, parseInstallationSecret } from '../../electron/core/crypto/installationKeys';
import { InstallationKeyError } from '../../electron/core/crypto/keyBinding';
import { WRAPPED_KEY_FILE, wrappedKeyStore, type OsKeystore } from '../../electron/core/crypto/wrappedKeyStore';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { openHarness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A branch with one submitted request; returns the request's bound phone for a search. */
async function branchWithARequest(dataDir: string): Promise<string> {
  const h = await openHarness(dataDir);
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const request = makeDemoRequest(syntheticRandom(5), '2026-11-25');
  await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
  h.core.close();
  return applicationInputSchema.parse(request).mobile.bound;
}

async function refusal(dataDir: string): Promise<InstallationKeyError> {
  const error: unknown = await openCore({ dataDir, appVersion: 'test', log: silentEventLog }).then(
    (core) => {
      core.close();
      return null;
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InstallationKeyError);
  return error as InstallationKeyError;
}

describe('the database and its installation key', () => {
  it('records the key a new installation makes, in its table and in the audit chain', async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir);
    const keys = parseInstallationSecret(readFileSync(join(dataDir, KEY_FILE)));
    const recorded = h.core.db.prepare('SELECT fingerprint FROM installation_key').get() as { fingerprint: string };
    expect(recorded.fingerprint).toBe(keyFingerprint(keys.publicKey));
    // Row 1 keys the chain; the key is recorded right after it.
    const first = h.core.db.prepare('SELECT action, actor_id, details FROM audit_log WHERE seq = 2').get() as Record<string, unknown>;
    expect(first).toEqual({ action: 'installation.key_recorded', actor_id: null, details: JSON.stringify({ fingerprint: recorded.fingerprint }) });
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
    // Fixed once recorded.
    expect(() => h.core.db.prepare("UPDATE installation_key SET fingerprint = 'x'").run()).toThrow(/fixed/);
    expect(() => h.core.db.prepare('DELETE FROM installation_key').run()).toThrow(/fixed/);
    h.core.close();
  });

  it('refuses to start without the key of a database that holds records, makes no new key, changes nothing, and starts again once the key is back', async () => {
    const dataDir = tempDir();
    const phone = await branchWithARequest(dataDir);
    const database = join(dataDir, DATABASE_FILE);
    const before = sha256(database);
    renameSync(join(dataDir, KEY_FILE), join(dataDir, 'kept-aside.key'));

    const error = await refusal(dataDir);
    expect(error.reason).toBe('missing');
    expect(error.message).toContain('安装密钥缺失');
    expect(error.message).toContain(join(dataDir, KEY_FILE));
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    expect(sha256(database)).toBe(before);

    renameSync(join(dataDir, 'kept-aside.key'), join(dataDir, KEY_FILE));
    const h = await openHarness(dataDir, { setup: false });
    await h.ok('t1', 'auth.login', { employeeNo: 'T001', password: 'Quiet-Harbor-27' });
    // The blind index is keyed: the phone is found only with the database's own key.
    expect((await h.ok('t1', 'applications.search', { query: phone })).rows).toHaveLength(1);
    h.core.close();
  });

  it("refuses another installation's key and names both fingerprints", async () => {
    const dataDir = tempDir();
    await branchWithARequest(dataDir);
    const other = tempDir();
    (await openCore({ dataDir: other, appVersion: 'test', log: silentEventLog })).close();
    const before = sha256(join(dataDir, DATABASE_FILE));
    const own = readFileSync(join(dataDir, KEY_FILE));
    cpSync(join(other, KEY_FILE), join(dataDir, KEY_FILE));

    const error = await refusal(dataDir);
    expect(error.reason).toBe('mismatch');
    expect(error.message).toContain('安装密钥与数据库不符');
    const fingerprintOf = (secret: Buffer) => keyFingerprint(parseInstallationSecret(secret).publicKey).slice(0, 16);
    expect(error.message).toContain(fingerprintOf(readFileSync(join(other, KEY_FILE))));
    expect(error.message).toContain(fingerprintOf(own));
    expect(sha256(join(dataDir, DATABASE_FILE))).toBe(before);
  });

  it('records the key of a database made before the table existed, and refuses one with records but no key', async () => {
    // A database at schema 4 with history, as an installation before this change left it.
    const older = (dataDir: string) => {
      const migrations = tempDir();
      for (const file of readdirSync(DEFAULT_MIGRATIONS_DIR).filter((name) => /^00[1-4]_/.test(name))) {
        cpSync(join(DEFAULT_MIGRATIONS_DIR, file), join(migrations, file));
      }
      const db = openDatabase(join(dataDir, DATABASE_FILE));
      migrate(db, loadMigrations(migrations));
      // The row as that version wrote it: SHA-256(prev_hash ‖ canonical row), before the chain was keyed.
      const row = { seq: 1, at: new Date().toISOString(), actorId: null, action: 'system.setup', entity: 'branch', entityId: null, details: {} };
      const hash = createHash('sha256').update(`${'0'.repeat(64)}${canonicalize(row) ?? ''}`).digest('hex');
      db.prepare("INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash) VALUES (1, ?, NULL, 'system.setup', 'branch', NULL, '{}', ?, ?)").run(row.at, '0'.repeat(64), hash);
      db.close();
    };
    const withKey = tempDir();
    older(withKey);
    const first = tempDir();
    (await openCore({ dataDir: first, appVersion: 'test', log: silentEventLog })).close();
    cpSync(join(first, KEY_FILE), join(withKey, KEY_FILE));
    const core = await openCore({ dataDir: withKey, appVersion: 'test', log: silentEventLog });
    const recorded = core.db.prepare('SELECT fingerprint FROM installation_key').get() as { fingerprint: string };
    expect(recorded.fingerprint).toBe(keyFingerprint(core.context.keys.publicKey));
    // The old row, the keying row, the key recorded.
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true, rows: 3 });
    core.close();

    const withoutKey = tempDir();
    older(withoutKey);
    expect((await refusal(withoutKey)).reason).toBe('missing');
  });
});

/**
 * Stands in for the OS keystore, which does not run here (Electron's safeStorage needs Electron and a desktop
 * keyring): a reversible wrapping under a key version it can rotate, as DPAPI and libsecret do.
 */
function fakeOsKeystore(options: { available?: boolean; backend?: string } = {}) {
  const state = { version: 1, wraps: 0 };
  const wrap = (text: string, version: number) => Buffer.concat([Buffer.from(`v${version}:`), Buffer.from(text, 'utf8').map((byte) => byte ^ (0x5a + version))]);
  const keystore: OsKeystore = {
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: (text) => {
      state.wraps += 1;
      return Promise.resolve(wrap(text, state.version));
    },
    decryptStringAsync: (wrapped) => {
      const version = Number(/^v(\d+):/.exec(wrapped.toString('latin1'))?.[1]);
      const body = wrapped.subarray(`v${version}:`.length).map((byte) => byte ^ (0x5a + version));
      return Promise.resolve({ result: Buffer.from(body).toString('utf8'), shouldReEncrypt: version !== state.version });
    },
  };
  return { keystore, state };
}

describe('the key wrapped by the OS keystore (the logic behind Electron safeStorage)', () => {
  it('refuses Linux basic_text unless the admin opted in, and a keystore that is not available', async () => {
    const dataDir = tempDir();
    await expect(wrappedKeyStore(dataDir, fakeOsKeystore({ backend: 'basic_text' }).keystore, { allowBasicText: false, platform: 'linux' })).rejects.toThrow(/basic_text.*不能保护数据密钥/s);
    await expect(wrappedKeyStore(dataDir, fakeOsKeystore({ backend: 'basic_text' }).keystore, { allowBasicText: true, platform: 'linux' })).resolves.toMatchObject({ protection: 'safeStorage (basic_text)' });
    // Windows has no backends to choose from: DPAPI.
    await expect(wrappedKeyStore(dataDir, fakeOsKeystore({ backend: 'basic_text' }).keystore, { allowBasicText: false, platform: 'win32' })).resolves.toMatchObject({ protection: 'safeStorage (os)' });
    await expect(wrappedKeyStore(dataDir, fakeOsKeystore({ available: false }).keystore, { allowBasicText: true, platform: 'linux' })).rejects.toThrow(/密钥库不可用/);
  });

  it('keeps only the wrapped secret on disk, opens the core with it again, and wraps it anew when the OS key changes', async () => {
    const dataDir = tempDir();
    const { keystore, state } = fakeOsKeystore();
    const open = async () => openCore({ dataDir, appVersion: 'test', log: silentEventLog, keyStore: await wrappedKeyStore(dataDir, keystore, { allowBasicText: false, platform: 'linux' }) });
    const core = await open();
    const fingerprint = keyFingerprint(core.context.keys.publicKey);
    core.close();
    const file = join(dataDir, WRAPPED_KEY_FILE);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const firstWrap = readFileSync(file);
    const secret = Buffer.from((await keystore.decryptStringAsync(firstWrap)).result, 'base64');
    expect(firstWrap.includes(secret.toString('base64'))).toBe(false);
    expect(state.wraps).toBe(1);

    state.version = 2;
    const again = await open();
    expect(keyFingerprint(again.context.keys.publicKey)).toBe(fingerprint);
    again.close();
    expect(state.wraps).toBe(2);
    expect(readFileSync(file).subarray(0, 3).toString()).toBe('v2:');
    expect(Buffer.from((await keystore.decryptStringAsync(readFileSync(file))).result, 'base64').equals(secret)).toBe(true);
    // Nothing is left half-written beside it.
    expect(readdirSync(dataDir).filter((name) => name.includes('.tmp'))).toEqual([]);
    // And without it, the database that holds records will not start on a new key.
    rmSync(file);
    const error: unknown = await open().then(
      (opened) => {
        opened.close();
        return null;
      },
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(InstallationKeyError);
    expect((error as InstallationKeyError).message).toContain(file);
  });
});
