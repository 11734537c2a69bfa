import type { ApplicationStatus, ApplicationSummary, IdDocumentType } from '../../../shared';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';

/** A row of `applications` as stored (personal data sealed). */
export interface ApplicationRow {
  id: number;
  number: string;
  business_date: string;
  ticket_no: number;
  status: ApplicationStatus;
  version: number;
  channel: 'counter' | 'online' | 'hotline';
  created_by: number;
  keyed_by: number | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  completed_at: string | null;
  carried_from: string | null;
  request_enc: Buffer | null;
  applicant_name_masked: string | null;
  document_type: IdDocumentType | null;
  document_number_masked: string | null;
  document_number_bidx: Buffer | null;
  mobile_masked: string | null;
  mobile_bidx: Buffer | null;
  new_mobile_masked: string | null;
  new_mobile_bidx: Buffer | null;
  merchant_number: string | null;
  terminal_id: string | null;
  terminal_serial: string | null;
  reason_code: string | null;
  verification_method: string | null;
  online_check: string | null;
  /** JSON chip-read evidence (migration 008), null when the document was keyed. */
  chip_evidence: string | null;
  authorization_reasons: string;
  authorizer_id: number | null;
  outcome_reason: string | null;
  signature_enc: Buffer | null;
  signature_sha256: string | null;
  /** Set when the personal data was purged at the end of the retention period. */
  purged_at: string | null;
  /** 'online': the 联网核查 result is the middleware's answer in identity_checks; 'keyed': the teller picked it. */
  online_check_source: 'online' | 'keyed' | null;
  identity_check_id: number | null;
  /** The other document a supervisor saw on a 02/03 result (OTHER_DOCUMENTS). */
  other_document: string | null;
}

type SummaryRow = Pick<
  ApplicationRow,
  | 'id' | 'number' | 'ticket_no' | 'status' | 'version' | 'business_date' | 'channel' | 'created_at' | 'updated_at'
  | 'applicant_name_masked' | 'document_type' | 'document_number_masked' | 'mobile_masked' | 'merchant_number'
  | 'terminal_id' | 'terminal_serial' | 'authorization_reasons' | 'carried_from'
> & { created_by_no: string };

/** The columns a list needs — never the sealed ones. */
const SUMMARY_COLUMNS = `a.id, a.number, a.ticket_no, a.status, a.version, a.business_date, a.channel, a.created_at, a.updated_at,
  a.applicant_name_masked, a.document_type, a.document_number_masked, a.mobile_masked, a.merchant_number, a.terminal_id,
  a.terminal_serial, a.authorization_reasons, a.carried_from, t.employee_no AS created_by_no`;

export function toSummary(row: SummaryRow): ApplicationSummary {
  return {
    id: row.id,
    number: row.number,
    ticketNo: row.ticket_no,
    status: row.status,
    version: row.version,
    businessDate: row.business_date,
    channel: row.channel,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by_no,
    applicantNameMasked: row.applicant_name_masked,
    documentType: row.document_type,
    documentNumberMasked: row.document_number_masked,
    mobileMasked: row.mobile_masked,
    merchantNumber: row.merchant_number,
    terminalId: row.terminal_id,
    terminalSerial: row.terminal_serial,
    authorizationReasons: JSON.parse(row.authorization_reasons) as string[],
    carriedFrom: row.carried_from,
  };
}

export function findApplication(db: Db, id: number): ApplicationRow | null {
  return (statement(db, 'SELECT * FROM applications WHERE id = ?').get(id) as ApplicationRow | undefined) ?? null;
}

export function findSummary(db: Db, id: number): ApplicationSummary | null {
  const row = statement(db, `SELECT ${SUMMARY_COLUMNS} FROM applications a JOIN tellers t ON t.id = a.created_by WHERE a.id = ?`).get(id) as SummaryRow | undefined;
  return row ? toSummary(row) : null;
}

export function nextTicketNo(db: Db, businessDate: string): number {
  return (statement(db, 'SELECT coalesce(max(ticket_no), 0) + 1 AS n FROM applications WHERE business_date = ?').get(businessDate) as { n: number }).n;
}

export function insertApplication(
  db: Db,
  row: { number: string; businessDate: string; ticketNo: number; channel: string; createdBy: number; at: string },
): number {
  const result = statement(db,
      `INSERT INTO applications (number, business_date, ticket_no, status, channel, created_by, created_at, updated_at)
       VALUES (@number, @businessDate, @ticketNo, 'waiting', @channel, @createdBy, @at, @at)`,
    )
    .run(row);
  return Number(result.lastInsertRowid);
}

/** Columns a command may set, besides status and version. */
export type ApplicationChanges = Partial<
  Pick<
    ApplicationRow,
    | 'keyed_by' | 'submitted_at' | 'completed_at' | 'request_enc' | 'applicant_name_masked' | 'document_type'
    | 'document_number_masked' | 'document_number_bidx' | 'mobile_masked' | 'mobile_bidx' | 'new_mobile_masked'
    | 'new_mobile_bidx' | 'merchant_number' | 'terminal_id' | 'terminal_serial' | 'reason_code' | 'verification_method'
    | 'online_check' | 'authorization_reasons' | 'authorizer_id' | 'outcome_reason' | 'signature_enc' | 'signature_sha256'
    | 'business_date' | 'ticket_no' | 'carried_from' | 'online_check_source' | 'identity_check_id' | 'other_document' | 'chip_evidence'
  >
>;

const CHANGEABLE = new Set<string>([
  'keyed_by', 'submitted_at', 'completed_at', 'request_enc', 'applicant_name_masked', 'document_type', 'document_number_masked',
  'document_number_bidx', 'mobile_masked', 'mobile_bidx', 'new_mobile_masked', 'new_mobile_bidx', 'merchant_number',
  'terminal_id', 'terminal_serial', 'reason_code', 'verification_method', 'online_check', 'authorization_reasons',
  'authorizer_id', 'outcome_reason', 'signature_enc', 'signature_sha256', 'business_date', 'ticket_no', 'carried_from',
  'online_check_source', 'identity_check_id', 'other_document', 'chip_evidence',
]);

/**
 * Optimistic update: applies only when the row is still at `version`. The column names come from the fixed
 * set above, never from input, and every value is a bound parameter.
 */
export function updateApplication(db: Db, id: number, version: number, status: ApplicationStatus, changes: ApplicationChanges, at: string): boolean {
  const columns = Object.keys(changes).filter((column) => CHANGEABLE.has(column));
  const assignments = columns.map((column) => `${column} = @${column}`).join(', ');
  const sql = `UPDATE applications SET status = @status, version = version + 1, updated_at = @at${assignments ? `, ${assignments}` : ''}
               WHERE id = @id AND version = @version`;
  const result = statement(db, sql).run({ ...changes, id, version, status, at });
  return result.changes === 1;
}

export function board(db: Db, businessDate: string, statuses: readonly ApplicationStatus[] | undefined, limit: number, offset: number): ApplicationSummary[] {
  const rows = statuses?.length
    ? (statement(db,
          `SELECT ${SUMMARY_COLUMNS} FROM applications a JOIN tellers t ON t.id = a.created_by
           WHERE a.business_date = @businessDate AND a.status IN (SELECT value FROM json_each(@statuses))
           ORDER BY a.id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ businessDate, statuses: JSON.stringify(statuses), limit, offset }) as SummaryRow[])
    : (statement(db,
          `SELECT ${SUMMARY_COLUMNS} FROM applications a JOIN tellers t ON t.id = a.created_by
           WHERE a.business_date = @businessDate ORDER BY a.id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ businessDate, limit, offset }) as SummaryRow[]);
  return rows.map(toSummary);
}

export function statusCounts(db: Db, businessDate: string): Record<string, number> {
  const rows = statement(db, 'SELECT status, count(*) AS n FROM applications WHERE business_date = ? GROUP BY status').all(businessDate) as { status: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

const SEARCHES = {
  number: 'a.number = @value',
  ticket: 'a.business_date = @businessDate AND a.ticket_no = @value',
  document: 'a.document_number_bidx = @value',
  mobile: 'a.mobile_bidx = @value OR a.new_mobile_bidx = @value',
  merchant: 'a.merchant_number = @value',
  terminal: 'a.terminal_id = @value OR a.terminal_serial = @value',
  serial: 'a.terminal_serial = @value',
} as const;

export type SearchKind = keyof typeof SEARCHES;

export function searchApplications(db: Db, kind: SearchKind, value: string | number | Buffer, businessDate: string, limit = 200): ApplicationSummary[] {
  const rows = statement(db, `SELECT ${SUMMARY_COLUMNS} FROM applications a JOIN tellers t ON t.id = a.created_by WHERE ${SEARCHES[kind]} ORDER BY a.id DESC LIMIT @limit`)
    .all({ value, businessDate, limit }) as SummaryRow[];
  return rows.map(toSummary);
}

/** Other submitted requests since `since` (a business date) for the same SN, merchant number or bound phone. */
export function recentMatches(
  db: Db,
  keys: { serial: string | null; merchant: string | null; mobileBidx: Buffer | null },
  since: string,
  excludeId: number,
): { serial: number; merchant: number; mobile: number } {
  // One statement for the three counts; a missing key (NULL) equals nothing, so it counts 0.
  const within = 'business_date >= @since AND id != @excludeId';
  return statement(db,
    `SELECT (SELECT count(*) FROM applications WHERE terminal_serial = @serial AND ${within}) AS serial,
            (SELECT count(*) FROM applications WHERE merchant_number = @merchant AND ${within}) AS merchant,
            (SELECT count(*) FROM applications WHERE mobile_bidx = @mobileBidx AND ${within}) AS mobile`,
  ).get({ ...keys, since, excludeId }) as { serial: number; merchant: number; mobile: number };
}

export function employeeNoOf(db: Db, tellerId: number | null): string | null {
  if (tellerId === null) return null;
  return (statement(db, 'SELECT employee_no FROM tellers WHERE id = ?').get(tellerId) as { employee_no: string } | undefined)?.employee_no ?? null;
}

export function printCountOf(db: Db, applicationId: number): number {
  return (statement(db, 'SELECT count(*) AS n FROM receipts WHERE application_id = ?').get(applicationId) as { n: number }).n;
}
