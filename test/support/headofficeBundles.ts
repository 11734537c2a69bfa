// Day bundles for head-office tests and the benchmark: the desk's real writer (writeDayBundle) for the files,
// format 3 made from its output as the desk-numbering change writes it (desk, signing key, folder
// `<branch>_<desk>_<YYYYMMDD>_<batch>`), re-signed with the desk's key. The fast path (bench) writes the real
// applications.csv and a real signed manifest, with small stand-ins for the XLSX and PDF.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { syntheticRandom } from '../../shared';
import { applicationsCsv } from '../../electron/core/dayclose/applicationsCsv';
import { writeDayBundle } from '../../electron/core/dayclose/bundleWriter';
import { dayTotals } from '../../electron/core/dayclose/dayTotals';
import type { DayExportMeta, DayExportRow } from '../../electron/core/dayclose/exportModel';
import { buildManifest, signingKeyOf, signManifest, type BundleFileEntry, type DayBundleManifest } from '../../electron/core/dayclose/manifest';
import { canonicalJson, publicKeyPem, signCanonical } from '../../electron/core/crypto/signing';

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A desk's installation key, the same on every run for the same label. */
export function deskKey(label: string): KeyObject {
  const seed = createHash('sha256').update(`unbinddesk head-office test desk ${label}`).digest();
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The PEM `public-key` prints at the desk, written to a file for register-desk. */
export function writePublicKeyFile(dir: string, key: KeyObject, name: string): string {
  const file = join(dir, `${name}.pem`);
  writeFileSync(file, publicKeyPem(key));
  return file;
}

export interface DeskDay {
  branch: string;
  /** '00': format 2 (no desk); '01'–'99': format 3. */
  desk: string;
  businessDate: string;
  batch?: number;
  key: KeyObject;
  rows: number;
  /** First sequence number of the day's applications (a later batch continues the day). */
  firstSeq?: number;
  auditSeq?: number;
  seed?: number;
  /** Set fields of given rows (by index), e.g. a merchant number that shows up at two branches. */
  overrides?: Record<number, Partial<DayExportRow>>;
  /** Also write full-data.csv (unmasked, as a supervisor-authorized export does). */
  fullData?: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const STATUSES: DayExportRow['status'][] = ['completed', 'completed', 'completed', 'completed', 'rejected', 'cancelled', 'carried_over', 'approved'];

/** The day's rows, masked as the desk exports them, numbered as the desk numbers them. */
export function deskRows(day: DeskDay): DayExportRow[] {
  const random = syntheticRandom(day.seed ?? hashSeed(`${day.branch}/${day.desk}/${day.businessDate}/${day.batch ?? 1}`));
  const next = () => Math.floor(random() * 4294967296);
  const compact = day.businessDate.replaceAll('-', '');
  // The PRNG's sequences of different seeds can overlap (its state is one 32-bit counter), which would make
  // merchants and SNs repeat across bundles by accident: a prefix of the desk and day keeps them apart, so the
  // only repeats are the ones a test or the benchmark puts there.
  const prefix = pad(hashSeed(`${day.branch}/${day.desk}/${day.businessDate}`) % 1_000_000, 6);
  const rows: DayExportRow[] = [];
  for (let i = 0; i < day.rows; i++) {
    const seq = (day.firstSeq ?? 1) + i;
    const applicationNumber = day.desk === '00' ? `${day.branch}-${compact}-${pad(seq, 4)}` : `${day.branch}-${day.desk}-${compact}-${pad(seq, 4)}`;
    const status = STATUSES[next() % STATUSES.length] as DayExportRow['status'];
    const mobile = `13${pad(next() % 1_000_000_000, 9)}`;
    const minute = 9 * 60 + (i % 480);
    const createdAt = `${day.businessDate} ${pad(Math.floor(minute / 60), 2)}:${pad(minute % 60, 2)}:${pad(next() % 60, 2)}`;
    const needsAuthorization = status === 'approved' || next() % 6 === 0;
    const row: DayExportRow = {
      applicationNumber,
      ticketNo: seq,
      status,
      channel: 'counter',
      createdAt,
      completedAt: status === 'completed' ? createdAt : null,
      applicantNameMasked: `${['张', '王', '李', '欧阳'][next() % 4] ?? '张'}*`,
      documentType: 'resident_id',
      documentNumberMasked: `1101${'*'.repeat(10)}${pad(next() % 10000, 4)}`,
      mobileMasked: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`,
      newMobileMasked: null,
      merchantNumber: `${prefix}${pad(next() % 1_000_000_000, 9)}`,
      terminalId: pad(next() % 100_000_000, 8),
      terminalSerial: `000${prefix}${pad(next() % 1_000_000_000, 9)}`,
      reasonCode: 'no_longer_needed',
      reasonText: next() % 9 === 0 ? '=HYPERLINK("http://evil.example","点此")' : null,
      verificationMethod: 'chip',
      onlineCheck: 'match',
      onlineCheckSource: 'online',
      onlineCheckCode: '00',
      onlineCheckSerial: `GA${prefix}${pad(seq, 6)}`,
      chipSamId: '05.01-20101216-0016541549-2212183410',
      authorizationReasons: needsAuthorization ? ['repeat_request'] : [],
      authorizationDecision: needsAuthorization ? (status === 'carried_over' ? 'pending' : status === 'rejected' ? 'declined' : 'approved') : null,
      authorizerNo: needsAuthorization && status !== 'carried_over' ? 'S0002' : null,
      tellerNo: `T${pad(11 + (next() % 4), 4)}`,
      printCount: status === 'completed' ? 1 : 0,
      rejectReason: status === 'rejected' ? 'identity_mismatch' : status === 'cancelled' ? 'customer_left' : null,
    };
    rows.push({ ...row, ...day.overrides?.[i] });
  }
  return rows;
}

function hashSeed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

function metaOf(day: DeskDay): DayExportMeta {
  return {
    bankName: '中国示例银行股份有限公司',
    branchCode: day.branch,
    branchName: `示例支行${day.branch}`,
    businessDate: day.businessDate,
    generatedAt: `${day.businessDate}T09:30:00.000Z`,
    generatedAtLocal: `${day.businessDate} 17:30:00`,
    operatorNo: 'S0001',
    batch: day.batch ?? 1,
    desk: day.desk === '00' ? null : day.desk,
    auditHead: { seq: day.auditSeq ?? 100, hash: createHash('sha256').update(`${day.branch}${day.desk}${day.businessDate}`).digest('hex'), signature: 'c2lnbmVkLWhlYWQ' },
  };
}

export function folderNameOf(day: DeskDay): string {
  const compact = day.businessDate.replaceAll('-', '');
  return day.desk === '00' ? `${day.branch}_${compact}_${day.batch ?? 1}` : `${day.branch}_${day.desk}_${compact}_${day.batch ?? 1}`;
}

/** Format 3 from a format-2 manifest: desk and signing key added, signed again with the desk's key. */
export function asFormat3(manifest: DayBundleManifest, desk: string, key: KeyObject): Record<string, unknown> {
  const { signature: _old, ...unsigned } = manifest;
  const v3 = { ...unsigned, format: 'unbinddesk.day-bundle/3', desk, signingKey: signingKeyOf(key) };
  return { ...v3, signature: signCanonical(key, v3) };
}

/** Writes the desk's bundle for the day into `root` with the real writer; returns its folder. */
export async function writeDeskBundle(root: string, day: DeskDay): Promise<string> {
  const rows = deskRows(day);
  mkdirSync(root, { recursive: true });
  const scratch = mkdtempSync(join(root, '.writing-'));
  try {
    const fullData = day.fullData
      ? rows.map((row, i) => ({
          applicationNumber: row.applicationNumber,
          documentType: 'resident_id',
          documentNumber: `11010519491231${pad(i, 4)}`,
          mobile: `1390000${pad(i, 4)}`,
          newMobile: null,
          merchantNumber: row.merchantNumber,
          terminalId: row.terminalId,
          terminalSerial: row.terminalSerial,
        }))
      : undefined;
    const written = await writeDayBundle({ destinationRoot: scratch, meta: metaOf(day), rows, totals: dayTotals(rows), signingKey: day.key, fullData });
    const target = join(root, folderNameOf(day));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(written.dir, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The benchmark's fast path: the real applications.csv (applicationsCsv) and a real signed manifest (format 3),
 * with small stand-ins for the XLSX and PDF (their bytes are hashed and checked like any file).
 */
export function writeSyntheticBundle(root: string, day: DeskDay): string {
  const rows = deskRows(day);
  const target = join(root, folderNameOf(day));
  mkdirSync(target, { recursive: true });
  const files: BundleFileEntry[] = [];
  const put = (name: string, bytes: Buffer) => {
    writeFileSync(join(target, name), bytes);
    files.push({ name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, personalData: 'masked' });
  };
  put('applications.csv', applicationsCsv(rows));
  put('applications.xlsx', Buffer.from(`synthetic workbook ${target}`));
  put('report.pdf', Buffer.from(`%PDF-1.7 synthetic report ${target}`));
  const manifest = signManifest(buildManifest(metaOf(day), dayTotals(rows), files, day.key), day.key);
  writeFileSync(join(target, 'manifest.json'), canonicalJson(manifest));
  return target;
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
