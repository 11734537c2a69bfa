import type { Handlers, CallContext, Actor } from '../rpc/router';
import type { CoreContext } from '../context';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { readBranchProfile, writeBranchProfile } from '../system/branchProfile';
import { DEFAULT_TIME_ZONE } from '../clock';
import { readSettings } from '../settings';
import { hashPassword, verifyPassword } from './passwords';
import { checkCredentials } from './credentials';
import { countTellers, findTeller, insertTeller, updateTeller, type TellerRecord } from './tellerRepository';

export function actorOf(teller: TellerRecord): Actor {
  return { tellerId: teller.id, employeeNo: teller.employeeNo, name: teller.name, role: teller.role };
}

/** The actor of a call that the contract already restricted to logged-in sessions. */
export function requireActor(call: CallContext): Actor {
  if (!call.actor) throw new DomainError('UNAUTHENTICATED', 'error.unauthenticated');
  return call.actor;
}

type AuthHandlers = Pick<Handlers, 'auth.setup' | 'auth.login' | 'auth.me' | 'auth.logout' | 'auth.lock' | 'auth.unlock' | 'auth.changePassword'>;

export function authHandlers(core: CoreContext): AuthHandlers {
  const sessionState = (sessionKey: string) => ({
    actor: core.sessions.actorOf(sessionKey),
    locked: core.sessions.isLocked(sessionKey),
    mustChangePassword: core.sessions.mustChangePassword(sessionKey),
    idleLockMinutes: readSettings(core.db).idleLockMinutes,
  });

  return {
    // First run: the branch and its first admin. Refused once done, so nobody can take over an installation.
    'auth.setup': async (input) => {
      if (readBranchProfile(core.db)) throw new DomainError('CONFLICT', 'setup.already_done');
      const passwordHash = await hashPassword(input.admin.password, core.passwordCost);
      const at = core.clock.now();
      core.db.transaction(() => {
        if (readBranchProfile(core.db) || countTellers(core.db) > 0) throw new DomainError('CONFLICT', 'setup.already_done');
        writeBranchProfile(core.db, { code: input.branchCode, name: input.branchName, bankName: input.bankName, timeZone: DEFAULT_TIME_ZONE }, at);
        const adminId = insertTeller(core.db, { employeeNo: input.admin.employeeNo, name: input.admin.name, role: 'admin', passwordHash, mustChangePassword: false }, at);
        appendAudit(core.db, { actorId: adminId, action: 'setup.done', entity: 'branch', entityId: input.branchCode, details: { branchName: input.branchName, adminNo: input.admin.employeeNo } }, at);
      })();
      return { done: true as const };
    },

    'auth.login': async (input, call) => {
      const teller = await checkCredentials(core, input.employeeNo, input.password, 'login');
      core.sessions.start(call.sessionKey, actorOf(teller), { mustChangePassword: teller.mustChangePassword });
      core.db.transaction(() =>
        appendAudit(core.db, { actorId: teller.id, action: 'auth.login', entity: 'teller', entityId: String(teller.id), details: {} }, core.clock.now()),
      )();
      return sessionState(call.sessionKey);
    },

    'auth.me': (_input, call) => sessionState(call.sessionKey),

    'auth.logout': (_input, call) => {
      const actor = requireActor(call);
      core.sessions.end(call.sessionKey);
      core.db.transaction(() =>
        appendAudit(core.db, { actorId: actor.tellerId, action: 'auth.logout', entity: 'teller', entityId: String(actor.tellerId), details: {} }, core.clock.now()),
      )();
      return { done: true as const };
    },

    'auth.lock': (_input, call) => {
      core.sessions.lock(call.sessionKey);
      return { done: true as const };
    },

    // Only the teller of the session can unlock it: the work underneath is theirs.
    'auth.unlock': async (input, call) => {
      const actor = requireActor(call);
      await checkCredentials(core, actor.employeeNo, input.password, 'login');
      core.sessions.unlock(call.sessionKey);
      return sessionState(call.sessionKey);
    },

    'auth.changePassword': async (input, call) => {
      const actor = requireActor(call);
      const teller = findTeller(core.db, actor.tellerId);
      if (!teller || !(await verifyPassword(input.current, teller.passwordHash))) {
        throw new DomainError('VALIDATION', 'error.validation', { current: 'auth.wrong_password' });
      }
      if (input.current === input.next) throw new DomainError('VALIDATION', 'error.validation', { next: 'password.same_as_current' });
      const passwordHash = await hashPassword(input.next, core.passwordCost);
      const at = core.clock.now();
      core.db.transaction(() => {
        updateTeller(core.db, teller.id, { passwordHash, mustChangePassword: false }, at);
        appendAudit(core.db, { actorId: teller.id, action: 'auth.password_changed', entity: 'teller', entityId: String(teller.id), details: {} }, at);
      })();
      core.sessions.passwordChanged(call.sessionKey);
      return { done: true as const };
    },
  };
}

