import { acquirerSettingsSchema, authorizationPolicySchema, defaultAuthorizationPolicy, type AcquirerSettings, type AuthorizationPolicy } from '../../shared';
import { cardReaderSettingsSchema, type CardReaderSettings } from './cardReader/readerSettings';
import type { Db } from './db/connection';
import { statement } from './db/statements';
import type { IdentityCheckSettings } from './identity/identityCheckSettings';

/**
 * Branch settings as validated JSON values. Bank policy (DOMAIN.md) ships with the defaults here and is
 * changed by an admin in the settings screen.
 */
export interface Settings {
  authorizationPolicy: AuthorizationPolicy;
  idleLockMinutes: number;
  retentionYears: number;
  slip: { layout: 'a5' | 'roll80'; parts: 'customer' | 'bank' | 'both' };
  printer: { mode: 'dialog' | 'silent'; name: string | null };
  /** The spooler's queue for each paper (CUPS desktops): chosen by an admin from the printers the spooler lists. */
  slipPrinters: { a5: string | null; roll80: string | null };
  exportDir: string | null;
  /** The 联网核查 middleware; null when none is configured (the teller keys the result, a supervisor authorizes). */
  identityCheck: IdentityCheckSettings | null;
  acquirer: AcquirerSettings;
  /** The ID card reader (branch IT): none, a serial port, or the vendor's library. */
  cardReader: CardReaderSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  authorizationPolicy: defaultAuthorizationPolicy,
  idleLockMinutes: 5,
  // Anti-Money-Laundering Law: records are kept at least 10 years.
  retentionYears: 10,
  slip: { layout: 'a5', parts: 'both' },
  // The print dialog unless an admin names the counter's printer for silent printing.
  printer: { mode: 'dialog', name: null },
  slipPrinters: { a5: null, roll80: null },
  exportDir: null,
  identityCheck: null,
  // Nothing leaves the counter until an admin names the acquirer's channel.
  acquirer: {
    channel: 'off',
    https: { url: '', caFile: null, clientCertFile: null, clientKeyFile: null, timeoutSeconds: 30, pollMinutes: 10 },
    batch: { outFolder: null, outcomeFolder: null, outcomePublicKey: null },
    overdueDays: 3,
  },
  cardReader: { kind: 'none' },
};

type Key = keyof Settings;

// Read on every call (idle lock, policy); parsed once and dropped whenever a setting is written — also
// inside a transaction that later rolls back, so the next read sees what the database really holds.
const cache = new WeakMap<Db, Settings>();

export function readSettings(db: Db): Settings {
  const cached = cache.get(db);
  if (cached) return cached;
  const settings = loadSettings(db);
  cache.set(db, settings);
  return settings;
}

function loadSettings(db: Db): Settings {
  const rows = statement(db, 'SELECT key, value_json AS value FROM settings').all() as { key: string; value: string }[];
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  for (const { key, value } of rows) {
    if (!(key in DEFAULT_SETTINGS)) continue;
    const parsed = JSON.parse(value) as unknown;
    if (key === 'authorizationPolicy') {
      // A policy saved before a trigger existed gets that trigger's default.
      const policy = authorizationPolicySchema.safeParse({ ...defaultAuthorizationPolicy, ...(parsed as object) });
      if (policy.success) settings.authorizationPolicy = policy.data;
    } else if (key === 'acquirer') {
      const acquirer = acquirerSettingsSchema.safeParse(parsed);
      if (acquirer.success) settings.acquirer = acquirer.data;
    } else if (key === 'cardReader') {
      // A stored value that no longer validates means no reader, never a half-understood one.
      const reader = cardReaderSettingsSchema.safeParse(parsed);
      if (reader.success) settings.cardReader = reader.data;
    } else {
      (settings as unknown as Record<string, unknown>)[key] = parsed;
    }
  }
  return settings;
}

export function writeSetting<K extends Key>(db: Db, key: K, value: Settings[K], at: Date): void {
  cache.delete(db);
  statement(db,
    `INSERT INTO settings (key, value_json, updated_at) VALUES (@key, @value, @at)
     ON CONFLICT (key) DO UPDATE SET value_json = @value, updated_at = @at`,
  ).run({ key, value: JSON.stringify(value), at: at.toISOString() });
}

/**
 * The printer a slip of this paper goes to: the one set for the paper, else the counter's printer of the
 * print-dialog settings (what an installation had before printers were set per paper), else none.
 */
export function slipPrinterFor(settings: Settings, layout: 'a5' | 'roll80'): string | null {
  return settings.slipPrinters[layout] ?? settings.printer.name;
}
