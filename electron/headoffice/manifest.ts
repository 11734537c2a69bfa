// The manifests head office reads: format /2 (no desk: desk 00 at head office) and /3 (desk and signing key).
import { z } from 'zod';
import { canonicalJson } from '../core/crypto/signing';
import { dayBundleManifestFields } from '../core/dayclose/manifest';

export const FORMAT_V1 = 'unbinddesk.day-bundle/1';
export const FORMAT_V2 = 'unbinddesk.day-bundle/2';
export const FORMAT_V3 = 'unbinddesk.day-bundle/3';

/** A bundle written before desks were numbered speaks for desk 00 of its branch. */
export const DESK_OF_UNNUMBERED = '00';
export const DESK = /^\d{2}$/;
export const BRANCH_CODE = /^[0-9A-Za-z]{1,32}$/;

// Format 2 has neither desk nor signingKey; format 3 has both (as the desk writes them).
const base = dayBundleManifestFields.omit({ desk: true, signingKey: true });
const v2Schema = base.extend({ format: z.literal(FORMAT_V2) });
const v3Schema = base.extend({
  format: z.literal(FORMAT_V3),
  desk: z.string().regex(/^(0[1-9]|[1-9]\d)$/),
  signingKey: z.strictObject({ fingerprint: z.string().min(1).max(200), publicKey: z.string().min(1).max(2000) }),
  // The signing key says it; the old top-level copy may go.
  publicKey: z.string().optional(),
});
const v1Schema = base.extend({ format: z.literal(FORMAT_V1) });
const headOfficeManifestSchema = z.discriminatedUnion('format', [v1Schema, v2Schema, v3Schema]);

export type HeadOfficeManifest = z.infer<typeof headOfficeManifestSchema>;

export type ManifestReading =
  | { ok: true; manifest: HeadOfficeManifest }
  | { ok: false; reason: 'manifest_invalid' | 'manifest_not_canonical' };

/** Byte for byte the canonical JSON that was signed, and a manifest of a known format (strict). */
export function readManifest(bytes: Buffer): ManifestReading {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'manifest_invalid' };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(json);
  } catch {
    return { ok: false, reason: 'manifest_invalid' };
  }
  if (!Buffer.from(canonical, 'utf8').equals(bytes)) return { ok: false, reason: 'manifest_not_canonical' };
  const parsed = headOfficeManifestSchema.safeParse(json);
  return parsed.success ? { ok: true, manifest: parsed.data } : { ok: false, reason: 'manifest_invalid' };
}

export function deskOf(manifest: HeadOfficeManifest): string {
  return manifest.format === FORMAT_V3 ? manifest.desk : DESK_OF_UNNUMBERED;
}

/** `<branch>_<desk>_<YYYYMMDD>_<batch>` (format 3), `<branch>_<YYYYMMDD>_<batch>` before. */
export function expectedFolderName(manifest: HeadOfficeManifest): string {
  const day = manifest.businessDate.replaceAll('-', '');
  return manifest.format === FORMAT_V3 ? `${manifest.branch.code}_${manifest.desk}_${day}_${manifest.batch}` : `${manifest.branch.code}_${day}_${manifest.batch}`;
}

/** A folder named like a bundle (either form): one without a manifest is an interrupted export. */
export const BUNDLE_FOLDER_NAME = /^[0-9A-Za-z]{1,32}_(\d{2}_)?\d{8}_\d{1,9}$/;
