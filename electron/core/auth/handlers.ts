import type { Handlers, CallContext, Actor } from '../rpc/router';
import type { CoreContext } from '../context';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { readBranchProfile, writeBranchProfile } from '../system/branchProfile';
import { DEFAULT_TIME_ZONE } from '../clock';
import { readSettings } from '../settings';
import { hashPassword } from './passwords';
import { checkCredentials } from './credentials';
import { assertStrongPassword } from './passwordStrength';
import { takeAccountNotices } from './accountNotices';
import { countTellers, insertTeller, updateTeller, type TellerRecord } from './tellerRepository';

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
    notices: core.sessions.notices(sessionKey),
    idleLockMinutes: readSettings(core.db).idleLockMinutes,
  });

  return {
    // First run: the branch and its first admin. Refused once done, so nobody can take over an installation.
    'auth.setup': async (input) => {
      if (readBranchProfile(core.db)) throw new DomainError('CONFLICT', 'setup.already_done');
      assertStrongPassword(input.admin.password, input.admin, 'admin.password');
      const passwordHash = await hashPassword(input.admin.password, core.passwordCost);
      const at = core.clock.now();
      core.db.transaction(() => {
        if (readBranchProfile(core.db) || countTellers(core.db) > 0) throw new DomainError('CONFLICT', 'setup.already_done');
        writeBranchProfile(core.db, { code: input.branchCode, name: input.branchName, bankName: input.bankName, timeZone: DEFAULT_TIME_ZONE, desk: input.desk }, at);
        const adminId = insertTeller(core.db, { employeeNo: input.admin.employeeNo, name: input.admin.name, role: 'admin', passwordHash, mustChangePassword: false }, at);
        appendAudit(core.db, { actorId: adminId, action: 'setup.done', entity: 'branch', entityId: input.branchCode, details: { branchName: input.branchName, desk: input.desk, adminNo: input.admin.employeeNo } }, at);
      })();
      return { done: true as const };
    },

    'auth.login': async (input, call) => {
      const teller = await checkCredentials(core, input.employeeNo, input.password, 'login');
      const at = core.clock.now();
      const notices = core.db.transaction(() => {
        appendAudit(core.db, { actorId: teller.id, action: 'auth.login', entity: 'teller', entityId: String(teller.id), details: {} }, at);
        // Accounts that can authorize were made or reset since a supervisor last looked: this one is told.
        return teller.role === 'supervisor' ? takeAccountNotices(core.db, teller.id, at) : [];
      })();
      core.sessions.start(call.sessionKey, actorOf(teller), { mustChangePassword: teller.mustChangePassword, notices });
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
      await checkCredentials(core, actor.employeeNo, input.password, 'unlock');
      core.sessions.unlock(call.sessionKey);
      return sessionState(call.sessionKey);
    },

    // The same check as a login (counted, locked after five failures, audited); not from a locked screen,
    // except the forced first change, which is all such a session can do anyway.
    'auth.changePassword': async (input, call) => {
      const actor = requireActor(call);
      if (core.sessions.isLocked(call.sessionKey) && !core.sessions.mustChangePassword(call.sessionKey)) throw new DomainError('LOCKED', 'error.locked');
      if (input.current === input.next) throw new DomainError('VALIDATION', 'error.validation', { next: 'password.same_as_current' });
      assertStrongPassword(input.next, actor, 'next');
      let teller: TellerRecord;
      try {
        teller = await checkCredentials(core, actor.employeeNo, input.current, 'password_change');
      } catch (error) {
        if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') throw new DomainError('VALIDATION', 'error.validation', { current: 'auth.wrong_password' });
        throw error;
      }
      const passwordHash = await hashPassword(input.next, core.passwordCost);
      const at = core.clock.now();
      core.db.transaction(() => {
        updateTeller(core.db, teller.id, { passwordHash, mustChangePassword: false }, at);
        appendAudit(core.db, { actorId: teller.id, action: 'auth.password_changed', entity: 'teller', entityId: String(teller.id), details: {} }, at);
      })();
      core.sessions.passwordChanged(call.sessionKey);
      // Whoever was signed in elsewhere with the old password is signed out.
      core.sessions.endOthersOf(teller.id, call.sessionKey);
      return { done: true as const };
    },
  };
}

