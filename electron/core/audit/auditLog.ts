import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Db } from '../db/connection';
import { canonicalJson, signCanonical } from '../crypto/signing';
import { statement } from '../db/statements';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so editing, deleting,
 * inserting or reordering a row breaks the chain. The triggers live in the file, so whoever can write the
 * file can drop them; what stops that person re-hashing a changed history is the key: from its keying row on,
 * each row's hash is an HMAC-SHA256 with the installation's audit key (held by the key store, never in the
 * database). Rows written before the chain was keyed keep their plain SHA-256 (slips and day bundles printed
 * then carry those hashes); the keying row's HMAC covers their head, so they cannot be changed either.
 * Details carry codes, ids and masked values only — never plaintext personal data.
 */
export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: Record<string, string | number | boolean | null | string[]>;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** The row from which every hash is keyed; appended once, when a database is first opened with its key. */
export const CHAIN_KEYED_ACTION = 'audit.chain_keyed';

interface StoredRow {
  seq: number;
  at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

type HashedRow = { seq: number; at: string; actorId: number | null; action: string; entity: string; entityId: string | null; details: string };

/**
 * The row's RFC 8785 form. `details` is stored as its own canonical JSON, so it goes in as it is, between the
 * row's other members in their sorted place (action, actorId, at, details, entity, entityId, seq): the same
 * bytes as canonicalising the whole row, without parsing the details back. A stored `details` that is not
 * byte for byte what was hashed therefore fails too.
 */
function canonicalRow(row: HashedRow): string {
  const head = canonicalJson({ action: row.action, actorId: row.actorId, at: row.at });
  const tail = canonicalJson({ entity: row.entity, entityId: row.entityId, seq: row.seq });
  return `${head.slice(0, -1)},"details":${row.details},${tail.slice(1)}`;
}

/** Before the keying row: SHA-256(prev_hash ‖ canonical row). */
function legacyRowHash(prevHash: string, row: HashedRow): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalRow(row), 'utf8').digest('hex');
}

/** From the keying row on: HMAC-SHA256(audit key, prev_hash ‖ canonical row). */
function keyedRowHash(key: KeyObject, prevHash: string, row: HashedRow): string {
  return createHmac('sha256', key).update(prevHash, 'utf8').update(canonicalRow(row), 'utf8').digest('hex');
}

const chainKeys = new WeakMap<Db, KeyObject>();

function chainKeyOf(db: Db): KeyObject {
  const key = chainKeys.get(db);
  // Nothing may be appended that the chain could not prove: a row without the key would break it.
  if (!key) throw new Error('audit log: the chain key is not open for this database');
  return key;
}

function keyingRowSeq(db: Db): number | null {
  // By entity first (the audit_entity index): run at every start, it must not walk the whole log.
  const row = statement(db, "SELECT seq FROM audit_log WHERE entity = 'audit' AND entity_id IS NULL AND action = ? ORDER BY seq LIMIT 1").get(CHAIN_KEYED_ACTION) as
    | { seq: number }
    | undefined;
  return row?.seq ?? null;
}

/**
 * Opens the chain with the installation's audit key. A database that has none yet (a new one, or one from
 * before the chain was keyed) gets its keying row now, which seals the plain rows before it.
 */
export function openAuditChain(db: Db, auditKey: Buffer, at: Date): void {
  chainKeys.set(db, createSecretKey(auditKey));
  db.transaction(() => {
    if (keyingRowSeq(db) !== null) return;
    const legacyRows = (statement(db, 'SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    appendAudit(db, { actorId: null, action: CHAIN_KEYED_ACTION, entity: 'audit', entityId: null, details: { scheme: 'HMAC-SHA256', legacyRows } }, at);
  })();
}

/** Appends one row. Call inside the transaction of the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, at: Date): AuditRow {
  const key = chainKeyOf(db);
  const last = statement(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const details = canonicalJson(entry.details);
  const row = { seq, at: at.toISOString(), actorId: entry.actorId, action: entry.action, entity: entry.entity, entityId: entry.entityId, details };
  const hash = keyedRowHash(key, prevHash, row);
  statement(db,
    `INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash)
     VALUES (@seq, @at, @actorId, @action, @entity, @entityId, @details, @prevHash, @hash)`,
  ).run({ ...row, prevHash, hash });
  return { ...entry, seq, at: row.at, prevHash, hash };
}

export type AuditVerification =
  | { ok: true; rows: number; head: { seq: number; hash: string }; keyedFromSeq: number }
  | { ok: false; rows: number; firstBadSeq: number; reason: string };

/**
 * Walks the whole chain with the audit key. Reports the first row whose sequence, link or hash is wrong, and
 * a chain that was never keyed (a history deleted and rebuilt without the key has no keying row it could sign).
 */
export function verifyAuditChain(db: Db, auditKey?: Buffer): AuditVerification {
  // Without a key given, the one this database was opened with (openCore); the CLI passes the key file's.
  const key = auditKey ? createSecretKey(auditKey) : chainKeyOf(db);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let keyedFromSeq: number | null = null;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY rowid').iterate() as IterableIterator<StoredRow>) {
    rows += 1;
    if (row.seq !== expectedSeq) return { ok: false, rows, firstBadSeq: row.seq, reason: `sequence ${row.seq} where ${expectedSeq} was expected` };
    if (row.prev_hash !== prevHash) return { ok: false, rows, firstBadSeq: row.seq, reason: 'link to the previous row is broken' };
    if (keyedFromSeq === null && row.action === CHAIN_KEYED_ACTION) keyedFromSeq = row.seq;
    const hashed = { seq: row.seq, at: row.at, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, details: row.details };
    const computed = keyedFromSeq === null ? legacyRowHash(prevHash, hashed) : keyedRowHash(key, prevHash, hashed);
    if (computed !== row.hash) {
      return { ok: false, rows, firstBadSeq: row.seq, reason: keyedFromSeq === null ? 'row content does not match its hash' : 'row content does not match its keyed hash (changed, or hashed without the installation key)' };
    }
    prevHash = row.hash;
    expectedSeq += 1;
  }
  if (keyedFromSeq === null) return { ok: false, rows, firstBadSeq: expectedSeq, reason: 'the chain has no keying row: it was rebuilt without the installation key' };
  return { ok: true, rows, head: { seq: expectedSeq - 1, hash: prevHash }, keyedFromSeq };
}

export function auditHead(db: Db): { seq: number; hash: string } {
  const last = statement(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

export interface SignedAuditHead {
  seq: number;
  hash: string;
  at: string;
  signature: string;
}

/** The chain head signed with the installation key: printed or exported elsewhere, it exposes a truncation. */
export function signAuditHead(db: Db, signingKey: KeyObject, at: Date): SignedAuditHead {
  const head = { ...auditHead(db), at: at.toISOString() };
  return { ...head, signature: signCanonical(signingKey, head) };
}

export function auditRowsOf(db: Db, entity: string, entityId: string): AuditRow[] {
  const rows = statement(db, 'SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq').all(entity, entityId) as StoredRow[];
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    details: JSON.parse(row.details) as AuditEntry['details'],
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}
