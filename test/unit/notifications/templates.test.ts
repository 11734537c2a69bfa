import { describe, expect, it } from 'vitest';
import { plainReason, renderOutcomeMessage, type TemplateFacts } from '../../../electron/core/notifications/templates';
import { retryDelaySeconds } from '../../../electron/core/notifications/notificationService';
import { loggableAnswer } from '../../../electron/core/notifications/notifier';

const facts: TemplateFacts = {
  bankName: '示例银行',
  branchName: '上海分行营业部',
  hotline: '95588',
  applicationNumber: '310101-20261125-0007',
  requestDate: '2026-11-25',
  boundTail: '5678',
  newTail: '4321',
  outcome: 'unbound',
  reason: null,
};

describe('outcome message templates', () => {
  it('words each outcome for each channel in Chinese and English, with the anti-fraud line and only number tails', () => {
    for (const outcome of ['unbound', 'unbind_failed'] as const) {
      for (const channel of ['sms', 'email', 'phone'] as const) {
        const zh = renderOutcomeMessage({ ...facts, outcome, reason: 'terminal_frozen' }, channel, 'zh-CN');
        expect(zh.template).toBe(`outcome.${outcome}.${channel}.zh-CN`);
        expect(zh.text).toContain('本行不会以任何理由索要验证码、密码');
        expect(zh.text).toContain('反诈专线 96110');
        expect(zh.text).toContain('310101-20261125-0007');
        expect(zh.text).toContain('尾号 5678');
        expect(zh.text).toContain('95588');
        const en = renderOutcomeMessage({ ...facts, outcome, reason: 'terminal_frozen' }, channel, 'en');
        expect(en.template).toBe(`outcome.${outcome}.${channel}.en`);
        expect(en.text).toContain('anti-fraud line 96110');
        expect(en.text).toContain('ending 5678');
        expect(en.text).not.toMatch(/解绑|验证码|尾号/);
      }
    }
    const unbound = renderOutcomeMessage(facts, 'email', 'zh-CN').text;
    expect(unbound).toContain('解绑后的操作建议');
    expect(unbound).toContain('确认新绑定的手机号（尾号 4321）');
    const failed = renderOutcomeMessage({ ...facts, outcome: 'unbind_failed', reason: 'terminal_frozen' }, 'sms', 'zh-CN').text;
    expect(failed).toContain('收单机构未能办理，原因：该终端已被冻结，须先解除冻结。');
    expect(failed).toMatch(/^【示例银行】/);
  });

  it("gives the customer only the bank's own words for a reason: an acquirer's free text never reaches an SMS or e-mail", () => {
    expect(plainReason('not_bound', 'en')).toBe('this phone number is not bound to the terminal');
    expect(plainReason(' terminal_frozen ', 'zh-CN')).toBe('该终端已被冻结，须先解除冻结');
    expect(plainReason(null, 'en')).toBe('the acquirer gave no specific reason');
    for (const text of ['商户状态异常', '请致电 400-812-3456', '请致电４００８１２３４５６核实', '详见 https://evil.example/x', '联系人 13812345678 不一致']) {
      expect(plainReason(text, 'zh-CN')).toBe('收单机构未说明具体原因');
      expect(plainReason(text, 'en')).toBe('the acquirer gave no specific reason');
      for (const channel of ['sms', 'email', 'phone'] as const) {
        for (const language of ['zh-CN', 'en'] as const) {
          const message = renderOutcomeMessage({ ...facts, outcome: 'unbind_failed', reason: text }, channel, language);
          expect(message.text).not.toContain(text);
          expect(message.text).not.toMatch(/400-812|４００|evil\.example|13812345678/);
        }
      }
    }
  });

  it('backs off 30 s, 60 s, 120 s… up to the cap, with ±20 % jitter', () => {
    const retry = { maxAttempts: 10, baseSeconds: 30, capSeconds: 300 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(n, retry, () => 0.5))).toEqual([30, 60, 120, 240, 300, 300]);
    expect(retryDelaySeconds(1, retry, () => 0)).toBe(24);
    expect(retryDelaySeconds(6, retry, () => 0.999999)).toBe(360);
  });

  it('keeps addresses and long numbers out of a logged delivery answer', () => {
    expect(loggableAnswer('550 5.1.1 <zhang.wei@example.com>: mailbox unavailable')).toBe('550 5.1.1 <[address]>: mailbox unavailable');
    expect(loggableAnswer('sms rejected 13812345678')).toBe('sms rejected [11 digits]');
  });
});
