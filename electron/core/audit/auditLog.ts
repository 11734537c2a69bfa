import { createHash, type KeyObject } from 'node:crypto';
import type { Db } from '../db/connection';
import { canonicalJson, signCanonical } from '../crypto/signing';
import { statement } from '../db/statements';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so editing, deleting,
 * inserting or reordering a row breaks the chain. Details carry codes, ids and masked values only —
 * never plaintext personal data.
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

/**
 * SHA-256 over the previous hash and the row's RFC 8785 form. `details` is stored as its own canonical
 * JSON, so it goes in as it is, between the row's other members in their sorted place (action, actorId,
 * at, details, entity, entityId, seq): the same bytes as canonicalising the whole row, without parsing the
 * details back. A stored `details` that is not byte for byte what was hashed therefore fails too.
 */
function rowHash(prevHash: string, row: { seq: number; at: string; actorId: number | null; action: string; entity: string; entityId: string | null; details: string }): string {
  const head = canonicalJson({ action: row.action, actorId: row.actorId, at: row.at });
  const tail = canonicalJson({ entity: row.entity, entityId: row.entityId, seq: row.seq });
  const canonical = `${head.slice(0, -1)},"details":${row.details},${tail.slice(1)}`;
  return createHash('sha256').update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}

/** Appends one row. Call inside the transaction of the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, at: Date): AuditRow {
  const last = statement(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const details = canonicalJson(entry.details);
  const row = { seq, at: at.toISOString(), actorId: entry.actorId, action: entry.action, entity: entry.entity, entityId: entry.entityId, details };
  const hash = rowHash(prevHash, row);
  statement(db,
    `INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash)
     VALUES (@seq, @at, @actorId, @action, @entity, @entityId, @details, @prevHash, @hash)`,
  ).run({ ...row, prevHash, hash });
  return { ...entry, seq, at: row.at, prevHash, hash };
}

export type AuditVerification = { ok: true; rows: number; head: { seq: number; hash: string } } | { ok: false; rows: number; firstBadSeq: number; reason: string };

/** Walks the whole chain. Reports the first row whose sequence, link or hash is wrong. */
export function verifyAuditChain(db: Db): AuditVerification {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY rowid').iterate() as IterableIterator<StoredRow>) {
    rows += 1;
    if (row.seq !== expectedSeq) return { ok: false, rows, firstBadSeq: row.seq, reason: `sequence ${row.seq} where ${expectedSeq} was expected` };
    if (row.prev_hash !== prevHash) return { ok: false, rows, firstBadSeq: row.seq, reason: 'link to the previous row is broken' };
    const computed = rowHash(prevHash, { seq: row.seq, at: row.at, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, details: row.details });
    if (computed !== row.hash) return { ok: false, rows, firstBadSeq: row.seq, reason: 'row content does not match its hash' };
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows, head: { seq: expectedSeq - 1, hash: prevHash } };
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
