// Head office's CLI commands (`npm run cli -- consolidate …`), dispatched from electron/cli.ts. Plain Node:
// PostgreSQL by `--database postgres://…` or the standard PG* environment variables.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { consolidate, outcomeLine, REPEAT_WINDOW_DAYS } from './consolidate';
import { connect, migrate, requireTlsOffMachine, SchemaTooNewError, TlsRequiredError } from './database';
import { parsePublicKey, registerDeskKey, RegistryError, revokeDeskKey } from './keyRegistry';
import { gapReport, openOutcomes, repeatRequests, requestsPerBranchDay, requestsPerTeller, tableCsv, type Table } from './reports';

export const HEAD_OFFICE_USAGE = `
Head office (PostgreSQL; --database postgres://USER@HOST/DB, or the PG* environment variables):
  register-desk --branch B --desk NN --public-key FILE [--valid-from YYYY-MM-DD] [--revoke]
                                      register a desk's installation key (desk 00: bundles written before desks
                                      were numbered), or revoke it
  consolidate DIR...                  check and load every day bundle in the folders; one line per bundle;
                                      exit 1 when any was quarantined
  gaps --from DATE --to DATE          desks and days with no bundle, batches skipped, audit heads going backwards
                                      (CSV; exit 1 when there is any)
  report-days --from DATE --to DATE   requests per branch and day, by status (CSV)
  report-tellers --from DATE --to DATE
                                      requests per branch and teller, by status (CSV)
  report-repeats --from DATE --to DATE [--days N]
                                      requests repeated at another branch, or another counter of the same
                                      branch, within N days (default 30, at most ${REPEAT_WINDOW_DAYS}) by merchant number or
                                      terminal SN, with the branch and desk of both sides (CSV)
  report-open --days N [--as-of DATE] requests still open N days or more after they first appeared (CSV)
  (the reports take --header code for English column names, --out FILE to write the CSV to a file)`;

export class HeadOfficeUsageError extends Error {}

const DATABASE_OPTION = { database: { type: 'string' } } as const;

function dateOf(name: string, value: string | undefined): string {
  const time = value === undefined ? Number.NaN : Date.parse(`${value}T00:00:00Z`);
  const valid = value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  if (!valid) throw new HeadOfficeUsageError(value === undefined ? `--${name} YYYY-MM-DD is required` : `--${name} ${value} is not a calendar date in the form YYYY-MM-DD`);
  return value;
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new HeadOfficeUsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

/** Today in Beijing, 'YYYY-MM-DD'. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

async function withDatabase<T>(database: string | undefined, work: (client: pg.Client) => Promise<T>): Promise<T> {
  try {
    requireTlsOffMachine(database);
  } catch (error) {
    if (error instanceof TlsRequiredError) throw new HeadOfficeUsageError(error.message);
    throw error;
  }
  let client: pg.Client;
  try {
    client = await connect(database);
  } catch (error) {
    // The URL may carry a password: never echoed.
    throw new HeadOfficeDatabaseError(`cannot connect to PostgreSQL (${(error as { code?: string }).code ?? (error as Error).message}): check --database or the PG* variables`);
  }
  try {
    await migrate(client);
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The database could not be reached or used: exit 1, one line. */
export class HeadOfficeDatabaseError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function registerDesk(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...DATABASE_OPTION, branch: { type: 'string' }, desk: { type: 'string' }, 'public-key': { type: 'string' }, 'valid-from': { type: 'string' }, revoke: { type: 'boolean' } },
  });
  if (!values.branch || !values.desk || !values['public-key']) throw new HeadOfficeUsageError('register-desk --branch B --desk NN --public-key FILE [--valid-from YYYY-MM-DD] [--revoke]');
  const validFrom = values['valid-from'] === undefined ? today() : dateOf('valid-from', values['valid-from']);
  let key;
  try {
    key = parsePublicKey(readFileSync(resolve(values['public-key']), 'utf8'));
  } catch (error) {
    if (error instanceof RegistryError) throw new HeadOfficeUsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new HeadOfficeUsageError(`cannot read the public key file ${values['public-key']} (${code})`);
    throw error;
  }
  const { branch, desk } = values;
  return withDatabase(values.database, async (client) => {
    try {
      const outcome = values.revoke ? await revokeDeskKey(client, branch, desk, key) : await registerDeskKey(client, { branchCode: branch, desk, key, validFrom });
      const what = { registered: 'registered', already_registered: 'already registered (unchanged)', revoked: 'revoked' }[outcome.kind];
      out(`${what}: branch ${branch} desk ${desk} key ${outcome.fingerprint} valid from ${outcome.validFrom}`);
      return 0;
    } catch (error) {
      if (error instanceof RegistryError) {
        process.stderr.write(`error: ${error.message}\n`);
        return error.code === 'branch_invalid' || error.code === 'desk_invalid' ? 2 : 1;
      }
      throw error;
    }
  });
}

async function consolidateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: DATABASE_OPTION });
  if (positionals.length === 0) throw new HeadOfficeUsageError('consolidate DIR... (the folders holding the day bundles)');
  const roots = positionals.map((dir) => {
    const folder = resolve(dir);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(folder).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) throw new HeadOfficeUsageError(`no folder ${folder}`);
    return folder;
  });
  return withDatabase(values.database, async (client) => {
    const outcomes = await consolidate(client, roots, { onOutcome: (outcome) => out(outcomeLine(outcome)) });
    const count = (kind: string) => outcomes.filter((outcome) => outcome.kind === kind).length;
    const rows = outcomes.reduce((sum, outcome) => sum + (outcome.kind === 'loaded' ? outcome.added : 0), 0);
    out(`${outcomes.length} bundles: ${count('loaded')} loaded (${rows} new rows), ${count('unchanged')} unchanged, ${count('quarantined')} quarantined`);
    return count('quarantined') > 0 ? 1 : 0;
  });
}

const REPORT_OPTIONS = { ...DATABASE_OPTION, from: { type: 'string' }, to: { type: 'string' }, header: { type: 'string' }, out: { type: 'string' } } as const;

function writeTable(table: Table, header: string | undefined, file: string | undefined): void {
  if (header !== undefined && header !== 'code' && header !== 'title') throw new HeadOfficeUsageError('--header is code or title');
  const csv = tableCsv(table, header === 'code' ? 'code' : 'title');
  if (file) {
    // wx: never overwrite a report already there.
    writeFileSync(resolve(file), csv, { flag: 'wx', mode: 0o600 });
  } else process.stdout.write(csv);
}

function range(values: { from?: string; to?: string }): [string, string] {
  const from = dateOf('from', values.from);
  const to = dateOf('to', values.to);
  if (from > to) throw new HeadOfficeUsageError(`--from ${from} is after --to ${to}`);
  return [from, to];
}

/**
 * A report command: its arguments are read (and a bad one refused, exit 2) before anything connects to the
 * database; then the query runs with what was read.
 */
function report<A>(
  read: (values: Record<string, string | undefined>) => A,
  run: (client: pg.Client, args: A) => Promise<Table>,
  extra: Record<string, { type: 'string' }> = {},
  exitOnRows = false,
) {
  return async (args: string[]): Promise<number> => {
    const { values } = parseArgs({ args, options: { ...REPORT_OPTIONS, ...extra } });
    const parsed = read(values as Record<string, string | undefined>);
    return withDatabase(values.database, async (client) => {
      const table = await run(client, parsed);
      writeTable(table, values.header, values.out);
      return exitOnRows && table.rows.length > 0 ? 1 : 0;
    });
  };
}

export const headOfficeCommands: Record<string, (args: string[]) => Promise<number>> = {
  'register-desk': registerDesk,
  consolidate: consolidateCommand,
  gaps: report(range, (client, [from, to]) => gapReport(client, from, to), {}, true),
  'report-days': report(range, (client, [from, to]) => requestsPerBranchDay(client, from, to)),
  'report-tellers': report(range, (client, [from, to]) => requestsPerTeller(client, from, to)),
  'report-repeats': report(
    (values) => ({ range: range(values), days: wholeNumber('days', values.days, 0, REPEAT_WINDOW_DAYS, 30) }),
    (client, { range: [from, to], days }) => repeatRequests(client, from, to, days),
    { days: { type: 'string' } },
  ),
  'report-open': report(
    (values) => ({ asOf: values['as-of'] === undefined ? today() : dateOf('as-of', values['as-of']), days: wholeNumber('days', values.days, 0, 3650) }),
    (client, { asOf, days }) => openOutcomes(client, asOf, days),
    { days: { type: 'string' }, 'as-of': { type: 'string' } },
  ),
};

export function isHeadOfficeError(error: unknown): error is HeadOfficeUsageError | HeadOfficeDatabaseError | SchemaTooNewError {
  return error instanceof HeadOfficeUsageError || error instanceof HeadOfficeDatabaseError || error instanceof SchemaTooNewError;
}
