import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json, for `system.info`, the CLI and the slips (Node contexts outside Electron). */
export function readAppVersion(root: string = join(import.meta.dirname, '..', '..')): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
