import type { Db } from '../db/connection';
import { verifyAuditChain, type AuditVerification } from './auditLog';

/**
 * What the audit chain alone cannot show. A chain whose last rows were cut off is still a valid chain: only a
 * head signed earlier and kept elsewhere (printed in a slip's QR, written in a day bundle's manifest) shows
 * the loss. And the columns a request's row keeps outside the chain (its status, who authorized it) can be
 * changed without touching the chain: the audit rows say what they must be.
 */
export type AuditDifferenceCode =
  | 'audit.chain_broken'
  | 'audit.rows_cut_off'
  | 'audit.head_mismatch'
  | 'audit.status_differs'
  | 'audit.authorizer_differs'
  | 'audit.unaudited_application';

export interface AuditDifference {
  code: AuditDifferenceCode;
  /** The audit row concerned, where there is one. */
  seq: number | null;
  /** What the difference is about: an application number, or where a signed head came from. */
  subject: string | null;
  /** What the audit (or the signed head) says. */
  expected: string | null;
  /** What the database holds instead. */
  found: string | null;
}

/** A chain head someone signed: the sequence number and the start (at least 16 bytes, hex) of its hash. */
export interface KnownHead {
  seq: number;
  hashPrefix: string;
  /** Where it was read, for the report: "slip 310101-20261125-0001 #1", "bundle 310101_20261125_1". */
  source: string;
}

export function checkKnownHeads(db: Db, heads: readonly KnownHead[]): AuditDifference[] {
  const differences: AuditDifference[] = [];
  const last = (db.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number | null }).seq ?? 0;
  const hashAt = db.prepare('SELECT hash FROM audit_log WHERE seq = ?');
  for (const head of [...heads].sort((a, b) => a.seq - b.seq)) {
    if (head.seq > last) {
      differences.push({ code: 'audit.rows_cut_off', seq: head.seq, subject: head.source, expected: `${head.seq}`, found: `${last}` });
      continue;
    }
    if (head.seq === 0) continue;
    const row = hashAt.get(head.seq) as { hash: string } | undefined;
    if (!row || !row.hash.startsWith(head.hashPrefix.toLowerCase())) {
      differences.push({ code: 'audit.head_mismatch', seq: head.seq, subject: head.source, expected: head.hashPrefix, found: row ? row.hash.slice(0, head.hashPrefix.length) : null });
    }
  }
  return differences;
}

interface ApplicationAuditRow {
  seq: number;
  entity_id: string;
  action: string;
  details: string;
}

interface StoredApplication {
  id: number;
  number: string;
  status: string;
  authorizerNo: string | null;
}

/**
 * Each request's status and authorizer as its audit rows tell them: the status is the last `to` recorded; the
 * authorizer is the supervisor of the last decision, cleared when the request is keyed again (a submit or an
 * edit asks for a new decision).
 */
export function reconcileApplications(db: Db): AuditDifference[] {
  const supervisorOfGrant = db.prepare('SELECT t.employee_no AS no FROM authorizations a JOIN tellers t ON t.id = a.supervisor_id WHERE a.id = ?');
  const told = new Map<string, { status: string | null; authorizer: string | null; seq: number }>();
  const rows = db.prepare("SELECT seq, entity_id, action, details FROM audit_log WHERE entity = 'application' ORDER BY seq").iterate() as IterableIterator<ApplicationAuditRow>;
  for (const row of rows) {
    const details = JSON.parse(row.details) as Record<string, unknown>;
    const state = told.get(row.entity_id) ?? { status: null, authorizer: null, seq: row.seq };
    state.seq = row.seq;
    if (typeof details.to === 'string') state.status = details.to;
    if (row.action === 'application.submit' || row.action === 'application.edit_after_submit') state.authorizer = null;
    if (row.action === 'application.authorize_approve' || row.action === 'application.authorize_decline' || row.action === 'application.cancel_after_submit') {
      if (typeof details.supervisorNo === 'string') state.authorizer = details.supervisorNo;
      // Cancels recorded before the row named the supervisor: the grant they used does.
      else if (typeof details.grantId === 'number') state.authorizer = (supervisorOfGrant.get(details.grantId) as { no: string } | undefined)?.no ?? null;
    }
    told.set(row.entity_id, state);
  }
  const differences: AuditDifference[] = [];
  const applications = db
    .prepare('SELECT a.id, a.number, a.status, t.employee_no AS authorizerNo FROM applications a LEFT JOIN tellers t ON t.id = a.authorizer_id ORDER BY a.id')
    .iterate() as IterableIterator<StoredApplication>;
  for (const application of applications) {
    const audit = told.get(String(application.id));
    if (!audit) {
      differences.push({ code: 'audit.unaudited_application', seq: null, subject: application.number, expected: null, found: application.status });
      continue;
    }
    if (audit.status !== application.status) {
      differences.push({ code: 'audit.status_differs', seq: audit.seq, subject: application.number, expected: audit.status, found: application.status });
    }
    if (audit.authorizer !== application.authorizerNo) {
      differences.push({ code: 'audit.authorizer_differs', seq: audit.seq, subject: application.number, expected: audit.authorizer, found: application.authorizerNo });
    }
  }
  return differences;
}

export interface AuditReport {
  chain: AuditVerification;
  /** Every difference found, the broken chain first. Empty when the database and its audit agree. */
  differences: AuditDifference[];
}

/** The whole check: the keyed chain, the signed heads known, and the table state against the audit. */
export function auditReport(db: Db, auditKey: Buffer, heads: readonly KnownHead[]): AuditReport {
  const chain = verifyAuditChain(db, auditKey);
  const differences: AuditDifference[] = [];
  if (!chain.ok) differences.push({ code: 'audit.chain_broken', seq: chain.firstBadSeq, subject: null, expected: null, found: chain.reason });
  differences.push(...checkKnownHeads(db, heads), ...reconcileApplications(db));
  return { chain, differences };
}
