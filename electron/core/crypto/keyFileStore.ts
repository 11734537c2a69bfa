import { chmodSync, readFileSync, statSync } from 'node:fs';
import { writeFileDurably } from '../files/durableFile';
import { join } from 'node:path';
import type { KeyStore } from './installationKeys';

export const KEY_FILE = 'installation.key';

/**
 * Key file in the data folder, mode 0600: for the preview, the CLI and tests, where no OS keystore exists.
 * The Electron shell uses safeStorage instead (electron/keystore.ts).
 */
export function keyFileStore(dataDir: string): KeyStore {
  const file = join(dataDir, KEY_FILE);
  return {
    protection: 'key file (0600)',
    location: file,
    read: () => {
      try {
        const mode = statSync(file).mode & 0o777;
        if (process.platform !== 'win32' && (mode & 0o077) !== 0) chmodSync(file, 0o600);
        return Promise.resolve(readFileSync(file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(null);
        throw error;
      }
    },
    write: (secret) => {
      writeFileDurably(file, secret);
      return Promise.resolve();
    },
  };
}
