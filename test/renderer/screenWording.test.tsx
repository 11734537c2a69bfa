// @vitest-environment jsdom
import './setup';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { describe, expect, it } from 'vitest';
import { RISK_WARNINGS as SLIP_RISK_WARNINGS } from '../../electron/core/receipts/slipSections';
import { i18next } from '../../renderer/i18n';
import { MaskedRequestView } from '../../renderer/features/application/detail/MaskedRequestView';
import type { ApplicationDetail } from '../../shared';
import { installFakeCore } from './fakeCore';
import { renderForm } from './renderForm';

function wordsOf(tree: object): string[] {
  return Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? wordsOf(value as object) : []));
}

const REQUEST: NonNullable<ApplicationDetail['request']> = {
  applicantNameMasked: '张*', documentType: 'resident_id', documentNumberMasked: '1101**********002X', documentExpiry: '2030-01-01', age: 46, sex: 'M',
  isAgent: false, agentNameMasked: null, agentDocumentNumberMasked: null, mobileMasked: '138****5678', newMobileMasked: '139****0000',
  merchantNumber: '831010100000001', terminalId: '10000001', terminalSerial: 'SN-1', reasonCode: 'no_longer_needed', reasonText: null,
  verification: { method: 'chip', onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: true }, notificationChannel: 'sms', emailMasked: null,
};

describe('what the screens say', () => {
  it('names no developer file in either language (the settings page said “（DOMAIN.md）”)', () => {
    for (const language of ['zh-CN', 'en']) {
      const words = wordsOf(i18next.getResourceBundle(language, 'translation') as object);
      expect(words.filter((text) => /\b[A-Z]+\.md\b|\.tsx?\b/.test(text)), language).toEqual([]);
    }
  });

  it('has the teller confirm the risk warning in one phrase, not the same thing twice', () => {
    expect(i18next.t('form.riskWarningAcknowledged', { lng: 'zh-CN' })).toBe('已向客户逐条进行风险提示');
  });

  it('shows the risk warnings in the slip’s own words', async () => {
    installFakeCore();
    renderForm();
    await userEvent.click(screen.getByText('通知与确认'));
    const points = Array.from(document.querySelectorAll('.risk-points li')).map((item) => item.textContent);
    expect(points).toEqual([...SLIP_RISK_WARNINGS]);
  });

  it('labels a read-only request without the form’s “（可选）”, in both languages', async () => {
    render(
      <ConfigProvider locale={zhCN}>
        <MaskedRequestView request={REQUEST} />
      </ConfigProvider>,
    );
    const labels = () => Array.from(document.querySelectorAll('.ant-descriptions-item-label')).map((label) => label.textContent ?? '');
    expect(labels()).toContain('新绑定手机号');
    expect(labels().filter((label) => label.includes('可选'))).toEqual([]);
    await i18next.changeLanguage('en');
    try {
      expect(await screen.findByText('New phone to bind')).toBeTruthy();
      expect(labels().filter((label) => /optional/i.test(label))).toEqual([]);
    } finally {
      await i18next.changeLanguage('zh-CN');
    }
  });
});
