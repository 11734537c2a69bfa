// Head office's questions and the gap report: each a query, answered as CSV (the desk's CSV rules: UTF-8 with
// a BOM, CRLF, every cell neutralized against spreadsheet formulas).
import type pg from 'pg';
import { toCsv } from '../core/dayclose/csvCells';
import { STATUS_LABELS } from '../core/dayclose/exportModel';
import { REPEAT_WINDOW_DAYS } from './consolidate';

export interface Table {
  /** [code, Chinese heading] per column. */
  columns: readonly (readonly [string, string])[];
  rows: string[][];
}

export function tableCsv(table: Table, header: 'title' | 'code' = 'title'): Buffer {
  return toCsv(
    table.columns.map(([code, title]) => (header === 'code' ? code : title)),
    table.rows,
  );
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const STATUSES = Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[];

/** Requests per branch and day, with their statuses at day close. */
export async function requestsPerBranchDay(client: pg.Client, from: string, to: string): Promise<Table> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT branch_code, to_char(business_date, 'YYYY-MM-DD') AS day, count(DISTINCT desk) AS desks, count(*) AS total,
       ${STATUSES.map((status) => `count(*) FILTER (WHERE status = '${status}') AS "${status}"`).join(', ')},
       count(*) FILTER (WHERE status NOT IN (${STATUSES.map((status) => `'${status}'`).join(', ')})) AS other
     FROM headoffice.requests WHERE business_date BETWEEN $1 AND $2
     GROUP BY branch_code, business_date ORDER BY branch_code, business_date`,
    [from, to],
  );
  return {
    columns: [['branch', '机构号'], ['businessDate', '营业日期'], ['desks', '柜台数'], ['total', '申请数'], ...STATUSES.map((status) => [status, STATUS_LABELS[status]] as const), ['other', '其他状态']],
    rows: rows.map((row) => [text(row.branch_code), text(row.day), text(row.desks), text(row.total), ...STATUSES.map((status) => text(row[status])), text(row.other)]),
  };
}

/** Requests per teller (a teller number is the branch's own, so per branch and teller). */
export async function requestsPerTeller(client: pg.Client, from: string, to: string): Promise<Table> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT branch_code, teller_no, count(DISTINCT business_date) AS days, count(*) AS total,
       ${STATUSES.map((status) => `count(*) FILTER (WHERE status = '${status}') AS "${status}"`).join(', ')}
     FROM headoffice.requests WHERE business_date BETWEEN $1 AND $2
     GROUP BY branch_code, teller_no ORDER BY branch_code, teller_no`,
    [from, to],
  );
  return {
    columns: [['branch', '机构号'], ['teller', '经办柜员'], ['days', '营业日数'], ['total', '申请数'], ...STATUSES.map((status) => [status, STATUS_LABELS[status]] as const)],
    rows: rows.map((row) => [text(row.branch_code), text(row.teller_no), text(row.days), text(row.total), ...STATUSES.map((status) => text(row[status]))]),
  };
}

export const REPEAT_COLUMNS = [
  ['match', '相同项'],
  ['value', '商户编号或终端序列号'],
  ['scope', '范围'],
  ['applicationNumber', '申请编号'],
  ['branch', '机构号'],
  ['desk', '柜台号'],
  ['businessDate', '营业日期'],
  ['otherApplicationNumber', '另一申请编号'],
  ['otherBranch', '另一机构号'],
  ['otherDesk', '另一柜台号'],
  ['otherBusinessDate', '另一营业日期'],
  ['daysApart', '相隔天数'],
] as const;

/** The `scope` cell: two branches, or two counters (installations) of one branch. */
export const REPEAT_SCOPES = { other_branch: '跨机构', other_desk: '同机构不同柜台' } as const;

/**
 * Requests of days from..to repeated at ANOTHER installation within `days` days (either side), by merchant
 * number or terminal SN: at another branch, or at another counter of the same branch (the scope column tells
 * which; branch and desk are given for both sides). Read from the pairs found as bundles loaded: one row per
 * pair, the later request first.
 */
export async function repeatRequests(client: pg.Client, from: string, to: string, days: number): Promise<Table> {
  if (!Number.isInteger(days) || days < 0 || days > REPEAT_WINDOW_DAYS) throw new RangeError(`days must be 0 to ${REPEAT_WINDOW_DAYS}`);
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT kind, value, application_number, branch_code, desk, to_char(business_date, 'YYYY-MM-DD') AS day,
            other_application, other_branch, other_desk, to_char(other_date, 'YYYY-MM-DD') AS other_day, business_date - other_date AS apart
     FROM (
       SELECT kind, value, application_number, branch_code, desk, business_date, other_application, other_branch, other_desk, other_date FROM headoffice.repeat_matches
         WHERE business_date BETWEEN $1 AND $2
       UNION
       SELECT kind, value, other_application, other_branch, other_desk, other_date, application_number, branch_code, desk, business_date FROM headoffice.repeat_matches
         WHERE other_date BETWEEN $1 AND $2
     ) m
     WHERE abs(business_date - other_date) <= $3 AND (business_date, application_number) > (other_date, other_application)
     ORDER BY value, business_date, application_number, other_application
     LIMIT 100000`,
    [from, to, days],
  );
  const label: Record<string, string> = { merchant: '商户编号', serial: '终端序列号（SN）' };
  return {
    columns: REPEAT_COLUMNS,
    rows: rows.map((row) => [
      label[text(row.kind)] ?? text(row.kind),
      text(row.value),
      row.branch_code === row.other_branch ? REPEAT_SCOPES.other_desk : REPEAT_SCOPES.other_branch,
      text(row.application_number),
      text(row.branch_code),
      text(row.desk),
      text(row.day),
      text(row.other_application),
      text(row.other_branch),
      text(row.other_desk),
      text(row.other_day),
      text(row.apart),
    ]),
  };
}

/** Requests whose latest day-close status is still open (carried over, or approved but not completed) N days or more after they first appeared. */
export async function openOutcomes(client: pg.Client, asOf: string, days: number): Promise<Table> {
  const { rows } = await client.query<Record<string, unknown>>(
    // One request is one number of one branch and installation (a pre-desk number carried over after its desk
    // was set keeps its installation, the key: it stays one request across desk 00 and its desk).
    `WITH open_now AS (
       SELECT DISTINCT ON (branch_code, installation, application_number) application_number, branch_code, installation, desk, status, business_date, teller_no
       FROM headoffice.requests WHERE business_date <= $1
       ORDER BY branch_code, installation, application_number, business_date DESC
     ), first_seen AS (
       SELECT branch_code, installation, application_number, min(business_date) AS first_day FROM headoffice.requests
       WHERE (branch_code, installation, application_number) IN (SELECT branch_code, installation, application_number FROM open_now WHERE status IN ('carried_over', 'approved'))
       GROUP BY branch_code, installation, application_number
     )
     SELECT o.application_number, o.branch_code, o.desk, o.status, to_char(f.first_day, 'YYYY-MM-DD') AS first_day,
            to_char(o.business_date, 'YYYY-MM-DD') AS last_day, $1::date - f.first_day AS open_days, o.teller_no
     FROM open_now o JOIN first_seen f USING (branch_code, installation, application_number)
     WHERE o.status IN ('carried_over', 'approved') AND $1::date - f.first_day >= $2
     ORDER BY open_days DESC, o.application_number`,
    [asOf, days],
  );
  return {
    columns: [['applicationNumber', '申请编号'], ['branch', '机构号'], ['desk', '柜台号'], ['status', '状态'], ['firstDay', '首次营业日期'], ['lastDay', '最近营业日期'], ['openDays', '未办结天数'], ['teller', '经办柜员']],
    rows: rows.map((row) => [
      text(row.application_number),
      text(row.branch_code),
      text(row.desk),
      STATUS_LABELS[text(row.status) as keyof typeof STATUS_LABELS] ?? text(row.status),
      text(row.first_day),
      text(row.last_day),
      text(row.open_days),
      text(row.teller_no),
    ]),
  };
}

/**
 * Desks and business days with no bundle (for each desk with a key valid that day and not revoked by then);
 * batches skipped (a later batch loaded, an earlier one not); audit heads going backwards between a desk's
 * consecutive loaded bundles (a truncated or restored chain).
 */
export async function gapReport(client: pg.Client, from: string, to: string): Promise<Table> {
  const { rows } = await client.query<Record<string, unknown>>(
    `WITH desks AS (
       -- Desk 00 (before desks were numbered) is no longer expected once each of its keys is also a numbered desk's.
       SELECT k.branch_code, k.desk, min(k.valid_from) AS since,
              CASE WHEN bool_and(k.revoked_at IS NOT NULL) THEN max(k.revoked_at)::date
                   WHEN k.desk = '00' AND bool_and(t.valid_from IS NOT NULL) THEN max(t.valid_from) END AS until
       FROM headoffice.desk_keys k
       LEFT JOIN LATERAL (SELECT min(n.valid_from) AS valid_from FROM headoffice.desk_keys n
                          WHERE n.branch_code = k.branch_code AND n.fingerprint = k.fingerprint AND n.desk <> '00') t ON true
       GROUP BY k.branch_code, k.desk
     ), days AS (
       SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d
     ), missing_days AS (
       SELECT 'missing_day' AS kind, k.branch_code, k.desk, days.day, 'no bundle loaded for this desk and day' AS detail
       FROM desks k JOIN days ON days.day >= k.since AND (k.until IS NULL OR days.day < k.until)
       WHERE NOT EXISTS (SELECT 1 FROM headoffice.batches b WHERE b.branch_code = k.branch_code AND b.desk = k.desk AND b.business_date = days.day)
     ), skipped AS (
       SELECT 'batch_skipped' AS kind, b.branch_code, b.desk, b.business_date AS day, 'batch ' || n || ' missing (batch ' || max(b.batch) OVER w || ' loaded)' AS detail
       FROM headoffice.batches b
       CROSS JOIN LATERAL generate_series(1, b.batch - 1) n
       WHERE b.business_date BETWEEN $1 AND $2
         AND NOT EXISTS (SELECT 1 FROM headoffice.batches o WHERE o.branch_code = b.branch_code AND o.desk = b.desk AND o.installation = b.installation AND o.business_date = b.business_date AND o.batch = n)
       WINDOW w AS (PARTITION BY b.branch_code, b.desk, b.installation, b.business_date)
     ), heads AS (
       SELECT branch_code, desk, business_date, batch, audit_seq,
              lag(audit_seq) OVER (PARTITION BY branch_code, desk, installation ORDER BY business_date, batch) AS previous_seq,
              lag(business_date) OVER (PARTITION BY branch_code, desk, installation ORDER BY business_date, batch) AS previous_day
       FROM headoffice.batches
     ), backwards AS (
       SELECT 'audit_head_backwards' AS kind, branch_code, desk, business_date AS day,
              'audit head ' || audit_seq || ' (batch ' || batch || ') is behind ' || previous_seq || ' of ' || to_char(previous_day, 'YYYY-MM-DD') AS detail
       FROM heads WHERE previous_seq IS NOT NULL AND audit_seq < previous_seq AND business_date BETWEEN $1 AND $2
     )
     SELECT DISTINCT kind, branch_code, desk, to_char(day, 'YYYY-MM-DD') AS day, detail FROM (
       SELECT * FROM missing_days UNION ALL SELECT * FROM skipped UNION ALL SELECT * FROM backwards
     ) g ORDER BY branch_code, desk, day, kind, detail`,
    [from, to],
  );
  return {
    columns: [['kind', '类别'], ['branch', '机构号'], ['desk', '柜台号'], ['businessDate', '营业日期'], ['detail', '说明']],
    rows: rows.map((row) => [text(row.kind), text(row.branch_code), text(row.desk), text(row.day), text(row.detail)]),
  };
}
