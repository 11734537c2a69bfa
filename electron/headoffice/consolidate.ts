// `consolidate DIR…`: every bundle in the trees, checked, then loaded in one transaction each (COPY into a
// staging table, INSERT … ON CONFLICT DO NOTHING, the row count checked, a batch-ledger row) or quarantined.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { escapeLiteral } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { APPLICATION_COLUMNS } from '../core/dayclose/applicationsCsv';
import { ABSENT, STATUS_LABELS } from '../core/dayclose/exportModel';
import { MANIFEST_FILE } from '../core/dayclose/manifest';
import { checkBundle, QUARANTINE_REASONS, type QuarantineReason, type VerifiedBundle } from './bundleCheck';
import { lockWriters } from './database';
import { keysOfDesk, type RegisteredKey } from './keyRegistry';
import { BUNDLE_FOLDER_NAME, FORMAT_V3 } from './manifest';

/** How far apart two requests may be and still be found as a repeat (the question's N is at most this). */
export const REPEAT_WINDOW_DAYS = 90;

export type BundleOutcome =
  | { kind: 'loaded'; folder: string; branch: string; desk: string; businessDate: string; batch: number; rows: number; added: number }
  | { kind: 'unchanged'; folder: string; branch: string; desk: string; businessDate: string; batch: number }
  | { kind: 'quarantined'; folder: string; reason: QuarantineReason; detail: string };

/** Folders holding a manifest.json, and folders named like a bundle without one. Links are not followed. */
export async function findBundles(roots: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, name: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((entry) => entry.name === MANIFEST_FILE) || BUNDLE_FOLDER_NAME.test(name)) {
      found.push(dir);
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) await walk(join(dir, entry.name), entry.name);
  };
  for (const root of roots) await walk(root, '');
  return [...new Set(found)].sort();
}

// The staging table has one text column per column of applications.csv, in its order.
const STAGING_COLUMNS = APPLICATION_COLUMNS.map((column) => column.code);
const col = (code: string) => {
  if (!STAGING_COLUMNS.includes(code)) throw new Error(`applications.csv has no column ${code}`);
  return `s."${code}"`;
};
const orNull = (code: string) => `NULLIF(${col(code)}, ${escapeLiteral(ABSENT)})`;
const statusCode = `CASE ${col('status')} ${Object.entries(STATUS_LABELS)
  .map(([code, label]) => `WHEN ${escapeLiteral(label)} THEN ${escapeLiteral(code)}`)
  .join(' ')} ELSE ${col('status')} END`;

const INSERT_REQUESTS = `
  WITH inserted AS (
    INSERT INTO headoffice.requests (application_number, business_date, branch_code, desk, batch_id, ticket_no, status, channel,
      created_at, completed_at, applicant_name_masked, document_type, document_number_masked, mobile_masked, new_mobile_masked,
      merchant_number, terminal_id, terminal_serial, reason, reason_text, verification_method, online_check, authorization_reasons,
      authorization_decision, authorizer_no, teller_no, print_count, outcome_reason)
    SELECT ${col('applicationNumber')}, $1::date, $2, $3, $4, ${orNull('ticketNo')}::integer, ${statusCode}, ${orNull('channel')},
      ${col('createdAt')}::timestamp, ${orNull('completedAt')}::timestamp, ${orNull('applicantName')}, ${orNull('documentType')},
      ${orNull('documentNumber')}, ${orNull('mobile')}, ${orNull('newMobile')}, ${orNull('merchantNumber')}, ${orNull('terminalId')},
      ${orNull('terminalSerial')}, ${orNull('reasonCode')}, ${orNull('reasonText')}, ${orNull('verificationMethod')}, ${orNull('onlineCheck')},
      ${orNull('authorizationReasons')}, ${orNull('authorizationDecision')}, ${orNull('authorizerNo')}, ${col('tellerNo')},
      ${col('printCount')}::integer, ${orNull('rejectReason')}
    FROM pg_temp.staging s
    ON CONFLICT (application_number, business_date) DO NOTHING
    RETURNING application_number, business_date, branch_code, merchant_number, terminal_serial
  )
  INSERT INTO pg_temp.added SELECT * FROM inserted`;

// Pairs with requests of OTHER branches within the window, found while the new rows are few.
const FIND_REPEATS = ['merchant', 'serial'].map((kind) => {
  const column = kind === 'merchant' ? 'merchant_number' : 'terminal_serial';
  return `
  INSERT INTO headoffice.repeat_matches (kind, value, application_number, branch_code, business_date, other_application, other_branch, other_date)
  SELECT '${kind}', a.${column}, a.application_number, a.branch_code, a.business_date, r.application_number, r.branch_code, r.business_date
  FROM pg_temp.added a
  JOIN headoffice.requests r ON r.${column} = a.${column}
    AND r.business_date BETWEEN a.business_date - ${REPEAT_WINDOW_DAYS} AND a.business_date + ${REPEAT_WINDOW_DAYS}
    AND r.branch_code <> a.branch_code
  WHERE a.${column} IS NOT NULL
  ON CONFLICT DO NOTHING`;
});

export interface ConsolidateOptions {
  /** Called with each outcome as it is decided (the CLI prints one line each). */
  onOutcome?: (outcome: BundleOutcome) => void;
}

export async function consolidate(client: pg.Client, roots: readonly string[], options: ConsolidateOptions = {}): Promise<BundleOutcome[]> {
  await lockWriters(client);
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS staging (${STAGING_COLUMNS.map((code) => `"${code}" text`).join(', ')}) ON COMMIT DELETE ROWS`);
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS added (application_number text, business_date date, branch_code text, merchant_number text, terminal_serial text) ON COMMIT DELETE ROWS`,
  );
  const keyCache = new Map<string, Promise<RegisteredKey[]>>();
  const keysOf = (branch: string, desk: string) => {
    const id = `${branch}/${desk}`;
    let keys = keyCache.get(id);
    if (!keys) keyCache.set(id, (keys = keysOfDesk(client, branch, desk)));
    return keys;
  };
  const outcomes: BundleOutcome[] = [];
  const partitions = new Set<string>();
  for (const folder of await findBundles(roots)) {
    const check = await checkBundle(folder, keysOf);
    let outcome: BundleOutcome;
    if (!check.ok) {
      outcome = { kind: 'quarantined', folder, reason: check.reason, detail: check.detail };
      await recordQuarantine(client, outcome, check.manifest && { branch: check.manifest.branch.code, desk: check.desk ?? '00', businessDate: check.manifest.businessDate, batch: check.manifest.batch }, check.manifestSha256);
    } else {
      outcome = await loadBundle(client, check.bundle, partitions);
      if (outcome.kind === 'quarantined') {
        const { manifest } = check.bundle;
        await recordQuarantine(client, outcome, { branch: manifest.branch.code, desk: check.bundle.desk, businessDate: manifest.businessDate, batch: manifest.batch }, check.bundle.manifestSha256);
      }
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  await client.query('SELECT pg_advisory_unlock_all()');
  return outcomes;
}

async function recordQuarantine(
  client: pg.Client,
  outcome: Extract<BundleOutcome, { kind: 'quarantined' }>,
  names: { branch: string; desk: string; businessDate: string; batch: number } | undefined,
  manifestSha256: string | undefined,
): Promise<void> {
  await client.query(
    `INSERT INTO headoffice.quarantine (folder, reason, detail, branch_code, desk, business_date, batch, manifest_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [outcome.folder, outcome.reason, outcome.detail, names?.branch ?? null, names?.desk ?? null, names?.businessDate ?? null, names?.batch ?? null, manifestSha256 ?? null],
  );
}

function monthPartition(businessDate: string): { name: string; from: string; to: string } {
  const [year, month] = businessDate.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { name: `requests_${year}_${String(month).padStart(2, '0')}`, from: `${year}-${String(month).padStart(2, '0')}-01`, to: next };
}

class Quarantine extends Error {
  constructor(readonly reason: QuarantineReason, readonly detail: string = QUARANTINE_REASONS[reason]) {
    super(reason);
  }
}

async function loadBundle(client: pg.Client, bundle: VerifiedBundle, partitions: Set<string>): Promise<BundleOutcome> {
  const { manifest, desk, folder } = bundle;
  const names = { folder, branch: manifest.branch.code, desk, businessDate: manifest.businessDate, batch: manifest.batch };
  await client.query('BEGIN');
  try {
    const { rows: existing } = await client.query<{ manifest_sha256: string }>(
      `SELECT manifest_sha256 FROM headoffice.batches WHERE branch_code = $1 AND desk = $2 AND business_date = $3 AND batch = $4`,
      [names.branch, desk, names.businessDate, names.batch],
    );
    if (existing[0]) {
      await client.query('ROLLBACK');
      if (existing[0].manifest_sha256 === bundle.manifestSha256) return { kind: 'unchanged', ...names };
      return { kind: 'quarantined', folder, reason: 'batch_conflict', detail: `${QUARANTINE_REASONS.batch_conflict} (loaded manifest ${existing[0].manifest_sha256.slice(0, 16)}…)` };
    }
    const partition = monthPartition(names.businessDate);
    if (!partitions.has(partition.name)) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS headoffice.${partition.name} PARTITION OF headoffice.requests FOR VALUES FROM (${escapeLiteral(partition.from)}) TO (${escapeLiteral(partition.to)})`,
      );
      partitions.add(partition.name);
    }
    const { rows: ledger } = await client.query<{ id: string }>(
      `INSERT INTO headoffice.batches (branch_code, desk, business_date, batch, manifest_sha256, format, key_fingerprint, audit_seq, audit_hash, rows_stated, rows_added, folder)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) RETURNING id`,
      [names.branch, desk, names.businessDate, names.batch, bundle.manifestSha256, manifest.format, bundle.keyFingerprint, manifest.auditHead.seq, manifest.auditHead.hash, manifest.counts.total, folder],
    );
    const batchId = ledger[0]?.id;
    await pipeline(Readable.from([bundle.applicationsCsv]), client.query(copyFrom(`COPY pg_temp.staging FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`)));
    const { rows: counted } = await client.query<{ n: string; foreign: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE NOT ("applicationNumber" ~ $1)) AS foreign FROM pg_temp.staging`,
      [applicationNumberPattern(names.branch, desk, manifest.format === FORMAT_V3)],
    );
    const staged = Number(counted[0]?.n ?? -1);
    if (staged !== manifest.counts.total) throw new Quarantine('rows_mismatch', `applications.csv gave ${staged} rows, the manifest counts ${manifest.counts.total}`);
    const foreign = Number(counted[0]?.foreign ?? 0);
    if (foreign > 0) throw new Quarantine('application_number_foreign', `${foreign} application number(s) not of branch ${names.branch}${desk === '00' ? '' : ` desk ${desk}`}`);
    const inserted = await client.query(INSERT_REQUESTS, [names.businessDate, names.branch, desk, batchId]);
    const added = inserted.rowCount ?? 0;
    for (const sql of FIND_REPEATS) await client.query(sql);
    await client.query(`UPDATE headoffice.batches SET rows_added = $1 WHERE id = $2`, [added, batchId]);
    await client.query('COMMIT');
    return { kind: 'loaded', ...names, rows: staged, added };
  } catch (error) {
    await client.query('ROLLBACK');
    if (error instanceof Quarantine) return { kind: 'quarantined', folder, reason: error.reason, detail: error.detail };
    const code = (error as { code?: unknown }).code;
    // SQLSTATE class 22 (data exception): a cell the database cannot take. Its message may quote the cell: not kept.
    if (typeof code === 'string' && (code.startsWith('22') || code === '23502')) {
      return { kind: 'quarantined', folder, reason: 'load_failed', detail: `${QUARANTINE_REASONS.load_failed} (SQLSTATE ${code})` };
    }
    throw error;
  }
}

/** `<branch>-<desk>-<YYYYMMDD>-<seq>`, or the form before desks (`<branch>-<YYYYMMDD>-<seq>`), which a desk-numbered bundle may still carry over. */
function applicationNumberPattern(branch: string, desk: string, numbered: boolean): string {
  return numbered ? `^${branch}-(${desk}-)?[0-9]{8}-[0-9]{1,9}$` : `^${branch}-[0-9]{8}-[0-9]{1,9}$`;
}

/** One line per bundle, as consolidate prints it. */
export function outcomeLine(outcome: BundleOutcome): string {
  switch (outcome.kind) {
    case 'loaded':
      return `loaded       ${outcome.folder}: branch ${outcome.branch} desk ${outcome.desk} ${outcome.businessDate} batch ${outcome.batch}, ${outcome.rows} rows, ${outcome.added} new`;
    case 'unchanged':
      return `unchanged    ${outcome.folder}: branch ${outcome.branch} desk ${outcome.desk} ${outcome.businessDate} batch ${outcome.batch} was already loaded`;
    case 'quarantined':
      return `quarantined  ${outcome.folder}: ${outcome.reason}: ${outcome.detail}`;
  }
}
