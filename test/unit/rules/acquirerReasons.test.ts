import { describe, expect, it } from 'vitest';
import { acquirerReasonForStaff, acquirerReasonWords } from '../../../shared';

describe("the acquirer's reason as staff read it", () => {
  it('puts a code of the contract in our words, in the screen language, with the code after them', () => {
    expect(acquirerReasonForStaff(' not_bound ', 'zh-CN')).toBe('该手机号目前未绑定此终端（not_bound）');
    expect(acquirerReasonForStaff('documents_required', 'en')).toBe('the acquirer needs further documents (documents_required)');
  });

  it("leaves the acquirer's own text as it came, and takes nothing of an object's own machinery for a code", () => {
    for (const text of ['终端已注销，无需解绑', 'NOT_BOUND', 'toString', '__proto__', 'constructor', 'not_bound.']) {
      expect(acquirerReasonWords(text, 'zh-CN')).toBeNull();
      expect(acquirerReasonForStaff(text, 'en')).toBe(text);
    }
  });
});
