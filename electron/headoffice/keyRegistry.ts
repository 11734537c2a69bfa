// The desks' public keys, as head office registers them (`register-desk`).
import { createPublicKey, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { BRANCH_CODE, DESK } from './manifest';
import { rawKeyFingerprint } from '../core/dayclose/manifest';

export interface RegisteredKey {
  branchCode: string;
  desk: string;
  fingerprint: string;
  key: KeyObject;
  /** 'YYYY-MM-DD' */
  validFrom: string;
  revokedAt: Date | null;
}

/** SHA-256 (hex) of the key's DER SubjectPublicKeyInfo: how head office names a key. */
/** The key's name: SHA-256 (hex) of the raw 32-byte Ed25519 key, as the desk's `public-key` and manifests print it. */
export function keyFingerprint(key: KeyObject): string {
  return rawKeyFingerprint(key);
}

export class RegistryError extends Error {
  constructor(readonly code: 'key_invalid' | 'key_not_ed25519' | 'branch_invalid' | 'desk_invalid' | 'date_invalid' | 'key_of_another_desk' | 'key_revoked' | 'key_not_registered', message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** An Ed25519 public key from PEM text (what `public-key` prints at the desk). */
export function parsePublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new RegistryError('key_invalid', 'the file is not a PEM public key (give the output of `public-key` at the desk)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new RegistryError('key_not_ed25519', `the key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519: it is not an UnbindDesk installation key`);
  return key;
}

export interface Registration {
  branchCode: string;
  desk: string;
  key: KeyObject;
  validFrom: string;
}

export type RegistrationOutcome = { kind: 'registered' | 'already_registered' | 'revoked'; fingerprint: string; validFrom: string };

function checkDesk(branchCode: string, desk: string): void {
  if (!BRANCH_CODE.test(branchCode)) throw new RegistryError('branch_invalid', `--branch ${branchCode} is not a branch code (letters and digits, 1 to 32)`);
  if (!DESK.test(desk)) throw new RegistryError('desk_invalid', `--desk ${desk} is not a desk number (two digits; 00 for bundles written before desks were numbered)`);
}

export async function registerDeskKey(client: pg.Client, registration: Registration): Promise<RegistrationOutcome> {
  const { branchCode, desk, key, validFrom } = registration;
  checkDesk(branchCode, desk);
  const fingerprint = keyFingerprint(key);
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ branch_code: string; desk: string; valid_from: string; revoked_at: Date | null }>(
      `SELECT branch_code, desk, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, revoked_at FROM headoffice.desk_keys WHERE fingerprint = $1 FOR UPDATE`,
      [fingerprint],
    );
    // A key belongs to one desk, with one exception: an installation set up before desks were numbered keeps its
    // key when its admin sets the desk, so its format-2 bundles (desk 00) and its later format-3 bundles (its
    // desk) are signed by one key: desk 00 and exactly one numbered desk of the same branch may share it.
    const desks = new Set([...rows.map((row) => row.desk), desk]);
    const numbered = [...desks].filter((number) => number !== '00');
    const other = rows.find((row) => row.branch_code !== branchCode || (row.desk !== desk && numbered.length > 1));
    if (other) throw new RegistryError('key_of_another_desk', `this key is already registered for branch ${other.branch_code} desk ${other.desk}: each desk has its own installation key (only a desk's pre-desk bundles, desk 00, share it)`);
    const revoked = rows.find((row) => row.revoked_at);
    if (revoked?.revoked_at) throw new RegistryError('key_revoked', `this key of branch ${revoked.branch_code} desk ${revoked.desk} was revoked on ${revoked.revoked_at.toISOString()}; a revoked key is never registered again`);
    const same = rows.find((row) => row.desk === desk);
    if (same) {
      await client.query('COMMIT');
      return { kind: 'already_registered', fingerprint, validFrom: same.valid_from };
    }
    await client.query(`INSERT INTO headoffice.desk_keys (branch_code, desk, fingerprint, public_key, valid_from) VALUES ($1, $2, $3, $4, $5)`, [branchCode, desk, fingerprint, pem, validFrom]);
    await client.query('COMMIT');
    return { kind: 'registered', fingerprint, validFrom };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

export async function revokeDeskKey(client: pg.Client, branchCode: string, desk: string, key: KeyObject): Promise<RegistrationOutcome> {
  checkDesk(branchCode, desk);
  const fingerprint = keyFingerprint(key);
  // A key shared by desk 00 and its numbered desk is revoked for both: neither half of its history is trusted any more.
  const { rows } = await client.query<{ desk: string; valid_from: string }>(
    `UPDATE headoffice.desk_keys SET revoked_at = coalesce(revoked_at, now())
      WHERE branch_code = $1 AND fingerprint = $3
        AND EXISTS (SELECT 1 FROM headoffice.desk_keys WHERE branch_code = $1 AND desk = $2 AND fingerprint = $3)
      RETURNING desk, to_char(valid_from, 'YYYY-MM-DD') AS valid_from`,
    [branchCode, desk, fingerprint],
  );
  const row = rows.find((revoked) => revoked.desk === desk);
  if (!row) throw new RegistryError('key_not_registered', `this key is not registered for branch ${branchCode} desk ${desk}: nothing to revoke`);
  return { kind: 'revoked', fingerprint, validFrom: row.valid_from };
}

/** The whole registry, revoked keys included. */
export async function allDeskKeys(client: pg.Client): Promise<RegisteredKey[]> {
  const { rows } = await client.query<{ branch_code: string; desk: string; fingerprint: string; public_key: string; valid_from: string; revoked_at: Date | null }>(
    `SELECT branch_code, desk, fingerprint, public_key, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, revoked_at FROM headoffice.desk_keys ORDER BY id`,
  );
  return rows.map((row) => ({ branchCode: row.branch_code, desk: row.desk, fingerprint: row.fingerprint, key: createPublicKey(row.public_key), validFrom: row.valid_from, revokedAt: row.revoked_at }));
}
