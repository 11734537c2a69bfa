import { z } from 'zod';
import type { NotificationSettingsUpdate, NotificationSettingsView } from '../../../shared';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import type { InstallationKeys } from '../crypto/installationKeys';
import { decryptField, encryptField, fieldContext } from '../crypto/fieldCipher';

/**
 * The notification settings (admin): the bank's SMTP relay and SMS platform, the hotline printed in every
 * message, the retry and call limits. Kept as one JSON value under the key `notifications` of the settings
 * table. The SMTP password and the SMS token are sealed with the installation's data key (AES-256-GCM bound
 * to the setting's name), like personal data: the database file alone does not give them away.
 */
const stored = z.object({
  hotline: z.string().nullable(),
  email: z
    .object({ host: z.string(), port: z.number().int(), user: z.string(), from: z.string(), fromName: z.string(), caPem: z.string().nullable(), passwordSealed: z.string().nullable() })
    .nullable(),
  sms: z.object({ url: z.string(), signName: z.string(), caPem: z.string().nullable(), tokenSealed: z.string().nullable() }).nullable(),
  retry: z.object({ maxAttempts: z.number().int(), baseSeconds: z.number().int(), capSeconds: z.number().int() }),
  calls: z.object({ maxAttempts: z.number().int() }),
});
type Stored = z.infer<typeof stored>;

export const DEFAULT_NOTIFICATION_SETTINGS: Stored = {
  hotline: null,
  email: null,
  sms: null,
  // 30 s, 60 s, 2 min, 4 min, then a teller calls: about 8 minutes of trying.
  retry: { maxAttempts: 5, baseSeconds: 30, capSeconds: 3600 },
  calls: { maxAttempts: 3 },
};

const KEY = 'notifications';
const PASSWORD_CONTEXT = fieldContext('settings', 'notifications.email.password', 1);
const TOKEN_CONTEXT = fieldContext('settings', 'notifications.sms.token', 1);

function readStored(db: Db): Stored {
  const row = statement(db, 'SELECT value_json AS value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return structuredClone(DEFAULT_NOTIFICATION_SETTINGS);
  const parsed = stored.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : structuredClone(DEFAULT_NOTIFICATION_SETTINGS);
}

export function notificationSettingsView(db: Db): NotificationSettingsView {
  const s = readStored(db);
  return {
    hotline: s.hotline,
    email: s.email ? { host: s.email.host, port: s.email.port, user: s.email.user, from: s.email.from, fromName: s.email.fromName, caPem: s.email.caPem, passwordSet: s.email.passwordSealed !== null } : null,
    sms: s.sms ? { url: s.sms.url, signName: s.sms.signName, caPem: s.sms.caPem, tokenSet: s.sms.tokenSealed !== null } : null,
    retry: s.retry,
    calls: s.calls,
  };
}

export function updateNotificationSettings(db: Db, keys: InstallationKeys, update: NotificationSettingsUpdate, at: Date): string[] {
  const s = readStored(db);
  const changed: string[] = [];
  if (update.hotline !== undefined) {
    s.hotline = update.hotline;
    changed.push('hotline');
  }
  if (update.email !== undefined) {
    if (update.email === null) s.email = null;
    else {
      const { password, ...rest } = update.email;
      const passwordSealed = password !== undefined ? encryptField(keys.dataKey, password, PASSWORD_CONTEXT).toString('base64') : (s.email?.passwordSealed ?? null);
      s.email = { ...rest, passwordSealed };
      if (password !== undefined) changed.push('email.password');
    }
    changed.push('email');
  }
  if (update.sms !== undefined) {
    if (update.sms === null) s.sms = null;
    else {
      const { token, ...rest } = update.sms;
      const tokenSealed = token !== undefined ? encryptField(keys.dataKey, token, TOKEN_CONTEXT).toString('base64') : (s.sms?.tokenSealed ?? null);
      s.sms = { ...rest, tokenSealed };
      if (token !== undefined) changed.push('sms.token');
    }
    changed.push('sms');
  }
  if (update.retry) {
    s.retry = update.retry;
    changed.push('retry');
  }
  if (update.calls) {
    s.calls = update.calls;
    changed.push('calls');
  }
  statement(db,
    `INSERT INTO settings (key, value_json, updated_at) VALUES (@key, @value, @at)
     ON CONFLICT (key) DO UPDATE SET value_json = @value, updated_at = @at`,
  ).run({ key: KEY, value: JSON.stringify(s), at: at.toISOString() });
  return changed;
}

/** What the worker needs to send: the settings with the secrets opened. Never returned over RPC. */
export interface OpenedNotificationSettings {
  hotline: string | null;
  email: (Omit<NonNullable<Stored['email']>, 'passwordSealed'> & { password: string }) | null;
  sms: (Omit<NonNullable<Stored['sms']>, 'tokenSealed'> & { token: string }) | null;
  retry: Stored['retry'];
  calls: Stored['calls'];
}

export function openNotificationSettings(db: Db, keys: InstallationKeys): OpenedNotificationSettings {
  const s = readStored(db);
  const open = (sealed: string, context: string) => decryptField(keys.dataKey, Buffer.from(sealed, 'base64'), context).toString('utf8');
  return {
    hotline: s.hotline,
    email: s.email && s.email.passwordSealed ? { host: s.email.host, port: s.email.port, user: s.email.user, from: s.email.from, fromName: s.email.fromName, caPem: s.email.caPem, password: open(s.email.passwordSealed, PASSWORD_CONTEXT) } : null,
    sms: s.sms && s.sms.tokenSealed ? { url: s.sms.url, signName: s.sms.signName, caPem: s.sms.caPem, token: open(s.sms.tokenSealed, TOKEN_CONTEXT) } : null,
    retry: s.retry,
    calls: s.calls,
  };
}
