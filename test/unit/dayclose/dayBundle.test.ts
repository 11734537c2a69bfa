import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, publicKeyPem } from '../../../electron/core/crypto/signing';
import { describeBundleFailure, verifyDayBundle } from '../../../electron/core/dayclose/bundleVerification';
import { checkExportDestination, DayExportError, ExportDestinationError, writeDayBundle, type DayBundleInput } from '../../../electron/core/dayclose/bundleWriter';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import { buildManifest, signingKeyOf, signManifest, type DayBundleManifest } from '../../../electron/core/dayclose/manifest';
import { toCsv } from '../../../electron/core/dayclose/csvCells';
import { parse } from 'csv-parse/sync';
import { useTempDirs } from '../../support/tempDir';
import { SAMPLE_META, sampleDay, sampleSigningKey } from './sampleDay';

const tempDir = useTempDirs();
const signingKey = sampleSigningKey();
const { rows, fullData } = sampleDay(120);

function input(destinationRoot: string, overrides: Partial<DayBundleInput> = {}): DayBundleInput {
  return { destinationRoot, meta: SAMPLE_META, rows, totals: dayTotals(rows), signingKey, ...overrides };
}

function readManifest(dir: string): DayBundleManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DayBundleManifest;
}

/** As the writer does: the canonical JSON (RFC 8785) of what it says. */
function writeManifest(dir: string, manifest: unknown): void {
  writeFileSync(join(dir, 'manifest.json'), canonicalJson(manifest));
}

describe('writing the day bundle', () => {
  it('writes <branch>_<YYYYMMDD>_<batch> with the three files and the manifest, and nothing else', async () => {
    const root = tempDir();
    const bundle = await writeDayBundle(input(root));
    expect(bundle.batch).toBe(1);
    expect(bundle.dir).toBe(join(root, '110105001_03_20261125_1'));
    expect(readdirSync(bundle.dir).sort()).toEqual(['applications.csv', 'applications.xlsx', 'manifest.json', 'outcomes.csv', 'report.pdf']);
    for (const file of bundle.files) expect(statSync(join(bundle.dir, file.name)).size).toBe(file.bytes);
  });

  it.skipIf(process.platform === 'win32')('makes the bundle folder 0700 and every file 0600: personal data for its owner alone', async () => {
    const root = tempDir();
    const previous = process.umask(0o002); // a permissive umask must not widen them
    try {
      const bundle = await writeDayBundle(input(root, { fullData }));
      expect((statSync(bundle.dir).mode & 0o777).toString(8)).toBe('700');
      const names = readdirSync(bundle.dir).sort();
      expect(names).toEqual(['applications.csv', 'applications.xlsx', 'full-data.csv', 'manifest.json', 'outcomes.csv', 'report.pdf']);
      for (const name of names) expect([name, (statSync(join(bundle.dir, name)).mode & 0o777).toString(8)]).toEqual([name, '600']);
    } finally {
      process.umask(previous);
    }
  });

  it('states branch, date, batch, time, operator, counts, files and the audit-chain head in the manifest', async () => {
    const bundle = await writeDayBundle(input(tempDir(), { fullData }));
    const manifest = readManifest(bundle.dir);
    expect(manifest).toEqual(bundle.manifest);
    expect(manifest).toMatchObject({
      format: 'unbinddesk.day-bundle/3',
      branch: { code: '110105001', name: '北京朝阳支行营业部' },
      desk: '03',
      businessDate: '2026-11-25',
      batch: 1,
      generatedAt: '2026-11-25T09:30:00.000Z',
      operatorNo: 'S0001',
      counts: dayTotals(rows),
      auditHead: SAMPLE_META.auditHead,
    });
    expect(manifest.files.map((file) => [file.name, file.personalData])).toEqual([
      ['applications.csv', 'masked'],
      ['applications.xlsx', 'masked'],
      ['outcomes.csv', 'masked'],
      ['report.pdf', 'masked'],
      ['full-data.csv', 'full'],
    ]);
    expect(manifest.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // The signing key beside the audit head: the PEM's body, and SHA-256 of the raw 32-byte key.
    const raw = Buffer.from(createPublicKey(signingKey).export({ format: 'jwk' }).x ?? '', 'base64url');
    expect(raw).toHaveLength(32);
    expect(manifest.signingKey).toEqual({
      fingerprint: createHash('sha256').update(raw).digest('hex'),
      publicKey: manifest.publicKey.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, ''),
    });
    expect(manifest.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it('writes the batch it is given next to batch 1, leaving batch 1 untouched', async () => {
    const root = tempDir();
    const first = await writeDayBundle(input(root));
    const before = readdirSync(first.dir).map((name) => [name, readFileSync(join(first.dir, name))] as const);
    const second = await writeDayBundle(input(root, { meta: { ...SAMPLE_META, batch: 2 } }));
    expect(second.batch).toBe(2);
    expect(second.dir).toBe(join(root, '110105001_03_20261125_2'));
    for (const [name, bytes] of before) expect(readFileSync(join(first.dir, name)).equals(bytes)).toBe(true);
    expect(readdirSync(first.dir)).toHaveLength(before.length);
    expect((await verifyDayBundle(first.dir, signingKey)).ok).toBe(true);
    expect((await verifyDayBundle(second.dir, signingKey)).ok).toBe(true);
  });

  it('never writes into a folder of the same batch already there: the batch comes from the database, not from the folder', async () => {
    const root = tempDir();
    mkdirSync(join(root, '110105001_03_20261125_7'));
    writeFileSync(join(root, '110105001_03_20261125_7', 'applications.csv'), 'someone else\'s');
    // Folders of other batches are not counted: batch 1 is batch 1 wherever it is written.
    expect((await writeDayBundle(input(root))).batch).toBe(1);
    await expect(writeDayBundle(input(root, { meta: { ...SAMPLE_META, batch: 7 } }))).rejects.toMatchObject({ code: 'export.batch_exists' });
    expect(readdirSync(join(root, '110105001_03_20261125_7'))).toEqual(['applications.csv']);
    expect(readFileSync(join(root, '110105001_03_20261125_7', 'applications.csv'), 'utf8')).toBe('someone else\'s');
  });

  it('refuses totals that do not match the rows, and rows that were not masked', async () => {
    const root = tempDir();
    const totals = { ...dayTotals(rows), total: rows.length + 1 };
    await expect(writeDayBundle(input(root, { totals }))).rejects.toMatchObject({ code: 'export.totals_mismatch' });
    const leaked = rows.map((row, i) => (i === 3 ? { ...row, documentNumberMasked: fullData[3]?.documentNumber ?? '' } : row));
    await expect(writeDayBundle(input(root, { rows: leaked, totals: dayTotals(leaked) }))).rejects.toBeInstanceOf(DayExportError);
    await expect(writeDayBundle(input(root, { rows: leaked, totals: dayTotals(leaked) }))).rejects.toMatchObject({ code: 'export.rows_not_masked' });
    await expect(writeDayBundle(input(root, { meta: { ...SAMPLE_META, branchCode: '../x' } }))).rejects.toMatchObject({ code: 'export.branch_code_invalid' });
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('export destination checks', () => {
  const refusal = (root: string) => {
    try {
      checkExportDestination(root);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(ExportDestinationError);
      return (error as ExportDestinationError).code;
    }
  };

  it('accepts an existing local folder named by its real absolute path', () => {
    const root = tempDir();
    expect(checkExportDestination(root)).toBe(root);
  });

  it('refuses a relative path', () => {
    expect(refusal('exports')).toBe('export.destination_relative');
    expect(refusal('./exports')).toBe('export.destination_relative');
  });

  it('refuses a path with ".." in it', () => {
    const root = tempDir();
    mkdirSync(join(root, 'a'));
    expect(refusal(`${root}/a/../a`)).toBe('export.destination_parent_segment');
  });

  it('refuses network shares and device paths', () => {
    expect(refusal('\\\\fileserver\\exports')).toBe('export.destination_unc');
    expect(refusal('//fileserver/exports')).toBe('export.destination_unc');
    expect(refusal('\\\\.\\PhysicalDrive0')).toBe('export.destination_device');
    expect(refusal('\\\\?\\C:\\exports')).toBe('export.destination_device');
    expect(refusal('/dev/shm')).toBe('export.destination_device');
  });

  it('refuses a folder that does not exist, or a file', () => {
    const root = tempDir();
    expect(refusal(join(root, 'missing'))).toBe('export.destination_missing');
    writeFileSync(join(root, 'file'), '');
    expect(refusal(join(root, 'file'))).toBe('export.destination_not_directory');
  });

  it('refuses a folder that is a link, or inside one, pointing elsewhere', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'real', 'inner'), { recursive: true });
    symlinkSync(join(root, 'real'), join(root, 'link'), 'dir');
    expect(refusal(join(root, 'link'))).toBe('export.destination_link');
    expect(refusal(join(root, 'link', 'inner'))).toBe('export.destination_link');
    await expect(writeDayBundle(input(join(root, 'link')))).rejects.toMatchObject({ code: 'export.destination_link' });
    expect(readdirSync(join(root, 'real'))).toEqual(['inner']);
  });
});

describe('verifying a day bundle', () => {
  async function freshBundle(extra: Partial<DayBundleInput> = {}) {
    return writeDayBundle(input(tempDir(), extra));
  }

  it('verifies with the installation key, and says so', async () => {
    const bundle = await freshBundle({ fullData });
    const result = await verifyDayBundle(bundle.dir, signingKey);
    expect(result).toMatchObject({ ok: true, key: 'installation' });
    if (result.ok) expect(result.manifest).toEqual(bundle.manifest);
  });

  it('falls back to the key in the manifest when none is supplied, and says so', async () => {
    const bundle = await freshBundle();
    expect(await verifyDayBundle(bundle.dir)).toMatchObject({ ok: true, key: 'embedded' });
  });

  it('fails with another installation key', async () => {
    const bundle = await freshBundle();
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(await verifyDayBundle(bundle.dir, publicKey)).toMatchObject({ ok: false, reason: 'bundle.signature_invalid', key: 'installation' });
  });

  it('fails when any byte of any file changes', async () => {
    const bundle = await freshBundle({ fullData });
    for (const file of bundle.files) {
      const path = join(bundle.dir, file.name);
      const original = readFileSync(path);
      for (const offset of [0, Math.floor(original.length / 2), original.length - 1]) {
        const changed = Buffer.from(original);
        changed[offset] = (changed[offset] ?? 0) ^ 0x01;
        writeFileSync(path, changed);
        expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.file_hash_mismatch', file: file.name });
      }
      writeFileSync(path, Buffer.concat([original, Buffer.from(' ')]));
      expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.file_size_mismatch', file: file.name });
      writeFileSync(path, original);
    }
    expect((await verifyDayBundle(bundle.dir, signingKey)).ok).toBe(true);
  });

  it('fails when a file is removed', async () => {
    const bundle = await freshBundle();
    unlinkSync(join(bundle.dir, 'report.pdf'));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.file_missing', file: 'report.pdf' });
  });

  it('fails when the manifest is removed', async () => {
    const bundle = await freshBundle();
    unlinkSync(join(bundle.dir, 'manifest.json'));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.manifest_missing' });
  });

  it('fails when a file is added', async () => {
    const bundle = await freshBundle();
    writeFileSync(join(bundle.dir, 'notes.txt'), '补充说明');
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.unexpected_file', file: 'notes.txt' });
  });

  it('fails when a file is replaced by a link to a copy', async () => {
    const bundle = await freshBundle();
    const copy = join(tempDir(), 'report.pdf');
    writeFileSync(copy, readFileSync(join(bundle.dir, 'report.pdf')));
    rmSync(join(bundle.dir, 'report.pdf'));
    symlinkSync(copy, join(bundle.dir, 'report.pdf'));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.file_not_regular' });
  });

  it('fails when the manifest is edited: a count, a hash, the signature, or an added field', async () => {
    const bundle = await freshBundle();
    const original = readManifest(bundle.dir);
    const edits: ((m: DayBundleManifest) => unknown)[] = [
      (m) => ({ ...m, counts: { ...m.counts, total: m.counts.total - 1 } }),
      (m) => ({ ...m, counts: { ...m.counts, byStatus: { ...m.counts.byStatus, rejected: 0 } } }),
      (m) => ({ ...m, files: m.files.map((f, i) => (i === 0 ? { ...f, sha256: 'f'.repeat(64) } : f)) }),
      (m) => ({ ...m, signature: `${m.signature.slice(0, -2)}AA` }),
      (m) => ({ ...m, operatorNo: 'S0009' }),
    ];
    for (const edit of edits) {
      writeManifest(bundle.dir, edit(original));
      expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.signature_invalid' });
    }
    writeManifest(bundle.dir, { ...original, comment: 'ok' });
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.manifest_invalid' });
    writeFileSync(join(bundle.dir, 'manifest.json'), '{"format":');
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.manifest_invalid' });
    writeManifest(bundle.dir, original);
    expect((await verifyDayBundle(bundle.dir, signingKey)).ok).toBe(true);
  });

  it('fails when the counts do not match applications.csv, even re-signed with the manifest key', async () => {
    // Someone with a key of their own re-signs an edited manifest: the embedded key accepts the
    // signature, but the counts no longer add up from the rows.
    const bundle = await freshBundle();
    const { privateKey } = generateKeyPairSync('ed25519');
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    const counts = { ...unsigned.counts, reprints: unsigned.counts.reprints + 1 };
    // Left naming the desk's key, the manifest contradicts itself.
    writeManifest(bundle.dir, signManifest({ ...unsigned, counts, publicKey: publicKeyPem(privateKey) }, privateKey));
    expect(await verifyDayBundle(bundle.dir)).toMatchObject({ ok: false, reason: 'bundle.signing_key_mismatch', key: 'embedded' });
    writeManifest(bundle.dir, signManifest({ ...unsigned, counts, publicKey: publicKeyPem(privateKey), signingKey: signingKeyOf(privateKey) }, privateKey));
    expect(await verifyDayBundle(bundle.dir)).toMatchObject({ ok: false, reason: 'bundle.counts_mismatch', key: 'embedded' });
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.signature_invalid', key: 'installation' });
  });

  it('refuses a manifest.json that is not byte for byte the canonical form that was signed', async () => {
    const bundle = await freshBundle();
    const path = join(bundle.dir, 'manifest.json');
    const genuine = readFileSync(path, 'utf8');
    expect(genuine).toBe(canonicalJson(readManifest(bundle.dir)));
    // A duplicated key: JSON.parse keeps the last, so the signed value is what this parser sees, while a
    // reader that keeps the first (many do) would load another business date.
    const duplicated = genuine.replace('"businessDate":', '"businessDate":"2020-01-01","businessDate":');
    expect(JSON.parse(duplicated)).toEqual(JSON.parse(genuine));
    const variants = [duplicated, JSON.stringify(JSON.parse(genuine), null, 2), `${genuine}\n`, genuine.replace('"format":"unbinddesk', '"format":"\\u0075nbinddesk')];
    for (const variant of variants) {
      writeFileSync(path, variant);
      const result = await verifyDayBundle(bundle.dir, signingKey);
      expect(result).toMatchObject({ ok: false, reason: 'bundle.manifest_not_canonical', file: 'manifest.json' });
      if (!result.ok) expect(describeBundleFailure(result)).toMatch(/^manifest\.json is not byte for byte the canonical JSON that was signed/);
    }
    writeFileSync(path, genuine);
    expect((await verifyDayBundle(bundle.dir, signingKey)).ok).toBe(true);
  });

  it("refuses a genuine bundle copied under another day's, branch's or batch's folder name", async () => {
    const bundle = await freshBundle();
    const root = tempDir();
    for (const name of ['110105001_03_20261126_1', '110105002_03_20261125_1', '110105001_03_20261125_2', 'bundle']) {
      cpSync(bundle.dir, join(root, name), { recursive: true });
      const result = await verifyDayBundle(join(root, name), signingKey);
      expect(result).toMatchObject({ ok: false, reason: 'bundle.folder_name_mismatch', found: name, listed: '110105001_03_20261125_1' });
      if (!result.ok) expect(describeBundleFailure(result)).toBe(`the folder is named ${name} but its manifest is for 110105001_03_20261125_1 (branch_desk_date_batch, or branch_date_batch before desks): a bundle must keep the folder name it was exported with`);
    }
    cpSync(bundle.dir, join(root, '110105001_03_20261125_1'), { recursive: true });
    expect((await verifyDayBundle(join(root, '110105001_03_20261125_1'), signingKey)).ok).toBe(true);
  });

  it('names the file and what is wrong with it in words, never a bare code', async () => {
    const bundle = await freshBundle();
    const csv = join(bundle.dir, 'applications.csv');
    const bytes = readFileSync(csv);
    writeFileSync(csv, Buffer.concat([bytes, Buffer.from('x')]));
    const sized = await verifyDayBundle(bundle.dir, signingKey);
    expect(sized.ok).toBe(false);
    if (!sized.ok) expect(describeBundleFailure(sized)).toBe(`applications.csv has ${bytes.length + 1} bytes where manifest.json records ${bytes.length}: the file was changed after the export`);
    writeFileSync(csv, bytes);
    writeFileSync(join(bundle.dir, 'notes.txt'), '补充说明');
    const extra = await verifyDayBundle(bundle.dir, signingKey);
    if (!extra.ok) expect(describeBundleFailure(extra)).toBe('notes.txt is in the folder but not in manifest.json: a bundle holds only the files it lists');
    expect(extra.ok).toBe(false);
  });

  it('still verifies a bundle of format 1, made before the screens\' words, by the rules it was made with', async () => {
    // In a folder named as it was exported: <branch>_<YYYYMMDD>_<batch>.
    const dir = join(tempDir(), '110105001_20261125_1');
    mkdirSync(dir);
    const headings = ['申请编号', '排队号', '状态', '渠道', '受理时间', '完成时间', '申请人', '证件类型', '证件号码', '原绑定手机号', '新绑定手机号', '商户编号', '终端编号', '终端序列号', '解绑原因', '原因说明', '核验方式', '联网核查', '授权事由', '授权主管', '经办柜员', '打印次数', '拒绝原因'];
    const lines = [
      ['310101-20261125-0001', '1', '已完成', '柜面', '2026-11-25 09:12:33', '2026-11-25 09:20:01', '张*', '居民身份证', '1101**********002X', '138****5678', '', '', '', 'SN00012345', '不再使用', '', '芯片读取', '一致', '', '', 'T0011', '2', ''],
      ['310101-20261125-0002', '2', '已撤销', '柜面', '2026-11-25 09:30:00', '', '李*', '居民身份证', '1101**********0031', '139****0001', '', '', '', 'SN00012346', '不再使用', '', '手工录入', '姓名不符', '手工录入、联网核查异常', 'S0002', 'T0011', '0', 'customer_left'],
    ];
    const files = [
      ['applications.csv', toCsv(headings, lines)],
      ['applications.xlsx', Buffer.from('xlsx of its time')],
      ['report.pdf', Buffer.from('report of its time')],
    ] as const;
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const entries = files.map(([name, bytes]) => ({ name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, personalData: 'masked' as const }));
    const counts = { total: 2, byStatus: { completed: 1, rejected: 0, cancelled: 1, carried_over: 0, approved: 0 }, byDocumentType: { resident_id: 2 }, byTeller: { T0011: 2 }, authorizations: 1, reprints: 1, onlineCheckExceptions: 1, manualEntries: 1 };
    // Format 1 had no pendingAuthorizations.
    const unsigned = { ...buildManifest({ ...SAMPLE_META, desk: null }, dayTotals([]), entries, signingKey), format: 'unbinddesk.day-bundle/1' as const, counts };
    writeManifest(dir, signManifest(unsigned, signingKey));
    expect(await verifyDayBundle(dir, signingKey)).toMatchObject({ ok: true, key: 'installation' });
    writeManifest(dir, signManifest({ ...unsigned, counts: { ...counts, authorizations: 0 } }, signingKey));
    expect(await verifyDayBundle(dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.counts_mismatch' });
  });

  it('still verifies a format-2 bundle written before the identity evidence columns, and checks its counts', async () => {
    const bundle = await freshBundle();
    // The same bundle as written before issue 14: applications.csv without 核查结果来源, 联网核查流水号 and 芯片读卡机具SAM号.
    const csvPath = join(bundle.dir, 'applications.csv');
    const records = parse(readFileSync(csvPath, 'utf8'), { bom: true }) as string[][];
    const header = records[0] ?? [];
    const dropped = [header.indexOf('核查结果来源'), header.indexOf('联网核查流水号'), header.indexOf('芯片读卡机具SAM号')];
    expect(dropped.every((index) => index > 0)).toBe(true);
    const older = records.map((row) => row.filter((_cell, index) => !dropped.includes(index)));
    const csv = toCsv(older[0] ?? [], older.slice(1));
    writeFileSync(csvPath, csv);
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    const files = unsigned.files.map((file) => (file.name === 'applications.csv' ? { ...file, sha256: createHash('sha256').update(csv).digest('hex'), bytes: csv.length } : file));
    writeManifest(bundle.dir, signManifest({ ...unsigned, files }, signingKey));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: true, key: 'installation' });
    writeManifest(bundle.dir, signManifest({ ...unsigned, files, counts: { ...unsigned.counts, manualEntries: unsigned.counts.manualEntries + 1 } }, signingKey));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.counts_mismatch' });
  });

  it('refuses a format-2 manifest without the pending authorizations it must state', async () => {
    const bundle = await freshBundle();
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    const { pendingAuthorizations: _pending, ...counts } = unsigned.counts;
    writeManifest(bundle.dir, signManifest({ ...unsigned, counts }, signingKey));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.counts_mismatch' });
  });

  it('verifies a format-2 bundle made by the code before desks, in its <branch>_<YYYYMMDD>_<batch> folder', async () => {
    // test/fixtures/legacy: written by commit f980573 (seed-demo --close --export), with that installation's key.
    const legacy = join(import.meta.dirname, '../../fixtures/legacy');
    const copy = join(tempDir(), '310101_20261202_1');
    cpSync(join(legacy, '310101_20261202_1'), copy, { recursive: true });
    const result = await verifyDayBundle(copy, createPublicKey(readFileSync(join(legacy, 'public-key.pem'))));
    expect(result).toMatchObject({ ok: true, key: 'installation', manifest: { format: 'unbinddesk.day-bundle/2', branch: { code: '310101' }, businessDate: '2026-12-02', batch: 1 } });
    if (result.ok) expect(result.manifest.desk).toBeUndefined();
    // Renamed as a desk's bundle, it is refused: the name must be the one its manifest implies.
    const renamed = join(tempDir(), '310101_01_20261202_1');
    cpSync(copy, renamed, { recursive: true });
    expect(await verifyDayBundle(renamed, createPublicKey(readFileSync(join(legacy, 'public-key.pem'))))).toMatchObject({ ok: false, reason: 'bundle.folder_name_mismatch', listed: '310101_20261202_1' });
  });

  it('writes format 2 under the old name for an installation without a desk yet, and refuses a desk or key in a format 2, or format 3 without them', async () => {
    const root = tempDir();
    const bundle = await writeDayBundle(input(root, { meta: { ...SAMPLE_META, desk: null } }));
    expect(bundle.dir).toBe(join(root, '110105001_20261125_1'));
    expect(bundle.manifest.format).toBe('unbinddesk.day-bundle/2');
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: true });
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    for (const odd of [
      { ...unsigned, desk: '03' },
      { ...unsigned, signingKey: signingKeyOf(signingKey) },
      { ...unsigned, format: 'unbinddesk.day-bundle/3' },
      { ...unsigned, format: 'unbinddesk.day-bundle/3', desk: '03' },
      { ...unsigned, format: 'unbinddesk.day-bundle/3', desk: '00', signingKey: signingKeyOf(signingKey) },
    ]) {
      writeManifest(bundle.dir, signManifest(odd as typeof unsigned, signingKey));
      expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.manifest_invalid' });
    }
    await expect(writeDayBundle(input(tempDir(), { meta: { ...SAMPLE_META, desk: '0' } }))).rejects.toThrow('export.desk_invalid');
  });

  it('refuses a format-3 manifest whose signingKey fingerprint is not its key\'s', async () => {
    const bundle = await freshBundle();
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    const other = generateKeyPairSync('ed25519').publicKey;
    for (const signingKeyField of [{ ...signingKeyOf(signingKey), fingerprint: signingKeyOf(other).fingerprint }, { ...signingKeyOf(signingKey), publicKey: signingKeyOf(other).publicKey }]) {
      writeManifest(bundle.dir, signManifest({ ...unsigned, signingKey: signingKeyField }, signingKey));
      const result = await verifyDayBundle(bundle.dir, signingKey);
      expect(result).toMatchObject({ ok: false, reason: 'bundle.signing_key_mismatch' });
      if (!result.ok) expect(describeBundleFailure(result)).toContain('signingKey');
    }
  });

  it('refuses a manifest that names a file outside the bundle folder', async () => {
    const bundle = await freshBundle();
    const { signature: _signature, ...unsigned } = readManifest(bundle.dir);
    const escaping = { ...unsigned, files: [...unsigned.files, { name: '../../etc/passwd', sha256: '0'.repeat(64), bytes: 1, personalData: 'masked' as const }] };
    writeManifest(bundle.dir, signManifest(escaping, signingKey));
    expect(await verifyDayBundle(bundle.dir, signingKey)).toMatchObject({ ok: false, reason: 'bundle.manifest_invalid' });
  });
});
