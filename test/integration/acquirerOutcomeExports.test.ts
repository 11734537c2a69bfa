import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { findApplication } from '../../electron/core/applications/repository';
import { recordAcquirerOutcome } from '../../electron/core/acquirer/outcomes';
import { OUTCOMES_SHEET } from '../../electron/core/dayclose/applicationsXlsx';
import { verifyDayBundle } from '../../electron/core/dayclose/bundleVerification';
import { useHarnesses, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);

/** A request taken through the counter to its first slip (completed). */
async function completed(h: Harness, seed: number, day = '2026-11-25') {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), day) });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  const row = findApplication(h.core.db, signed.id);
  if (!row) throw new Error('no request');
  return row;
}

const HEADINGS = ['申请编号', '收单机构处理结果', '收单机构受理编号', '解绑失败原因（收单机构）', '结果到达时间', '交接方式'];

async function sheetRows(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(OUTCOMES_SHEET);
  if (!sheet) throw new Error(`no sheet ${OUTCOMES_SHEET}`);
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value))));
  return rows;
}

const csvRows = (file: string) => parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];

describe('the day bundle of the date outcomes arrive', () => {
  it('lists them in outcomes.csv and the 收单机构结果 sheet of that day, not of the requests’ own day; both bundles verify and re-export byte for byte', async () => {
    const h = await harness();
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    const [a, b] = [await completed(h, 171), await completed(h, 172)];
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
    const dayOne = await h.ok('s1', 'dayclose.export', { businessDate: '2026-11-25' });

    // Day 2: the acquirer's outcomes arrive, one by its API, one in a file; the reason starts with '=' as free text may.
    h.clock.set('2026-11-26T03:00:00Z');
    recordAcquirerOutcome(h.core.context, { number: a.number, outcome: 'unbound', reason: null, acquirerReference: 'RA1', decidedAt: null, source: 'https' });
    h.clock.set('2026-11-26T03:05:07Z');
    recordAcquirerOutcome(h.core.context, { number: b.number, outcome: 'unbind_failed', reason: '=终端已注销，无需解绑', acquirerReference: 'RB2', decidedAt: null, source: 'batch' });
    await h.ok('s9', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
    await h.ok('s9', 'dayclose.close', { businessDate: '2026-11-26' });
    const dayTwo = await h.ok('s9', 'dayclose.export', { businessDate: '2026-11-26' });

    const expected = [
      HEADINGS,
      [a.number, '已解绑', 'RA1', '—', '2026-11-26 11:00:00', 'HTTPS 接口'],
      // Neutralized as every free-text cell is: the acquirer's '=' cannot become a formula.
      [b.number, '解绑失败', 'RB2', "'=终端已注销，无需解绑", '2026-11-26 11:05:07', '批量文件'],
    ];
    expect(csvRows(join(dayTwo.dir, 'outcomes.csv'))).toEqual(expected);
    expect(await sheetRows(join(dayTwo.dir, 'applications.xlsx'))).toEqual(expected);
    // The requests' own day closed before they arrived: its bundle has the file and the sheet, with the heading alone.
    expect(csvRows(join(dayOne.dir, 'outcomes.csv'))).toEqual([HEADINGS]);
    expect(await sheetRows(join(dayOne.dir, 'applications.xlsx'))).toEqual([HEADINGS]);
    expect(readFileSync(join(dayOne.dir, 'applications.csv'), 'utf8')).not.toContain('已解绑');

    // The manifest lists the file (masked data only) and both bundles verify with the installation's key.
    for (const bundle of [dayOne, dayTwo]) {
      const verified = await verifyDayBundle(bundle.dir, h.core.context.keys.publicKey);
      expect(verified).toMatchObject({ ok: true, key: 'installation' });
      if (verified.ok) expect(verified.manifest.files.find((file) => file.name === 'outcomes.csv')).toMatchObject({ personalData: 'masked' });
    }
    // Exported again later: the same bytes, for the day of arrival and for the requests' own day.
    h.clock.set('2026-11-27T02:00:00Z');
    await h.ok('s10', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
    const again = await h.ok('s10', 'dayclose.export', { businessDate: '2026-11-26' });
    const againOne = await h.ok('s10', 'dayclose.export', { businessDate: '2026-11-25' });
    for (const name of ['outcomes.csv', 'applications.csv']) {
      expect(readFileSync(join(again.dir, name))).toEqual(readFileSync(join(dayTwo.dir, name)));
      expect(readFileSync(join(againOne.dir, name))).toEqual(readFileSync(join(dayOne.dir, name)));
    }
    expect(await sheetRows(join(again.dir, 'applications.xlsx'))).toEqual(expected);
  }, 60_000);
});
