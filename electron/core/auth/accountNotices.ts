import type { AccountNotice, Role } from '../../../shared';
import type { Db } from '../db/connection';
import { appendAudit } from '../audit/auditLog';
import { statement } from '../db/statements';

/** Roles whose accounts can authorize or administer: making one, or setting its password, is told to a supervisor. */
export const NOTICED_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * Records that an admin made an account that can authorize or administer, reset its password, or gave it
 * such a role. Call inside the transaction of the change (which writes its own audit row).
 */
export function recordAccountNotice(db: Db, notice: { kind: AccountNotice['kind']; subjectId: number; role: Role; byId: number }, at: Date): void {
  if (!NOTICED_ROLES.includes(notice.role)) return;
  statement(db, 'INSERT INTO account_notices (kind, subject_id, role, by_id, at) VALUES (?, ?, ?, ?, ?)').run(notice.kind, notice.subjectId, notice.role, notice.byId, at.toISOString());
}

interface NoticeRow {
  id: number;
  kind: AccountNotice['kind'];
  role: Role;
  at: string;
  subject_no: string;
  subject_name: string;
  by_no: string;
  by_name: string;
}

/**
 * The notices no supervisor has seen yet, for a supervisor who is logging in — except those about their own
 * account (whoever was given it may be the one logging in). They are marked as shown to this supervisor, and
 * the audit says so. Call inside the login's transaction.
 */
export function takeAccountNotices(db: Db, supervisorId: number, at: Date): AccountNotice[] {
  const rows = statement(db,
    `SELECT n.id, n.kind, n.role, n.at, s.employee_no AS subject_no, s.name AS subject_name, b.employee_no AS by_no, b.name AS by_name
       FROM account_notices n JOIN tellers s ON s.id = n.subject_id JOIN tellers b ON b.id = n.by_id
      WHERE n.shown_to IS NULL AND n.subject_id <> ? ORDER BY n.id`,
  ).all(supervisorId) as NoticeRow[];
  if (rows.length === 0) return [];
  const mark = statement(db, 'UPDATE account_notices SET shown_to = ?, shown_at = ? WHERE id = ? AND shown_to IS NULL');
  for (const row of rows) mark.run(supervisorId, at.toISOString(), row.id);
  appendAudit(db, { actorId: supervisorId, action: 'account_notice.shown', entity: 'teller', entityId: String(supervisorId), details: { notices: rows.map((row) => String(row.id)) } }, at);
  return rows.map((row) => ({
    kind: row.kind,
    at: row.at,
    role: row.role,
    subject: { employeeNo: row.subject_no, name: row.subject_name },
    by: { employeeNo: row.by_no, name: row.by_name },
  }));
}
