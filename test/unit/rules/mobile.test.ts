import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MOBILE_SEGMENTS, makeMobile, mobileSegmentKind, syntheticRandom, validateMobile } from '../../../shared/rules';
import { toFullWidth } from './arbitraries';

const codeOf = (raw: string) => {
  const result = validateMobile(raw);
  return result.ok ? 'ok' : result.code;
};

describe('mainland mobile numbers', () => {
  it('stores 11 digits whatever prefix, spacing and brackets were keyed', () => {
    for (const keyed of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '+8613812345678',
      '(+86) 138-1234-5678',
      '（+86）138 1234 5678',
      '0086 13812345678',
      '008613812345678',
      '8613812345678',
      '１３８１２３４５６７８',
      '＋８６\u3000１３８－１２３４－５６７８',
    ]) {
      expect(validateMobile(keyed), keyed).toEqual({ ok: true, value: '13812345678', warnings: [] });
    }
  });

  it('asks for the number when nothing was keyed', () => {
    expect(codeOf('')).toBe('mobile.required');
    expect(codeOf('   ')).toBe('mobile.required');
  });

  it('refuses anything but ^1[3-9]\\d{9}$', () => {
    for (const raw of ['1381234567', '138123456789', '12812345678', '10012345678', '23812345678', '1381234567a', '+85291234567', '+1 415 555 0100', '861381234567']) {
      expect(codeOf(raw), raw).toBe('mobile.format');
    }
  });

  it('accepts 149 and the other live segments libphonenumber lags on', () => {
    for (const prefix of ['149', '190', '192', '196', '197', '145', '147', '166', '199']) {
      expect(codeOf(`${prefix}12345678`), prefix).toBe('ok');
    }
  });

  it('refuses the data-only IoT segments 140, 141, 144, 146 and 148 as a bound phone', () => {
    for (const prefix of ['140', '141', '144', '146', '148']) {
      expect(codeOf(`${prefix}12345678`), prefix).toBe('mobile.iot_segment');
    }
  });

  it('warns about virtual-operator segments 162, 165, 167, 170 and 171', () => {
    for (const prefix of ['162', '165', '167', '170', '171']) {
      expect(validateMobile(`${prefix}12345678`), prefix).toMatchObject({ ok: true, warnings: ['mobile.virtual_operator'] });
    }
  });

  it('warns about satellite segments 1740 to 1749', () => {
    for (let d = 0; d <= 9; d += 1) {
      expect(validateMobile(`174${d}1234567`)).toMatchObject({ ok: true, warnings: ['mobile.satellite'] });
    }
  });

  it('treats 172, 173, 175 and 176 as ordinary numbers', () => {
    for (const prefix of ['172', '173', '175', '176']) {
      expect(validateMobile(`${prefix}12345678`), prefix).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('keeps the segment table as data with known kinds only', () => {
    expect(MOBILE_SEGMENTS.length).toBeGreaterThan(0);
    for (const segment of MOBILE_SEGMENTS) {
      expect(segment.prefix).toMatch(/^1[3-9]\d{1,2}$/);
      expect(['iot_data_only', 'virtual_operator', 'satellite']).toContain(segment.kind);
    }
    expect(mobileSegmentKind('17401234567')).toBe('satellite');
    expect(mobileSegmentKind('13812345678')).toBeUndefined();
  });

  it('agrees on the value for every way of keying the same number', () => {
    const ordinary = fc.integer({ min: 0, max: 2 ** 31 }).map((seed) => makeMobile(syntheticRandom(seed)));
    fc.assert(
      fc.property(ordinary, fc.constantFrom('', '+86', '+86 ', '0086', '86', '(+86)'), fc.boolean(), fc.constantFrom(' ', '-', '', '\u3000'), (digits, prefix, fullWidth, separator) => {
        const grouped = `${digits.slice(0, 3)}${separator}${digits.slice(3, 7)}${separator}${digits.slice(7)}`;
        const keyed = fullWidth ? toFullWidth(prefix + grouped) : prefix + grouped;
        expect(validateMobile(keyed)).toEqual(validateMobile(digits));
        expect(validateMobile(keyed)).toMatchObject({ ok: true, value: digits });
      }),
    );
  });
});
