import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHarness } from '../support/coreHarness';
import { completedRequest } from '../support/notificationHarness';
import { startPreview } from '../support/preview';
import { useTempDirs } from '../support/tempDir';
import { outcomeArrived } from '../../electron/core/notifications/notificationService';

const tempDir = useTempDirs();

describe('the preview with --notify-sim', () => {
  it('starts a local SMS platform and SMTP relay, sends the queued outcomes to them and logs what was sent, masked', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir);
    const bySms = await completedRequest(h, 61, { channel: 'sms' });
    const byMail = await completedRequest(h, 62, { channel: 'email', email: 'zhou.min@example.com' });
    outcomeArrived(h.core.context, { applicationId: bySms.id, outcome: 'unbound', reason: null, businessDate: '2026-11-26' });
    outcomeArrived(h.core.context, { applicationId: byMail.id, outcome: 'unbind_failed', reason: 'merchant_not_found', businessDate: '2026-11-26' });
    h.core.close();

    const preview = await startPreview(dataDir, ['--notify-sim']);
    try {
      const log = join(dataDir, 'notify-sim', 'messages-sent.log');
      await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 20_000, interval: 200 }).toContain('MAIL to');
      await expect.poll(() => readFileSync(log, 'utf8'), { timeout: 20_000, interval: 200 }).toContain('SMS SIM');
      const text = readFileSync(log, 'utf8');
      const phone = bySms.request.mobile.bound;
      expect(text).toContain(`SMS SIM000001 to ${phone.slice(0, 3)}****${phone.slice(7)}`);
      expect(text).toContain('z***@example.com');
      expect(text).toContain(bySms.number);
      expect(text).toContain('收单机构未查到与申请一致的商户或终端');
      for (const secret of [phone, 'zhou.min@example.com', bySms.request.applicant.name, byMail.request.applicant.documentNumber]) expect(text).not.toContain(secret);
    } finally {
      await preview.stop();
    }
    // The message log says both were delivered, once.
    const after = await openHarness(dataDir, { setup: false });
    try {
      const rows = after.core.db.prepare('SELECT channel, status, attempts FROM notification_messages ORDER BY id').all();
      expect(rows).toEqual([
        { channel: 'sms', status: 'sent', attempts: 1 },
        { channel: 'email', status: 'sent', attempts: 1 },
      ]);
    } finally {
      after.core.close();
    }
  });
});
