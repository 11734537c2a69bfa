// manifest.json: what a day bundle holds, signed by the installation so head office can tell a bundle
// that left the branch from one edited afterwards.
import type { KeyObject } from 'node:crypto';
import { createHash, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, publicKeyPem, signCanonical, verifyCanonical } from '../crypto/signing';
import { DESK_NUMBER } from '../../../shared';
import { MANIFEST_FORMAT_V1 } from './bundleFormatV1';
import type { DayExportMeta, DayTotals } from './exportModel';

// 2: the columns are the screens' words, absent values '—', a 主管授权 (decision) column, pendingAuthorizations.
// 3: as 2, plus the desk (counter) number and the signing key (fingerprint and public key) beside the audit head;
//    the folder is <branch>_<desk>_<YYYYMMDD>_<batch>. An installation without a desk yet still writes 2.
export const MANIFEST_FORMAT = 'unbinddesk.day-bundle/3';
export const MANIFEST_FORMAT_V2 = 'unbinddesk.day-bundle/2';
export const MANIFEST_FILE = 'manifest.json';

/** The files of a bundle. manifest.json is written last and lists the others. */
export const BUNDLE_FILES = {
  applicationsCsv: 'applications.csv',
  applicationsXlsx: 'applications.xlsx',
  report: 'report.pdf',
  /**
   * The acquirer's outcomes received on the day (issue 15): in every bundle written since, header only on a day none
   * arrived. Not required of a bundle (older ones do not have it); when listed, its size and SHA-256 are checked.
   */
  outcomesCsv: 'outcomes.csv',
  /** Only with a supervisor's authorization (DOMAIN.md, "Personal information"). */
  fullData: 'full-data.csv',
} as const;

/** File names a bundle may list: plain names inside the bundle folder, never a path. */
export const BUNDLE_FILE_NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

const fileEntrySchema = z.strictObject({
  name: z.string().regex(BUNDLE_FILE_NAME),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: count,
  /** "full" marks the supervisor-authorized unmasked file, so it is handled as C2 data. */
  personalData: z.enum(['masked', 'full']),
});

// Strict throughout: the signature covers what the file says, so a field the schema does not know is
// refused rather than silently passed along unsigned.
/** The manifest's fields, before the rule that ties desk and signingKey to format 3 (head office builds on it). */
export const dayBundleManifestFields = z.strictObject({
  // Format 1 bundles (written before) still verify, with their own columns (bundleFormatV1.ts); format 2 is
  // format 3 without desk and signingKey.
  format: z.enum([MANIFEST_FORMAT, MANIFEST_FORMAT_V2, MANIFEST_FORMAT_V1]),
  bankName: z.string(),
  branch: z.strictObject({ code: z.string(), name: z.string() }),
  /** Format 3: the desk (counter) number within the branch, "01"–"99". */
  desk: z.string().regex(DESK_NUMBER).optional(),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  batch: z.number().int().positive(),
  generatedAt: z.string(),
  generatedAtLocal: z.string(),
  operatorNo: z.string(),
  counts: z.strictObject({
    total: count,
    byStatus: counts,
    byDocumentType: counts,
    byTeller: counts,
    authorizations: count,
    /** From format 2 on (format 1 counted every authorization reason as an authorization). */
    pendingAuthorizations: count.optional(),
    reprints: count,
    onlineCheckExceptions: count,
    manualEntries: count,
  }),
  files: z.array(fileEntrySchema),
  auditHead: z.strictObject({ seq: count, hash: z.string(), signature: z.string() }),
  /**
   * Format 3: the installation key that signed the manifest and the audit head. `fingerprint`: SHA-256, lower-case
   * hex, of the raw 32-byte Ed25519 public key; `publicKey`: standard base64 (with padding) of its SPKI DER,
   * i.e. the PEM that `public-key` prints without its BEGIN/END lines. Head office looks the fingerprint up in
   * its registry of desks; the signature is checked with the registered key, never with this one alone.
   */
  signingKey: z.strictObject({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/), publicKey: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/) }).optional(),
  /** For convenience only: whoever verifies should hold the installation's key and use it instead. */
  publicKey: z.string(),
  /** Ed25519, base64url, over the RFC 8785 canonical JSON of the manifest without this field. */
  signature: z.string(),
});

export const dayBundleManifestSchema = dayBundleManifestFields.refine((manifest) => (manifest.format === MANIFEST_FORMAT) === (manifest.desk !== undefined) && (manifest.format === MANIFEST_FORMAT) === (manifest.signingKey !== undefined));

export type DayBundleManifest = z.infer<typeof dayBundleManifestSchema>;
export type BundleFileEntry = DayBundleManifest['files'][number];
export type UnsignedManifest = Omit<DayBundleManifest, 'signature'>;

export function buildManifest(meta: DayExportMeta, totals: DayTotals, files: readonly BundleFileEntry[], signingKey: KeyObject): UnsignedManifest {
  return {
    format: meta.desk === null ? MANIFEST_FORMAT_V2 : MANIFEST_FORMAT,
    bankName: meta.bankName,
    branch: { code: meta.branchCode, name: meta.branchName },
    ...(meta.desk === null ? {} : { desk: meta.desk, signingKey: signingKeyOf(signingKey) }),
    businessDate: meta.businessDate,
    batch: meta.batch,
    generatedAt: meta.generatedAt,
    generatedAtLocal: meta.generatedAtLocal,
    operatorNo: meta.operatorNo,
    counts: totals,
    files: files.map((file) => ({ ...file })),
    auditHead: { ...meta.auditHead },
    publicKey: publicKeyPem(signingKey),
  };
}

/** SHA-256 (hex) of the raw 32-byte Ed25519 public key: the key's name in a manifest and in head office's registry. */
export function rawKeyFingerprint(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex');
}

function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new RangeError('manifest.signing_key: not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The manifest's signingKey: fingerprint of the raw key, and the SPKI DER in base64 (the PEM's body). */
export function signingKeyOf(key: KeyObject): { fingerprint: string; publicKey: string } {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return { fingerprint: rawKeyFingerprint(publicKey), publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
}

/**
 * A format-3 manifest's signingKey says the same key as its publicKey, and its fingerprint is that key's:
 * an intake that files bundles by fingerprint must not be sent to another desk's key.
 */
export function signingKeyConsistent(manifest: DayBundleManifest): boolean {
  if (!manifest.signingKey) return true;
  try {
    const stated = createPublicKey({ key: Buffer.from(manifest.signingKey.publicKey, 'base64'), format: 'der', type: 'spki' });
    const embedded = createPublicKey(manifest.publicKey);
    return stated.asymmetricKeyType === 'ed25519' && stated.equals(embedded) && rawKeyFingerprint(stated) === manifest.signingKey.fingerprint;
  } catch {
    return false;
  }
}

export function signManifest(unsigned: UnsignedManifest, signingKey: KeyObject): DayBundleManifest {
  return { ...unsigned, signature: signCanonical(signingKey, unsigned) };
}

/**
 * The bytes written to manifest.json: exactly the RFC 8785 canonical JSON of the manifest (signature
 * included), so the file is the form that was signed and anyone can check that with any JCS library.
 * (`jq . manifest.json` shows it indented.)
 */
export function manifestBytes(manifest: DayBundleManifest): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

export type ManifestParse = { ok: true; manifest: DayBundleManifest } | { ok: false; reason: 'invalid' | 'not_canonical' };

/**
 * Reads manifest.json. The file must be byte for byte the canonical form of what it says: a duplicated key
 * (JSON.parse keeps the last, another reader the first), reordered keys, extra spaces or another escape of
 * the same text are refused, so the bytes head office stores are the bytes that were signed.
 */
export function parseManifestBytes(bytes: Buffer): ManifestParse {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(json);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!Buffer.from(canonical, 'utf8').equals(bytes)) return { ok: false, reason: 'not_canonical' };
  const parsed = dayBundleManifestSchema.safeParse(json);
  return parsed.success ? { ok: true, manifest: parsed.data } : { ok: false, reason: 'invalid' };
}

/**
 * The folder a bundle is written to, and must stay in: `<branch>_<desk>_<YYYYMMDD>_<batch>`; without a desk
 * (format 1 and 2, and an installation that has none yet) `<branch>_<YYYYMMDD>_<batch>`.
 */
export function bundleFolderName(branchCode: string, desk: string | null, businessDate: string, batch: number): string {
  return `${branchCode}_${desk === null ? '' : `${desk}_`}${businessDate.replaceAll('-', '')}_${batch}`;
}

/**
 * 'installation' when the caller supplied the key (proves the bundle came from that counter);
 * 'embedded' when only the manifest's own key was at hand (proves the bundle is intact as signed,
 * not who signed it: anyone can re-sign an edited bundle with a key of their own).
 */
export type ManifestKeySource = 'installation' | 'embedded';

export type ManifestSignatureCheck = { ok: true; key: ManifestKeySource } | { ok: false; key: ManifestKeySource };

export function verifyManifestSignature(manifest: DayBundleManifest, installationKey?: KeyObject): ManifestSignatureCheck {
  const { signature, ...unsigned } = manifest;
  const source: ManifestKeySource = installationKey ? 'installation' : 'embedded';
  let key: KeyObject;
  try {
    key = installationKey ?? createPublicKey(manifest.publicKey);
  } catch {
    return { ok: false, key: source };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { ok: false, key: source };
  return { ok: verifyCanonical(key, unsigned, signature), key: source };
}
