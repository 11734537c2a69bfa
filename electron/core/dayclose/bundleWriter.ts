// Writes a closed day's export bundle, `<branch>_<YYYYMMDD>_<batch>/`, where branch IT collects it.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { canonicalJson } from '../crypto/signing';
import { loadCjkFonts } from '../receipts/fonts';
import { applicationsCsv, fullDataCsv, outcomesCsv } from './applicationsCsv';
import { applicationsXlsx } from './applicationsXlsx';
import { dayReport } from './dayReport';
import { dayTotals } from './dayTotals';
import type { DayExportMeta, DayExportRow, DayTotals, FullDataRow, ReceivedOutcome } from './exportModel';
import { BUNDLE_FILES, buildManifest, bundleFolderName, MANIFEST_FILE, manifestBytes, signManifest, type BundleFileEntry, type DayBundleManifest } from './manifest';
import { DESK_NUMBER } from '../../../shared';

export type ExportDestinationErrorCode =
  | 'export.destination_relative'
  | 'export.destination_parent_segment'
  | 'export.destination_device'
  | 'export.destination_unc'
  | 'export.destination_missing'
  | 'export.destination_not_directory'
  | 'export.destination_link';

export type DayExportErrorCode =
  | ExportDestinationErrorCode
  | 'export.branch_code_invalid'
  | 'export.desk_invalid'
  | 'export.business_date_invalid'
  | 'export.totals_mismatch'
  | 'export.rows_not_masked'
  | 'export.full_data_unknown_application'
  | 'export.batch_unavailable'
  | 'export.batch_exists';

/** A refusal to export, with a stable code the renderer translates. */
export class DayExportError extends Error {
  constructor(
    readonly code: DayExportErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'DayExportError';
  }
}

export class ExportDestinationError extends DayExportError {
  declare readonly code: ExportDestinationErrorCode;
  constructor(code: ExportDestinationErrorCode, readonly destination: string) {
    super(code, `${code}: ${destination}`);
    this.name = 'ExportDestinationError';
  }
}

const IS_WINDOWS = process.platform === 'win32';

/** A bundle holds personal data: its folder and files are its owner's alone, like the data folder (0700 / 0600). */
export const BUNDLE_DIR_MODE = 0o700;
export const BUNDLE_FILE_MODE = 0o600;

/**
 * Where a bundle may go: an existing local folder named by its real, absolute path. Refused: relative
 * paths and `..` (the folder must be the one the supervisor saw in the dialog), device namespaces
 * (`\\.\`, `\\?\`, `/dev/`), network shares (personal data must not leave the branch by a path typed in
 * the dialog), and a folder that is, or lies inside, a link pointing elsewhere. Returns the resolved path.
 */
export function checkExportDestination(root: string): string {
  if (/^[\\/]{2}[.?][\\/]/.test(root) || /^\/dev(\/|$)/.test(root)) throw new ExportDestinationError('export.destination_device', root);
  if (/^[\\/]{2}[^\\/]/.test(root)) throw new ExportDestinationError('export.destination_unc', root);
  if (!isAbsolute(root) || (IS_WINDOWS && !/^[A-Za-z]:[\\/]/.test(root))) throw new ExportDestinationError('export.destination_relative', root);
  if (root.split(/[\\/]/).includes('..')) throw new ExportDestinationError('export.destination_parent_segment', root);
  const resolved = resolve(root);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(resolved).isDirectory();
  } catch {
    throw new ExportDestinationError('export.destination_missing', root);
  }
  if (!isDirectory) throw new ExportDestinationError('export.destination_not_directory', root);
  const real = realpathSync.native(resolved);
  const same = IS_WINDOWS ? real.toLowerCase() === resolved.toLowerCase() : real === resolved;
  if (!same) throw new ExportDestinationError('export.destination_link', root);
  return resolved;
}

export interface DayBundleInput {
  destinationRoot: string;
  /** meta.batch comes from the database's ledger of the day's exports, never from what a folder holds. */
  meta: DayExportMeta;
  rows: readonly DayExportRow[];
  totals: DayTotals;
  signingKey: KeyObject;
  resourcesDir?: string;
  /** Unmasked values: only when a supervisor authorized a full-data export. */
  fullData?: readonly FullDataRow[];
  /** The acquirer's outcomes recorded on this business date (the report lists them). */
  outcomes?: readonly ReceivedOutcome[];
}

export interface WrittenDayBundle {
  dir: string;
  batch: number;
  /** The files the manifest lists. */
  files: BundleFileEntry[];
  /** Every file in the bundle's folder, manifest.json last: what the supervisor finds there. */
  folderFiles: { name: string; sha256: string; bytes: number }[];
  manifest: DayBundleManifest;
  /** What the supervisor should know, e.g. 'slip.missing_glyph' (a name printed with '?' in report.pdf). */
  warnings: string[];
}

/** Branch codes name the bundle folder: letters and digits only, so no code can reach outside it. */
const BRANCH_CODE = /^[0-9A-Za-z]{1,32}$/;
const BUSINESS_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A masked value shows '*' (DOMAIN.md masks); anything of 4 characters or more without one was not masked. */
function looksUnmasked(value: string | null): boolean {
  return value !== null && Array.from(value).length >= 4 && !value.includes('*');
}

function checkInput(input: DayBundleInput): void {
  const { meta, rows, totals, fullData } = input;
  if (!BRANCH_CODE.test(meta.branchCode)) throw new DayExportError('export.branch_code_invalid');
  if (meta.desk !== null && !DESK_NUMBER.test(meta.desk)) throw new DayExportError('export.desk_invalid');
  if (!BUSINESS_DATE.test(meta.businessDate)) throw new DayExportError('export.business_date_invalid');
  if (!Number.isSafeInteger(meta.batch) || meta.batch < 1) throw new DayExportError('export.batch_unavailable');
  // The manifest's counts are checked against the CSV's rows on verification: refuse now rather than
  // write a bundle that can never verify.
  if (canonicalJson(totals) !== canonicalJson(dayTotals(rows))) throw new DayExportError('export.totals_mismatch');
  // The masked files are reporting copies (PIPL): a caller bug must not put full numbers in them.
  const unmasked = rows.find((row) => looksUnmasked(row.documentNumberMasked) || looksUnmasked(row.mobileMasked) || looksUnmasked(row.newMobileMasked));
  if (unmasked) throw new DayExportError('export.rows_not_masked', `export.rows_not_masked: ${unmasked.applicationNumber}`);
  if (fullData) {
    const known = new Set(rows.map((row) => row.applicationNumber));
    const stranger = fullData.find((row) => !known.has(row.applicationNumber));
    if (stranger) throw new DayExportError('export.full_data_unknown_application', `export.full_data_unknown_application: ${stranger.applicationNumber}`);
  }
}

/**
 * Writes the bundle: applications.csv, applications.xlsx, report.pdf, full-data.csv when given, then
 * manifest.json. Each file reaches its final name only complete and on disk, and the manifest comes
 * last, so a bundle with a manifest is whole; one without is an interrupted export that never verifies.
 * The batch is given (the day's ledger in the database); a folder of that name already there is never
 * written into or overwritten: 'export.batch_exists'.
 */
export async function writeDayBundle(input: DayBundleInput): Promise<WrittenDayBundle> {
  const root = checkExportDestination(input.destinationRoot);
  checkInput(input);
  const fonts = loadCjkFonts(input.resourcesDir);
  const meta = input.meta;
  const { batch } = meta;
  const dir = await createBatchFolder(root, bundleFolderName(meta.branchCode, meta.desk, meta.businessDate, batch));
  const files: BundleFileEntry[] = [];
  const put = async (name: string, bytes: Buffer, personalData: BundleFileEntry['personalData']) => {
    // Readable by the account that exported them, no one else (masked data is still personal data).
    await writeFileDurably(dir, name, bytes, BUNDLE_FILE_MODE);
    files.push({ name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, personalData });
  };
  try {
    await put(BUNDLE_FILES.applicationsCsv, applicationsCsv(input.rows), 'masked');
    // One file at a time: a counter PC has little memory to spare, and each buffer is written and dropped
    // before the next is built.
    const outcomes = input.outcomes ?? [];
    await put(BUNDLE_FILES.applicationsXlsx, await applicationsXlsx(input.rows, meta, input.totals, 'title', outcomes), 'masked');
    // Masked like the rest (it holds no personal data at all): numbers, the acquirer's words, times.
    await put(BUNDLE_FILES.outcomesCsv, outcomesCsv(outcomes), 'masked');
    const report = await dayReport({ meta, rows: input.rows, totals: input.totals, fonts, outcomes });
    await put(BUNDLE_FILES.report, report.pdf, 'masked');
    if (input.fullData) await put(BUNDLE_FILES.fullData, fullDataCsv(input.fullData), 'full');
    const manifest = signManifest(buildManifest(meta, input.totals, files, input.signingKey), input.signingKey);
    const manifestFile = manifestBytes(manifest);
    await writeFileDurably(dir, MANIFEST_FILE, manifestFile, BUNDLE_FILE_MODE);
    const folderFiles = [
      ...files.map(({ name, sha256, bytes }) => ({ name, sha256, bytes })),
      { name: MANIFEST_FILE, sha256: createHash('sha256').update(manifestFile).digest('hex'), bytes: manifestFile.length },
    ];
    return { dir, batch, files, folderFiles, manifest, warnings: report.warnings };
  } catch (error) {
    await discardBundle(dir, files);
    throw error;
  }
}


/**
 * The batch's folder, created here and now: mkdir is not recursive on the final component, so a folder of
 * that name already there (another installation's, or one restored from a backup) is refused, not reused.
 */
async function createBatchFolder(root: string, folderName: string): Promise<string> {
  const dir = join(root, folderName);
  try {
    await mkdir(dir, { mode: BUNDLE_DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DayExportError('export.batch_exists', `export.batch_exists: ${dir}`);
    throw error;
  }
  await syncDirectory(root);
  return dir;
}

/**
 * Temporary name in the same folder, fsync, rename, fsync the folder: a kill or power cut at any moment
 * leaves either no file or the whole file under the final name. 'wx' (O_CREAT|O_EXCL) never opens an
 * existing file or follows a link planted under the temporary name.
 */
async function writeFileDurably(dir: string, name: string, bytes: Buffer, mode: number): Promise<void> {
  const temporary = join(dir, `.${name}.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, join(dir, name));
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes a rename or a new entry durable. Windows cannot open a folder for fsync, and its NTFS journal covers renames. */
async function syncDirectory(dir: string): Promise<void> {
  if (IS_WINDOWS) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** After a failure, removes what this export wrote, so the folder does not look like a bundle. */
async function discardBundle(dir: string, files: readonly BundleFileEntry[]): Promise<void> {
  for (const file of files) await unlink(join(dir, file.name)).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
}
