// The bundle checks of one consolidate run, on a thread of their own (reading, hashing, parsing and counting
// applications.csv is most of a bundle's work in Node): the next bundles are checked on another core while the
// database loads this one. The registry comes first, once, as the run read it under the writers' lock.
import { parentPort } from 'node:worker_threads';
import { checkBundle, type BundleCheck } from './bundleCheck';
import type { RegisteredKey } from './keyRegistry';

export type CheckRequest = { keys: RegisteredKey[] } | { id: number; folder: string };

export type CheckReply =
  | { id: number; check: BundleCheck }
  /** A thrown error, as much of it as the main thread needs (a system error names its syscall and code). */
  | { id: number; error: { message: string; syscall?: string; code?: string } };

const registry = new Map<string, RegisteredKey[]>();
const keysOf = (branch: string, desk: string) => Promise.resolve(registry.get(`${branch}/${desk}`) ?? []);

parentPort?.on('message', (request: CheckRequest) => {
  if ('keys' in request) {
    for (const key of request.keys) {
      const id = `${key.branchCode}/${key.desk}`;
      registry.set(id, [...(registry.get(id) ?? []), key]);
    }
    return;
  }
  checkBundle(request.folder, keysOf).then(
    (check) => parentPort?.postMessage({ id: request.id, check } satisfies CheckReply),
    (error: unknown) => {
      const failed = error as NodeJS.ErrnoException;
      parentPort?.postMessage({ id: request.id, error: { message: String(failed?.message ?? error), syscall: failed?.syscall, code: failed?.code } } satisfies CheckReply);
    },
  );
});
