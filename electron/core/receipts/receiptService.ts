import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chipEvidenceSchema, slipKind, type ApplicationInput } from '../../../shared';
import type { CoreContext } from '../context';
import type { Actor } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { appendAudit, auditHead } from '../audit/auditLog';
import { checkGrant, consumeGrant } from '../auth/supervisorAuthorization';
import { decryptField, encryptField } from '../crypto/fieldCipher';
import { wallClockIn } from '../clock';
import { assertDayOpen } from '../businessDays';
import { writeFileDurably } from '../files/durableFile';
import { readBranchProfile } from '../system/branchProfile';
import { readSettings } from '../settings';
import { employeeNoOf, findApplication, updateApplication, type ApplicationRow } from '../applications/repository';
import { maskedRequest, openRequest, openSignature } from '../applications/personalData';
import { renderSlip, type IssuedSlip } from './slipLayout';
import { checkSignaturePng, SignatureImageError } from './signatureImage';
import { evidenceOf } from '../identity/identityCheckService';
import type { SlipModel } from './slipModel';
import { statement } from '../db/statements';
import { enqueueHandoff } from '../acquirer/outbox';

export interface ReceiptRecord {
  id: number;
  printNo: number;
  issuedAt: string;
  issuedBy: string;
  sha256: string;
  bytes: number;
  reprint: boolean;
  fileName: string;
}

export function listReceipts(core: CoreContext, applicationId: number): ReceiptRecord[] {
  const rows = statement(core.db,
      `SELECT r.id, r.print_no AS printNo, r.issued_at AS issuedAt, t.employee_no AS issuedBy, r.sha256, r.bytes, r.file_name AS fileName
       FROM receipts r JOIN tellers t ON t.id = r.issued_by WHERE r.application_id = ? ORDER BY r.print_no`,
    )
    .all(applicationId) as Omit<ReceiptRecord, 'reprint'>[];
  return rows.map((row) => ({ ...row, reprint: row.printNo > 1 }));
}

/** Slips are stored sealed: they carry the customer's drawn signature, which is personal data. */
function receiptContext(fileName: string): string {
  return `receipts.${fileName}`;
}

export function readStoredReceipt(core: Pick<CoreContext, 'dataDir' | 'keys'>, fileName: string): Buffer {
  const sealed = readFileSync(join(core.dataDir, 'receipts', fileName));
  return decryptField(core.keys.dataKey, sealed, receiptContext(fileName));
}

function onlineCheckEvidenceOf(core: CoreContext, row: ApplicationRow): SlipModel['verification']['onlineCheckEvidence'] {
  const evidence = evidenceOf(core, row);
  return evidence === null ? null : { source: evidence.source, code: evidence.resultCode, serial: evidence.serial };
}

function slipModel(
  core: CoreContext,
  row: ApplicationRow,
  request: ApplicationInput,
  signature: Buffer,
  printNo: number,
  issuer: Actor,
  at: Date,
  firstPrintedAt: string | null,
  reprintAuthorizerNo: string | null,
): SlipModel {
  const branch = readBranchProfile(core.db);
  if (!branch) throw new DomainError('CONFLICT', 'setup.required');
  const masked = maskedRequest(request);
  const issuedAt = wallClockIn(at, branch.timeZone);
  const tellerNo = employeeNoOf(core.db, row.keyed_by) ?? issuer.employeeNo;
  return {
    applicationNumber: row.number,
    bankName: branch.bankName,
    branchName: branch.name,
    branchCode: branch.code,
    businessDate: row.business_date,
    issuedAt,
    firstPrintedAt: firstPrintedAt ?? issuedAt,
    printCount: printNo,
    channel: row.channel,
    applicantNameMasked: masked.applicantNameMasked,
    documentType: request.applicant.documentType,
    documentNumberMasked: masked.documentNumberMasked,
    isAgent: request.applicant.isAgent,
    mobileMasked: masked.mobileMasked,
    newMobileMasked: masked.newMobileMasked,
    merchantNumber: masked.merchantNumber,
    terminalId: masked.terminalId,
    terminalSerial: masked.terminalSerial,
    reasonCode: request.reason.code,
    reasonText: request.reason.text?.trim() ? request.reason.text.trim() : null,
    verification: {
      method: request.verification.method,
      onlineCheck: request.verification.onlineCheck,
      faceComparison: request.verification.faceComparison,
      holdsBoundPhone: request.verification.holdsBoundPhone,
      onlineCheckEvidence: onlineCheckEvidenceOf(core, row),
      chip: chipOf(row.chip_evidence),
    },
    tellerNo,
    reviewerNo: issuer.employeeNo !== tellerNo ? issuer.employeeNo : null,
    authorizerNo: employeeNoOf(core.db, row.authorizer_id),
    reprintAuthorizerNo,
    signaturePng: signature,
    signatureSha256: row.signature_sha256,
    auditHead: auditHead(core.db),
  };
}

/** The row's chip evidence (migration 008), checked like anything read back: a malformed one prints nothing. */
function chipOf(json: string | null): { samId: string; textSha256: string; photoSha256: string } | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = null;
  }
  const parsed = chipEvidenceSchema.safeParse(value);
  return parsed.success ? { samId: parsed.data.samId, textSha256: parsed.data.textSha256, photoSha256: parsed.data.photoSha256 } : null;
}

/** A slip drawn and checked, not yet recorded: printed first when a printer is attached, then recorded. */
export interface PreparedReceipt {
  row: ApplicationRow;
  reprint: boolean;
  printNo: number;
  at: Date;
  slip: IssuedSlip;
  reprintSupervisorId: number | null;
  reprintAuthorizerNo: string | null;
  grantId: number | undefined;
}

/**
 * Draws the next slip of a request after every check that recording it will make (status, version, open day,
 * signature, the reprint grant), so that a slip that goes to the printer is one that can be recorded.
 */
export async function prepareReceipt(
  core: CoreContext,
  actor: Actor,
  sessionKey: string,
  input: { id: number; version: number; grantId?: number | undefined },
): Promise<PreparedReceipt> {
  const row = findApplication(core.db, input.id);
  if (!row) throw new DomainError('NOT_FOUND', 'error.not_found');
  if (row.version !== input.version) throw new DomainError('CONFLICT', 'error.conflict', undefined, { version: row.version });
  if (row.purged_at) throw new DomainError('CONFLICT', 'retention.purged');
  // A slip may be printed again after the request went on to the acquirer (forwarded, unbound, unbind_failed).
  const kind = slipKind(row.status);
  const reprint = kind === 'reprint';
  if (kind === null) throw new DomainError('INVALID_TRANSITION', 'error.invalid_transition', undefined, { status: row.status });
  // The first slip completes the request: a change, so its day must be open. A reprint changes nothing.
  if (!reprint) assertDayOpen(core.db, row.business_date);
  if (reprint && input.grantId === undefined) throw new DomainError('AUTHORIZATION_REQUIRED', 'authorization.required', undefined, { action: 'reprint' });
  const request = openRequest(core.keys, row);
  const signature = openSignature(core.keys, row);
  if (!request) throw new DomainError('INVALID_TRANSITION', 'error.invalid_transition');
  if (!signature) throw new DomainError('VALIDATION', 'error.validation', { signature: 'receipt.signature_required' });
  // A signature stored before images were checked on capture is checked now, before pdfkit decodes it.
  try {
    checkSignaturePng(signature);
  } catch (error) {
    if (error instanceof SignatureImageError) throw new DomainError('VALIDATION', 'error.validation', { signature: error.code });
    throw error;
  }

  const previous = listReceipts(core, row.id);
  const printNo = previous.length + 1;
  const at = core.clock.now();
  const settings = readSettings(core.db);
  // The reprint's supervisor is printed and signed into the slip, so the grant is checked (not yet used) before
  // the slip is drawn or printed; it is consumed, and checked to be the same, when the slip is recorded.
  const reprintSupervisorId =
    reprint && input.grantId !== undefined
      ? checkGrant(core.db, input.grantId, { action: 'reprint', applicationId: row.id, businessDate: null, requestedBy: actor.tellerId, sessionKey }, at).supervisorId
      : null;
  const reprintAuthorizerNo = reprintSupervisorId === null ? null : employeeNoOf(core.db, reprintSupervisorId);
  const model = slipModel(
    core,
    row,
    request,
    signature,
    printNo,
    actor,
    at,
    previous[0] ? wallClockIn(new Date(previous[0].issuedAt), core.timeZone()) : null,
    reprintAuthorizerNo,
  );
  const slip = await renderSlip(model, { layout: settings.slip.layout, parts: settings.slip.parts, resourcesDir: core.resourcesDir, signingKey: core.keys.signingKey });
  return { row, reprint, printNo, at, slip, reprintSupervisorId, reprintAuthorizerNo, grantId: input.grantId };
}

/**
 * Records a prepared slip: the first one completes an approved request (已受理); any later one is a reprint that
 * a supervisor authorized (the grant is used here, once). Every PDF is kept, sealed, in the data folder with its
 * SHA-256. Refused with CONFLICT when the request changed since the slip was drawn.
 */
export function recordReceipt(
  core: CoreContext,
  actor: Actor,
  sessionKey: string,
  prepared: PreparedReceipt,
): { receipt: ReceiptRecord; slip: IssuedSlip; status: string; version: number } {
  const { row, reprint, printNo, at, slip, reprintSupervisorId, grantId } = prepared;
  const folder = join(core.dataDir, 'receipts', row.business_date.replaceAll('-', ''));
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // A random part keeps two desks racing for the same print from ever sharing (and then deleting) one file.
  const fileName = `${row.business_date.replaceAll('-', '')}/${row.number}-${printNo}-${randomBytes(4).toString('hex')}.pdf.sealed`;
  writeFileDurably(join(core.dataDir, 'receipts', fileName), encryptField(core.keys.dataKey, slip.pdf, receiptContext(fileName)));
  try {
    const receiptId = core.db.transaction(() => {
      const current = findApplication(core.db, row.id);
      if (!current || current.version !== row.version) throw new DomainError('CONFLICT', 'error.conflict');
      const grant = reprint && grantId !== undefined
        ? consumeGrant(core.db, grantId, { action: 'reprint', applicationId: row.id, businessDate: null, requestedBy: actor.tellerId, sessionKey }, at)
        : null;
      if (grant && grant.supervisorId !== reprintSupervisorId) throw new DomainError('CONFLICT', 'error.conflict');
      const inserted = statement(core.db,
          `INSERT INTO receipts (application_id, print_no, issued_at, issued_by, authorization_id, file_name, sha256, bytes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(row.id, printNo, at.toISOString(), actor.tellerId, grantId ?? null, fileName, slip.sha256, slip.pdf.length);
      // A reprint changes no status but still bumps the version, so a stale screen cannot print twice.
      const status = reprint ? row.status : 'completed';
      if (!updateApplication(core.db, row.id, row.version, status, reprint ? {} : { completed_at: at.toISOString() }, at.toISOString())) {
        throw new DomainError('CONFLICT', 'error.conflict');
      }
      // The first slip hands the request to the acquirer: its outbox entry commits with the completion.
      if (!reprint) {
        const request = openRequest(core.keys, current);
        if (!request) throw new DomainError('INVALID_TRANSITION', 'error.invalid_transition');
        enqueueHandoff(core.db, core.keys, current, request, at);
      }
      appendAudit(
        core.db,
        {
          actorId: actor.tellerId,
          action: reprint ? 'application.reprint' : 'application.complete',
          entity: 'application',
          entityId: String(row.id),
          details: {
            from: row.status,
            to: status,
            version: row.version + 1,
            printNo,
            sha256: slip.sha256,
            ...(grant ? { grantId: grantId ?? null, supervisorId: grant.supervisorId, supervisorNo: prepared.reprintAuthorizerNo } : {}),
          },
        },
        at,
      );
      return Number(inserted.lastInsertRowid);
    })();
    const receipt = listReceipts(core, row.id).find((r) => r.id === receiptId);
    if (!receipt) throw new DomainError('INTERNAL', 'error.internal');
    return { receipt, slip, status: reprint ? row.status : 'completed', version: row.version + 1 };
  } catch (error) {
    // The slip was never recorded: remove its file so the store holds recorded slips only.
    rmSync(join(core.dataDir, 'receipts', fileName), { force: true });
    throw error;
  }
}

/** Draws and records a slip at once: the path without a printer (the slip is then offered as a file). */
export async function issueReceipt(
  core: CoreContext,
  actor: Actor,
  sessionKey: string,
  input: { id: number; version: number; grantId?: number | undefined },
): Promise<{ receipt: ReceiptRecord; slip: IssuedSlip; status: string; version: number }> {
  return recordReceipt(core, actor, sessionKey, await prepareReceipt(core, actor, sessionKey, input));
}
