import type { ApplicationInput } from '../../../shared';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import { decryptField, encryptField, fieldContext } from '../crypto/fieldCipher';
import type { InstallationKeys } from '../crypto/installationKeys';
import { canonicalJson, signCanonicalText } from '../crypto/signing';
import { readBranchProfile } from '../system/branchProfile';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { handoffRequestOf, handoffRequestSchema, type HandoffRequest } from './wire';

export type OutboxState = 'waiting' | 'sending' | 'accepted' | 'done' | 'failed';

/** An outbox entry with its sealed request (kept in acquirer_outbox_payload; null once the retention purge took it). */
export interface OutboxRow {
  application_id: number;
  number: string;
  payload_enc: Buffer | null;
  state: OutboxState;
  channel: 'https' | 'batch' | null;
  attempts: number;
  next_attempt_at: string;
  claimed_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  batch_file: string | null;
  acquirer_reference: string | null;
  polls: number;
  next_poll_at: string | null;
  finished_at: string | null;
}

/**
 * An entry and its sealed request, read together (the request is a table of its own, migration 014: each answer
 * rewrites the entry, never the request). Callers add WHERE, ORDER BY, LIMIT on `o`.
 */
export const OUTBOX_WITH_PAYLOAD = 'SELECT o.*, p.payload_enc FROM acquirer_outbox o LEFT JOIN acquirer_outbox_payload p ON p.application_id = o.application_id';

const payloadContext = (applicationId: number) => fieldContext('acquirer_outbox', 'payload', applicationId);

/**
 * Called inside the transaction that completes a request (the first slip): the hand-off is decided then, with
 * the data as completed, so it cannot be lost between the slip and the send, and every later attempt sends
 * these same bytes.
 */
export function enqueueHandoff(
  db: Db,
  keys: InstallationKeys,
  application: { id: number; number: string; business_date: string },
  request: ApplicationInput,
  at: Date,
): void {
  const branch = readBranchProfile(db);
  if (!branch) throw new DomainError('INTERNAL', 'error.internal');
  const payload = handoffRequestOf({ ...application, completed_at: at.toISOString() }, request, branch);
  const body = canonicalJson(payload);
  // Signed once, here, with the installation's key: every attempt sends these bytes with this signature. Sealed
  // with the body (a signature over personal data would let whoever holds the file test a guess of it).
  const sealed = `${body}${SIGNATURE_SEPARATOR}${signCanonicalText(keys.signingKey, body)}`;
  const made = statement(db,
    `INSERT INTO acquirer_outbox (application_id, number, state, next_attempt_at, created_at)
     VALUES (?, ?, 'waiting', ?, ?) ON CONFLICT (application_id) DO NOTHING`,
  ).run(application.id, application.number, at.toISOString(), at.toISOString());
  if (made.changes === 0) return;
  statement(db, 'INSERT INTO acquirer_outbox_payload (application_id, payload_enc) VALUES (?, ?)').run(
    application.id,
    encryptField(keys.dataKey, sealed, payloadContext(application.id)),
  );
}

/** Canonical JSON never holds a raw line break (JSON escapes it in strings), so the first one ends the body. */
const SIGNATURE_SEPARATOR = '\n';

/**
 * The body exactly as sealed at completion (the canonical JSON sent) and its signature; `signature` is null for
 * an entry sealed before hand-offs were signed at completion (the dispatcher signs that one when it sends it).
 * No parsing: the bytes are sent as they were sealed (AES-GCM, bound to this entry, says they are ours unchanged).
 */
export function openSealed(keys: InstallationKeys, row: Pick<OutboxRow, 'application_id' | 'payload_enc'>): { body: string; signature: string | null } | null {
  if (!row.payload_enc) return null;
  const sealed = decryptField(keys.dataKey, row.payload_enc, payloadContext(row.application_id)).toString('utf8');
  const cut = sealed.indexOf(SIGNATURE_SEPARATOR);
  return cut < 0 ? { body: sealed, signature: null } : { body: sealed.slice(0, cut), signature: sealed.slice(cut + 1) };
}

/** The payload as it was sealed at completion; its canonical JSON is the exact body sent. */
export function openPayload(keys: InstallationKeys, row: Pick<OutboxRow, 'application_id' | 'payload_enc'>): { payload: HandoffRequest; body: string } | null {
  const sealed = openSealed(keys, row);
  if (!sealed) return null;
  return { payload: handoffRequestSchema.parse(JSON.parse(sealed.body)), body: sealed.body };
}

export function outboxEntry(db: Db, applicationId: number): OutboxRow | undefined {
  return statement(db, `${OUTBOX_WITH_PAYLOAD} WHERE o.application_id = ?`).get(applicationId) as OutboxRow | undefined;
}

/** A supervisor sends a failed hand-off again: from the first attempt, now. */
export function retryHandoff(core: CoreContext, actorId: number, applicationId: number): void {
  const at = core.clock.now();
  core.db.transaction(() => {
    const row = outboxEntry(core.db, applicationId);
    if (!row) throw new DomainError('NOT_FOUND', 'error.not_found');
    if (row.state !== 'failed') throw new DomainError('INVALID_TRANSITION', 'acquirer.retry_not_failed', undefined, { state: row.state });
    statement(core.db,
      `UPDATE acquirer_outbox SET state = CASE WHEN acquirer_reference IS NULL THEN 'waiting' ELSE 'accepted' END,
              attempts = 0, polls = 0, next_attempt_at = ?, next_poll_at = CASE WHEN acquirer_reference IS NULL THEN NULL ELSE ? END,
              claimed_at = NULL WHERE application_id = ?`,
    ).run(at.toISOString(), at.toISOString(), applicationId);
    appendAudit(core.db, { actorId, action: 'acquirer.retry', entity: 'application', entityId: String(applicationId), details: { attempts: row.attempts, error: row.last_error } }, at);
  })();
}
