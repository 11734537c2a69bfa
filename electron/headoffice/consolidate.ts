// `consolidate DIR…`: every bundle in the trees, checked (on a worker thread, ahead of its load), then loaded in
// one transaction each (COPY into a staging table, INSERT … ON CONFLICT DO NOTHING, the row count checked, a
// batch-ledger row marked repeats-pending) or quarantined; then the pending batches' repeats found in one go.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { escapeLiteral } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { APPLICATION_COLUMNS } from '../core/dayclose/applicationsCsv';
import { ABSENT, STATUS_LABELS } from '../core/dayclose/exportModel';
import { MANIFEST_FILE } from '../core/dayclose/manifest';
import { checkBundle, QUARANTINE_REASONS, type BundleCheck, type QuarantineReason, type VerifiedBundle } from './bundleCheck';
import type { CheckReply, CheckRequest } from './checkWorker';
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

// Into the month's partition itself (the bundle's rows are of one day): no routing per row. With `conflicts` the
// issue's INSERT … ON CONFLICT DO NOTHING; without it a plain INSERT, taken only when nothing of this branch,
// desk and day is loaded (a conflict needs all three equal), and undone for ON CONFLICT if the bundle repeats
// one of its own numbers (a unique violation).
const insertRequests = (partition: string, businessDate: string, branch: string, desk: string, keyFingerprint: string, batchId: number, conflicts: boolean) => `
    INSERT INTO headoffice.${partition} (application_number, business_date, branch_code, desk, installation, batch_id, ticket_no, status, channel,
      created_at, completed_at, applicant_name_masked, document_type, document_number_masked, mobile_masked, new_mobile_masked,
      merchant_number, terminal_id, terminal_serial, reason, reason_text, verification_method, online_check, authorization_reasons,
      authorization_decision, authorizer_no, teller_no, print_count, outcome_reason)
    SELECT ${col('applicationNumber')}, ${escapeLiteral(businessDate)}::date, ${escapeLiteral(branch)}, ${escapeLiteral(desk)}, ${installationOf(keyFingerprint)}, ${batchId}, ${orNull('ticketNo')}::integer, ${statusCode}, ${orNull('channel')},
      ${col('createdAt')}::timestamp, ${orNull('completedAt')}::timestamp, ${orNull('applicantName')}, ${orNull('documentType')},
      ${orNull('documentNumber')}, ${orNull('mobile')}, ${orNull('newMobile')}, ${orNull('merchantNumber')}, ${orNull('terminalId')},
      ${orNull('terminalSerial')}, ${orNull('reasonCode')}, ${orNull('reasonText')}, ${orNull('verificationMethod')}, ${orNull('onlineCheck')},
      ${orNull('authorizationReasons')}, ${orNull('authorizationDecision')}, ${orNull('authorizerNo')}, ${col('tellerNo')},
      ${col('printCount')}::integer, ${orNull('rejectReason')}
    FROM pg_temp.staging s${conflicts ? '\n    ON CONFLICT (branch_code, desk, business_date, installation, application_number) DO NOTHING' : ''}`;

/**
 * Cross-installation repeats of every batch the ledger marks pending, in one transaction with clearing the
 * marks: one pair per (a new request, a request of another installation with the same merchant number or SN
 * within REPEAT_WINDOW_DAYS days). Another installation: another branch, or another desk of the branch signed
 * with another key (desk 00 and the desk its installation later set are one installation; two pre-desk PCs of
 * one branch, both desk 00, are two). Set-based, with no index on the values: the window's rows are read once
 * to find the values seen more than once there and at least once in a pending batch (grouped on a 64-bit hash
 * of the value), and the rows holding those few values are fetched back and paired exactly. Two new requests make one pair (the later first); a new and an older one, one pair (the new
 * one first). Returns the pairs added.
 */
export async function findPendingRepeats(client: pg.Client): Promise<number> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ lo: string | null; hi: string | null }>(
      `SELECT to_char(min(business_date) - ${REPEAT_WINDOW_DAYS}, 'YYYY-MM-DD') AS lo, to_char(max(business_date) + ${REPEAT_WINDOW_DAYS}, 'YYYY-MM-DD') AS hi
       FROM headoffice.batches WHERE repeats_pending`,
    );
    const { lo, hi } = rows[0] ?? { lo: null, hi: null };
    let added = 0;
    if (lo !== null && hi !== null) {
      // The window's dates as literals: only its months' partitions are read. One scan keeps each row's place and
      // the 64-bit hashes of its two values (a night's million rows: about 50 MB, sorted in memory rather than
      // hashed into a table of every value); the rows of the few values seen twice are fetched back by place
      // (a TID scan each, kept a per-row subquery by OFFSET 0). No JIT compile for a statement run once a night.
      const window = `r.business_date BETWEEN ${literal(lo)}::date AND ${literal(hi)}::date`;
      const seen = (hash: string) => `SELECT ${hash} AS h FROM keyed WHERE ${hash} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 AND bool_or(fresh)`;
      await client.query(`SET LOCAL enable_hashagg = off; SET LOCAL work_mem = '256MB'; SET LOCAL jit = off`);
      const inserted = await client.query(
        `WITH keyed AS MATERIALIZED (
           SELECT r.tableoid AS t, r.ctid AS c, hashtextextended(r.merchant_number, 0) AS hm, hashtextextended(r.terminal_serial, 0) AS hs, p.id IS NOT NULL AS fresh
           FROM headoffice.requests r LEFT JOIN headoffice.batches p ON p.id = r.batch_id AND p.repeats_pending
           WHERE ${window}
         ), seen_merchant AS (${seen('hm')}
         ), seen_serial AS (${seen('hs')}
         ), picked AS (
           SELECT 'merchant' AS kind, t, c FROM keyed WHERE hm IN (SELECT h FROM seen_merchant)
           UNION ALL
           SELECT 'serial', t, c FROM keyed WHERE hs IN (SELECT h FROM seen_serial)
         ), candidates AS MATERIALIZED (
           SELECT p.kind, CASE p.kind WHEN 'merchant' THEN r.merchant_number ELSE r.terminal_serial END AS value,
                  r.application_number, r.branch_code, r.desk, r.business_date, b.key_fingerprint AS key, b.repeats_pending AS fresh
           FROM picked p
           CROSS JOIN LATERAL (SELECT * FROM headoffice.requests r WHERE ${window} AND r.tableoid = p.t AND r.ctid = p.c OFFSET 0) r
           JOIN headoffice.batches b ON b.id = r.batch_id
         )
         INSERT INTO headoffice.repeat_matches (kind, value, application_number, branch_code, desk, business_date, other_application, other_branch, other_desk, other_date)
         SELECT n.kind, n.value, n.application_number, n.branch_code, n.desk, n.business_date, o.application_number, o.branch_code, o.desk, o.business_date
         FROM candidates n JOIN candidates o ON o.kind = n.kind AND o.value = n.value
         WHERE n.fresh
           AND o.business_date BETWEEN n.business_date - ${REPEAT_WINDOW_DAYS} AND n.business_date + ${REPEAT_WINDOW_DAYS}
           AND (o.branch_code <> n.branch_code OR (o.key <> n.key AND (o.desk <> n.desk OR o.desk = '00')))
           AND (NOT o.fresh OR (n.business_date, n.application_number, n.key) > (o.business_date, o.application_number, o.key))
         ON CONFLICT DO NOTHING`,
      );
      added = inserted.rowCount ?? 0;
      await client.query('UPDATE headoffice.batches SET repeats_pending = false WHERE repeats_pending');
    }
    await client.query('COMMIT');
    return added;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** How many bundles are checked ahead of the one loading (each held in memory: its applications.csv). */
const CHECKED_AHEAD = 2;

interface Checker {
  /** The registry the checks use, read under the lock; given before the first check. */
  useKeys(keys: RegisteredKey[]): void;
  check(folder: string): Promise<BundleCheck>;
  stop(): Promise<void>;
}

/** checkWorker.ts on a thread of its own; where no thread can be started, the same checks on this one. */
function startChecker(): Checker {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./checkWorker.ts', import.meta.url));
  } catch {
    const registry = new Map<string, RegisteredKey[]>();
    return {
      useKeys: (keys) => {
        for (const key of keys) registry.set(`${key.branchCode}/${key.desk}`, [...(registry.get(`${key.branchCode}/${key.desk}`) ?? []), key]);
      },
      check: (folder) => checkBundle(folder, (branch, desk) => Promise.resolve(registry.get(`${branch}/${desk}`) ?? [])),
      stop: () => Promise.resolve(),
    };
  }
  const waiting = new Map<number, { resolve: (check: BundleCheck) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(failure);
    waiting.clear();
  };
  worker.on('message', (reply: CheckReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!pending) return;
    if ('check' in reply) {
      const { check } = reply;
      // A Buffer crosses the thread as a plain Uint8Array.
      if (check.ok) {
        const bytes = check.bundle.applicationsCsv;
        check.bundle.applicationsCsv = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      pending.resolve(check);
    } else {
      pending.reject(Object.assign(new Error(reply.error.message), reply.error.syscall === undefined ? {} : { syscall: reply.error.syscall, code: reply.error.code }));
    }
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the bundle checker stopped (exit ${code})`)));
  let nextId = 0;
  let stopped = false;
  return {
    useKeys(keys) {
      worker.postMessage({ keys } satisfies CheckRequest);
    },
    check(folder) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<BundleCheck>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, folder } satisfies CheckRequest);
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

export interface ConsolidateOptions {
  /** Called with each outcome as it is decided (the CLI prints one line each). */
  onOutcome?: (outcome: BundleOutcome) => void;
}

export async function consolidate(client: pg.Client, roots: readonly string[], options: ConsolidateOptions = {}): Promise<BundleOutcome[]> {
  // Started first: the thread loads its code while this one waits for the writers' lock. Stopped however the
  // run ends (a thread left running would keep the process alive).
  const checker = startChecker();
  try {
    return await consolidateWith(checker, client, roots, options);
  } finally {
    await checker.stop();
  }
}

async function consolidateWith(checker: Checker, client: pg.Client, roots: readonly string[], options: ConsolidateOptions): Promise<BundleOutcome[]> {
  await lockWriters(client);
  // No JIT compile for statements of a few thousand rows each (the server's own setting otherwise).
  await client.query(`SET jit = off; CREATE TEMP TABLE IF NOT EXISTS staging (${STAGING_COLUMNS.map((code) => `"${code}" text`).join(', ')}) ON COMMIT DELETE ROWS`);
  // The whole registry, read once under the lock (a bank has thousands of desks, not millions): bundles are
  // checked ahead of their load, and a check never queries the database inside another bundle's transaction.
  checker.useKeys(await allDeskKeys(client));
  const outcomes: BundleOutcome[] = [];
  const partitions = new Set<string>();
  const folders = await findBundles(roots);
  // A folder or file this account cannot read is that bundle's problem, named; a database error stops the run.
  const check = (folder: string): Promise<BundleCheck> => {
    const checking = checker.check(folder).catch((error: unknown): BundleCheck => {
      if (error instanceof Error && 'syscall' in error) {
        return { ok: false, reason: 'folder_unreadable', detail: `${QUARANTINE_REASONS.folder_unreadable} (${String((error as NodeJS.ErrnoException).code)})` };
      }
      throw error;
    });
    // Checked ahead while the database loads the bundle before it: a failure is awaited in its turn, not unhandled.
    checking.catch(() => undefined);
    return checking;
  };
  // The next bundles are checked (read, hashed, counted: on the checker's thread) while the database loads this one.
  const ahead = folders.slice(0, CHECKED_AHEAD).map(check);
  try {
    for (const [index, folder] of folders.entries()) {
      const checked = await (ahead.shift() as Promise<BundleCheck>);
      const following = folders[index + CHECKED_AHEAD];
      if (following !== undefined) ahead.push(check(following));
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
  } finally {
    await checker.stop();
  }
  // Fresh statistics for the repeat search and the questions that follow (a nightly load can double a
  // partition): the months this run loaded into, not every month ever loaded.
  if (outcomes.some((outcome) => outcome.kind === 'loaded')) {
    const months = [...new Set(outcomes.flatMap((outcome) => (outcome.kind === 'loaded' ? [monthPartition(outcome.businessDate).name] : [])))];
    await client.query(`ANALYZE ${[...months.map((name) => `headoffice.${name}`), 'headoffice.batches'].join(', ')}`);
  }
  // Also after a run that loaded nothing: batches an interrupted run left pending.
  await findPendingRepeats(client);
  await client.query('ANALYZE headoffice.repeat_matches');
  await client.query('RESET jit; SELECT pg_advisory_unlock_all()');
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
    return await loadOnce(client, bundle, names, installation, partition, createPartition, partitions, false);
  } catch (error) {
    // The bundle repeats one of its own application numbers: loaded again the issue's way, keeping the first.
    if ((error as { code?: unknown }).code === '23505') return loadOnce(client, bundle, names, installation, partition, createPartition, partitions, true);
    throw error;
  }
}

async function loadOnce(
  client: pg.Client,
  bundle: VerifiedBundle,
  names: { folder: string; branch: string; desk: string; businessDate: string; batch: number },
  installation: string,
  partition: { name: string },
  createPartition: string,
  partitions: Set<string>,
  forceConflicts: boolean,
): Promise<BundleOutcome> {
  const { manifest, desk, folder } = bundle;
  try {
    const opened = (await client.query(
    `BEGIN; ${createPartition}
     INSERT INTO headoffice.batches (branch_code, desk, business_date, batch, manifest_sha256, format, key_fingerprint, installation, audit_seq, audit_hash, rows_stated, rows_added, folder, repeats_pending)
     VALUES (${[names.branch, desk, names.businessDate, names.batch, bundle.manifestSha256, manifest.format, bundle.keyFingerprint, installation, manifest.auditHead.seq, manifest.auditHead.hash, manifest.counts.total, 0, folder].map(literal).join(', ')}, true)
     ON CONFLICT DO NOTHING RETURNING id;
     SELECT EXISTS (SELECT 1 FROM headoffice.requests WHERE branch_code = ${literal(names.branch)} AND desk = ${literal(desk)} AND business_date = ${literal(names.businessDate)}::date) AS loaded`,
    )) as unknown as pg.QueryResult[];
    const batchId = Number(opened.at(-2)?.rows[0]?.id ?? Number.NaN);
    if (!Number.isSafeInteger(batchId)) {
      const { rows: existing } = await client.query<{ manifest_sha256: string }>(
        `SELECT manifest_sha256 FROM headoffice.batches WHERE branch_code = $1 AND desk = $2 AND installation = $3 AND business_date = $4 AND batch = $5`,
        [names.branch, desk, installation, names.businessDate, names.batch],
      );
      await client.query('ROLLBACK');
      if (existing[0]?.manifest_sha256 === bundle.manifestSha256) return { kind: 'unchanged', ...names };
      return { kind: 'quarantined', folder, reason: 'batch_conflict', detail: `${QUARANTINE_REASONS.batch_conflict} (loaded manifest ${existing[0]?.manifest_sha256.slice(0, 16) ?? '?'}…)` };
    }
    // Nothing of this branch, desk and day loaded yet (the common case: a desk's first batch of the day): no row
    // can conflict with one already there.
    const conflicts = forceConflicts || opened.at(-1)?.rows[0]?.loaded !== false;
    // The staged row count is the one COPY reports (its command tag): no second pass over the staged rows.
    const copy = client.query(copyFrom(`COPY pg_temp.staging (${bundle.columns.map((code) => `"${code}"`).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`));
    await pipeline(Readable.from([bundle.applicationsCsv]), copy);
    // Checked before the rows go in: a wrong count rolls back everything this bundle did. The application numbers
    // were checked with the bundle (checkBundle), on the rows these same bytes hold.
    const staged = copy.rowCount;
    if (staged !== manifest.counts.total) throw new Quarantine('rows_mismatch', `applications.csv gave ${staged} rows, the manifest counts ${manifest.counts.total}`);
    const inserted = await client.query(insertRequests(partition.name, names.businessDate, names.branch, desk, bundle.keyFingerprint, batchId, conflicts));
    const added = inserted.rowCount ?? 0;
    await client.query(`UPDATE headoffice.batches SET rows_added = ${added} WHERE id = ${batchId}; COMMIT`);
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
