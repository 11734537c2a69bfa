// @vitest-environment jsdom
import './setup';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { i18next } from '../../renderer/i18n';
import type { AccountNotice } from '../../shared';
import { SessionProvider } from '../../renderer/session/SessionContext';
import { AccountNotices } from '../../renderer/features/workspace/AccountNotices';

const NOTICES: AccountNotice[] = [
  { kind: 'created', at: '2026-11-25T01:30:00.000Z', role: 'supervisor', subject: { employeeNo: 'S009', name: '新主管' }, by: { employeeNo: 'A001', name: '管理员' } },
  { kind: 'password_reset', at: '2026-11-25T01:45:00.000Z', role: 'supervisor', subject: { employeeNo: 'S002', name: '钱主管' }, by: { employeeNo: 'A001', name: '管理员' } },
];

function renderNotices(notices: AccountNotice[]) {
  return render(
    <SessionProvider initial={{ actor: { tellerId: 4, employeeNo: 'S001', name: '赵主管', role: 'supervisor' }, locked: false, mustChangePassword: false, notices, idleLockMinutes: 5 }}>
      <AccountNotices />
    </SessionProvider>,
  );
}

describe('account notices on the workspace', () => {
  it('tells the supervisor who made or reset which account, in Beijing time, until closed', () => {
    renderNotices(NOTICES);
    const box = screen.getByTestId('account-notices');
    expect(box.textContent).toContain('管理员（A001） 新建了主管账户 新主管（S009）');
    expect(box.textContent).toContain('重置了主管 钱主管（S002） 的密码');
    expect(box.textContent).toContain('09:45');
    fireEvent.click(screen.getByRole('button', { name: '关闭提示' }));
    expect(screen.queryByTestId('account-notices')).toBeNull();
  });

  it('writes the names in English with English brackets (the banner showed “管理员（A001）” on the English screen)', async () => {
    await i18next.changeLanguage('en');
    try {
      renderNotices(NOTICES);
      const text = screen.getByTestId('account-notices').textContent ?? '';
      expect(text).toContain('管理员 (A001) created the Supervisor account 新主管 (S009)');
      expect(text).not.toMatch(/[（）]/);
    } finally {
      await i18next.changeLanguage('zh-CN');
    }
  });

  it('shows nothing when there is nothing to tell', () => {
    renderNotices([]);
    expect(screen.queryByTestId('account-notices')).toBeNull();
  });
});
