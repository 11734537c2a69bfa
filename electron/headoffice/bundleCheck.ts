// Checks a day bundle as head office takes it in: the manifest signed by the registered, unrevoked key of its
// desk valid on its business day; every listed file whole; the counts those of applications.csv's rows. The
// bytes checked are the bytes returned (and loaded): nothing is read twice.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { verifyCanonical } from '../core/crypto/signing';
import { countsMatchRecords, layoutOf } from '../core/dayclose/bundleVerification';
import { parseCsv } from '../core/dayclose/csvCells';
import { BUNDLE_FILES, MANIFEST_FILE, rawKeyFingerprint } from '../core/dayclose/manifest';
import { keyFingerprint, type RegisteredKey } from './keyRegistry';
import { BRANCH_CODE, deskOf, expectedFolderName, FORMAT_V1, FORMAT_V3, readManifest, type HeadOfficeManifest } from './manifest';

export type QuarantineReason =
  | 'manifest_missing'
  | 'manifest_invalid'
  | 'manifest_not_canonical'
  | 'format_unsupported'
  | 'folder_name_mismatch'
  | 'desk_unregistered'
  | 'signature_invalid'
  | 'key_revoked'
  | 'key_not_yet_valid'
  | 'signing_key_mismatch'
  | 'file_missing'
  | 'file_not_listed'
  | 'file_duplicated'
  | 'file_not_regular'
  | 'file_size_mismatch'
  | 'file_hash_mismatch'
  | 'personal_data_mislabelled'
  | 'unexpected_file'
  | 'applications_unreadable'
  | 'counts_mismatch'
  | 'batch_conflict'
  | 'rows_mismatch'
  | 'application_number_foreign'
  | 'load_failed'
  | 'folder_unreadable';

/** What each reason means, for the printed line and the quarantine log (never a personal value). */
export const QUARANTINE_REASONS: Readonly<Record<QuarantineReason, string>> = {
  manifest_missing: 'no manifest.json: an interrupted export, or not a bundle',
  manifest_invalid: 'manifest.json is not a day-bundle manifest (not JSON, or a field missing, unknown or malformed)',
  manifest_not_canonical: 'manifest.json is not byte for byte the canonical JSON that was signed',
  format_unsupported: 'a format-1 bundle (before 2026 format 2): verify it with verify-bundle; head office loads formats 2 and 3',
  folder_name_mismatch: "the folder's name is not the one its manifest gives (branch_[desk_]date_batch)",
  desk_unregistered: 'no key is registered for this branch and desk (register-desk)',
  signature_invalid: "the signature does not verify with any key registered for the desk: another installation's key, or the manifest changed after signing",
  key_revoked: 'signed with a key of the desk that head office has revoked',
  key_not_yet_valid: "signed with the desk's key, but the business day is before the key's valid-from date",
  signing_key_mismatch: 'the manifest names a signing key other than the one its signature verifies with',
  file_missing: 'a file the manifest lists is missing',
  file_not_listed: 'the manifest does not list a file every bundle has',
  file_duplicated: 'the manifest lists a file twice',
  file_not_regular: 'a listed file is a link or a folder',
  file_size_mismatch: "a file's size differs from the manifest: changed after the export",
  file_hash_mismatch: "a file's SHA-256 differs from the manifest: changed after the export",
  personal_data_mislabelled: 'the manifest labels a file wrongly as masked or full data',
  unexpected_file: 'the folder holds a file the manifest does not list',
  applications_unreadable: 'applications.csv is not the day table the desk writes',
  counts_mismatch: "the manifest's counts do not add up from applications.csv",
  batch_conflict: 'another bundle of the same branch, desk, day and batch, with a different manifest, is already loaded',
  rows_mismatch: 'the database read another number of rows from applications.csv than the manifest counts',
  application_number_foreign: "applications.csv holds an application number of another branch or desk",
  load_failed: 'the database refused a row (a cell not of its type)',
  folder_unreadable: 'the folder or one of its files cannot be read by this account',
};

export interface VerifiedBundle {
  folder: string;
  manifest: HeadOfficeManifest;
  desk: string;
  manifestSha256: string;
  keyFingerprint: string;
  /** The exact bytes whose hash was checked: what is loaded. */
  applicationsCsv: Buffer;
  /** The column codes of applications.csv, in its order, as its header says. */
  columns: readonly string[];
}

export type BundleCheck =
  | { ok: true; bundle: VerifiedBundle }
  | { ok: false; reason: QuarantineReason; detail: string; manifest?: HeadOfficeManifest; desk?: string; manifestSha256?: string };

const REQUIRED: readonly string[] = [BUNDLE_FILES.applicationsCsv, BUNDLE_FILES.applicationsXlsx, BUNDLE_FILES.report];

function sameKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

export async function checkBundle(folder: string, keysOf: (branch: string, desk: string) => Promise<RegisteredKey[]>): Promise<BundleCheck> {
  let manifestBytes: Buffer;
  try {
    if (!(await lstat(join(folder, MANIFEST_FILE))).isFile()) return { ok: false, reason: 'manifest_missing', detail: 'manifest.json is not a plain file' };
    manifestBytes = await readFile(join(folder, MANIFEST_FILE));
  } catch {
    return { ok: false, reason: 'manifest_missing', detail: QUARANTINE_REASONS.manifest_missing };
  }
  const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
  const reading = readManifest(manifestBytes);
  if (!reading.ok) return { ok: false, reason: reading.reason, detail: QUARANTINE_REASONS[reading.reason], manifestSha256 };
  const { manifest } = reading;
  // The branch code names folders and prefixes application numbers: letters and digits only, as the desk writes it.
  if (!BRANCH_CODE.test(manifest.branch.code)) return { ok: false, reason: 'manifest_invalid', detail: `${QUARANTINE_REASONS.manifest_invalid}: the branch code is not letters and digits`, manifestSha256 };
  const desk = deskOf(manifest);
  const fail = (reason: QuarantineReason, detail: string = QUARANTINE_REASONS[reason]): BundleCheck => ({ ok: false, reason, detail, manifest, desk, manifestSha256 });
  if (manifest.format === FORMAT_V1) return fail('format_unsupported');
  const expected = expectedFolderName(manifest);
  if (basename(folder) !== expected) return fail('folder_name_mismatch', `the folder is named ${basename(folder)}, its manifest is for ${expected}`);

  const keys = await keysOf(manifest.branch.code, desk);
  if (keys.length === 0) return fail('desk_unregistered', `no key is registered for branch ${manifest.branch.code} desk ${desk} (register-desk)`);
  const { signature, ...unsigned } = manifest;
  const signer = keys.find((registered) => verifyCanonical(registered.key, unsigned, signature));
  if (!signer) return fail('signature_invalid');
  if (signer.revokedAt) return fail('key_revoked', `signed with key ${signer.fingerprint.slice(0, 16)}…, revoked ${signer.revokedAt.toISOString()}`);
  if (signer.validFrom > manifest.businessDate) return fail('key_not_yet_valid', `signed with key ${signer.fingerprint.slice(0, 16)}…, valid from ${signer.validFrom}, for business day ${manifest.businessDate}`);
  if (manifest.format === FORMAT_V3) {
    // The desk writes the SPKI DER in base64 (the PEM's body) and the SHA-256 of the raw 32-byte key.
    let named: KeyObject | undefined;
    try {
      named = createPublicKey({ key: Buffer.from(manifest.signingKey.publicKey, 'base64'), format: 'der', type: 'spki' });
    } catch {
      named = undefined;
    }
    if (!named || !sameKey(named, signer.key) || rawKeyFingerprint(named) !== manifest.signingKey.fingerprint) return fail('signing_key_mismatch');
  }

  const listed = new Set<string>();
  for (const file of manifest.files) {
    if (listed.has(file.name) || file.name === MANIFEST_FILE) return fail('file_duplicated', `${file.name} is listed twice`);
    listed.add(file.name);
    if ((file.name === BUNDLE_FILES.fullData) !== (file.personalData === 'full')) return fail('personal_data_mislabelled', `${file.name} is labelled ${file.personalData}`);
  }
  for (const name of REQUIRED) if (!listed.has(name)) return fail('file_not_listed', `${name} is not listed`);
  let applications: Buffer | undefined;
  for (const file of manifest.files) {
    const path = join(folder, file.name);
    let isFile: boolean;
    try {
      isFile = (await lstat(path)).isFile();
    } catch {
      return fail('file_missing', `${file.name} is listed but missing`);
    }
    if (!isFile) return fail('file_not_regular', `${file.name} is not a plain file`);
    // full-data.csv is checked like any file (a changed one means a tampered bundle) and then dropped: never loaded.
    const bytes = await readFile(path);
    if (bytes.length !== file.bytes) return fail('file_size_mismatch', `${file.name} has ${bytes.length} bytes, the manifest records ${file.bytes}`);
    if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) return fail('file_hash_mismatch', `${file.name} differs from its SHA-256 in the manifest`);
    if (file.name === BUNDLE_FILES.applicationsCsv) applications = bytes;
  }
  for (const name of await readdir(folder)) {
    if (name !== MANIFEST_FILE && !listed.has(name)) return fail('unexpected_file', `${name} is not in the manifest`);
  }
  if (!applications) return fail('file_not_listed', `${BUNDLE_FILES.applicationsCsv} is not listed`);
  const records = parseCsv(applications.toString('utf8'));
  const matches = records ? countsMatchRecords(records, manifest.counts) : null;
  if (matches === null || !records) return fail('applications_unreadable');
  if (!matches) return fail('counts_mismatch');
  // The CSV's own layout (a bundle from before the evidence columns has fewer): the columns COPY fills.
  const layout = layoutOf(records[0]);
  if (!layout) return fail('applications_unreadable');
  const columns = layout.map((column) => column.code);
  // Every application number of the bundle's branch (and desk): checked here, on the parsed rows, rather than by
  // a regular expression over the staged rows in the database, whose time every load would wait for.
  const numberAt = columns.indexOf('applicationNumber');
  const pattern = new RegExp(applicationNumberPattern(manifest.branch.code, desk, manifest.format === FORMAT_V3));
  let foreign = 0;
  for (let row = 1; row < records.length; row += 1) if (!pattern.test(records[row]?.[numberAt] ?? '')) foreign += 1;
  if (foreign > 0) return fail('application_number_foreign', `${foreign} application number(s) not of branch ${manifest.branch.code}${desk === '00' ? '' : ` desk ${desk}`}`);
  return { ok: true, bundle: { folder, manifest, desk, manifestSha256, keyFingerprint: keyFingerprint(signer.key), applicationsCsv: applications, columns } };
}

/**
 * `<branch>-<desk>-<YYYYMMDD>-<seq>`, or the form before desks (`<branch>-<YYYYMMDD>-<seq>`), which a
 * desk-numbered bundle may still carry over. The branch code is letters and digits (BRANCH_CODE), the desk two digits.
 */
export function applicationNumberPattern(branch: string, desk: string, numbered: boolean): string {
  return numbered ? `^${branch}-(${desk}-)?[0-9]{8}-[0-9]{1,9}$` : `^${branch}-[0-9]{8}-[0-9]{1,9}$`;
}
