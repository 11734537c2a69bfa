import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { applicationInputSchema, syntheticRandom } from '../../shared';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { openDatabase, type Db } from '../../electron/core/db/connection';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';
import { openInProcessReader } from '../../electron/core/cardReader/inProcessReader';
import { placeCardFor } from '../support/chipCards';
import { blindIndex } from '../../electron/core/crypto/fieldCipher';
import { median, percentile, type Figures } from './stats';

const BUSINESS_DATE = '2026-11-25';

/** A durable transaction's time: the work is made outside the clock, the commit is inside it. */
function timedCommit(db: Db, work: () => void): number {
  const started = performance.now();
  db.transaction(work)();
  return performance.now() - started;
}

/**
 * Not a target: the same CPU work, validating one request, timed right after a durable commit (the thread
 * has just waited for the disk) and again at once. On this virtual machine the first runs much slower. A
 * submit's work always follows such a wait, the previous commit's fsync; the raw insert has little work to slow.
 */
function workAfterDiskWait(db: Db, insert: (payload: Buffer) => void, requests: unknown[]): Figures {
  const validate = (i: number): number => {
    const started = performance.now();
    applicationInputSchema.parse(requests[i % requests.length]);
    return performance.now() - started;
  };
  for (let i = 0; i < requests.length * 4; i += 1) validate(i);
  const afterWait: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < 1000; i += 1) {
    timedCommit(db, () => insert(randomBytes(1300)));
    afterWait.push(validate(i));
    again.push(validate(i + 1));
  }
  return {
    queue_validate_after_fsync_us: median(afterWait) * 1000,
    queue_validate_again_us: median(again) * 1000,
  };
}

/**
 * Submit through the router (validation, sealing, rules, audit, synchronous=FULL) vs a raw durable insert.
 * All three are warmed up first, then their WALs restarted: a fresh WAL grows on every commit, and a commit
 * that grows a file also flushes the file system's metadata. Then they take turns, one submit, one raw
 * insert, one same-writes transaction, so a slow spell of this shared machine falls on all three alike.
 */
async function submitVersusRawInsert(dir: string, samples: number): Promise<Figures> {
  const readerSim = new SamReaderSimulator();
  const core = await openCore({ dataDir: join(dir, 'submit'), appVersion: 'bench', log: silentEventLog, passwordCost: 10, openCardReader: () => Promise.resolve(openInProcessReader(readerSim, 0)) });
  const call = async (method: string, input: unknown) => {
    const result = await core.router.invoke('bench', method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as { id: number; version: number; businessDate: string };
  };
  await call('auth.setup', { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Bench-Kettle-31' } });
  await call('auth.login', { employeeNo: 'A001', password: 'Bench-Kettle-31' });
  const random = syntheticRandom(7);
  let rowBytes = 0;
  /** One submit's time; registering and starting the review come first, outside the clock. */
  const submit = async (beforeSubmit?: () => void): Promise<number> => {
    const app = await call('applications.register', {});
    const review = await call('applications.startReview', { id: app.id, version: app.version });
    const demo = makeDemoRequest(random, app.businessDate);
    // The card is read first (outside the clock): the submit then carries the read's id, as at the counter.
    const request = { ...demo, verification: { ...demo.verification, chipReadId: await placeCardFor(core, readerSim, 'bench', demo) } };
    rowBytes = JSON.stringify(request).length;
    beforeSubmit?.();
    const started = performance.now();
    await call('applications.submit', { id: review.id, version: review.version, request });
    return performance.now() - started;
  };

  // The same durability (WAL, synchronous=FULL), one row of the same size, one transaction per insert.
  const raw = openDatabase(join(dir, 'raw.sqlite'));
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
  const insert = raw.prepare('INSERT INTO t (payload) VALUES (?)');
  const rawInsert = () => {
    const payload = randomBytes(rowBytes + 600);
    return timedCommit(raw, () => insert.run(payload));
  };

  // Where the rest goes: the same page writes as a submit without any of our code — the row with the
  // seven index entries a submit adds (day, document, two phones, merchant, terminal, SN) and an audit
  // row with its index entry, in one durable transaction. Not a target; it shows what the schema costs.
  const same = openDatabase(join(dir, 'same-writes.sqlite'));
  const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
  same.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL, ${keys.map((k) => `${k} BLOB`).join(', ')});
    ${keys.map((k) => `CREATE INDEX t_${k} ON t (${k});`).join('\n')}
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, entity_id TEXT NOT NULL, details TEXT NOT NULL);
    CREATE INDEX audit_entity ON audit (entity_id, seq);`);
  const insertRow = same.prepare(`INSERT INTO t (payload, ${keys.join(', ')}) VALUES (?${', ?'.repeat(keys.length)})`);
  const insertAudit = same.prepare('INSERT INTO audit (entity_id, details) VALUES (?, ?)');
  const sameWrites = () => {
    const payload = randomBytes(rowBytes + 600);
    const indexValues = keys.map(() => randomBytes(32));
    const details = randomBytes(150).toString('hex');
    return timedCommit(same, () => {
      const { lastInsertRowid } = insertRow.run(payload, ...indexValues);
      insertAudit.run(String(lastInsertRowid), details);
    });
  };

  // A raw insert adds one or two WAL frames; twice as many of them bring its WAL to the 1,000-frame
  // checkpoint too, after which the file is rewritten in place and no longer grows.
  for (let i = 0; i < samples; i += 1) {
    await submit();
    rawInsert();
    rawInsert();
    sameWrites();
  }
  for (const db of [core.db, raw, same]) db.pragma('wal_checkpoint(RESTART)');
  const submitMs: number[] = [];
  const rawMs: number[] = [];
  const sameMs: number[] = [];
  const workMs: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    submitMs.push(await submit());
    rawMs.push(rawInsert());
    sameMs.push(sameWrites());
    // Not a target: the same submit without the fsync, so the table can say what is work and what is disk.
    core.db.pragma('synchronous = OFF');
    workMs.push(await submit());
    core.db.pragma('synchronous = FULL');
  }
  // Pages a submit writes: a checkpoint just before it empties the WAL (the next commit starts it over),
  // and one just after it counts the frames that submit alone added.
  const walFrames = () => (core.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? 0;
  let pages = 0;
  for (let i = 0; i < 100; i += 1) {
    await submit(walFrames);
    pages += walFrames();
  }
  const requests = Array.from({ length: 200 }, () => makeDemoRequest(random, BUSINESS_DATE));
  const cpu = workAfterDiskWait(raw, (payload) => insert.run(payload), requests);
  core.close();
  raw.close();
  same.close();
  const submitMedian = median(submitMs);
  const rawMedian = median(rawMs);
  return {
    queue_submit_median_ms: submitMedian,
    queue_raw_insert_median_ms: rawMedian,
    queue_submit_ratio: submitMedian / rawMedian,
    queue_raw_same_writes_median_ms: median(sameMs),
    queue_submit_no_fsync_median_ms: median(workMs),
    queue_submit_pages_written_mean: pages / 100,
    queue_submit_samples: samples,
    ...cpu,
  };
}

/** Board and blind-index search at a million requests, filled with sealed-looking rows straight into SQLite. */
async function boardAndSearchAtScale(dir: string, rows: number, queries: number): Promise<Figures> {
  const core = await openCore({ dataDir: join(dir, 'scale'), appVersion: 'bench', log: silentEventLog, passwordCost: 10 });
  const call = async (method: string, input: unknown) => {
    const result = await core.router.invoke('bench', method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as { rows: unknown[] };
  };
  await call('auth.setup', { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Bench-Kettle-31' } });
  await call('auth.login', { employeeNo: 'A001', password: 'Bench-Kettle-31' });
  // Filling a million rows outlasts the default idle lock.
  await call('settings.update', { idleLockMinutes: 120 });
  // Each timed phone search is an exact lookup beyond the teller's budget: a supervisor's grant pays for it.
  const supervisor = { employeeNo: 'S001', password: 'Bench-Harbour-47' };
  const created = (await call('tellers.create', { ...supervisor, name: '赵主管', role: 'supervisor' })) as unknown as { id: number };
  // A bench shortcut past the two-person rule's account checks (the supervisor's own first password, and not
  // authorizing for the admin who made the account): what is timed is the lookup, not the account's history.
  core.db.prepare('UPDATE tellers SET must_change_password = 0, created_by = NULL, password_reset_by = NULL WHERE id = ?').run(created.id);
  const statuses = ['waiting', 'in_review', 'pending_authorization', 'approved', 'completed', 'completed', 'completed', 'rejected', 'cancelled'];
  const perDay = 5_000;
  const mobiles: string[] = [];
  const fillStarted = performance.now();
  // Sealed-looking bytes: the size of a real sealed request (the content does not change the query plans).
  const sealed = randomBytes(700);
  const insert = core.db.prepare(
    `INSERT INTO applications (number, business_date, ticket_no, status, channel, created_by, created_at, updated_at, request_enc,
       applicant_name_masked, document_type, document_number_masked, document_number_bidx, mobile_masked, mobile_bidx,
       merchant_number, terminal_id, terminal_serial, reason_code, verification_method, online_check)
     VALUES (@number, @date, @ticket, @status, 'counter', 1, @at, @at, @sealed, '张*', 'resident_id', '1101**********002X', @docIdx,
       '138****5678', @mobileIdx, @merchant, @terminal, @serial, 'no_longer_needed', 'chip', 'match')`,
  );
  const day0 = Date.parse(`${BUSINESS_DATE}T00:00:00Z`);
  const batch = core.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const date = new Date(day0 - Math.floor(i / perDay) * 86_400_000).toISOString().slice(0, 10);
      const ticket = (i % perDay) + 1;
      const mobile = `13${String(100_000_000 + i).slice(-9)}`;
      if (i % 997 === 0) mobiles.push(mobile);
      insert.run({
        number: `310101-${date.replaceAll('-', '')}-${String(ticket).padStart(4, '0')}`,
        date,
        ticket,
        status: statuses[i % statuses.length],
        at: new Date(day0).toISOString(),
        sealed,
        docIdx: randomBytes(32),
        mobileIdx: blindIndex(core.context.keys.indexKey, 'mobile', mobile),
        merchant: `8${String(310_000_000_000_000 + i).slice(-14)}`,
        terminal: String(10_000_000 + (i % 90_000_000)),
        serial: `SN-${i}`,
      });
    }
  });
  // Building the fixture is not what is measured: no fsync while filling, FULL again before the queries.
  core.db.pragma('synchronous = OFF');
  for (let from = 0; from < rows; from += 50_000) batch(from, Math.min(rows, from + 50_000));
  core.db.pragma('synchronous = FULL');
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  core.db.exec('ANALYZE');
  const fillMs = performance.now() - fillStarted;

  const random = syntheticRandom(11);
  const boardMs: number[] = [];
  const searchMs: number[] = [];
  for (let i = 0; i < queries; i += 1) {
    const daysBack = Math.floor(random() * (rows / perDay));
    const date = new Date(day0 - daysBack * 86_400_000).toISOString().slice(0, 10);
    const status = statuses[Math.floor(random() * statuses.length)];
    let started = performance.now();
    const page = await call('applications.board', { businessDate: date, statuses: [status], page: 1 + Math.floor(random() * 5), pageSize: 50 });
    boardMs.push(performance.now() - started);
    if (page.rows.length === 0) throw new Error('empty board page: the benchmark would measure nothing');
    const mobile = mobiles[Math.floor(random() * mobiles.length)] ?? '';
    const { grantId } = (await call('authorization.grant', { action: 'exact_lookup', supervisor })) as unknown as { grantId: number };
    started = performance.now();
    const found = await call('applications.search', { query: mobile, grantId });
    searchMs.push(performance.now() - started);
    if (found.rows.length !== 1) throw new Error(`search for a known phone found ${found.rows.length}`);
  }
  core.close();
  return {
    queue_rows: rows,
    queue_fill_s: fillMs / 1000,
    queue_board_p95_ms: percentile(boardMs, 95),
    queue_board_median_ms: median(boardMs),
    queue_search_p95_ms: percentile(searchMs, 95),
    queue_search_median_ms: median(searchMs),
  };
}

export async function queueBench(dir: string, options: { rows: number; samples: number; queries: number }): Promise<Figures> {
  return { ...(await submitVersusRawInsert(dir, options.samples)), ...(await boardAndSearchAtScale(dir, options.rows, options.queries)) };
}
