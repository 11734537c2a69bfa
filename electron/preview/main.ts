/**
 * `npm run preview [-- --data-dir DIR] [--port N]`: the real core behind the loopback bridge, for a browser.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { openCore } from '../core';
import { InstallationKeyError } from '../core/crypto/keyBinding';
import { startPreviewBridge } from './bridge';
import { readAppVersion } from '../core/appVersion';
import { startNotificationSims, type NotificationSims } from './notificationSims';
import { notificationSettingsView, updateNotificationSettings } from '../core/notifications/notificationSettings';
import { readBranchProfile } from '../core/system/branchProfile';
import { appendAudit } from '../core/audit/auditLog';
import { cupsSlipPrinter, spoolerAnswers } from '../core/printing/slipPrinter';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: 'preview-data' },
    port: { type: 'string', default: '0' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    // A local SMS platform and SMTP relay that receive the outcome messages (see the README).
    'notify-sim': { type: 'boolean', default: false },
  },
});

// The counter's 打印 is the same code as on the desktops: through CUPS when a spooler answers (CUPS_SERVER names
// another one, e.g. the tests' private cupsd), else the slip is offered as a download.
const printer = process.env.UNBINDDESK_PREVIEW_PRINTING === 'off' || !(await spoolerAnswers()) ? undefined : cupsSlipPrinter();
const core = await openCore({ dataDir: resolve(values['data-dir']), appVersion: readAppVersion(), ...(printer ? { ports: { slipPrinter: printer } } : {}) }).catch((error: unknown) => {
  // A missing or foreign installation key is branch IT's to mend: its message, without a stack.
  if (!(error instanceof InstallationKeyError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const bridge = await startPreviewBridge({
  router: core.router,
  rendererDir: resolve(values['renderer-dir']),
  port: Number(values.port),
});
let sims: NotificationSims | null = null;
if (values['notify-sim']) {
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
process.stdout.write(`UnbindDesk preview (data: ${resolve(values['data-dir'])}; printing: ${printer ? 'CUPS' : 'download'})\nOpen: ${bridge.url}\n`);

const stop = () => {
  void bridge.close().then(async () => {
    await core.notifications.stop();
    await sims?.close();
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
