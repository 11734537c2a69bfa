import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that it is either absent or whole under its final name: a temporary name in the same
 * folder, fsync, rename, then fsync the folder so the rename itself survives a power cut.
 */
export function writeFileDurably(file: string, bytes: Buffer): void {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  if (process.platform !== 'win32') {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
