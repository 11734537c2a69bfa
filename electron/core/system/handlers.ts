import type { Handlers } from '../rpc/router';
import type { CoreContext } from '../context';
import { readBranchProfile, setDeskNumber } from './branchProfile';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { requireActor } from '../auth/handlers';
import { schemaVersion } from '../db/migrations';

export function systemHandlers(core: CoreContext): Pick<Handlers, 'system.ping' | 'system.info' | 'system.setDesk'> {
  return {
    'system.ping': (input) => ({
      pong: true,
      ...(input.echo !== undefined ? { echo: input.echo } : {}),
      at: core.clock.now().toISOString(),
    }),
    'system.info': () => {
      const branch = readBranchProfile(core.db);
      return {
        appVersion: core.appVersion,
        schemaVersion: schemaVersion(core.db),
        dataDir: core.dataDir,
        businessDate: core.businessDate(),
        timeZone: core.timeZone(),
        branch: branch ? { code: branch.code, name: branch.name, desk: branch.desk } : null,
        setupDone: branch !== null,
      };
    },
    // The desk is part of every number and bundle name, and head office registers each desk's key under it:
    // set once, never renumbered in place (a desk moved to another number is a new installation).
    'system.setDesk': (input, call) => {
      const actor = requireActor(call);
      const at = core.clock.now();
      core.db.transaction(() => {
        if (!readBranchProfile(core.db)) throw new DomainError('CONFLICT', 'setup.required');
        if (!setDeskNumber(core.db, input.desk)) throw new DomainError('CONFLICT', 'desk.already_set');
        appendAudit(core.db, { actorId: actor.tellerId, action: 'branch.desk_set', entity: 'branch', entityId: input.desk, details: { desk: input.desk } }, at);
      })();
      return { desk: input.desk };
    },
  };
}
