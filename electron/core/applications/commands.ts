import {
  authorizationReasons,
  formatApplicationNumber,
  canRun,
  type ApplicationCommand,
  type ApplicationInput,
  type ApplicationStatus,
  type ApplicationSummary,
} from '../../../shared';
import type { CoreContext } from '../context';
import type { Actor } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { appendAudit, type AuditEntry } from '../audit/auditLog';
import { assertDayOpen, ensureDayOpen } from '../businessDays';
import { readSettings } from '../settings';
import { readBranchProfile } from '../system/branchProfile';
import {
  employeeNoOf,
  findApplication,
  findSummary,
  insertApplication,
  nextTicketNo,
  recentMatches,
  toSummary,
  updateApplication,
  type ApplicationChanges,
  type ApplicationRow,
} from './repository';
import { openRequest, sealRequest } from './personalData';
import { chipEvidenceFor } from '../cardReader/chipClaim';
import type { ChipEvidence } from '../cardReader/chipRead';
import { onlineCheckEvidence } from '../identity/identityCheckService';

export interface CommandOutcome {
  status: ApplicationStatus;
  changes?: ApplicationChanges;
  details?: AuditEntry['details'];
}

/**
 * One command on one request, in one transaction: the day must be open, the version must be the one the
 * caller saw (optimistic concurrency), the status table must allow the command; then the row and its
 * audit row are written together. Anything refused changes nothing.
 */
export function runCommand(
  core: CoreContext,
  actor: Actor,
  target: { id: number; version: number },
  command: ApplicationCommand,
  decide: (row: ApplicationRow, at: Date) => CommandOutcome,
): ApplicationSummary {
  const at = core.clock.now();
  return core.db.transaction(() => {
    const row = findApplication(core.db, target.id);
    if (!row) throw new DomainError('NOT_FOUND', 'error.not_found');
    assertDayOpen(core.db, row.business_date);
    if (row.version !== target.version) throw new DomainError('CONFLICT', 'error.conflict', undefined, { version: row.version, status: row.status });
    if (!canRun(command, row.status)) throw new DomainError('INVALID_TRANSITION', 'error.invalid_transition', undefined, { status: row.status, command });
    const outcome = decide(row, at);
    if (!updateApplication(core.db, row.id, row.version, outcome.status, outcome.changes ?? {}, at.toISOString())) {
      throw new DomainError('CONFLICT', 'error.conflict');
    }
    appendAudit(
      core.db,
      {
        actorId: actor.tellerId,
        action: `application.${command}`,
        entity: 'application',
        entityId: String(row.id),
        details: { from: row.status, to: outcome.status, version: row.version + 1, ...outcome.details },
      },
      at,
    );
    return summaryAfter(core, row, outcome, at);
  })();
}

/** The list view of the row just written: the row as read, with the command's changes applied. */
function summaryAfter(core: CoreContext, row: ApplicationRow, outcome: CommandOutcome, at: Date): ApplicationSummary {
  return toSummary({
    ...row,
    ...outcome.changes,
    status: outcome.status,
    version: row.version + 1,
    updated_at: at.toISOString(),
    created_by_no: employeeNoOf(core.db, row.created_by) ?? '',
  });
}

/** 登记: a walk-in gets a ticket for today's business date and waits. */
export function registerWalkIn(core: CoreContext, actor: Actor, channel: 'counter' | 'online' | 'hotline'): ApplicationSummary {
  const branch = readBranchProfile(core.db);
  if (!branch) throw new DomainError('CONFLICT', 'setup.required');
  // Numbering does not go on without the desk: two counters of the branch would issue the same numbers.
  if (!branch.desk) throw new DomainError('CONFLICT', 'desk.required');
  const desk = branch.desk;
  const businessDate = core.businessDate();
  const at = core.clock.now();
  const id = core.db.transaction(() => {
    assertDayOpen(core.db, businessDate);
    ensureDayOpen(core.db, businessDate, at);
    const ticketNo = nextTicketNo(core.db, businessDate);
    const number = formatApplicationNumber(branch.code, desk, businessDate, ticketNo);
    const newId = insertApplication(core.db, { number, businessDate, ticketNo, channel, createdBy: actor.tellerId, at: at.toISOString() });
    appendAudit(core.db, { actorId: actor.tellerId, action: 'application.register', entity: 'application', entityId: String(newId), details: { number, ticketNo, channel, to: 'waiting' } }, at);
    return newId;
  })();
  const summary = findSummary(core.db, id);
  if (!summary) throw new DomainError('NOT_FOUND', 'error.not_found');
  return summary;
}

/** The window (in days) and the first business date it covers, for repeat-request checks. */
export function repeatWindow(core: CoreContext, businessDate: string): { days: number; since: string } {
  const days = readSettings(core.db).authorizationPolicy.repeat_request.repeatWindowDays;
  const since = new Date(`${businessDate}T00:00:00Z`);
  since.setUTCDate(since.getUTCDate() - days);
  return { days, since: since.toISOString().slice(0, 10) };
}

/** The read's evidence as audit facts: hashes, SAM id, reader kind, time — no personal data. */
function chipAuditFacts(chip: ChipEvidence): Record<string, string> {
  return {
    chipReaderKind: chip.readerKind,
    chipSamId: chip.samId,
    chipReadAt: chip.readAt,
    chipTextSha256: chip.textSha256,
    chipPhotoSha256: chip.photoSha256,
  };
}

/** Seals the request and decides whether a supervisor must authorize it (DOMAIN.md's trigger table). */
export function keyRequest(core: CoreContext, row: ApplicationRow, request: ApplicationInput, sessionKey: string): CommandOutcome {
  if (request.businessDate !== row.business_date) {
    throw new DomainError('VALIDATION', 'error.validation', { businessDate: 'business_date.not_open_day' });
  }
  // `chip` only with a read this core made in this window (issue 14); the evidence goes to the row and the audit.
  const chip = chipEvidenceFor(core.cardReader, sessionKey, request, {
    request: row.request_enc === null ? null : openRequest(core.keys, row),
    chipEvidence: row.chip_evidence,
  });
  const policy = readSettings(core.db).authorizationPolicy;
  const { since } = repeatWindow(core, row.business_date);
  const sealed = sealRequest(core.keys, row.id, request);
  const matches = recentMatches(
    core.db,
    { serial: sealed.terminal_serial ?? null, merchant: sealed.merchant_number ?? null, mobileBidx: sealed.mobile_bidx ?? null },
    since,
    row.id,
  );
  const evidence = onlineCheckEvidence(core, row, request);
  const reasons = authorizationReasons(request, { recentMatches: matches, onlineCheckSource: evidence.source }, policy);
  const status: ApplicationStatus = reasons.length > 0 ? 'pending_authorization' : 'approved';
  return {
    status,
    changes: {
      ...sealed,
      authorization_reasons: JSON.stringify(reasons),
      authorizer_id: null,
      online_check_source: evidence.source,
      identity_check_id: evidence.checkId,
      other_document: null,
      chip_evidence: chip === null ? null : JSON.stringify(chip),
    },
    // The audit keeps the chip read's hashes and SAM id and the check's serial, never the chip's facts.
    details: {
      reasons,
      documentType: request.applicant.documentType,
      verificationMethod: request.verification.method,
      ...(chip === null ? {} : chipAuditFacts(chip)),
      onlineCheck: request.verification.onlineCheck,
      onlineCheckSource: evidence.source,
      ...(evidence.check
        ? { identityCheckNo: evidence.check.transaction_no, identityCheckCode: evidence.check.result_code, identityCheckSerial: evidence.check.serial }
        : {}),
    },
  };
}
