import type { CoreContext } from '../context';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { findTellerByEmployeeNo, recordFailedLogin, recordGoodLogin, type TellerRecord } from './tellerRepository';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;

/**
 * Checks an employee number and password — for a login and for a supervisor authorizing on a teller's
 * screen alike. Five failures lock the account for 15 minutes; the count lives in the database, so a
 * restart does not reset it. An unknown number costs the same time as a wrong password.
 */
export async function checkCredentials(core: CoreContext, employeeNo: string, password: string, purpose: 'login' | 'authorization'): Promise<TellerRecord> {
  const teller = findTellerByEmployeeNo(core.db, employeeNo);
  if (!teller) {
    await burnPasswordCheck(password, core.passwordCost);
    core.db.transaction(() =>
      appendAudit(core.db, { actorId: null, action: `${purpose}.failed`, entity: 'teller', entityId: null, details: { employeeNo, reason: 'unknown' } }, core.clock.now()),
    )();
    throw new DomainError('UNAUTHENTICATED', 'auth.invalid_credentials');
  }
  const now = core.clock.now();
  if (teller.lockedUntil !== null && teller.lockedUntil > now.toISOString()) {
    throw new DomainError('FORBIDDEN', 'auth.account_locked', undefined, { lockedUntil: teller.lockedUntil });
  }
  const good = await verifyPassword(password, teller.passwordHash);
  const at = core.clock.now();
  if (!good) {
    const attempts = teller.failedAttempts + 1;
    const locks = attempts >= MAX_FAILED_ATTEMPTS;
    const lockedUntil = locks ? new Date(at.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    core.db.transaction(() => {
      recordFailedLogin(core.db, teller.id, locks ? 0 : attempts, lockedUntil, at);
      appendAudit(
        core.db,
        { actorId: null, action: `${purpose}.failed`, entity: 'teller', entityId: String(teller.id), details: { employeeNo: teller.employeeNo, attempts, locked: locks } },
        at,
      );
    })();
    if (locks) throw new DomainError('FORBIDDEN', 'auth.account_locked', undefined, { lockedUntil });
    throw new DomainError('UNAUTHENTICATED', 'auth.invalid_credentials', undefined, { attemptsLeft: MAX_FAILED_ATTEMPTS - attempts });
  }
  if (teller.disabled) throw new DomainError('FORBIDDEN', 'auth.disabled');
  if (teller.failedAttempts > 0 || teller.lockedUntil !== null) recordGoodLogin(core.db, teller.id, at);
  return teller;
}
