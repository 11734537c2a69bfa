import { describe, expect, it } from 'vitest';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import type { DayExportRow } from '../../../electron/core/dayclose/exportModel';
import { sampleDay } from './sampleDay';

function application(overrides: Partial<DayExportRow>): DayExportRow {
  return {
    applicationNumber: 'UD20261125000001',
    ticketNo: 1,
    status: 'completed',
    channel: 'counter',
    createdAt: '2026-11-25 09:00:00',
    completedAt: '2026-11-25 09:10:00',
    applicantNameMasked: '张*',
    documentType: 'resident_id',
    documentNumberMasked: '1101**********002X',
    mobileMasked: '138****5678',
    newMobileMasked: null,
    merchantNumber: '102100058120001',
    terminalId: '10001234',
    terminalSerial: null,
    reasonCode: 'no_longer_needed',
    reasonText: null,
    verificationMethod: 'chip',
    chipSamId: '05.01-20101216-0016541549-2212183410',
    onlineCheck: 'match',
    onlineCheckSource: 'online',
    onlineCheckCode: '01',
    onlineCheckSerial: 'GAB000000000001',
    authorizationReasons: [],
    authorizationDecision: null,
    authorizerNo: null,
    tellerNo: 'T0011',
    printCount: 1,
    rejectReason: null,
    ...overrides,
  };
}

describe('day totals', () => {
  it('counts an empty day as zero in every status, so the report shows 0 rather than nothing', () => {
    expect(dayTotals([])).toEqual({
      total: 0,
      byStatus: { completed: 0, rejected: 0, cancelled: 0, carried_over: 0, approved: 0 },
      byDocumentType: {},
      byTeller: {},
      authorizations: 0,
      pendingAuthorizations: 0,
      reprints: 0,
      onlineCheckExceptions: 0,
      manualEntries: 0,
    });
  });

  it('counts statuses, document types, tellers, authorizations, reprints, check exceptions and manual entries', () => {
    const rows = [
      application({}),
      application({ printCount: 3 }), // printed, then reprinted twice
      application({ status: 'rejected', printCount: 0, tellerNo: 'T0012', onlineCheck: 'name_mismatch', authorizationReasons: ['online_check_exception'], authorizationDecision: 'declined', authorizerNo: 'S0002' }),
      application({ status: 'cancelled', printCount: 0, documentType: 'passport', authorizationReasons: ['non_resident_id_document', 'manual_entry'], authorizationDecision: 'approved', verificationMethod: 'manual' }),
      application({ status: 'carried_over', completedAt: null, printCount: 0, onlineCheck: 'no_such_number', tellerNo: 'T0012' }),
    ];
    expect(dayTotals(rows)).toEqual({
      total: 5,
      byStatus: { completed: 2, rejected: 1, cancelled: 1, carried_over: 1, approved: 0 },
      byDocumentType: { resident_id: 4, passport: 1 },
      byTeller: { T0011: 3, T0012: 2 },
      authorizations: 2,
      pendingAuthorizations: 0,
      reprints: 2,
      onlineCheckExceptions: 2,
      manualEntries: 1,
    });
  });

  it('counts as 联网核查异常 only a check that was made and did not match; a request never keyed is no exception', () => {
    const neverKeyed = { status: 'cancelled' as const, completedAt: null, printCount: 0, applicantNameMasked: null, documentType: null, documentNumberMasked: null, mobileMasked: null, reasonCode: null, verificationMethod: null, onlineCheck: null };
    const rows = [application({}), application(neverKeyed), application(neverKeyed), application({ onlineCheck: 'name_mismatch' })];
    expect(dayTotals(rows)).toMatchObject({ onlineCheckExceptions: 1, manualEntries: 0, byDocumentType: { resident_id: 2, '—': 2 } });
  });

  it('counts as 主管授权 only decided authorizations; those still waiting are counted apart', () => {
    const needs = { authorizationReasons: ['agent'] };
    const rows = [
      application({ ...needs, authorizationDecision: 'approved', authorizerNo: 'S0002' }),
      application({ ...needs, status: 'rejected', authorizationDecision: 'declined', authorizerNo: 'S0002' }),
      application({ ...needs, status: 'carried_over', authorizationDecision: 'pending' }),
      application({ ...needs, status: 'carried_over', authorizationDecision: 'pending' }),
      application({ ...needs, status: 'cancelled', authorizationDecision: null }), // withdrawn before a decision
      application({}),
    ];
    expect(dayTotals(rows)).toMatchObject({ authorizations: 2, pendingAuthorizations: 2 });
  });

  it('adds up: every application is in exactly one status, document type and teller', () => {
    const { rows } = sampleDay(500);
    const totals = dayTotals(rows);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(totals.total).toBe(500);
    expect(sum(totals.byStatus)).toBe(500);
    expect(sum(totals.byDocumentType)).toBe(500);
    expect(sum(totals.byTeller)).toBe(500);
  });

  it('does not change the rows it counts', () => {
    const { rows } = sampleDay(20);
    const before = structuredClone(rows);
    dayTotals(rows);
    expect(rows).toEqual(before);
  });
});
