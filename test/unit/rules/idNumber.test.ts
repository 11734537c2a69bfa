import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ID_DOCUMENT_TYPES,
  birthDateFromTwoDigitYear,
  icao9303CheckDigit,
  makeForeignPermanentResidentNumber2017,
  makeForeignPermanentResidentNumber2023,
  makeHmtResidencePermitNumber,
  makeResidentIdNumber,
  mod11_2CheckCharacter,
  validateIdNumber,
} from '../../../shared/rules';
import {
  TODAY,
  foreignPr2017Arb,
  foreignPr2023Arb,
  hmtPermitArb,
  residentIdArb,
  toFullWidth,
} from './arbitraries';

const today = { today: TODAY };
const resident = (raw: string) => validateIdNumber('resident_id', raw, today);
const codeOf = (result: ReturnType<typeof validateIdNumber>) => (result.ok ? 'ok' : result.code);

/** Replaces the character at `index`. */
function substitute(s: string, index: number, ch: string): string {
  return s.slice(0, index) + ch + s.slice(index + 1);
}

/** A resident ID number with a correct check character for the given 17-digit body. */
function withCheck(body17: string): string {
  return body17 + mod11_2CheckCharacter(body17);
}

describe('resident ID numbers (GB 11643-1999)', () => {
  it("accepts the standard's worked example 11010519491231002X", () => {
    expect(resident('11010519491231002X')).toEqual({
      ok: true,
      value: '11010519491231002X',
      warnings: [],
      birthDate: '1949-12-31',
      sex: 'F',
    });
  });

  it('computes the MOD 11-2 check character of the worked example', () => {
    expect(mod11_2CheckCharacter('11010519491231002')).toBe('X');
  });

  it('reads a lower-case x, full-width digits, spaces and hyphens as the same number', () => {
    for (const keyed of [
      '11010519491231002x',
      '１１０１０５１９４９１２３１００２Ｘ',
      '１１０１０５１９４９１２３１００２ｘ',
      '110105 19491231 002X',
      '110105-1949-1231-002X',
      '110105\u300019491231\u3000002X',
      ' 110105—19491231–002X ',
    ]) {
      const result = resident(keyed);
      expect(result.ok && result.value, keyed).toBe('11010519491231002X');
    }
  });

  it('derives the sex from the 17th digit: odd for men, even for women', () => {
    const man = resident(makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-01-01', sequence: 123 }));
    const woman = resident(makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-01-01', sequence: 120 }));
    expect(man.ok && man.sex).toBe('M');
    expect(woman.ok && woman.sex).toBe('F');
  });

  it('refuses a 15-digit first-generation number with its own code', () => {
    expect(codeOf(resident('110105491231002'))).toBe('id.legacy_15');
    expect(codeOf(resident('110105 491231 002'))).toBe('id.legacy_15');
  });

  it('refuses a number of the wrong length', () => {
    expect(codeOf(resident('11010519491231002'))).toBe('id.length');
    expect(codeOf(resident('11010519491231002X1'))).toBe('id.length');
    expect(codeOf(resident('1101051949'))).toBe('id.length');
  });

  it('refuses letters other than a final X', () => {
    expect(codeOf(resident('11010519491231002A'))).toBe('id.format');
    expect(codeOf(resident('1101051949123100X2'))).toBe('id.format');
    expect(codeOf(resident('I1010519491231002X'))).toBe('id.format');
    expect(codeOf(resident('11010519491231002X!'))).toBe('id.format');
  });

  it('asks for the number when nothing was keyed', () => {
    expect(codeOf(resident(''))).toBe('id.required');
    expect(codeOf(resident('  \u3000 '))).toBe('id.required');
  });

  it('refuses a wrong check character', () => {
    expect(codeOf(resident('110105194912310021'))).toBe('id.checksum');
    expect(codeOf(resident('110105194912310020'))).toBe('id.checksum');
  });

  it('refuses 29 February 1900 (not a leap year) and accepts 29 February 2000', () => {
    expect(codeOf(resident(withCheck('11010519000229002')))).toBe('id.birth_date');
    const leap = resident(withCheck('11010520000229002'));
    expect(leap.ok && leap.birthDate).toBe('2000-02-29');
  });

  it('refuses impossible dates such as 31 April or month 13', () => {
    expect(codeOf(resident(withCheck('11010519800431002')))).toBe('id.birth_date');
    expect(codeOf(resident(withCheck('11010519801301002')))).toBe('id.birth_date');
    expect(codeOf(resident(withCheck('11010519800100002')))).toBe('id.birth_date');
  });

  it('refuses a birth year before 1900 and accepts 1 January 1900', () => {
    expect(codeOf(resident(withCheck('11010518991231002')))).toBe('id.birth_date');
    expect(codeOf(resident(withCheck('11010519000101002')))).toBe('ok');
  });

  it('refuses a birth date after the business date, and accepts one born on it', () => {
    expect(codeOf(resident(withCheck('11010520250602002')))).toBe('id.birth_date_future');
    expect(codeOf(resident(withCheck('11010520250601002')))).toBe('ok');
    // The same number is fine once that day has come: "today" is an argument, never the clock.
    expect(codeOf(validateIdNumber('resident_id', withCheck('11010520250602002'), { today: '2025-06-02' }))).toBe('ok');
  });

  it('refuses province prefix 71, which never appears on a resident ID', () => {
    expect(codeOf(resident(withCheck('71010019800101002')))).toBe('id.province');
  });

  it('refuses prefixes that are no mainland province', () => {
    for (const prefix of ['00', '10', '16', '24', '30', '38', '47', '55', '60', '66', '70', '80']) {
      expect(codeOf(resident(withCheck(`${prefix}010119800101002`))), prefix).toBe('id.province');
    }
  });

  it('points to the right document type for residence permit and foreign permanent resident numbers', () => {
    for (const prefix of ['81', '82', '83', '91']) {
      expect(codeOf(resident(withCheck(`${prefix}000019800101002`))), prefix).toBe('id.wrong_document_type');
    }
  });

  it('accepts abolished and renamed county codes without error or warning (110104 宣武区, 510212 重庆沙坪坝)', () => {
    for (const regionCode of ['110104', '510212', '110103']) {
      const result = resident(makeResidentIdNumber({ regionCode, birthDate: '1960-05-05', sequence: 11 }));
      expect(result, regionCode).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('only warns about a county code missing from every published list', () => {
    const result = resident(makeResidentIdNumber({ regionCode: '110199', birthDate: '1960-05-05', sequence: 11 }));
    expect(result).toMatchObject({ ok: true, warnings: ['id.unknown_region'] });
  });

  it('refuses every single-character substitution of a valid number', () => {
    fc.assert(
      fc.property(
        residentIdArb,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (number, index, ch) => {
          fc.pre(number[index] !== ch);
          expect(resident(substitute(number, index, ch)).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every generated number and reads back its birth date', () => {
    fc.assert(
      fc.property(residentIdArb, (number) => {
        const result = resident(number);
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.birthDate?.replaceAll('-', '')).toBe(number.slice(6, 14));
      }),
    );
  });

  it('gives the same answer for the full-width and the half-width form', () => {
    fc.assert(
      fc.property(residentIdArb, fc.boolean(), (number, lower) => {
        const keyed = toFullWidth(lower ? number.toLowerCase() : number);
        expect(resident(keyed)).toEqual(resident(number));
      }),
    );
  });
});

describe('residence permits for Hong Kong, Macau and Taiwan residents', () => {
  const permit = (raw: string) => validateIdNumber('hmt_residence_permit', raw, today);

  it('accepts 810000 (Hong Kong), 820000 (Macau) and 830000 (Taiwan) with birth date and sex', () => {
    for (const addressCode of ['810000', '820000', '830000'] as const) {
      const number = makeHmtResidencePermitNumber({ addressCode, birthDate: '1975-11-30', sequence: 7 });
      expect(permit(number), addressCode).toEqual({
        ok: true,
        value: number,
        warnings: [],
        birthDate: '1975-11-30',
        sex: 'M',
      });
    }
  });

  it('refuses any other address code, such as 840000 or a mainland county', () => {
    expect(codeOf(permit(withCheck('84000019751130007')))).toBe('id.hmt_address_code');
    expect(codeOf(permit(withCheck('81010019751130007')))).toBe('id.hmt_address_code');
    expect(codeOf(permit('11010519491231002X'))).toBe('id.hmt_address_code');
  });

  it('checks date and check character as for a resident ID', () => {
    expect(codeOf(permit(withCheck('81000019000229007')))).toBe('id.birth_date');
    expect(codeOf(permit(withCheck('81000020300101007')))).toBe('id.birth_date_future');
    const valid = withCheck('81000019751130007');
    expect(codeOf(permit(valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0')))).toBe('id.checksum');
    expect(codeOf(permit('81000019751130007'))).toBe('id.length');
  });

  it('refuses every single-character substitution of a valid permit number', () => {
    fc.assert(
      fc.property(hmtPermitArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'), (number, index, ch) => {
        fc.pre(number[index] !== ch);
        expect(permit(substitute(number, index, ch)).ok).toBe(false);
      }),
    );
  });
});

describe('foreign permanent resident ID cards', () => {
  const card = (raw: string) => validateIdNumber('foreign_permanent_resident', raw, today);

  describe('2023 edition (18 digits)', () => {
    const number = makeForeignPermanentResidentNumber2023({
      provinceCode: '31',
      nationalityCode: '392',
      birthDate: '1988-08-08',
      sequence: 15,
    });

    it('accepts a valid number and reads the birth date, not the sex', () => {
      expect(card(number)).toEqual({ ok: true, value: number, warnings: [], birthDate: '1988-08-08' });
    });

    it('refuses a number that does not start with 9', () => {
      expect(codeOf(card('11010519491231002X'))).toBe('id.foreign_pr_prefix');
    });

    it('refuses an issuing province that does not exist', () => {
      expect(codeOf(card(withCheck('97139219880808015')))).toBe('id.province');
      expect(codeOf(card(withCheck('98139219880808015')))).toBe('id.province');
    });

    it('only warns about a nationality code that is no ISO 3166-1 country', () => {
      expect(card(withCheck('93199919880808015'))).toMatchObject({ ok: true, warnings: ['id.unknown_nationality'] });
    });

    it('refuses a wrong check character and an impossible birth date', () => {
      expect(codeOf(card(number.slice(0, 17) + (number[17] === '0' ? '1' : '0')))).toBe('id.checksum');
      expect(codeOf(card(withCheck('93139219000229015')))).toBe('id.birth_date');
      expect(codeOf(card(withCheck('93139220300101015')))).toBe('id.birth_date_future');
    });

    it('refuses every single-character substitution of a valid number', () => {
      fc.assert(
        fc.property(foreignPr2023Arb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'), (n, index, ch) => {
          fc.pre(n[index] !== ch);
          expect(card(substitute(n, index, ch)).ok).toBe(false);
        }),
      );
    });
  });

  describe('2017 edition (15 characters)', () => {
    it('computes the ICAO 9303 check digit with weights 7-3-1 and A=10 … Z=35', () => {
      // U=30 S=28 A=10 then 1100 850304 1 → 383 → 3
      expect(icao9303CheckDigit('USA11008503041')).toBe('3');
      expect(icao9303CheckDigit('<<<')).toBe('0');
    });

    it('accepts a valid number and reads the birth date', () => {
      const number = makeForeignPermanentResidentNumber2017({
        nationality: 'USA',
        issuingArea: '1100',
        birthDate: '1985-03-04',
        sequence: 1,
      });
      expect(number).toBe('USA110085030413');
      expect(card(number)).toEqual({ ok: true, value: number, warnings: [], birthDate: '1985-03-04' });
      expect(card('usa 1100 850304 13')).toMatchObject({ ok: true, value: number });
    });

    it('reads a two-digit year as the latest century not in the future', () => {
      expect(birthDateFromTwoDigitYear('050101', TODAY)).toBe('2005-01-01');
      expect(birthDateFromTwoDigitYear('250601', TODAY)).toBe('2025-06-01');
      expect(birthDateFromTwoDigitYear('250602', TODAY)).toBe('1925-06-02');
      expect(birthDateFromTwoDigitYear('450101', TODAY)).toBe('1945-01-01');
      // 29 February of '00' exists in 2000; of '23' in neither century.
      expect(birthDateFromTwoDigitYear('000229', TODAY)).toBe('2000-02-29');
      expect(birthDateFromTwoDigitYear('230229', TODAY)).toBeUndefined();
    });

    it('refuses a wrong check digit and an impossible birth date', () => {
      expect(codeOf(card('USA110085030414'))).toBe('id.checksum');
      const feb30 = 'USA1100850230' + '1';
      expect(codeOf(card(feb30 + icao9303CheckDigit(feb30)))).toBe('id.birth_date');
    });

    it('refuses digits where the nationality letters belong, and letters among the digits', () => {
      expect(codeOf(card('123110085030413'))).toBe('id.format');
      expect(codeOf(card('USA11008503041A'))).toBe('id.format');
    });

    it('only warns about an unknown nationality or issuing area', () => {
      const body = 'ZZZ1100850304' + '1';
      expect(card(body + icao9303CheckDigit(body))).toMatchObject({ ok: true, warnings: ['id.unknown_nationality'] });
      const area = 'USA7100850304' + '1';
      expect(card(area + icao9303CheckDigit(area))).toMatchObject({ ok: true, warnings: ['id.unknown_region'] });
    });

    it('refuses every single-digit substitution of a valid number', () => {
      fc.assert(
        fc.property(foreignPr2017Arb, fc.integer({ min: 3, max: 14 }), fc.constantFrom(...'0123456789'), (n, index, ch) => {
          fc.pre(n[index] !== ch);
          expect(card(substitute(n, index, ch)).ok).toBe(false);
        }),
      );
    });
  });

  it('refuses other lengths', () => {
    expect(codeOf(card('9311392198808080'))).toBe('id.length');
  });
});

describe('travel permits and passports (format only)', () => {
  const check = (type: (typeof ID_DOCUMENT_TYPES)[number], raw: string) => codeOf(validateIdNumber(type, raw, today));

  it('accepts a mainland travel permit for Hong Kong and Macau residents: H or M and 8 digits, optionally 2 more', () => {
    expect(check('hk_mo_travel_permit', 'H12345678')).toBe('ok');
    expect(check('hk_mo_travel_permit', 'M1234567801')).toBe('ok');
    expect(validateIdNumber('hk_mo_travel_permit', 'ｈ１２３４５６７８', today)).toMatchObject({ ok: true, value: 'H12345678' });
  });

  it('refuses other travel permit shapes for Hong Kong and Macau', () => {
    for (const raw of ['A12345678', 'H1234567', 'H123456789', 'H123456789012', '12345678', 'HM2345678']) {
      expect(check('hk_mo_travel_permit', raw), raw).toBe('id.format');
    }
  });

  it('accepts a travel permit for Taiwan residents: 8 digits, optionally 2 more', () => {
    expect(check('tw_travel_permit', '12345678')).toBe('ok');
    expect(check('tw_travel_permit', '1234567801')).toBe('ok');
    for (const raw of ['1234567', '123456789', 'T12345678', '12345678901']) {
      expect(check('tw_travel_permit', raw), raw).toBe('id.format');
    }
  });

  it('accepts passports of 5 to 17 letters and digits', () => {
    expect(check('passport', 'E12345678')).toBe('ok');
    expect(check('passport', 'ab123')).toBe('ok');
    expect(check('passport', '12345678901234567')).toBe('ok');
    for (const raw of ['AB12', '123456789012345678', 'E1234567!', 'E123/4567']) {
      expect(check('passport', raw), raw).toBe('id.format');
    }
  });

  it('derives neither birth date nor sex from these documents', () => {
    expect(validateIdNumber('passport', 'E12345678', today)).toEqual({ ok: true, value: 'E12345678', warnings: [] });
  });
});

describe('validateIdNumber', () => {
  it('refuses to run without a real business date', () => {
    expect(() => validateIdNumber('resident_id', '11010519491231002X', { today: '2025-02-30' })).toThrow(RangeError);
  });

  it('never throws and always answers with a code or a normalized value, for any input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ID_DOCUMENT_TYPES), fc.string({ unit: 'grapheme', maxLength: 30 }), (type, raw) => {
        const result = validateIdNumber(type, raw, today);
        if (result.ok) expect(result.value).toMatch(/^[0-9A-Z]+$/);
        else expect(result.code).toMatch(/^id\./);
      }),
    );
  });
});
