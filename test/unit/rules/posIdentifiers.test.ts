import { describe, expect, it } from 'vitest';
import { validateMerchantNumber, validateTerminalId, validateTerminalSerial } from '../../../shared/rules';

describe('merchant numbers (商户编号)', () => {
  it('accepts 15 digits or capital letters, normalizing what an IME types', () => {
    expect(validateMerchantNumber('102100058120001')).toEqual({ ok: true, value: '102100058120001', warnings: [] });
    expect(validateMerchantNumber('８９８ 1100 5812 0abc')).toMatchObject({ ok: true, value: '89811005812' + '0ABC' });
    expect(validateMerchantNumber('102-1000-5812-0001')).toMatchObject({ ok: true, value: '102100058120001' });
  });

  it('refuses any other length or character', () => {
    for (const raw of ['', '10210005812000', '1021000581200011', '10210005812000_', '10210005812000é']) {
      expect(validateMerchantNumber(raw), raw).toEqual({ ok: false, code: 'merchant.format' });
    }
  });
});

describe('terminal numbers (终端编号)', () => {
  it('accepts 8 digits or capital letters', () => {
    expect(validateTerminalId('10086001')).toMatchObject({ ok: true, value: '10086001' });
    expect(validateTerminalId('t00 86a01')).toMatchObject({ ok: true, value: 'T0086A01' });
  });

  it('refuses any other length or character', () => {
    for (const raw of ['', '1008600', '100860011', '1008600.']) {
      expect(validateTerminalId(raw), raw).toEqual({ ok: false, code: 'terminal.format' });
    }
  });
});

describe('terminal serial numbers (SN)', () => {
  it('accepts 6 to 32 of digits, capital letters and hyphens, and keeps the hyphens', () => {
    expect(validateTerminalSerial('PAX-8240175533')).toEqual({ ok: true, value: 'PAX-8240175533', warnings: [] });
    expect(validateTerminalSerial('pax－8240 175533')).toMatchObject({ ok: true, value: 'PAX-8240175533' });
    expect(validateTerminalSerial('abc—123')).toMatchObject({ ok: true, value: 'ABC-123' });
    expect(validateTerminalSerial('123456')).toMatchObject({ ok: true });
    expect(validateTerminalSerial('A'.repeat(32))).toMatchObject({ ok: true });
  });

  it('refuses shorter, longer, hyphens-only and other characters', () => {
    for (const raw of ['', '12345', 'A'.repeat(33), '------', 'PAX_824017', 'PAX/8240175']) {
      expect(validateTerminalSerial(raw), raw).toEqual({ ok: false, code: 'serial.format' });
    }
  });
});
