import type { Role } from '../../../shared';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import type { AccountState } from './sessions';

export interface TellerRecord {
  id: number;
  employeeNo: string;
  name: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  failedAttempts: number;
  lockedUntil: string | null;
  disabled: boolean;
  /** The admin who made the account, and the one who last set its password (null: set-up, or by its owner). */
  createdBy: number | null;
  passwordResetBy: number | null;
}

interface TellerRow {
  id: number;
  employee_no: string;
  name: string;
  role: Role;
  password_hash: string;
  must_change_password: number;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
  created_by: number | null;
  password_reset_by: number | null;
}

function fromRow(row: TellerRow): TellerRecord {
  return {
    id: row.id,
    employeeNo: row.employee_no,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    mustChangePassword: row.must_change_password === 1,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
    disabled: row.disabled === 1,
    createdBy: row.created_by,
    passwordResetBy: row.password_reset_by,
  };
}

export function findTellerByEmployeeNo(db: Db, employeeNo: string): TellerRecord | null {
  const row = statement(db, 'SELECT * FROM tellers WHERE employee_no = ? COLLATE NOCASE').get(employeeNo) as TellerRow | undefined;
  return row ? fromRow(row) : null;
}

export function findTeller(db: Db, id: number): TellerRecord | null {
  const row = statement(db, 'SELECT * FROM tellers WHERE id = ?').get(id) as TellerRow | undefined;
  return row ? fromRow(row) : null;
}

/** What a session needs of its account on every call: one indexed read. */
export function accountState(db: Db, id: number): AccountState | null {
  const row = statement(db, 'SELECT id, employee_no, name, role, disabled, must_change_password FROM tellers WHERE id = ?').get(id) as
    | Pick<TellerRow, 'id' | 'employee_no' | 'name' | 'role' | 'disabled' | 'must_change_password'>
    | undefined;
  if (!row) return null;
  return {
    actor: { tellerId: row.id, employeeNo: row.employee_no, name: row.name, role: row.role },
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
  };
}

export function listTellers(db: Db): TellerRecord[] {
  return (statement(db, 'SELECT * FROM tellers ORDER BY employee_no').all() as TellerRow[]).map(fromRow);
}

export function countTellers(db: Db): number {
  return (statement(db, 'SELECT count(*) AS n FROM tellers').get() as { n: number }).n;
}

export function insertTeller(
  db: Db,
  teller: { employeeNo: string; name: string; role: Role; passwordHash: string; mustChangePassword: boolean; createdBy?: number | null },
  at: Date,
): number {
  const result = statement(db,
      `INSERT INTO tellers (employee_no, name, role, password_hash, must_change_password, created_by, created_at, updated_at)
       VALUES (@employeeNo, @name, @role, @passwordHash, @mustChange, @createdBy, @at, @at)`,
    )
    .run({ ...teller, mustChange: teller.mustChangePassword ? 1 : 0, createdBy: teller.createdBy ?? null, at: at.toISOString() });
  return Number(result.lastInsertRowid);
}

export function recordFailedLogin(db: Db, id: number, failedAttempts: number, lockedUntil: string | null, at: Date): void {
  statement(db, 'UPDATE tellers SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?').run(failedAttempts, lockedUntil, at.toISOString(), id);
}

/** The failure count of an employee number that has no account (see credentials.ts). */
export function findUnknownNumberFailures(db: Db, employeeNo: string): { failedAttempts: number; lockedUntil: string | null } | null {
  const row = statement(db, 'SELECT failed_attempts, locked_until FROM credential_failures WHERE employee_no = ?').get(employeeNo) as
    | { failed_attempts: number; locked_until: string | null }
    | undefined;
  return row ? { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until } : null;
}

export function recordUnknownNumberFailure(db: Db, employeeNo: string, failedAttempts: number, lockedUntil: string | null, at: Date): void {
  statement(db,
    `INSERT INTO credential_failures (employee_no, failed_attempts, locked_until, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (employee_no) DO UPDATE SET failed_attempts = excluded.failed_attempts, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
  ).run(employeeNo, failedAttempts, lockedUntil, at.toISOString());
  // A number nobody has tried for a day is forgotten, so the table cannot grow without end.
  const dayAgo = new Date(at.getTime() - 86_400_000).toISOString();
  statement(db, 'DELETE FROM credential_failures WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)').run(dayAgo, at.toISOString());
}

export function recordGoodLogin(db: Db, id: number, at: Date): void {
  statement(db, 'UPDATE tellers SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(at.toISOString(), id);
}

export function updateTeller(
  db: Db,
  id: number,
  changes: { name?: string; role?: Role; disabled?: boolean; passwordHash?: string; mustChangePassword?: boolean; passwordResetBy?: number },
  at: Date,
): void {
  statement(db,
    `UPDATE tellers SET
       name = coalesce(@name, name),
       role = coalesce(@role, role),
       disabled = coalesce(@disabled, disabled),
       password_hash = coalesce(@passwordHash, password_hash),
       must_change_password = coalesce(@mustChange, must_change_password),
       password_reset_by = coalesce(@passwordResetBy, password_reset_by),
       failed_attempts = CASE WHEN @passwordHash IS NULL THEN failed_attempts ELSE 0 END,
       locked_until = CASE WHEN @passwordHash IS NULL THEN locked_until ELSE NULL END,
       updated_at = @at
     WHERE id = @id`,
  ).run({
    id,
    name: changes.name ?? null,
    role: changes.role ?? null,
    disabled: changes.disabled === undefined ? null : changes.disabled ? 1 : 0,
    passwordHash: changes.passwordHash ?? null,
    mustChange: changes.mustChangePassword === undefined ? null : changes.mustChangePassword ? 1 : 0,
    passwordResetBy: changes.passwordResetBy ?? null,
    at: at.toISOString(),
  });
}
