import type { ActionAuthorizationReason } from '../../../shared';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { DomainError } from '../rpc/domainError';
import { checkCredentials } from './credentials';
import type { TellerRecord } from './tellerRepository';
import { statement } from '../db/statements';

/** A grant is for one action, right now: two minutes is enough to press the button after the supervisor signs. */
export const GRANT_MINUTES = 2;

/**
 * 主管授权: the supervisor types their own credentials on the teller's screen. They must hold the supervisor
 * role, have chosen their own password, and be neither the teller who asks or who keyed the request (no
 * self-approval) nor the admin who created that supervisor's account or last reset its password.
 */
export async function verifySupervisor(
  core: CoreContext,
  credentials: { employeeNo: string; password: string },
  parties: { requestedBy: number; keyedBy: number | null },
): Promise<TellerRecord> {
  const supervisor = await checkCredentials(core, credentials.employeeNo, credentials.password, 'authorization');
  if (supervisor.role !== 'supervisor') throw new DomainError('FORBIDDEN', 'authorization.not_supervisor');
  // A password an admin set is known to that admin until its owner chooses their own.
  if (supervisor.mustChangePassword) throw new DomainError('FORBIDDEN', 'authorization.must_change_password');
  const asking = [parties.requestedBy, parties.keyedBy];
  if (asking.includes(supervisor.id)) throw new DomainError('FORBIDDEN', 'authorization.self');
  // The admin who made the account or last set its password could be the one typing it: not a second person.
  if ((supervisor.createdBy !== null && asking.includes(supervisor.createdBy)) || (supervisor.passwordResetBy !== null && asking.includes(supervisor.passwordResetBy))) {
    throw new DomainError('FORBIDDEN', 'authorization.account_set_by_requester');
  }
  return supervisor;
}

export interface GrantScope {
  /** An action that needs a grant, or a supervisor's direct decision on a pending request. */
  action: ActionAuthorizationReason | 'authorize_approve' | 'authorize_decline';
  applicationId: number | null;
  businessDate: string | null;
  requestedBy: number;
  sessionKey: string;
}

export function createGrant(db: Db, scope: GrantScope, supervisorId: number, note: string | null, at: Date): { id: number; expiresAt: string } {
  const expiresAt = new Date(at.getTime() + GRANT_MINUTES * 60_000).toISOString();
  const result = statement(db,
      `INSERT INTO authorizations (action, application_id, business_date, supervisor_id, requested_by, session_key, reason_codes, note, created_at, expires_at)
       VALUES (@action, @applicationId, @businessDate, @supervisorId, @requestedBy, @sessionKey, @reasons, @note, @at, @expiresAt)`,
    )
    .run({ ...scope, supervisorId, reasons: JSON.stringify([scope.action]), note, at: at.toISOString(), expiresAt });
  return { id: Number(result.lastInsertRowid), expiresAt };
}

/** Records a decision taken directly (approve or decline a pending request); used at once. */
export function recordDecision(db: Db, scope: GrantScope, supervisorId: number, reasons: string[], note: string | null, at: Date): number {
  const result = statement(db,
      `INSERT INTO authorizations (action, application_id, business_date, supervisor_id, requested_by, session_key, reason_codes, note, created_at, expires_at, used_at)
       VALUES (@action, @applicationId, @businessDate, @supervisorId, @requestedBy, @sessionKey, @reasons, @note, @at, @at, @at)`,
    )
    .run({ ...scope, supervisorId, reasons: JSON.stringify(reasons), note, at: at.toISOString() });
  return Number(result.lastInsertRowid);
}

/**
 * Uses a grant inside the transaction of the action it allows: it must be for this action, this request,
 * this session and teller, unused and unexpired. Anything else is refused and nothing changes.
 */
export function consumeGrant(db: Db, grantId: number, scope: GrantScope, at: Date): { supervisorId: number } {
  const grant = checkGrant(db, grantId, scope, at);
  statement(db, 'UPDATE authorizations SET used_at = ? WHERE id = ? AND used_at IS NULL').run(at.toISOString(), grantId);
  return grant;
}

/** The checks of consumeGrant without using the grant: before a slip goes to the printer, which may still fail. */
export function checkGrant(db: Db, grantId: number, scope: GrantScope, at: Date): { supervisorId: number } {
  const grant = statement(db, 'SELECT * FROM authorizations WHERE id = ?').get(grantId) as
    | { action: string; application_id: number | null; business_date: string | null; requested_by: number; session_key: string; supervisor_id: number; expires_at: string; used_at: string | null }
    | undefined;
  const matches =
    grant !== undefined &&
    grant.action === scope.action &&
    grant.application_id === scope.applicationId &&
    (scope.businessDate === null || grant.business_date === scope.businessDate) &&
    grant.requested_by === scope.requestedBy &&
    grant.session_key === scope.sessionKey;
  if (!grant || !matches) throw new DomainError('FORBIDDEN', 'authorization.invalid');
  if (grant.used_at !== null) throw new DomainError('FORBIDDEN', 'authorization.used');
  if (grant.expires_at <= at.toISOString()) throw new DomainError('FORBIDDEN', 'authorization.expired');
  return { supervisorId: grant.supervisor_id };
}
