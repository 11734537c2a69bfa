// The manifests head office reads: format 2 (desk 00) and format 3 (desk and signing key), strictly.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/core/crypto/signing';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import { buildManifest, signManifest } from '../../../electron/core/dayclose/manifest';
import { deskOf, expectedFolderName, readManifest } from '../../../electron/headoffice/manifest';
import { asFormat3, deskKey, deskRows } from '../../support/headofficeBundles';

const key = deskKey('unit 310101/04');
const rows = deskRows({ branch: '310101', desk: '04', businessDate: '2026-11-02', key, rows: 3 });
const meta = {
  bankName: '示例银行',
  branchCode: '310101',
  branchName: '示例支行',
  businessDate: '2026-11-02',
  generatedAt: '2026-11-02T09:30:00.000Z',
  generatedAtLocal: '2026-11-02 17:30:00',
  operatorNo: 'S0001',
  batch: 2,
  desk: null,
  auditHead: { seq: 7, hash: 'ab'.repeat(32), signature: 'c2ln' },
};
const v2 = signManifest(buildManifest(meta, dayTotals(rows), [], key), key);
const bytes = (value: unknown) => Buffer.from(canonicalJson(value), 'utf8');

describe('head office reads manifests of format 2 and 3', () => {
  it('format 2 is desk 00, in the folder <branch>_<YYYYMMDD>_<batch>', () => {
    const read = readManifest(bytes(v2));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(deskOf(read.manifest)).toBe('00');
    expect(expectedFolderName(read.manifest)).toBe('310101_20261102_2');
  });

  it('format 3 names its desk and signing key, in the folder <branch>_<desk>_<YYYYMMDD>_<batch>', () => {
    const read = readManifest(bytes(asFormat3(v2, '04', key)));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(deskOf(read.manifest)).toBe('04');
    expect(expectedFolderName(read.manifest)).toBe('310101_04_20261102_2');
  });

  it('refuses a format-3 manifest with desk 00, without a signing key, or with a field it does not know', () => {
    const v3 = asFormat3(v2, '04', key);
    expect(readManifest(bytes({ ...v3, desk: '00' }))).toEqual({ ok: false, reason: 'manifest_invalid' });
    const { signingKey: _dropped, ...withoutKey } = v3;
    expect(readManifest(bytes(withoutKey))).toEqual({ ok: false, reason: 'manifest_invalid' });
    expect(readManifest(bytes({ ...v3, note: 'unsigned extra' }))).toEqual({ ok: false, reason: 'manifest_invalid' });
    // A format-2 manifest cannot claim a desk.
    expect(readManifest(bytes({ ...v2, desk: '04' }))).toEqual({ ok: false, reason: 'manifest_invalid' });
  });

  it('refuses bytes that are not the canonical form that was signed', () => {
    expect(readManifest(Buffer.from(JSON.stringify(v2, null, 2)))).toEqual({ ok: false, reason: 'manifest_not_canonical' });
    expect(readManifest(Buffer.from('{"format":'))).toEqual({ ok: false, reason: 'manifest_invalid' });
  });
});
