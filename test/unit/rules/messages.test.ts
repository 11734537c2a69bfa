import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_REASONS, VALIDATION_CODES } from '../../../shared/rules';
import en from '../../../renderer/i18n/validation.en.json';
import zhCN from '../../../renderer/i18n/validation.zh-CN.json';

const expectedKeys = [...VALIDATION_CODES, ...AUTHORIZATION_REASONS.map((reason) => `authorization.reason.${reason}`)].sort();

describe.each([
  ['zh-CN', zhCN as Record<string, unknown>],
  ['en', en as Record<string, unknown>],
])('validation messages (%s)', (_locale, messages) => {
  it('has a message for every validation code and authorization reason, and nothing else', () => {
    expect(Object.keys(messages).sort()).toEqual(expectedKeys);
  });

  it('has no empty message', () => {
    for (const [key, message] of Object.entries(messages)) {
      expect(typeof message, key).toBe('string');
      expect((message as string).trim(), key).not.toBe('');
    }
  });
});

describe('the lists of codes', () => {
  it('has no duplicates', () => {
    expect(new Set(VALIDATION_CODES).size).toBe(VALIDATION_CODES.length);
    expect(new Set(AUTHORIZATION_REASONS).size).toBe(AUTHORIZATION_REASONS.length);
  });

  it('speaks Chinese in the Chinese file', () => {
    for (const [key, message] of Object.entries(zhCN)) expect(message, key).toMatch(/\p{Script=Han}/u);
  });
});
