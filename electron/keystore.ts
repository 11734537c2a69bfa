import { safeStorage } from 'electron';
import type { KeyStore } from './core/crypto/installationKeys';
import { wrappedKeyStore } from './core/crypto/wrappedKeyStore';

/** The installation keys wrapped by Electron's safeStorage; the logic (and its tests) is in the core. */
export function safeStorageKeyStore(dataDir: string, options: { allowBasicText: boolean }): Promise<KeyStore> {
  return wrappedKeyStore(dataDir, safeStorage, options);
}
