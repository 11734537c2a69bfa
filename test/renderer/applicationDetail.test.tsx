// @vitest-environment jsdom
import './setup';
import { render, screen } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { describe, expect, it } from 'vitest';
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

function renderDetail(application: ApplicationDetail) {
  installFakeCore();
  return render(
    <ConfigProvider locale={zhCN}>
      <SessionProvider initial={{ actor: { tellerId: 2, employeeNo: 'T001', name: '王柜员', role: 'teller' }, locked: false, mustChangePassword: false, notices: [], idleLockMinutes: 5 }}>
        <ApplicationDetailView application={application} onAction={() => undefined} onSigned={() => undefined} onChanged={() => undefined} />
      </SessionProvider>
    </ConfigProvider>,
  );
}

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
