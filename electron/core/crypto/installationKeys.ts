import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The secrets of one installation: a random data key (field encryption and, derived from it, the blind-index
 * key) and the Ed25519 key that signs slips, audit heads and day bundles. Where they are kept is the
 * KeyStore's business: Electron wraps them with the OS keystore, Node keeps a 0600 key file.
 */
export interface InstallationKeys {
  /** AES-256-GCM key for personal data. */
  dataKey: Buffer;
  /** HMAC-SHA256 key for exact-match search; separate from dataKey so one never serves as the other. */
  indexKey: Buffer;
  /**
   * HMAC-SHA256 key of the audit chain: rewriting the chain needs it, so whoever can write the database file
   * but does not hold the key store's secret cannot re-hash a history they changed.
   */
  auditKey: Buffer;
  signingKey: KeyObject;
  publicKey: KeyObject;
}

/** Where the serialized secret is kept at rest. */
export interface KeyStore {
  /** Describes the protection, for `system.info` and branch IT (e.g. "key file 0600", "safeStorage: gnome_libsecret"). */
  readonly protection: string;
  /** Where the secret is, for a message to branch IT when it is missing. */
  readonly location: string;
  read(): Promise<Buffer | null>;
  write(secret: Buffer): Promise<void>;
}

interface SerializedKeys {
  version: 1;
  dataKey: string;
  signingKey: string;
}

function derive(serialized: SerializedKeys): InstallationKeys {
  const dataKey = Buffer.from(serialized.dataKey, 'base64');
  if (dataKey.length !== 32) throw new Error('installation key: data key must be 32 bytes');
  const signingKey = createPrivateKey({ key: Buffer.from(serialized.signingKey, 'base64'), format: 'der', type: 'pkcs8' });
  if (signingKey.asymmetricKeyType !== 'ed25519') throw new Error('installation key: signing key must be Ed25519');
  const indexKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'unbinddesk blind index v1', 32));
  const auditKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'unbinddesk audit chain v1', 32));
  return { dataKey, indexKey, auditKey, signingKey, publicKey: createPublicKey(signingKey) };
}

export function createInstallationSecret(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519');
  const serialized: SerializedKeys = {
    version: 1,
    dataKey: randomBytes(32).toString('base64'),
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  return Buffer.from(JSON.stringify(serialized), 'utf8');
}

export function parseInstallationSecret(secret: Buffer): InstallationKeys {
  const parsed = JSON.parse(secret.toString('utf8')) as SerializedKeys;
  if (parsed.version !== 1) throw new Error(`installation key: unknown version ${String(parsed.version)}`);
  return derive(parsed);
}

/** The installation's keys as kept in the store, or null when there are none. Never makes a key. */
export async function readInstallationKeys(store: KeyStore): Promise<InstallationKeys | null> {
  const secret = await store.read();
  return secret ? parseInstallationSecret(secret) : null;
}

/** SHA-256 of the public key (SPKI DER), hex: names the installation key without revealing anything. */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex');
}
