// Checks a day bundle as head office receives it: complete, unaltered, and signed by the counter.
import { createHash, type KeyObject } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { canonicalJson } from '../crypto/signing';
import {
  APPLICATION_COLUMNS,
  authorizationDecisionCell,
  documentTypeCell,
  headerOf,
  onlineCheckCell,
  statusCell,
  verificationMethodCell,
} from './applicationsCsv';
import { countsMatchV1, MANIFEST_FORMAT_V1 } from './bundleFormatV1';
import { countsByCell, neutralizeCell, parseCsv } from './csvCells';
import type { DayTotals } from './exportModel';
import {
  BUNDLE_FILES,
  bundleFolderName,
  MANIFEST_FILE,
  parseManifestBytes,
  signingKeyConsistent,
  verifyManifestSignature,
  type DayBundleManifest,
  type ManifestKeySource,
} from './manifest';

export type BundleCheckFailure =
  | 'bundle.manifest_missing'
  | 'bundle.manifest_invalid'
  | 'bundle.manifest_not_canonical'
  | 'bundle.signature_invalid'
  | 'bundle.signing_key_mismatch'
  | 'bundle.folder_name_mismatch'
  | 'bundle.file_missing'
  | 'bundle.file_not_listed'
  | 'bundle.file_duplicated'
  | 'bundle.file_not_regular'
  | 'bundle.file_size_mismatch'
  | 'bundle.file_hash_mismatch'
  | 'bundle.personal_data_mislabelled'
  | 'bundle.unexpected_file'
  | 'bundle.applications_unreadable'
  | 'bundle.counts_mismatch';

export type DayBundleVerification =
  /** `key` says what the signature was checked with: only 'installation' proves which counter signed. */
  | { ok: true; manifest: DayBundleManifest; key: ManifestKeySource }
  | { ok: false; reason: BundleCheckFailure; file?: string; key?: ManifestKeySource; listed?: string; found?: string };

const REQUIRED_FILES: readonly string[] = [BUNDLE_FILES.applicationsCsv, BUNDLE_FILES.applicationsXlsx, BUNDLE_FILES.report];

/**
 * Verifies the bundle in `dir`: manifest.json byte for byte in the canonical form that was signed; its
 * signature (with the installation's public key when given, else the key the manifest carries, and the
 * result says which: only the installation's key proves anything to head office); the folder named for the
 * manifest's branch, date and batch; every listed file present as a regular file with its size and SHA-256;
 * no file the manifest does not list; and the manifest's counts equal to what applications.csv's rows add up to.
 */
export async function verifyDayBundle(dir: string, installationKey?: KeyObject): Promise<DayBundleVerification> {
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(join(dir, MANIFEST_FILE));
  } catch {
    return { ok: false, reason: 'bundle.manifest_missing', file: MANIFEST_FILE };
  }
  const parsed = parseManifestBytes(manifestBytes);
  if (!parsed.ok) return { ok: false, reason: parsed.reason === 'not_canonical' ? 'bundle.manifest_not_canonical' : 'bundle.manifest_invalid', file: MANIFEST_FILE };
  const { manifest } = parsed;
  const signature = verifyManifestSignature(manifest, installationKey);
  if (!signature.ok) return { ok: false, reason: 'bundle.signature_invalid', file: MANIFEST_FILE, key: signature.key };
  const key = signature.key;
  if (!signingKeyConsistent(manifest)) return { ok: false, reason: 'bundle.signing_key_mismatch', file: MANIFEST_FILE, key };
  // The folder's name is what an intake files the bundle under: a bundle copied under another day's,
  // branch's or batch's name would be loaded as that one.
  const folder = bundleFolderName(manifest.branch.code, manifest.desk ?? null, manifest.businessDate, manifest.batch);
  if (basename(dir) !== folder) return { ok: false, reason: 'bundle.folder_name_mismatch', key, listed: folder, found: basename(dir) };

  const listed = new Set<string>();
  for (const file of manifest.files) {
    if (listed.has(file.name) || file.name === MANIFEST_FILE) return { ok: false, reason: 'bundle.file_duplicated', file: file.name, key };
    listed.add(file.name);
    if ((file.name === BUNDLE_FILES.fullData) !== (file.personalData === 'full')) {
      return { ok: false, reason: 'bundle.personal_data_mislabelled', file: file.name, key };
    }
  }
  for (const name of REQUIRED_FILES) if (!listed.has(name)) return { ok: false, reason: 'bundle.file_not_listed', file: name, key };

  let applications: Buffer | undefined;
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    let isFile: boolean;
    try {
      // lstat: a link in place of a file is refused, not followed.
      isFile = (await lstat(path)).isFile();
    } catch {
      return { ok: false, reason: 'bundle.file_missing', file: file.name, key };
    }
    if (!isFile) return { ok: false, reason: 'bundle.file_not_regular', file: file.name, key };
    const bytes = await readFile(path);
    if (bytes.length !== file.bytes) return { ok: false, reason: 'bundle.file_size_mismatch', file: file.name, key, listed: String(file.bytes), found: String(bytes.length) };
    if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) return { ok: false, reason: 'bundle.file_hash_mismatch', file: file.name, key };
    if (file.name === BUNDLE_FILES.applicationsCsv) applications = bytes;
  }

  for (const name of await readdir(dir)) {
    if (name !== MANIFEST_FILE && !listed.has(name)) return { ok: false, reason: 'bundle.unexpected_file', file: name, key };
  }

  const records = applications ? parseCsv(applications.toString('utf8')) : null;
  if (manifest.format === MANIFEST_FORMAT_V1) {
    const matches = records ? countsMatchV1(records, manifest.counts) : null;
    if (matches === null) return { ok: false, reason: 'bundle.applications_unreadable', file: BUNDLE_FILES.applicationsCsv, key };
    return matches ? { ok: true, manifest, key } : { ok: false, reason: 'bundle.counts_mismatch', file: BUNDLE_FILES.applicationsCsv, key };
  }
  const shown = records ? countsInCsv(records) : null;
  if (!shown) return { ok: false, reason: 'bundle.applications_unreadable', file: BUNDLE_FILES.applicationsCsv, key };
  if (canonicalJson(shown) !== canonicalJson(countsAsShown(manifest.counts))) {
    return { ok: false, reason: 'bundle.counts_mismatch', file: BUNDLE_FILES.applicationsCsv, key };
  }
  return { ok: true, manifest, key };
}

/** One line for branch IT: what is wrong, naming the file, in words rather than the code. */
export function describeBundleFailure(failure: Extract<DayBundleVerification, { ok: false }>): string {
  const file = failure.file ?? MANIFEST_FILE;
  switch (failure.reason) {
    case 'bundle.manifest_missing':
      return `${MANIFEST_FILE} is missing: the folder is not a day bundle, or its export was interrupted`;
    case 'bundle.manifest_invalid':
      return `${MANIFEST_FILE} is not a day-bundle manifest (not JSON, or a field is missing, unknown or malformed)`;
    case 'bundle.manifest_not_canonical':
      return `${MANIFEST_FILE} is not byte for byte the canonical JSON that was signed (a key given twice, reordered, or the file rewritten)`;
    case 'bundle.signature_invalid':
      return `the signature in ${MANIFEST_FILE} does not match the public key given: the manifest was changed after the export, or another installation signed it`;
    case 'bundle.signing_key_mismatch':
      return `the signingKey in ${MANIFEST_FILE} (fingerprint and public key) is not the key the manifest carries and was signed with`;
    case 'bundle.folder_name_mismatch':
      return `the folder is named ${failure.found ?? '?'} but its manifest is for ${failure.listed ?? '?'} (branch_desk_date_batch, or branch_date_batch before desks): a bundle must keep the folder name it was exported with`;
    case 'bundle.file_missing':
      return `${file} is listed in ${MANIFEST_FILE} but missing from the folder`;
    case 'bundle.file_not_listed':
      return `${MANIFEST_FILE} does not list ${file}, which every day bundle has`;
    case 'bundle.file_duplicated':
      return `${MANIFEST_FILE} lists ${file} more than once`;
    case 'bundle.file_not_regular':
      return `${file} is not a plain file (a link or a folder stands in its place)`;
    case 'bundle.file_size_mismatch':
      return `${file} has ${failure.found ?? '?'} bytes where ${MANIFEST_FILE} records ${failure.listed ?? '?'}: the file was changed after the export`;
    case 'bundle.file_hash_mismatch':
      return `${file} differs from the SHA-256 recorded in ${MANIFEST_FILE}: the file was changed after the export`;
    case 'bundle.personal_data_mislabelled':
      return `${MANIFEST_FILE} labels ${file} wrongly: only ${BUNDLE_FILES.fullData} holds unmasked personal data`;
    case 'bundle.unexpected_file':
      return `${file} is in the folder but not in ${MANIFEST_FILE}: a bundle holds only the files it lists`;
    case 'bundle.applications_unreadable':
      return `${BUNDLE_FILES.applicationsCsv} cannot be read as the day's table (its header or a row is not what the export writes)`;
    case 'bundle.counts_mismatch':
      return `the counts in ${MANIFEST_FILE} do not add up from the rows of ${BUNDLE_FILES.applicationsCsv}`;
  }
}

/** The day's counts keyed as the CSV's cells spell them (labels, neutralized), so the two can be compared. */
type ShownCounts = DayTotals;

function countsAsShown(totals: DayBundleManifest['counts']): ShownCounts {
  return {
    total: totals.total,
    byStatus: countsByCell(totals.byStatus, statusCell),
    byDocumentType: countsByCell(totals.byDocumentType, documentTypeCell),
    byTeller: countsByCell(totals.byTeller, (teller) => teller),
    authorizations: totals.authorizations,
    // Format 2 states it; a format-2 manifest without it cannot match.
    pendingAuthorizations: totals.pendingAuthorizations ?? -1,
    reprints: totals.reprints,
    onlineCheckExceptions: totals.onlineCheckExceptions,
    manualEntries: totals.manualEntries,
  };
}

/** Format 2 as written before the identity evidence columns (issue 14: 联网核查 and chip read): those bundles still verify. */
const EVIDENCE_COLUMNS = new Set(['onlineCheckSource', 'onlineCheckSerial', 'chipSamId']);
const COLUMNS_BEFORE_EVIDENCE = APPLICATION_COLUMNS.filter((column) => !EVIDENCE_COLUMNS.has(column.code));

/** The columns a CSV was written with, told by its header (titles or codes); null for any other header. */
export function layoutOf(header: string[] | undefined): readonly { code: string }[] | null {
  const headings = canonicalJson(header ?? []);
  for (const columns of [APPLICATION_COLUMNS, COLUMNS_BEFORE_EVIDENCE]) {
    if (headings === canonicalJson(headerOf(columns, 'title')) || headings === canonicalJson(headerOf(columns, 'code'))) return columns;
  }
  return null;
}

function countsInCsv(records: string[][]): ShownCounts | null {
  const [header, ...rows] = records;
  const columns = layoutOf(header);
  if (columns === null) return null;
  const columnIndex = (code: string) => columns.findIndex((column) => column.code === code);
  const STATUS = columnIndex('status');
  const DOCUMENT_TYPE = columnIndex('documentType');
  const TELLER = columnIndex('tellerNo');
  const AUTHORIZATION_DECISION = columnIndex('authorizationDecision');
  const PRINT_COUNT = columnIndex('printCount');
  const ONLINE_CHECK = columnIndex('onlineCheck');
  const VERIFICATION_METHOD = columnIndex('verificationMethod');
  const match = neutralizeCell(onlineCheckCell('match'));
  const notChecked = neutralizeCell(onlineCheckCell(null));
  const manual = neutralizeCell(verificationMethodCell('manual'));
  const decided = new Set(['approved', 'declined'].map((decision) => neutralizeCell(authorizationDecisionCell(decision))));
  const pending = neutralizeCell(authorizationDecisionCell('pending'));
  const shown: ShownCounts = {
    total: rows.length,
    byStatus: {},
    byDocumentType: {},
    byTeller: {},
    authorizations: 0,
    pendingAuthorizations: 0,
    reprints: 0,
    onlineCheckExceptions: 0,
    manualEntries: 0,
  };
  const add = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const row of rows) {
    if (row.length !== columns.length) return null;
    const cell = (index: number) => row[index] ?? '';
    add(shown.byStatus, cell(STATUS));
    add(shown.byDocumentType, cell(DOCUMENT_TYPE));
    add(shown.byTeller, cell(TELLER));
    if (decided.has(cell(AUTHORIZATION_DECISION))) shown.authorizations += 1;
    if (cell(AUTHORIZATION_DECISION) === pending) shown.pendingAuthorizations += 1;
    if (!/^\d{1,6}$/.test(cell(PRINT_COUNT))) return null;
    shown.reprints += Math.max(0, Number(cell(PRINT_COUNT)) - 1);
    if (cell(ONLINE_CHECK) !== match && cell(ONLINE_CHECK) !== notChecked) shown.onlineCheckExceptions += 1;
    if (cell(VERIFICATION_METHOD) === manual) shown.manualEntries += 1;
  }
  return shown;
}

/**
 * Whether a format-2 (or later) manifest's counts are what applications.csv's parsed records add up to; null
 * when the records are not the day's table. Head office's loader checks with this (electron/headoffice).
 */
export function countsMatchRecords(records: string[][], counts: DayBundleManifest['counts']): boolean | null {
  const shown = countsInCsv(records);
  return shown ? canonicalJson(shown) === canonicalJson(countsAsShown(counts)) : null;
}
