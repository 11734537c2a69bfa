import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../files/durableFile';
import type { KeyStore } from './installationKeys';

export const WRAPPED_KEY_FILE = 'installation.key.safe';

/**
 * What the key store needs of the operating system's keystore. Electron's `safeStorage` fits it as it is
 * (electron/keystore.ts passes it in); the core never imports Electron, and the tests can give their own.
 */
export interface OsKeystore {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  /** Linux only: which backend wraps the secret. */
  getSelectedStorageBackend(): string;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
}

/**
 * The installation keys wrapped by the operating system's keystore (DPAPI on Windows, libsecret or kwallet
 * on Linux). Linux's `basic_text` backend wraps with a password written in Chromium's source, which protects
 * nothing: refused unless the admin opted in. When the OS keystore says its key changed, the secret is
 * wrapped again at once.
 */
export async function wrappedKeyStore(
  dataDir: string,
  keystore: OsKeystore,
  options: { allowBasicText: boolean; platform?: NodeJS.Platform },
): Promise<KeyStore> {
  if (!(await keystore.isAsyncEncryptionAvailable())) {
    throw new Error('操作系统密钥库不可用，无法保护安装密钥。\nThe operating system keystore is not available to protect the installation key.');
  }
  const backend = (options.platform ?? process.platform) === 'linux' ? keystore.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text' && !options.allowBasicText) {
    throw new Error(
      '唯一可用的密钥库是 basic_text，它不能保护数据密钥。请安装密钥环（gnome-keyring 或 kwallet），或由管理员明确允许' +
        '（UNBINDDESK_ALLOW_BASIC_TEXT_KEYSTORE=1）。\n' +
        'The only keystore available is basic_text, which does not protect the data key. Install a keyring ' +
        '(gnome-keyring or kwallet), or let the admin opt in (UNBINDDESK_ALLOW_BASIC_TEXT_KEYSTORE=1).',
    );
  }
  const file = join(dataDir, WRAPPED_KEY_FILE);
  const write = async (secret: Buffer) => writeFileDurably(file, await keystore.encryptStringAsync(secret.toString('base64')));
  return {
    protection: `safeStorage (${backend})`,
    location: file,
    async read() {
      const wrapped = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (!wrapped) return null;
      const { result, shouldReEncrypt } = await keystore.decryptStringAsync(wrapped);
      const secret = Buffer.from(result, 'base64');
      if (shouldReEncrypt) await write(secret);
      return secret;
    },
    write,
  };
}
