import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { APPLICATION_COLUMNS } from '../../electron/core/dayclose/applicationsCsv';
import { consolidate } from '../../electron/headoffice/consolidate';
import { migrate } from '../../electron/headoffice/database';
import { registerDeskKey } from '../../electron/headoffice/keyRegistry';
import { repeatRequests } from '../../electron/headoffice/reports';
import { createHash, createPublicKey } from 'node:crypto';
import { deskKey, writeSyntheticBundle, type DeskDay } from '../support/headofficeBundles';
import { startPostgres } from '../support/postgresServer';
import { percentile, type Figures } from './stats';

const BRANCHES = Number(process.env.HO_BENCH_BRANCHES ?? 20);
const DESKS = 2;
const DAYS = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Head office's consolidation of `bundles` day bundles of `rowsPerBundle` rows (20 branches x 2 desks x 5 days
 * by default: 200 x 5,000 = 1,000,000 requests) into a private PostgreSQL cluster (fsync on), against a bare
 * COPY of the same applications.csv files into an unindexed table in the same run (before and after the load;
 * the ratio against their mean, and against the faster of the two); then the p95 of the
 * cross-branch repeat query (one business day, N = 30) on the loaded million. 1 row in 1,000 takes a merchant
 * number and 1 in 1,000 an SN drawn at random from pools of 997, so the repeats the query finds are real (about a
 * thousand pairs in the million, a few hundred a day).
 */
export async function consolidateBench(dir: string, rowsPerBundle = 5000): Promise<Figures> {
  // Its own folder straight under the temp dir: the postgres account must reach it (the bench's folder is 0700).
  const server = await startPostgres(mkdtempSync(join(tmpdir(), 'unbinddesk-pg-')), { durable: true, sharedBuffers: '512MB', maxWalSize: '4GB' });
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    await migrate(client);
    const tree = join(dir, 'bundles');
    mkdirSync(tree);
    const generated = performance.now();
    const folders: string[] = [];
    for (let b = 0; b < BRANCHES; b++) {
      const branch = `31${pad(b, 4)}`;
      for (let d = 1; d <= DESKS; d++) {
        const desk = pad(d, 2);
        const key = deskKey(`bench ${branch}/${desk}`);
        await registerDeskKey(client, { branchCode: branch, desk, key: createPublicKey(key), validFrom: '2026-11-01' });
        DAYS.forEach((businessDate, dayIndex) => {
          const overrides: DeskDay['overrides'] = {};
          for (let i = 0; i < rowsPerBundle; i += 1000) {
            const draw = createHash('sha256').update(`${b}/${d}/${dayIndex}/${i}`).digest();
            overrides[i] = { merchantNumber: `8983101${pad(draw.readUInt32BE(0) % 997, 8)}` };
            overrides[i + 500] = { terminalSerial: `000BENCH${pad(draw.readUInt32BE(4) % 997, 10)}` };
          }
          folders.push(writeSyntheticBundle(tree, { branch, desk, businessDate, key, rows: rowsPerBundle, auditSeq: 1000 * (dayIndex + 1), overrides }));
        });
      }
    }
    const generateMs = performance.now() - generated;
    const total = folders.length * rowsPerBundle;

    // The floor: each file's bytes COPYed into an unindexed table of text columns, a transaction each (durable
    // like the load: same cluster, fsync and synchronous_commit on). Timed before and after the load, since the
    // machine is shared and its speed drifts during a run: the ratio is against the mean of the two.
    const bareCopy = async (): Promise<number> => {
      await client.query(`CREATE TABLE bare_copy (${APPLICATION_COLUMNS.map((column) => `"${column.code}" text`).join(', ')})`);
      const started = performance.now();
      for (const folder of folders) {
        await client.query('BEGIN');
        await pipeline(Readable.from([readFileSync(join(folder, 'applications.csv'))]), client.query(copyFrom(`COPY bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)));
        await client.query('COMMIT');
      }
      const ms = performance.now() - started;
      const bareRows = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM bare_copy')).rows[0]?.n);
      if (bareRows !== total) throw new Error(`bare COPY took ${bareRows} rows of ${total}`);
      await client.query('DROP TABLE bare_copy');
      return ms;
    };
    const bareBeforeMs = await bareCopy();

    const loadStarted = performance.now();
    const outcomes = await consolidate(client, [tree]);
    const loadMs = performance.now() - loadStarted;
    const refused = outcomes.filter((outcome) => outcome.kind !== 'loaded');
    if (refused.length > 0) throw new Error(`consolidate did not load ${refused.length} bundles: ${JSON.stringify(refused[0])}`);
    const loaded = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM headoffice.requests')).rows[0]?.n);
    if (loaded !== total) throw new Error(`consolidate loaded ${loaded} rows of ${total}`);
    const bareAfterMs = await bareCopy();
    const bareMs = (bareBeforeMs + bareAfterMs) / 2;

    // The nightly question: one business day's requests repeated at another installation within 30 days.
    const samples: number[] = [];
    let found = 0;
    for (let round = 0; round < 20; round++) {
      for (const day of DAYS) {
        const started = performance.now();
        const table = await repeatRequests(client, day, day, 30);
        samples.push(performance.now() - started);
        found = Math.max(found, table.rows.length);
      }
    }
    if (found === 0) throw new Error('the repeat query found nothing: the benchmark would time an empty answer');
    const matches = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM headoffice.repeat_matches')).rows[0]?.n);
    return {
      consolidate_bundles: folders.length,
      consolidate_rows: total,
      consolidate_generate_s: generateMs / 1000,
      consolidate_bare_copy_before_s: bareBeforeMs / 1000,
      consolidate_bare_copy_after_s: bareAfterMs / 1000,
      consolidate_load_s: loadMs / 1000,
      consolidate_rows_per_s: total / (loadMs / 1000),
      consolidate_bare_rows_per_s: total / (bareMs / 1000),
      consolidate_load_over_bare: loadMs / bareMs,
      consolidate_load_over_slower_bare: loadMs / Math.max(bareBeforeMs, bareAfterMs),
      consolidate_load_over_faster_bare: loadMs / Math.min(bareBeforeMs, bareAfterMs),
      consolidate_repeat_pairs: matches,
      consolidate_repeat_rows_per_day_max: found,
      consolidate_repeat_query_p50_ms: percentile(samples, 50),
      consolidate_repeat_query_p95_ms: percentile(samples, 95),
    };
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
  }
}
