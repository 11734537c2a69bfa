/**
 * `npm run preview [-- --data-dir DIR] [--port N] [--reader-sim] [--acquirer-sim [--acquirer-batch]] [--notify-sim]`: the real core behind
 * the loopback bridge, for a browser. `--reader-sim` plugs a simulated ID card reader in, with its panel at /reader-sim.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openCore } from '../core';
import type { Core } from '../core';
import { InstallationKeyError } from '../core/crypto/keyBinding';
import { startPreviewBridge } from './bridge';
import { readAppVersion } from '../core/appVersion';
import { previewReaderSim } from './readerSim';
import { startNotificationSims, type NotificationSims } from './notificationSims';
import { notificationSettingsView, updateNotificationSettings } from '../core/notifications/notificationSettings';
import { readBranchProfile } from '../core/system/branchProfile';
import { appendAudit } from '../core/audit/auditLog';
import { cupsSlipPrinter, spoolerAnswers } from '../core/printing/slipPrinter';
import { readSettings, writeSetting } from '../core/settings';
import { AcquirerSim, BatchAcquirerSim, makeOutcomeSigningKey, makePki, previewDecision } from './acquirerSim';
import { normalizedOutcomePublicKey } from '../core/acquirer/outcomeSignature';

/**
 * `--acquirer-sim`: a local acquirer over HTTPS (its own throwaway CA, in the data folder) that the settings
 * point to, so a request goes from the counter to 已解绑 with nothing else installed. Its outcome files are signed
 * with a throwaway Ed25519 key whose public half is configured as the acquirer's key (the private half is kept in
 * `<data-dir>/acquirer-sim/outcome-signing-key.pem`, to sign a file by hand); with `--acquirer-batch` the channel is
 * the batch folders instead (`<data-dir>/acquirer-sim/handoff` and `outcomes`), answered by signed outcome files.
 */
async function startAcquirerSim(core: Core, batch: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  const folder = join(core.context.dataDir, 'acquirer-sim');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const outcomeKey = makeOutcomeSigningKey('ed25519');
  writeFileSync(join(folder, 'outcome-signing-key.pem'), outcomeKey.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const outFolder = join(folder, 'handoff');
  const outcomeFolder = join(folder, 'outcomes');
  mkdirSync(outcomeFolder, { recursive: true, mode: 0o700 });
  const current = readSettings(core.db).acquirer;
  const batchSettings = { outFolder, outcomeFolder, outcomePublicKey: normalizedOutcomePublicKey(outcomeKey.publicKeyPem) };
  if (batch) {
    const sim = new BatchAcquirerSim({ outFolder, outcomeFolder, signingKey: outcomeKey.privateKey, decideAfterMs: 5_000, decide: previewDecision }).start();
    writeSetting(core.db, 'acquirer', { ...current, channel: 'batch', batch: batchSettings }, new Date());
    return { url: `${outFolder} → ${outcomeFolder}`, stop: () => Promise.resolve(sim.stop()) };
  }
  const pki = await makePki();
  const sim = await new AcquirerSim({ pki, publicKey: core.context.keys.publicKey, decideAfterMs: 5_000, decide: previewDecision }).start();
  const caFile = join(folder, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
  writeSetting(core.db, 'acquirer', { ...current, channel: 'https', https: { ...current.https, url: sim.url, caFile, clientCertFile: null, clientKeyFile: null }, batch: batchSettings }, new Date());
  return { url: sim.url, stop: () => sim.stop() };
}

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: 'preview-data' },
    port: { type: 'string', default: '0' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    // A local acquirer that takes completed requests and decides them; implies --notify-sim (see the README).
    'acquirer-sim': { type: 'boolean', default: false },
    // With --acquirer-sim: the batch channel (hand-off folders and signed outcome files) instead of HTTPS.
    'acquirer-batch': { type: 'boolean', default: false },
    // A local SMS platform and SMTP relay that receive the outcome messages (see the README).
    'notify-sim': { type: 'boolean', default: false },
    'reader-sim': { type: 'boolean', default: false },
  },
});

const readerSim = values['reader-sim'] ? previewReaderSim() : null;

const simulate = values['acquirer-sim'];
// The counter's 打印 is the same code as on the desktops: through CUPS when a spooler answers (CUPS_SERVER names
// another one, e.g. the tests' private cupsd), else the slip is offered as a download.
const printer = process.env.UNBINDDESK_PREVIEW_PRINTING === 'off' || !(await spoolerAnswers()) ? undefined : cupsSlipPrinter();
// With the simulated acquirer, outcomes are asked for every 2 s (the settings allow 1 minute at least) and a settings change is seen within 1 s.
const core = await openCore({
  dataDir: resolve(values['data-dir']),
  appVersion: readAppVersion(),
  ...(printer ? { ports: { slipPrinter: printer } } : {}),
  acquirer: simulate ? { pollIntervalMs: 2_000, checkMs: 1_000, idleMs: 250, batchEveryMs: 2_000 } : true,
  ...(readerSim ? { openCardReader: readerSim.open, cardReaderSettings: () => ({ kind: 'serial', path: '/dev/preview-simulated-reader', baudRate: 115200 }) as const } : {}),
}).catch((error: unknown) => {
  // A missing or foreign installation key is branch IT's to mend: its message, without a stack.
  if (!(error instanceof InstallationKeyError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const acquirerSim = simulate ? await startAcquirerSim(core, values['acquirer-batch']) : null;
const bridge = await startPreviewBridge({
  router: core.router,
  rendererDir: resolve(values['renderer-dir']),
  port: Number(values.port),
  ...(readerSim ? { extra: readerSim.extra } : {}),
});
let sims: NotificationSims | null = null;
if (values['notify-sim'] || simulate) {
  const dir = resolve(values['data-dir'], 'notify-sim');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  sims = await startNotificationSims(
    dir,
    (settings) => {
      const hotline = notificationSettingsView(core.db).hotline ?? '95588';
      const at = core.context.clock.now();
      core.db.transaction(() => {
        const changed = updateNotificationSettings(core.db, core.context.keys, { hotline, ...settings }, at);
        appendAudit(core.db, { actorId: null, action: 'notifications.settings_updated', entity: 'settings', entityId: 'notifications', details: { changed, by: 'preview --notify-sim' } }, at);
      })();
    },
    readBranchProfile(core.db)?.bankName || '示例银行',
  );
  process.stdout.write(`Notification sims: SMS ${sims.sms.url}, SMTP ${sims.smtp.host}:${sims.smtp.port}; messages sent (masked): ${sims.logFile}\n`);
}
core.notifications.start(2_000);
if (acquirerSim) process.stdout.write(`Acquirer simulator: ${acquirerSim.url} (decides 5 s after taking a request; about one in four fails; outcome files signed, key in acquirer-sim/outcome-signing-key.pem)\n`);
process.stdout.write(`UnbindDesk preview (data: ${resolve(values['data-dir'])}; printing: ${printer ? 'CUPS' : 'download'})\nOpen: ${bridge.url}\n`);
if (readerSim) process.stdout.write(`Card reader panel: ${bridge.origin}/reader-sim#token=${bridge.token}\n`);

const stop = () => {
  void Promise.all([bridge.close(), acquirerSim?.stop()]).then(async () => {
    await core.shutdown();
    await sims?.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
