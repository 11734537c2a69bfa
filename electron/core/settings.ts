import { authorizationPolicySchema, defaultAuthorizationPolicy, type AuthorizationPolicy } from '../../shared';
import { cardReaderSettingsSchema, type CardReaderSettings } from './cardReader/readerSettings';
import type { Db } from './db/connection';
import { statement } from './db/statements';

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
  exportDir: string | null;
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
  exportDir: null,
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
      const policy = authorizationPolicySchema.safeParse(parsed);
      if (policy.success) settings.authorizationPolicy = policy.data;
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
