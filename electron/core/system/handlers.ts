import type { Handlers } from '../rpc/router';
import type { CoreContext } from '../context';
import { readBranchProfile } from './branchProfile';
import { schemaVersion } from '../db/migrations';

export function systemHandlers(core: CoreContext): Pick<Handlers, 'system.ping' | 'system.info'> {
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
        branch: branch ? { code: branch.code, name: branch.name } : null,
        setupDone: branch !== null,
      };
    },
  };
}
