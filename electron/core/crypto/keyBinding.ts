import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import { appendAudit, openAuditChain } from '../audit/auditLog';
import { createInstallationSecret, keyFingerprint, parseInstallationSecret, type InstallationKeys, type KeyStore } from './installationKeys';

/**
 * Why the counter cannot start with the key it found. Shown before anyone has chosen a language, so the
 * message carries both; it names where the key should be and never any key material.
 */
export class InstallationKeyError extends Error {
  constructor(
    readonly reason: 'missing' | 'mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'InstallationKeyError';
  }
}

function recordedFingerprint(db: Db): string | null {
  return (statement(db, 'SELECT fingerprint FROM installation_key WHERE id = 1').get() as { fingerprint: string } | undefined)?.fingerprint ?? null;
}

/** Anything ever done in this database leaves an audit row; none means nothing was sealed with any key. */
function hasHistory(db: Db): boolean {
  return (statement(db, 'SELECT EXISTS (SELECT 1 FROM audit_log) AS found').get() as { found: number }).found === 1;
}

/**
 * The installation's keys for this database. A key is made only for a database that has never had one; the
 * database records which key it belongs to, and a start with a missing or different key stops with a message
 * for branch IT instead of sealing new data with a new key.
 */
export async function openInstallationKeys(db: Db, store: KeyStore, at: Date): Promise<InstallationKeys> {
  const recorded = recordedFingerprint(db);
  let secret = await store.read();
  if (!secret) {
    if (recorded !== null || hasHistory(db)) {
      throw new InstallationKeyError(
        'missing',
        `安装密钥缺失：此数据库已有记录，但找不到加密这些记录的密钥（${store.location}）。请从备份恢复该密钥后再启动；` +
          `程序不会新建密钥，否则已有记录将无法读取。\n` +
          `The installation key is missing: this database already holds records, but the key that sealed them is not ` +
          `at ${store.location}. Restore that key from its backup and start again; a new key is not made, because it ` +
          `could not read the records already kept.`,
      );
    }
    secret = createInstallationSecret();
    await store.write(secret);
  }
  const keys = parseInstallationSecret(secret);
  const fingerprint = keyFingerprint(keys.publicKey);
  if (recorded !== null && recorded !== fingerprint) throw mismatch(store, fingerprint, recorded);
  // From here on every audit row is keyed; a database from before the keyed chain gets its keying row now.
  openAuditChain(db, keys.auditKey, at);
  if (recorded === null) {
    db.transaction(() => {
      statement(db, 'INSERT INTO installation_key (id, fingerprint, recorded_at) VALUES (1, ?, ?)').run(fingerprint, at.toISOString());
      appendAudit(db, { actorId: null, action: 'installation.key_recorded', entity: 'installation', entityId: null, details: { fingerprint } }, at);
    })();
  }
  return keys;
}

function mismatch(store: KeyStore, fingerprint: string, recorded: string): InstallationKeyError {
  return new InstallationKeyError(
    'mismatch',
    `安装密钥与数据库不符：${store.location} 中的密钥（指纹 ${fingerprint.slice(0, 16)}…）不是此数据库的密钥` +
      `（指纹 ${recorded.slice(0, 16)}…）。请恢复此数据库自己的密钥。\n` +
      `The installation key does not belong to this database: the key at ${store.location} (fingerprint ` +
      `${fingerprint.slice(0, 16)}…) is not the one this database was sealed with (${recorded.slice(0, 16)}…). ` +
      `Restore this database's own key.`,
  );
}
