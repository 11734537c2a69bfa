import { describe, expect, it } from 'vitest';
import {
  makeMerchantNumber,
  makeMobile,
  makeSyntheticResident,
  makeTerminalId,
  makeTerminalSerial,
  syntheticRandom,
  validateIdNumber,
  validateMerchantNumber,
  validateMobile,
  validateTerminalId,
  validateTerminalSerial,
  ageOn,
  regionOf,
} from '../../../shared/rules';
import { TODAY } from './arbitraries';

describe('synthetic identities for tests and demo data', () => {
  it('gives the same people for the same seed', () => {
    const first = Array.from({ length: 5 }, (_, i) => makeSyntheticResident(syntheticRandom(42 + i), { today: TODAY }));
    const again = Array.from({ length: 5 }, (_, i) => makeSyntheticResident(syntheticRandom(42 + i), { today: TODAY }));
    expect(again).toEqual(first);
  });

  it('makes residents whose numbers validate and agree with their birth date, sex, age and current county', () => {
    const random = syntheticRandom(2025);
    for (let i = 0; i < 300; i += 1) {
      const person = makeSyntheticResident(random, { today: TODAY, minAge: 18, maxAge: 90 });
      const check = validateIdNumber('resident_id', person.documentNumber, { today: TODAY });
      expect(check).toEqual({ ok: true, value: person.documentNumber, warnings: [], birthDate: person.birthDate, sex: person.sex });
      const age = ageOn(person.birthDate, TODAY);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(90);
      expect(regionOf(person.documentNumber)?.current).toBe(true);
      expect(person.name.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('makes mobile numbers of the asked kind', () => {
    const random = syntheticRandom(7);
    for (let i = 0; i < 200; i += 1) {
      expect(validateMobile(makeMobile(random))).toMatchObject({ ok: true, warnings: [] });
      expect(validateMobile(makeMobile(random, 'virtual_operator'))).toMatchObject({ ok: true, warnings: ['mobile.virtual_operator'] });
      expect(validateMobile(makeMobile(random, 'satellite'))).toMatchObject({ ok: true, warnings: ['mobile.satellite'] });
      expect(validateMobile(makeMobile(random, 'iot_data_only'))).toEqual({ ok: false, code: 'mobile.iot_segment' });
    }
  });

  it('makes valid POS identifiers', () => {
    const random = syntheticRandom(9);
    for (let i = 0; i < 100; i += 1) {
      expect(validateMerchantNumber(makeMerchantNumber(random)).ok).toBe(true);
      expect(validateTerminalId(makeTerminalId(random)).ok).toBe(true);
      expect(validateTerminalSerial(makeTerminalSerial(random)).ok).toBe(true);
    }
  });
});
