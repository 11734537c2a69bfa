// The core runs 联网核查 itself and keeps what came back as evidence: the renderer asks for a check and is
// shown the answer, but a request can only claim a result the core recorded for that very request and
// applicant (same application, same document type, number and name, the latest check).
import { createHash } from 'node:crypto';
import { checkPersonName, maskIdNumber, validateIdNumber, type ApplicationInput, type IdDocumentType, type OnlineCheckSource } from '../../../shared';
import type { CoreContext } from '../context';
import type { Actor } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { assertDayOpen } from '../businessDays';
import { blindIndex } from '../crypto/fieldCipher';
import { readSettings } from '../settings';
import { readBranchProfile } from '../system/branchProfile';
import { findApplication, type ApplicationRow } from '../applications/repository';
import { onlineCheckResultOf, type IdentityCheck, type IdentityCheckAnswer, type IdentityCheckCode, type NotCheckedReason } from './identityCheck';
import { identityCheckFor } from './identityCheckSettings';

export interface IdentityCheckRow {
  id: number;
  application_id: number;
  transaction_no: string;
  requested_by: number;
  requested_at: string;
  answered_at: string | null;
  subject_bidx: Buffer;
  outcome: 'pending' | 'answered' | 'not_checked';
  result_code: IdentityCheckCode | null;
  not_checked_reason: NotCheckedReason | null;
  serial: string | null;
  photo_sha256: string | null;
}

/** The evidence as the detail, the slip and the exports show it: codes, serials and hashes only. */
export interface IdentityCheckEvidence {
  source: OnlineCheckSource;
  transactionNo: string | null;
  resultCode: IdentityCheckCode | null;
  notCheckedReason: NotCheckedReason | null;
  serial: string | null;
  checkedAt: string | null;
  photoSha256: string | null;
}

/** Checks one request may have: enough for a retyped name or a timeout, not a lookup service. */
export const MAX_CHECKS_PER_REQUEST = 3;

/**
 * A check is part of reviewing a request: only while it is in review, only by the teller who started that
 * review (the actor of its latest move into in_review), at most MAX_CHECKS_PER_REQUEST times.
 */
function assertMayCheck(core: CoreContext, actor: Actor, row: ApplicationRow): void {
  assertDayOpen(core.db, row.business_date);
  if (row.status !== 'in_review') throw new DomainError('INVALID_TRANSITION', 'identity_check.not_in_review', undefined, { status: row.status });
  const reviewer = core.db
    .prepare(
      `SELECT actor_id FROM audit_log WHERE entity = 'application' AND entity_id = ? AND action LIKE 'application.%'
         AND json_extract(details, '$.to') = 'in_review' ORDER BY seq DESC LIMIT 1`,
    )
    .get(String(row.id)) as { actor_id: number | null } | undefined;
  if (!reviewer || reviewer.actor_id !== actor.tellerId) throw new DomainError('FORBIDDEN', 'identity_check.not_your_review');
  const done = (core.db.prepare('SELECT count(*) AS n FROM identity_checks WHERE application_id = ?').get(row.id) as { n: number }).n;
  if (done >= MAX_CHECKS_PER_REQUEST) throw new DomainError('CONFLICT', 'identity_check.limit_reached', undefined, { limit: MAX_CHECKS_PER_REQUEST });
}

/** A keyed hash of who was checked: never the name or number itself. */
export function subjectIndex(indexKey: Buffer, documentType: IdDocumentType, documentNumber: string, name: string): Buffer {
  return blindIndex(indexKey, 'identity', `${documentType}|${documentNumber}|${name}`);
}

export interface RunCheckInput {
  id: number;
  name: string;
  documentType: IdDocumentType;
  documentNumber: string;
}

export async function runIdentityCheck(core: CoreContext, actor: Actor, input: RunCheckInput, adapter?: IdentityCheck | null) {
  const row = findApplication(core.db, input.id);
  if (!row) throw new DomainError('NOT_FOUND', 'error.not_found');
  assertMayCheck(core, actor, row);
  const name = checkPersonName(input.name);
  const number = validateIdNumber(input.documentType, input.documentNumber, { today: row.business_date });
  const fields: Record<string, string> = {};
  if (!name.ok) fields['applicant.name'] = name.code;
  if (!number.ok) fields['applicant.documentNumber'] = number.code;
  if (!name.ok || !number.ok) throw new DomainError('VALIDATION', 'error.validation', fields);
  const check = adapter === undefined ? identityCheckFor(readSettings(core.db).identityCheck, core.log) : adapter;
  if (check === null) throw new DomainError('CONFLICT', 'identity_check.not_configured');
  const branch = readBranchProfile(core.db);
  if (!branch) throw new DomainError('CONFLICT', 'setup.required');

  const requestedAt = core.clock.now();
  const subject = subjectIndex(core.keys.indexKey, input.documentType, number.value, name.value);
  // The number is reserved by a pending row written before the call: two checks at once, or a check after a
  // crash left a pending row, never send the same number, and every call the core made leaves a row.
  const reserved = core.db.transaction(() => {
    const current = findApplication(core.db, row.id);
    if (!current) throw new DomainError('NOT_FOUND', 'error.not_found');
    assertMayCheck(core, actor, current);
    const count = (core.db.prepare('SELECT count(*) AS n FROM identity_checks WHERE application_id = ?').get(row.id) as { n: number }).n;
    const transactionNo = `${row.number}-C${count + 1}`;
    const inserted = core.db
      .prepare(
        `INSERT INTO identity_checks (application_id, transaction_no, requested_by, requested_at, answered_at, subject_bidx, outcome)
         VALUES (@applicationId, @transactionNo, @requestedBy, @requestedAt, NULL, @subject, 'pending')`,
      )
      .run({ applicationId: row.id, transactionNo, requestedBy: actor.tellerId, requestedAt: requestedAt.toISOString(), subject });
    return { id: Number(inserted.lastInsertRowid), transactionNo };
  }).immediate();
  const { transactionNo } = reserved;
  const documentNumberMasked = maskIdNumber(number.value);
  const answer: IdentityCheckAnswer = await check.check({
    transactionNo,
    name: name.value,
    documentType: input.documentType,
    documentNumber: number.value,
    branchCode: branch.code,
    tellerNo: actor.employeeNo,
    requestedAt: requestedAt.toISOString(),
  });
  const answeredAt = core.clock.now();
  const photoSha256 = answer.kind === 'answered' && answer.photo ? createHash('sha256').update(answer.photo).digest('hex') : null;
  // The answer is recorded whatever happened meanwhile; the request must still be checkable for it to be shown.
  const refusal = core.db.transaction(() => {
    core.db
      .prepare(
        `UPDATE identity_checks SET answered_at = @answeredAt, outcome = @outcome, result_code = @code, not_checked_reason = @reason,
           serial = @serial, photo_sha256 = @photoSha256 WHERE id = @id AND outcome = 'pending'`,
      )
      .run({
        id: reserved.id,
        answeredAt: answeredAt.toISOString(),
        outcome: answer.kind,
        code: answer.kind === 'answered' ? answer.code : null,
        reason: answer.kind === 'not_checked' ? answer.reason : null,
        serial: answer.kind === 'answered' ? answer.serial : null,
        photoSha256,
      });
    appendAudit(
      core.db,
      {
        actorId: actor.tellerId,
        action: answer.kind === 'answered' ? 'identity_check.answered' : 'identity_check.not_checked',
        entity: 'application',
        entityId: String(row.id),
        details:
          answer.kind === 'answered'
            ? { checkId: reserved.id, transactionNo, documentNumberMasked, code: answer.code, serial: answer.serial, photoSha256 }
            : { checkId: reserved.id, transactionNo, documentNumberMasked, reason: answer.reason, detail: answer.detail },
      },
      answeredAt,
    );
    const current = findApplication(core.db, row.id);
    try {
      if (!current) throw new DomainError('NOT_FOUND', 'error.not_found');
      assertDayOpen(core.db, current.business_date);
      if (current.status !== 'in_review') throw new DomainError('INVALID_TRANSITION', 'identity_check.not_in_review', undefined, { status: current.status });
      return null;
    } catch (error) {
      return error;
    }
  })();
  if (refusal) throw refusal;
  const checkId = reserved.id;
  return {
    checkId,
    transactionNo,
    checkedAt: answeredAt.toISOString(),
    outcome: answer.kind,
    code: answer.kind === 'answered' ? answer.code : null,
    notCheckedReason: answer.kind === 'not_checked' ? answer.reason : null,
    serial: answer.kind === 'answered' ? answer.serial : null,
    onlineCheck: onlineCheckResultOf(answer),
    issuingAuthority: answer.kind === 'answered' ? answer.issuingAuthority : null,
    // Shown once for the teller's comparison; the core keeps only its hash.
    photoBase64: answer.kind === 'answered' && answer.photo ? answer.photo.toString('base64') : null,
    photoSha256,
  };
}

export function findIdentityCheck(core: CoreContext, id: number): IdentityCheckRow | undefined {
  return core.db.prepare('SELECT * FROM identity_checks WHERE id = ?').get(id) as IdentityCheckRow | undefined;
}

/**
 * Where a submitted request's online-check result comes from. With `onlineCheckId` the core's record must be
 * the latest check of this application, for this applicant, and say what the request says; otherwise the
 * result was keyed by the teller.
 */
export function onlineCheckEvidence(core: CoreContext, row: Pick<ApplicationRow, 'id'>, request: ApplicationInput): { source: OnlineCheckSource; checkId: number | null; check: IdentityCheckRow | null } {
  const claimed = request.verification.onlineCheckId;
  if (claimed === undefined) return { source: 'keyed', checkId: null, check: null };
  const mismatch = (code: string) => new DomainError('VALIDATION', 'error.validation', { 'verification.onlineCheck': code });
  const check = findIdentityCheck(core, claimed);
  const latest = core.db.prepare("SELECT max(id) AS id FROM identity_checks WHERE application_id = ? AND outcome <> 'pending'").get(row.id) as { id: number | null };
  if (!check || check.application_id !== row.id || latest.id !== check.id) throw mismatch('identity_check.evidence_unknown');
  const { applicant } = request;
  const subject = subjectIndex(core.keys.indexKey, applicant.documentType, applicant.documentNumber, applicant.name);
  if (!subject.equals(check.subject_bidx)) throw mismatch('identity_check.evidence_other_person');
  const received = check.outcome === 'answered' && check.result_code ? onlineCheckResultOf({ kind: 'answered', code: check.result_code }) : 'not_checked';
  if (received !== request.verification.onlineCheck) throw mismatch('identity_check.result_differs');
  return { source: 'online', checkId: check.id, check };
}

/** The evidence of a stored request, for its detail, slip and exports. */
export function evidenceOf(core: CoreContext, row: Pick<ApplicationRow, 'identity_check_id' | 'online_check_source'>): IdentityCheckEvidence | null {
  if (row.online_check_source === null) return null;
  const check = row.identity_check_id === null ? undefined : findIdentityCheck(core, row.identity_check_id);
  return {
    source: row.online_check_source,
    transactionNo: check?.transaction_no ?? null,
    resultCode: check?.result_code ?? null,
    notCheckedReason: check?.not_checked_reason ?? null,
    serial: check?.serial ?? null,
    checkedAt: check?.answered_at ?? null,
    photoSha256: check?.photo_sha256 ?? null,
  };
}
