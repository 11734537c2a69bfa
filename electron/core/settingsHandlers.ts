import type { Handlers } from './rpc/router';
import type { CoreContext } from './context';
import { DomainError } from './rpc/domainError';
import { appendAudit } from './audit/auditLog';
import { readBranchProfile, writeBranchProfile } from './system/branchProfile';
import { readSettings, writeSetting } from './settings';
import { requireActor } from './auth/handlers';
import type { CorePorts } from './ports';
import { assertPrintersExist } from './printing/handlers';
import { assertIdentityCheckSettings } from './identity/identityCheckSettings';
import { normalizedOutcomePublicKey, parseOutcomePublicKey } from './acquirer/outcomeSignature';

export function settingsHandlers(core: CoreContext, ports: CorePorts = {}): Pick<Handlers, 'settings.get' | 'settings.update'> {
  const current = () => {
    const branch = readBranchProfile(core.db);
    if (!branch) throw new DomainError('CONFLICT', 'setup.required');
    const settings = readSettings(core.db);
    return { branch: { code: branch.code, name: branch.name, bankName: branch.bankName }, ...settings };
  };
  return {
    'settings.get': () => current(),
    'settings.update': async (input, call) => {
      const actor = requireActor(call);
      // A printer is chosen from what the spooler has: asked before anything is written.
      if (input.slipPrinters) await assertPrintersExist(ports, input.slipPrinters);
      const before = current();
      const at = core.clock.now();
      if (input.identityCheck) assertIdentityCheckSettings(input.identityCheck);
      // The acquirer's outcome-signing key: read (and refused, saying why) before anything is written; kept in its standard PEM.
      const acquirer = input.acquirer?.batch.outcomePublicKey
        ? { ...input.acquirer, batch: { ...input.acquirer.batch, outcomePublicKey: normalizedOutcomePublicKey(input.acquirer.batch.outcomePublicKey) } }
        : input.acquirer;
      const outcomeKeyBefore = before.acquirer.batch.outcomePublicKey;
      core.db.transaction(() => {
        if (input.branch) {
          const profile = readBranchProfile(core.db);
          if (profile) writeBranchProfile(core.db, { ...profile, ...input.branch }, at);
        }
        if (input.authorizationPolicy) writeSetting(core.db, 'authorizationPolicy', input.authorizationPolicy, at);
        if (input.idleLockMinutes !== undefined) writeSetting(core.db, 'idleLockMinutes', input.idleLockMinutes, at);
        if (input.retentionYears !== undefined) writeSetting(core.db, 'retentionYears', input.retentionYears, at);
        if (input.slip) writeSetting(core.db, 'slip', input.slip, at);
        if (input.printer) writeSetting(core.db, 'printer', input.printer, at);
        if (input.slipPrinters) writeSetting(core.db, 'slipPrinters', input.slipPrinters, at);
        if (input.exportDir !== undefined) writeSetting(core.db, 'exportDir', input.exportDir, at);
        if (input.identityCheck !== undefined) writeSetting(core.db, 'identityCheck', input.identityCheck, at);
        if (acquirer) writeSetting(core.db, 'acquirer', acquirer, at);
        if (input.cardReader) writeSetting(core.db, 'cardReader', input.cardReader, at);
        appendAudit(
          core.db,
          { actorId: actor.tellerId, action: 'settings.updated', entity: 'settings', entityId: null, details: { changed: Object.keys(input).sort(), branchBefore: before.branch.code } },
          at,
        );
        if (acquirer && acquirer.batch.outcomePublicKey !== outcomeKeyBefore) {
          // Which key outcome files are trusted by from now on, by its fingerprint (none: the watched folder imports nothing).
          const fingerprint = (pem: string | null) => {
            try {
              return pem ? parseOutcomePublicKey(pem).fingerprint : null;
            } catch {
              return 'unreadable';
            }
          };
          appendAudit(core.db, { actorId: actor.tellerId, action: 'acquirer.outcome_key_set', entity: 'settings', entityId: 'acquirer', details: { before: fingerprint(outcomeKeyBefore), after: fingerprint(acquirer.batch.outcomePublicKey) } }, at);
        }
      })();
      return current();
    },
  };
}
