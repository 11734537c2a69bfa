/**
 * `npm run preview [-- --data-dir DIR] [--port N]`: the real core behind the loopback bridge, for a browser.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openCore } from '../core';
import { InstallationKeyError } from '../core/crypto/keyBinding';
import { startPreviewBridge } from './bridge';
import { readAppVersion } from '../core/appVersion';
import type { Core } from '../core';
import { readSettings, writeSetting } from '../core/settings';
import { AcquirerSim, makePki, previewDecision } from './acquirerSim';

/**
 * `--acquirer-sim`: a local acquirer over HTTPS (its own throwaway CA, in the data folder) that the settings
 * point to, so a request goes from the counter to 已解绑 with nothing else installed.
 */
async function startAcquirerSim(core: Core): Promise<AcquirerSim> {
  const pki = await makePki();
  const sim = await new AcquirerSim({ pki, publicKey: core.context.keys.publicKey, decideAfterMs: 5_000, decide: previewDecision }).start();
  const folder = join(core.context.dataDir, 'acquirer-sim');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const caFile = join(folder, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
  const current = readSettings(core.db).acquirer;
  writeSetting(core.db, 'acquirer', { ...current, channel: 'https', https: { ...current.https, url: sim.url, caFile, clientCertFile: null, clientKeyFile: null } }, new Date());
  return sim;
}

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: 'preview-data' },
    port: { type: 'string', default: '0' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    'acquirer-sim': { type: 'boolean', default: false },
  },
});

const simulate = values['acquirer-sim'];
// With the simulated acquirer, outcomes are asked for every 2 s (the settings allow 1 minute at least) and a settings change is seen within 1 s.
const core = await openCore({ dataDir: resolve(values['data-dir']), appVersion: readAppVersion(), acquirer: simulate ? { pollIntervalMs: 2_000, checkMs: 1_000, idleMs: 250 } : true }).catch((error: unknown) => {
  // A missing or foreign installation key is branch IT's to mend: its message, without a stack.
  if (!(error instanceof InstallationKeyError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const acquirerSim = simulate ? await startAcquirerSim(core) : null;
const bridge = await startPreviewBridge({
  router: core.router,
  rendererDir: resolve(values['renderer-dir']),
  port: Number(values.port),
});
if (acquirerSim) process.stdout.write(`Acquirer simulator: ${acquirerSim.url} (decides 5 s after taking a request; about one in four fails)\n`);
process.stdout.write(`UnbindDesk preview (data: ${resolve(values['data-dir'])})\nOpen: ${bridge.url}\n`);

const stop = () => {
  void Promise.all([bridge.close(), acquirerSim?.stop()]).then(() => {
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
