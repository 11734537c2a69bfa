import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAINLAND_PROVINCE_CODES, isKnownAddressCode, regionOf } from '../../../shared/rules';
import regionTable from '../../../shared/rules/regions.json';

// The reference table sits beside the repository (see scripts/build-regions.mjs).
const TSV = resolve(import.meta.dirname, '../../../../shared/data/gb2260-codes.tsv');

describe('region of an ID number', () => {
  it('names the county with its province', () => {
    expect(regionOf('11010519491231002X')).toEqual({ code: '110105', name: '北京市朝阳区', current: true });
    expect(regionOf('440305')).toEqual({ code: '440305', name: '广东省深圳市南山区', current: true });
  });

  it('still names abolished and renamed counties, marked as no longer current', () => {
    expect(regionOf('110104')).toEqual({ code: '110104', name: '北京市宣武区', current: false });
    expect(regionOf('510212')).toEqual({ code: '510212', name: '四川省重庆市沙坪坝区', current: false });
  });

  it('names the places of origin of residence permits', () => {
    expect(regionOf('810000')?.name).toBe('香港特别行政区');
    expect(regionOf('820000')?.name).toBe('澳门特别行政区');
    expect(regionOf('830000')?.name).toBe('台湾地区');
  });

  it('knows nothing of codes missing from every published list', () => {
    expect(regionOf('110199')).toBeUndefined();
    expect(regionOf('USA110085030413')).toBeUndefined();
    expect(regionOf('')).toBeUndefined();
    expect(isKnownAddressCode('110199')).toBe(false);
    expect(isKnownAddressCode('110104')).toBe(true);
  });

  it('has a table entry for every mainland province', () => {
    for (const province of MAINLAND_PROVINCE_CODES) {
      expect(regionOf(`${province}0000`), province).toBeDefined();
    }
  });
});

describe('regions.json', () => {
  it('holds the 7,042 published codes, 3,219 of them current in the 2019 revision', () => {
    const codes = Object.values(regionTable.codes);
    expect(codes).toHaveLength(7042);
    expect(regionTable.latestRevision).toBe(201904);
    expect(codes.filter((entry) => entry[1] === regionTable.latestRevision)).toHaveLength(3219);
  });

  it.skipIf(!existsSync(TSV))('matches the GB/T 2260 reference table it was generated from', () => {
    const rows = readFileSync(TSV, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
    const fromTsv = Object.fromEntries(rows.map(([code, name, , lastSeen]) => [code, [name, Number(lastSeen)]]));
    expect(regionTable.codes).toEqual(fromTsv);
  });
});
