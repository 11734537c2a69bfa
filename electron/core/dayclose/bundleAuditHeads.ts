import type { KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KnownHead } from '../audit/auditReconciliation';
import { MANIFEST_FILE, parseManifestBytes, verifyManifestSignature } from './manifest';

/**
 * The audit-chain heads signed into day bundles: `path` is a bundle folder, its manifest.json, or a folder of
 * bundles (the export folder). Only manifests signed by this installation's key count; anything else in the
 * folder is passed over. Bundles usually leave the machine, which is what makes their heads worth checking.
 */
export function signedHeadsOfBundles(path: string, publicKey: KeyObject): KnownHead[] {
  if (!existsSync(path)) return [];
  const one = (manifestFile: string, source: string): KnownHead[] => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(manifestFile);
    } catch {
      return [];
    }
    const parsed = parseManifestBytes(bytes);
    if (!parsed.ok) return [];
    const manifest = parsed.manifest;
    if (!verifyManifestSignature(manifest, publicKey).ok) return [];
    return [{ seq: manifest.auditHead.seq, hashPrefix: manifest.auditHead.hash, source: `bundle ${source}` }];
  };
  if (!statSync(path).isDirectory()) return one(path, path);
  if (existsSync(join(path, MANIFEST_FILE))) return one(join(path, MANIFEST_FILE), path);
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => one(join(path, entry.name, MANIFEST_FILE), join(path, entry.name)));
}
