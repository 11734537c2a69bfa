/**
 * `npm run preview [-- --data-dir DIR] [--port N] [--reader-sim]`: the real core behind the loopback bridge,
 * for a browser. `--reader-sim` plugs a simulated ID card reader in, with its panel at /reader-sim.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openCore } from '../core';
import { InstallationKeyError } from '../core/crypto/keyBinding';
import { startPreviewBridge } from './bridge';
import { readAppVersion } from '../core/appVersion';
import { previewReaderSim } from './readerSim';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: 'preview-data' },
    port: { type: 'string', default: '0' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    'reader-sim': { type: 'boolean', default: false },
  },
});

const readerSim = values['reader-sim'] ? previewReaderSim() : null;

const core = await openCore({
  dataDir: resolve(values['data-dir']),
  appVersion: readAppVersion(),
  ...(readerSim ? { openCardReader: readerSim.open, cardReaderSettings: () => ({ kind: 'serial', path: '/dev/preview-simulated-reader', baudRate: 115200 }) as const } : {}),
}).catch((error: unknown) => {
  // A missing or foreign installation key is branch IT's to mend: its message, without a stack.
  if (!(error instanceof InstallationKeyError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const bridge = await startPreviewBridge({
  router: core.router,
  rendererDir: resolve(values['renderer-dir']),
  port: Number(values.port),
  ...(readerSim ? { extra: readerSim.extra } : {}),
});
process.stdout.write(`UnbindDesk preview (data: ${resolve(values['data-dir'])})\nOpen: ${bridge.url}\n`);
if (readerSim) process.stdout.write(`Card reader panel: ${bridge.origin}/reader-sim#token=${bridge.token}\n`);

const stop = () => {
  void bridge.close().then(() => {
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
