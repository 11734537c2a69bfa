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
import { checkBundle, QUARANTINE_REASONS, type BundleCheck, type QuarantineReason, type VerifiedBundle } from './bundleCheck';
import { lockWriters } from './database';
import { allDeskKeys, type RegisteredKey } from './keyRegistry';
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

/** A number of the form before desks (`<branch>-<YYYYMMDD>-<seq>`) is the signing installation's: two pre-desk PCs of one branch issue the same. */
const installationOf = (keyFingerprint: string) => `CASE WHEN ${col('applicationNumber')} ~ '^[0-9A-Za-z]+-[0-9]{8}-[0-9]+$' THEN ${escapeLiteral(keyFingerprint)} ELSE '' END`;

const insertRequests = (businessDate: string, branch: string, desk: string, keyFingerprint: string, batchId: number) => `
    INSERT INTO headoffice.requests (application_number, business_date, branch_code, desk, installation, batch_id, ticket_no, status, channel,
      created_at, completed_at, applicant_name_masked, document_type, document_number_masked, mobile_masked, new_mobile_masked,
      merchant_number, terminal_id, terminal_serial, reason, reason_text, verification_method, online_check, authorization_reasons,
      authorization_decision, authorizer_no, teller_no, print_count, outcome_reason)
    SELECT ${col('applicationNumber')}, ${escapeLiteral(businessDate)}::date, ${escapeLiteral(branch)}, ${escapeLiteral(desk)}, ${installationOf(keyFingerprint)}, ${batchId}, ${orNull('ticketNo')}::integer, ${statusCode}, ${orNull('channel')},
      ${col('createdAt')}::timestamp, ${orNull('completedAt')}::timestamp, ${orNull('applicantName')}, ${orNull('documentType')},
      ${orNull('documentNumber')}, ${orNull('mobile')}, ${orNull('newMobile')}, ${orNull('merchantNumber')}, ${orNull('terminalId')},
      ${orNull('terminalSerial')}, ${orNull('reasonCode')}, ${orNull('reasonText')}, ${orNull('verificationMethod')}, ${orNull('onlineCheck')},
      ${orNull('authorizationReasons')}, ${orNull('authorizationDecision')}, ${orNull('authorizerNo')}, ${col('tellerNo')},
      ${col('printCount')}::integer, ${orNull('rejectReason')}
    FROM pg_temp.staging s
    ON CONFLICT (branch_code, desk, installation, application_number, business_date) DO NOTHING`;

// Pairs with requests of OTHER branches within the window, found while the new rows are few: one index probe
// per staged row with a merchant number or SN (a row staged again by a later batch finds its pairs again, and
// ON CONFLICT keeps one of each). OFFSET 0 keeps the probe a per-row subquery: the planner, whose statistics
// lag a table that grows bundle by bundle (and has none for the staging table), would otherwise turn it into
// a scan of the whole month.
const findRepeats = (businessDate: string, branch: string) => `
  INSERT INTO headoffice.repeat_matches (kind, value, application_number, branch_code, business_date, other_application, other_branch, other_date)
  ${(['merchant', 'serial'] as const)
    .map((kind) => {
      const column = kind === 'merchant' ? 'merchant_number' : 'terminal_serial';
      const cell = orNull(kind === 'merchant' ? 'merchantNumber' : 'terminalSerial');
      return `SELECT '${kind}', ${cell}, ${col('applicationNumber')}, ${escapeLiteral(branch)}, ${escapeLiteral(businessDate)}::date, r.application_number, r.branch_code, r.business_date
  FROM pg_temp.staging s
  CROSS JOIN LATERAL (
    SELECT application_number, branch_code, business_date FROM headoffice.requests r
    WHERE r.${column} = ${cell}
      AND r.business_date BETWEEN ${escapeLiteral(businessDate)}::date - ${REPEAT_WINDOW_DAYS} AND ${escapeLiteral(businessDate)}::date + ${REPEAT_WINDOW_DAYS}
      AND r.branch_code <> ${escapeLiteral(branch)}
    OFFSET 0
  ) r
  WHERE ${cell} IS NOT NULL`;
    })
    .join('\n  UNION ALL\n  ')}
  ON CONFLICT DO NOTHING`;

export interface ConsolidateOptions {
  /** Called with each outcome as it is decided (the CLI prints one line each). */
  onOutcome?: (outcome: BundleOutcome) => void;
}

export async function consolidate(client: pg.Client, roots: readonly string[], options: ConsolidateOptions = {}): Promise<BundleOutcome[]> {
  await lockWriters(client);
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS staging (${STAGING_COLUMNS.map((code) => `"${code}" text`).join(', ')}) ON COMMIT DELETE ROWS`);
  // The whole registry, read once under the lock (a bank has thousands of desks, not millions): bundles are
  // checked ahead of their load, and a check never queries the database inside another bundle's transaction.
  const registry = new Map<string, RegisteredKey[]>();
  for (const key of await allDeskKeys(client)) {
    const id = `${key.branchCode}/${key.desk}`;
    registry.set(id, [...(registry.get(id) ?? []), key]);
  }
  const keysOf = (branch: string, desk: string) => Promise.resolve(registry.get(`${branch}/${desk}`) ?? []);
  const outcomes: BundleOutcome[] = [];
  const partitions = new Set<string>();
  const folders = await findBundles(roots);
  // A folder or file this account cannot read is that bundle's problem, named; a database error stops the run.
  const check = (folder: string): Promise<BundleCheck> => {
    const checking = checkBundle(folder, keysOf).catch((error: unknown): BundleCheck => {
      if (error instanceof Error && 'syscall' in error) {
        return { ok: false, reason: 'folder_unreadable', detail: `${QUARANTINE_REASONS.folder_unreadable} (${String((error as NodeJS.ErrnoException).code)})` };
      }
      throw error;
    });
    // Checked ahead while the database loads the bundle before it: a failure is awaited in its turn, not unhandled.
    checking.catch(() => undefined);
    return checking;
  };
  // The next bundle is checked (read, hashed, counted: this process's work) while the database loads this one.
  let next = folders[0] === undefined ? undefined : check(folders[0]);
  for (const [index, folder] of folders.entries()) {
    const checked = await (next as Promise<BundleCheck>);
    const following = folders[index + 1];
    next = following === undefined ? undefined : check(following);
    let outcome: BundleOutcome;
    if (!checked.ok) {
      outcome = { kind: 'quarantined', folder, reason: checked.reason, detail: checked.detail };
      await recordQuarantine(client, outcome, checked.manifest && { branch: checked.manifest.branch.code, desk: checked.desk ?? '00', businessDate: checked.manifest.businessDate, batch: checked.manifest.batch }, checked.manifestSha256);
    } else {
      outcome = await loadBundle(client, checked.bundle, partitions);
      if (outcome.kind === 'quarantined') {
        const { manifest } = checked.bundle;
        await recordQuarantine(client, outcome, { branch: manifest.branch.code, desk: checked.bundle.desk, businessDate: manifest.businessDate, batch: manifest.batch }, checked.bundle.manifestSha256);
      }
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  // Fresh statistics for the questions that follow (a nightly load can double a partition).
  if (outcomes.some((outcome) => outcome.kind === 'loaded')) await client.query('ANALYZE headoffice.requests, headoffice.repeat_matches, headoffice.batches');
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

const literal = (value: string | number) => (typeof value === 'number' ? String(value) : escapeLiteral(value));

async function loadBundle(client: pg.Client, bundle: VerifiedBundle, partitions: Set<string>): Promise<BundleOutcome> {
  const { manifest, desk, folder } = bundle;
  const names = { folder, branch: manifest.branch.code, desk, businessDate: manifest.businessDate, batch: manifest.batch };
  // Few round trips (a nightly job may load a thousand branches' bundles): the statements of one step go as one
  // simple query, their values as literals (every one checked by the manifest's schema, or a number).
  // Two pre-desk installations of one branch both name their batches <branch>_<YYYYMMDD>_<batch>: told apart by key.
  const installation = manifest.format === FORMAT_V3 ? '' : bundle.keyFingerprint;
  const partition = monthPartition(names.businessDate);
  const createPartition = partitions.has(partition.name)
    ? ''
    : `CREATE TABLE IF NOT EXISTS headoffice.${partition.name} PARTITION OF headoffice.requests FOR VALUES FROM (${literal(partition.from)}) TO (${literal(partition.to)});`;
  try {
    const opened = (await client.query(
    `BEGIN; ${createPartition}
     INSERT INTO headoffice.batches (branch_code, desk, business_date, batch, manifest_sha256, format, key_fingerprint, installation, audit_seq, audit_hash, rows_stated, rows_added, folder)
     VALUES (${[names.branch, desk, names.businessDate, names.batch, bundle.manifestSha256, manifest.format, bundle.keyFingerprint, installation, manifest.auditHead.seq, manifest.auditHead.hash, manifest.counts.total, 0, folder].map(literal).join(', ')})
     ON CONFLICT DO NOTHING RETURNING id`,
    )) as unknown as pg.QueryResult[];
    const batchId = Number(opened.at(-1)?.rows[0]?.id ?? Number.NaN);
    if (!Number.isSafeInteger(batchId)) {
      const { rows: existing } = await client.query<{ manifest_sha256: string }>(
        `SELECT manifest_sha256 FROM headoffice.batches WHERE branch_code = $1 AND desk = $2 AND installation = $3 AND business_date = $4 AND batch = $5`,
        [names.branch, desk, installation, names.businessDate, names.batch],
      );
      await client.query('ROLLBACK');
      if (existing[0]?.manifest_sha256 === bundle.manifestSha256) return { kind: 'unchanged', ...names };
      return { kind: 'quarantined', folder, reason: 'batch_conflict', detail: `${QUARANTINE_REASONS.batch_conflict} (loaded manifest ${existing[0]?.manifest_sha256.slice(0, 16) ?? '?'}…)` };
    }
    await pipeline(Readable.from([bundle.applicationsCsv]), client.query(copyFrom(`COPY pg_temp.staging (${bundle.columns.map((code) => `"${code}"`).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`)));
    const pattern = applicationNumberPattern(names.branch, desk, manifest.format === FORMAT_V3);
    const first = (await client.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE NOT ("applicationNumber" ~ ${literal(pattern)})) AS foreign FROM pg_temp.staging;
       ${insertRequests(names.businessDate, names.branch, desk, bundle.keyFingerprint, batchId)}`,
    )) as unknown as pg.QueryResult[];
    const added = first[1]?.rowCount ?? 0;
    await client.query(
      `${findRepeats(names.businessDate, names.branch)};
       UPDATE headoffice.batches SET rows_added = ${added} WHERE id = ${batchId}`,
    );
    // The rows checked only now: a wrong count rolls back everything this bundle did (the rare case pays, not the common one).
    const counted = first[0]?.rows[0] as { n: string; foreign: string } | undefined;
    const staged = Number(counted?.n ?? -1);
    if (staged !== manifest.counts.total) throw new Quarantine('rows_mismatch', `applications.csv gave ${staged} rows, the manifest counts ${manifest.counts.total}`);
    const foreign = Number(counted?.foreign ?? 0);
    if (foreign > 0) throw new Quarantine('application_number_foreign', `${foreign} application number(s) not of branch ${names.branch}${desk === '00' ? '' : ` desk ${desk}`}`);
    await client.query('COMMIT');
    // Only now: a rolled-back transaction takes its CREATE TABLE with it.
    partitions.add(partition.name);
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
