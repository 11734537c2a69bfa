import { safeStorage } from 'electron';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyStore } from './core/crypto/installationKeys';

export const WRAPPED_KEY_FILE = 'installation.key.safe';

/**
 * The installation keys wrapped by the operating system's keystore (DPAPI on Windows, libsecret/kwallet
 * on Linux) through Electron's safeStorage. Linux's `basic_text` backend is a hard-coded password, not
 * protection: refused unless the admin opted in (UNBINDDESK_ALLOW_BASIC_TEXT_KEYSTORE=1).
 */
export async function safeStorageKeyStore(dataDir: string, options: { allowBasicText: boolean }): Promise<KeyStore> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new Error('The operating system keystore is not available.');
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text' && !options.allowBasicText) {
    throw new Error('The only keystore available is basic_text, which does not protect the data key. Install a keyring (gnome-keyring / kwallet) or let the admin opt in.');
  }
  const file = join(dataDir, WRAPPED_KEY_FILE);
  return {
    protection: `safeStorage (${backend})`,
    async read() {
      const wrapped = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (!wrapped) return null;
      const { result } = await safeStorage.decryptStringAsync(wrapped);
      return Buffer.from(result, 'base64');
    },
    async write(secret) {
      const wrapped = await safeStorage.encryptStringAsync(secret.toString('base64'));
      await writeFile(`${file}.tmp`, wrapped, { mode: 0o600, flush: true });
      await rename(`${file}.tmp`, file);
    },
  };
}
