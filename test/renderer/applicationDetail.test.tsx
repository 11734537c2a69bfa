// @vitest-environment jsdom
import './setup';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applicationDetailSchema, type ApplicationDetail } from '../../shared';
import { SessionProvider } from '../../renderer/session/SessionContext';
import { ApplicationDetailView } from '../../renderer/features/application/detail/ApplicationDetailView';
import { installFakeCore } from './fakeCore';

/** A completed request as the core answers `applications.get` (checked against the contract). */
function completedDetail(overrides: Partial<ApplicationDetail>): ApplicationDetail {
  return applicationDetailSchema.parse({
    id: 7, number: '310101-20161124-0001', ticketNo: 1, status: 'completed', version: 6, businessDate: '2016-11-24', channel: 'counter',
    createdAt: '2016-11-24T02:00:00.000Z', updatedAt: '2016-11-24T02:10:00.000Z', createdBy: 'T001',
    applicantNameMasked: '张*', documentType: 'resident_id', documentNumberMasked: '1101**********002X', mobileMasked: '138****5678',
    merchantNumber: '831010100000001', terminalId: '10000001', terminalSerial: 'SN-1', authorizationReasons: [], carriedFrom: null,
    request: {
      applicantNameMasked: '张*', documentType: 'resident_id', documentNumberMasked: '1101**********002X', documentExpiry: '2030-01-01', age: 46, sex: 'M',
      isAgent: false, agentNameMasked: null, agentDocumentNumberMasked: null, mobileMasked: '138****5678', newMobileMasked: null,
      merchantNumber: '831010100000001', terminalId: '10000001', terminalSerial: 'SN-1', reasonCode: 'no_longer_needed', reasonText: null,
      verification: { method: 'chip', onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: true }, notificationChannel: 'sms', emailMasked: null,
    },
    outcomeReason: null, authorizerNo: null, keyedBy: 'T001', submittedAt: '2016-11-24T02:05:00.000Z', completedAt: '2016-11-24T02:10:00.000Z',
    hasSignature: true, printCount: 1, purgedAt: null, history: [], identityCheck: null, otherDocument: null,
    ...overrides,
  });
}

function detailTree(application: ApplicationDetail) {
  return (
    <ConfigProvider locale={zhCN}>
      <SessionProvider initial={{ actor: { tellerId: 2, employeeNo: 'T001', name: '王柜员', role: 'teller' }, locked: false, mustChangePassword: false, notices: [], idleLockMinutes: 5 }}>
        <ApplicationDetailView application={application} onAction={() => undefined} onSigned={() => undefined} onChanged={() => undefined} />
      </SessionProvider>
    </ConfigProvider>
  );
}

function renderDetail(application: ApplicationDetail, answers: Parameters<typeof installFakeCore>[0] = {}) {
  installFakeCore(answers);
  return render(detailTree(application));
}

describe('the chip evidence on the detail', () => {
  it('gives the read time as the branch’s wall clock, like every other time on the screen (it showed 2026-12-03T17:37:56.398Z for 12-04 01:37)', () => {
    const base = completedDetail({});
    const request = base.request;
    if (!request) throw new Error('request');
    const chip = { readerKind: 'simulated' as const, samId: '05.01-20101216-0016541549-2212183410', readAt: '2016-11-23T17:37:56.398Z', textSha256: 'a'.repeat(64), photoSha256: 'b'.repeat(64) };
    renderDetail(completedDetail({ request: { ...request, verification: { ...request.verification, chip } } }));
    const evidence = screen.getByTestId('detail-chip-evidence').textContent ?? '';
    expect(evidence).toContain('读卡时间 2016-11-24 01:37:56');
    expect(evidence).not.toMatch(/\d{2}T\d{2}|Z\b/);
  });
});

describe("the acquirer's reason on the detail", () => {
  const failed = (reason: string) => completedDetail({ status: 'unbind_failed', acquirer: { reference: 'ACQ1', outcome: 'unbind_failed', arrivedOn: '2026-11-25', reason } });
  it('gives a reason code of the contract in the words the customer was sent, with the code after them', () => {
    renderDetail(failed('terminal_frozen'));
    expect(screen.getByTestId('acquirer-reason').textContent).toBe('该终端已被冻结，须先解除冻结（terminal_frozen）');
  });
  it("gives the acquirer's own words as they came", () => {
    renderDetail(failed('商户状态异常，请商户联系客户经理'));
    expect(screen.getByTestId('acquirer-reason').textContent).toBe('商户状态异常，请商户联系客户经理');
  });
});

describe('the request detail after the retention period', () => {
  it('offers the full view and the reprint while the personal data is kept', () => {
    renderDetail(completedDetail({}));
    expect(screen.getByTestId('open-reveal')).toBeTruthy();
    expect(screen.getByTestId('reprint-slip')).toBeTruthy();
    expect(screen.queryByTestId('detail-purged')).toBeNull();
  });

  it('says the personal data was purged and when, and offers neither the full view nor a reprint', () => {
    renderDetail(completedDetail({
      purgedAt: '2026-11-25T02:00:00.000Z', request: null, hasSignature: false, applicantNameMasked: null, documentNumberMasked: null, mobileMasked: null,
    }));
    expect(screen.getByTestId('detail-purged').textContent).toBe('超过数据保存年限，个人信息已于 2026-11-25 10:00:00 清除；业务记录和操作历史保留。');
    expect(screen.queryByTestId('open-reveal')).toBeNull();
    expect(screen.queryByTestId('reprint-slip')).toBeNull();
    expect(screen.getByTestId('application-number').textContent).toBe('310101-20161124-0001');
    // The customer did sign; the signature went with the rest of the personal data.
    expect(screen.getByText('已按保存期限清除')).toBeTruthy();
    expect(screen.queryByText('未签名')).toBeNull();
  });
});

describe('the slip after the counter', () => {
  // jsdom has no object URLs (the slip's download link needs one) and no canvas (the signature pad on an
  // approved request draws on one): stand-ins that do nothing.
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => 'blob:slip');
    URL.revokeObjectURL = vi.fn();
    const drawing = new Proxy({}, { get: () => () => undefined, set: () => true });
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(drawing as CanvasRenderingContext2D);
  });
  afterEach(() => vi.restoreAllMocks());

  it('can be printed again once the acquirer has the request (forwarded, unbound, failed), as the core allows', () => {
    for (const status of ['forwarded', 'unbound', 'unbind_failed'] as const) {
      const { unmount } = renderDetail(completedDetail({ status }));
      expect(screen.getByTestId('reprint-slip').textContent).toContain('重打');
      unmount();
    }
  });

  it('stays on screen with its download when the acquirer takes the request while the dialog is open', async () => {
    const approved = completedDetail({ status: 'approved', version: 5, printCount: 0, completedAt: null });
    const { rerender } = renderDetail(approved, {
      'receipts.issue': () => ({
        receipt: { id: 1, printNo: 1, issuedAt: '2016-11-24T02:10:00.000Z', issuedBy: 'T001', sha256: 'ab'.repeat(32), bytes: 3, reprint: false },
        pdfBase64: btoa('%PDF'), printed: false, print: null, warnings: [], status: 'completed', version: 6,
      }),
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('issue-slip'));
      await Promise.resolve();
    });
    await screen.findByTestId('issued-slip');
    // The screen reloads the request after the slip; by then the dispatcher may already have handed it over.
    rerender(detailTree(completedDetail({ status: 'completed' })));
    rerender(detailTree(completedDetail({ status: 'forwarded', version: 7 })));
    expect(screen.getByTestId('issued-slip')).toBeTruthy();
    expect(screen.getByTestId('slip-download').getAttribute('href')).toBe('blob:slip');
    fireEvent.click(screen.getByTestId('slip-done'));
    await vi.waitFor(() => expect(screen.queryByTestId('issued-slip')).toBeNull());
    expect(screen.getByTestId('reprint-slip')).toBeTruthy();
  });
});
