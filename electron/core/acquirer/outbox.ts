import type { ApplicationInput } from '../../../shared';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import { decryptField, encryptField, fieldContext } from '../crypto/fieldCipher';
import type { InstallationKeys } from '../crypto/installationKeys';
import { canonicalJson } from '../crypto/signing';
import { readBranchProfile } from '../system/branchProfile';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { handoffRequestOf, handoffRequestSchema, type HandoffRequest } from './wire';

export type OutboxState = 'waiting' | 'sending' | 'accepted' | 'done' | 'failed';

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
  statement(db,
    `INSERT INTO acquirer_outbox (application_id, number, payload_enc, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, 'waiting', ?, ?) ON CONFLICT (application_id) DO NOTHING`,
  ).run(application.id, application.number, encryptField(keys.dataKey, canonicalJson(payload), payloadContext(application.id)), at.toISOString(), at.toISOString());
}

/** The payload as it was sealed at completion; its canonical JSON is the exact body sent. */
export function openPayload(keys: InstallationKeys, row: Pick<OutboxRow, 'application_id' | 'payload_enc'>): { payload: HandoffRequest; body: string } | null {
  if (!row.payload_enc) return null;
  const body = decryptField(keys.dataKey, row.payload_enc, payloadContext(row.application_id)).toString('utf8');
  return { payload: handoffRequestSchema.parse(JSON.parse(body)), body };
}

export function outboxEntry(db: Db, applicationId: number): OutboxRow | undefined {
  return statement(db, 'SELECT * FROM acquirer_outbox WHERE application_id = ?').get(applicationId) as OutboxRow | undefined;
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
