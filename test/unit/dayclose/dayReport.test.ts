import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayReport, dayReportPdf, REPORT_TITLE } from '../../../electron/core/dayclose/dayReport';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import type { DayExportRow } from '../../../electron/core/dayclose/exportModel';
import { loadCjkFonts } from '../../../electron/core/receipts/fonts';
import { useTempDirs } from '../../support/tempDir';
import { SAMPLE_META, sampleDay } from './sampleDay';

const tempDir = useTempDirs();
const META = { ...SAMPLE_META, batch: 2 };

/** The report's text, one string per page, as poppler's pdftotext reads it in content order. */
async function reportPages(rows: DayExportRow[]): Promise<string[]> {
  return pagesOf(await dayReportPdf({ meta: META, rows, totals: dayTotals(rows), fonts: loadCjkFonts() }));
}

function pagesOf(pdf: Buffer): string[] {
  const file = join(tempDir(), 'report.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((page) => page.trim() !== '');
}

/** Rows numbered as the desk numbers them: `<branch>-<desk>-<YYYYMMDD>-<ticket>`. */
function numbered(rows: DayExportRow[], branch = '310101', desk = '01'): DayExportRow[] {
  return rows.map((row, i) => ({ ...row, applicationNumber: `${branch}-${desk}-20261202-${String(i + 1).padStart(4, '0')}` }));
}

/** The number printed after a label, e.g. "已完成        179". */
function countAfter(text: string, label: string): number | undefined {
  const match = new RegExp(`${label}\\s+(\\d+)`).exec(text);
  return match ? Number(match[1]) : undefined;
}

describe('the day report (日终报表)', () => {
  it('heads the first page with the title, bank, branch, business date, generation time and operator', async () => {
    const { rows } = sampleDay(40);
    const [first] = await reportPages(rows);
    expect(first).toContain(REPORT_TITLE);
    expect(first).toContain('日终报表');
    expect(first).toContain('中国示例银行股份有限公司');
    expect(first).toContain('北京朝阳支行营业部');
    expect(first).toContain('110105001');
    expect(first).toContain('2026-11-25');
    expect(first).toContain('2026-11-25 17:30:00');
    expect(first).toContain('S0001');
  });

  it('states the counts: accepted, each status, document types, authorizations, reprints, exceptions, manual entries, tellers', async () => {
    const { rows } = sampleDay(300);
    const totals = dayTotals(rows);
    const [first = ''] = await reportPages(rows);
    expect(countAfter(first, '受理')).toBe(300);
    expect(countAfter(first, '已完成')).toBe(totals.byStatus.completed);
    expect(countAfter(first, '已撤销')).toBe(totals.byStatus.cancelled);
    expect(countAfter(first, '已拒绝')).toBe(totals.byStatus.rejected);
    expect(countAfter(first, '已顺延')).toBe(totals.byStatus.carried_over);
    expect(countAfter(first, '居民身份证')).toBe(totals.byDocumentType.resident_id);
    expect(countAfter(first, '主管授权')).toBe(totals.authorizations);
    expect(countAfter(first, '待主管授权')).toBe(totals.pendingAuthorizations);
    expect(totals.pendingAuthorizations).toBeGreaterThan(0);
    expect(countAfter(first, '重打回执')).toBe(totals.reprints);
    expect(countAfter(first, '联网核查异常')).toBe(totals.onlineCheckExceptions);
    expect(countAfter(first, '手工录入')).toBe(totals.manualEntries);
    for (const [teller, n] of Object.entries(totals.byTeller)) expect(countAfter(first, `柜员 ${teller}`)).toBe(n);
  });

  it('numbers every page "第 n 页 / 共 N 页" and repeats the table heading on each page of rows', async () => {
    const { rows } = sampleDay(300);
    const pages = await reportPages(rows);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
      if (/UD2026112500\d{4}/.test(page)) expect(page).toMatch(/序号\s+申请编号\s+票号\s+状态\s+登记时间/);
    });
    const all = pages.join('\n');
    for (const row of [rows[0], rows[150], rows[299]]) expect(all).toContain(row?.applicationNumber);
  });

  it('ends with the signature lines 制表 / 复核 / 主管', async () => {
    const pages = await reportPages(sampleDay(300).rows);
    expect(pages.at(-1)).toMatch(/制表：.*复核：.*主管：/);
  });

  it('shows no full ID or phone number, only the masked ones', async () => {
    const { rows, fullData } = sampleDay(200);
    const all = (await reportPages(rows)).join('\n');
    for (const person of fullData) {
      expect(all).not.toContain(person.documentNumber);
      expect(all).not.toContain(person.mobile);
    }
    expect(all).not.toMatch(/\b\d{17}[\dX]\b/);
    expect(all).not.toMatch(/\b1[3-9]\d{9}\b/);
    expect(all).toContain(rows[0]?.documentNumberMasked);
    expect(all).toContain(rows[0]?.mobileMasked);
  });

  it('prints a day without applications, saying so', async () => {
    const pages = await reportPages([]);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('本营业日无业务');
    expect(countAfter(pages[0] ?? '', '受理')).toBe(0);
    expect(pages[0]).toContain('第 1 页 / 共 1 页');
  });

  it('prints every application number whole: a longer one is set narrower, never cut', async () => {
    const rows = numbered(sampleDay(300).rows);
    const all = (await reportPages(rows)).join('\n');
    const printed = rows.filter((row) => all.includes(row.applicationNumber));
    expect(printed).toHaveLength(300);
    expect(all).not.toMatch(/310101-[\d-]*…/);
    // A branch with a 12-digit code and its desk: 29 characters, wider than the column, still whole.
    const long = numbered(sampleDay(3).rows, '110105001001');
    const text = (await reportPages(long)).join('\n');
    for (const row of long) expect(text).toContain(row.applicationNumber);
  });

  it('cuts only a value far too long for its column, with an ellipsis, instead of running into the next one', async () => {
    const [row] = sampleDay(1).rows;
    if (!row) throw new Error('no row');
    const pages = await reportPages([{ ...row, applicationNumber: 'UD-2026-11-25-LONG-NUMBER-000000001-AND-THEN-SOME-MORE' }]);
    expect(pages[0]).toMatch(/UD-2026-11-25-LONG-NUMBER-\S*…/);
  });

  it("prints a name's character the font lacks as '?' and warns, as the slip does, instead of an empty box", async () => {
    const rows = sampleDay(3).rows.map((row, i) => (i === 1 ? { ...row, applicantNameMasked: '𠮷*' } : row));
    const report = await dayReport({ meta: META, rows, totals: dayTotals(rows), fonts: loadCjkFonts() });
    expect(report.warnings).toEqual(['slip.missing_glyph']);
    const all = pagesOf(report.pdf).join('\n');
    expect(all).toContain('?*');
    expect(all).not.toContain('𠮷');
    const plain = await dayReport({ meta: META, rows: sampleDay(3).rows, totals: dayTotals(sampleDay(3).rows), fonts: loadCjkFonts() });
    expect(plain.warnings).toEqual([]);
  });
});
