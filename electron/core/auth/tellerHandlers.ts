import type { Handlers } from '../rpc/router';
import type { CoreContext } from '../context';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { hashPassword } from './passwords';
import { requireActor } from './handlers';
import { assertStrongPassword } from './passwordStrength';
import { recordAccountNotice } from './accountNotices';
import { findTeller, findTellerByEmployeeNo, insertTeller, listTellers, updateTeller, type TellerRecord } from './tellerRepository';

function publicTeller(teller: TellerRecord) {
  return {
    id: teller.id,
    employeeNo: teller.employeeNo,
    name: teller.name,
    role: teller.role,
    disabled: teller.disabled,
    lockedUntil: teller.lockedUntil,
    mustChangePassword: teller.mustChangePassword,
  };
}

type TellerHandlers = Pick<Handlers, 'tellers.list' | 'tellers.create' | 'tellers.update' | 'tellers.resetPassword'>;

/** Accounts, managed by an admin. Every change is audited; a disabled or reset account loses its sessions. */
export function tellerHandlers(core: CoreContext): TellerHandlers {
  const existing = (id: number) => {
    const teller = findTeller(core.db, id);
    if (!teller) throw new DomainError('NOT_FOUND', 'error.not_found');
    return teller;
  };
  return {
    'tellers.list': () => ({ tellers: listTellers(core.db).map(publicTeller) }),

    'tellers.create': async (input, call) => {
      const actor = requireActor(call);
      if (findTellerByEmployeeNo(core.db, input.employeeNo)) throw new DomainError('CONFLICT', 'error.validation', { employeeNo: 'teller.employee_no_taken' });
      assertStrongPassword(input.password, input, 'password');
      // New accounts start with a password the admin knows, so the teller must choose their own.
      const passwordHash = await hashPassword(input.password, core.passwordCost);
      const at = core.clock.now();
      const id = core.db.transaction(() => {
        const newId = insertTeller(core.db, { employeeNo: input.employeeNo, name: input.name, role: input.role, passwordHash, mustChangePassword: true, createdBy: actor.tellerId }, at);
        appendAudit(core.db, { actorId: actor.tellerId, action: 'teller.created', entity: 'teller', entityId: String(newId), details: { employeeNo: input.employeeNo, role: input.role } }, at);
        recordAccountNotice(core.db, { kind: 'created', subjectId: newId, role: input.role, byId: actor.tellerId }, at);
        return newId;
      })();
      return publicTeller(existing(id));
    },

    'tellers.update': (input, call) => {
      const actor = requireActor(call);
      const teller = existing(input.id);
      if (teller.id === actor.tellerId && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
        // The last way back into the settings must not be closed by mistake.
        throw new DomainError('FORBIDDEN', 'teller.cannot_demote_self');
      }
      const at = core.clock.now();
      core.db.transaction(() => {
        updateTeller(core.db, teller.id, input, at);
        appendAudit(
          core.db,
          {
            actorId: actor.tellerId,
            action: 'teller.updated',
            entity: 'teller',
            entityId: String(teller.id),
            details: { ...(input.role ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}), ...(input.name ? { renamed: true } : {}) },
          },
          at,
        );
        if (input.role !== undefined && input.role !== teller.role) recordAccountNotice(core.db, { kind: 'role_changed', subjectId: teller.id, role: input.role, byId: actor.tellerId }, at);
      })();
      // Open sessions follow the account on their next call (SessionStore.admit); a disabled one ends now.
      if (input.disabled) core.sessions.endAllOf(teller.id);
      return publicTeller(existing(teller.id));
    },

    'tellers.resetPassword': async (input, call) => {
      const actor = requireActor(call);
      const teller = existing(input.id);
      assertStrongPassword(input.password, teller, 'password');
      const passwordHash = await hashPassword(input.password, core.passwordCost);
      const at = core.clock.now();
      core.db.transaction(() => {
        updateTeller(core.db, teller.id, { passwordHash, mustChangePassword: true, passwordResetBy: actor.tellerId }, at);
        appendAudit(core.db, { actorId: actor.tellerId, action: 'teller.password_reset', entity: 'teller', entityId: String(teller.id), details: { role: teller.role } }, at);
        recordAccountNotice(core.db, { kind: 'password_reset', subjectId: teller.id, role: teller.role, byId: actor.tellerId }, at);
      })();
      core.sessions.endAllOf(teller.id);
      return publicTeller(existing(teller.id));
    },
  };
}
