import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSlip, type IssuedSlip } from '../../../electron/core/receipts/slipLayout';
import type { SlipModel, SlipOptions } from '../../../electron/core/receipts/slipModel';
import { DomainError } from '../../../electron/core/rpc/domainError';
import { receiptFields } from '../../../electron/core/receipts/slipPayload';
import { maskName } from '../../../shared/rules';
import {
  branchKeys,
  FULL_ID_NUMBER,
  FULL_MOBILE,
  FULL_NEW_MOBILE,
  longestSlipModel,
  pdfPageCount,
  pdfText,
  sampleSlipModel,
  withPdfFile,
} from './slipFixtures';

const issue = (model: SlipModel, options: Partial<SlipOptions> = {}): Promise<IssuedSlip> =>
  renderSlip(model, { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey, compress: false, ...options });

/** Each page's size in points, as poppler reads it. */
function pageSizes(pdf: Buffer): { width: number; height: number }[] {
  const info = withPdfFile(pdf, (file) => execFileSync('/usr/bin/pdfinfo', ['-f', '1', '-l', '99', file], { encoding: 'utf8' }));
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** Every word poppler finds, with its box in points. */
function wordBoxes(pdf: Buffer): { word: string; xMin: number; yMin: number; xMax: number; yMax: number; page: number }[] {
  const html = pdfText(pdf, ['-bbox']);
  const words: ReturnType<typeof wordBoxes> = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page += 1;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) words.push({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), word: m[5] ?? '', page });
  }
  return words;
}

const squash = (text: string) => text.replace(/\s+/g, '');

describe('the confirmation slip (业务受理回执)', () => {
  let slip: IssuedSlip;
  let text: string;
  beforeAll(async () => {
    slip = await issue(sampleSlipModel());
    // -raw: in drawing order, so each label is followed by its value whatever the column.
    text = squash(pdfText(slip.pdf, ['-raw']));
  });

  it('carries the title, the bank, the branch and its code', () => {
    expect(text).toContain('POS机绑定手机号解绑业务受理回执');
    expect(text).toContain('示例商业银行');
    expect(text).toContain('上海分行黄浦支行营业部（网点号310101柜台01）');
  });

  it('says the request is accepted (已受理) and that the acquirer will process it, never that it is done', () => {
    expect(text).toContain('业务状态：已受理');
    expect(text).toContain('解绑将由收单机构处理');
    expect(text).not.toMatch(/解绑成功|已解绑|解绑完成(?!凭证)/);
  });

  it('shows the application number, business date and time in Beijing time', () => {
    expect(text).toContain('受理编号：310101-01-20261125-0007');
    expect(text).toContain('业务日期：2026-11-25');
    expect(text).toContain('打印时间：2026-11-2514:03:07（北京时间）');
  });

  it('shows only masked personal data', () => {
    expect(text).toContain('申请人：张*');
    expect(text).toContain('证件类型：居民身份证');
    expect(text).toContain('证件号码：1101**********002X');
    expect(text).toContain('解绑手机号：138****5678');
    expect(text).toContain('新绑定手机号：139****4321');
  });

  it('shows the merchant number, terminal number and SN, the reason, and how identity was verified', () => {
    expect(text).toContain('商户编号：102310158120045');
    expect(text).toContain('终端编号：31012345');
    expect(text).toContain('终端序列号：NL-SP930-00012345');
    expect(text).toContain('解绑原因：手机号码遗失或变更');
    expect(text).toContain('证件读取：芯片读卡');
    expect(text).toContain('联网核查：姓名与号码一致');
    expect(text).toContain('人脸比对：一致');
    expect(text).toContain('持有原绑定手机：否');
  });

  it('names the teller, the reviewer and the authorizer by employee number', () => {
    expect(text).toContain('经办柜员：3101017');
    expect(text).toContain('复核：3101012');
    expect(text).toContain('授权：3101001');
  });

  it('warns about verification codes, fee scams and renting out the terminal, and gives the 96110 hotline', () => {
    expect(text).toContain('风险提示');
    expect(text).toContain('不会以任何理由向您索要短信验证码');
    expect(text).toContain('“调整费率”“解绑手续费”');
    expect(text).toContain('请勿出租、出借、出售POS机具');
    expect(text).toContain('96110');
  });

  it('has the customer confirm the details, above the drawn signature', () => {
    expect(text).toContain('本人确认以上信息真实有效');
    expect(text).toContain('客户签名：');
    expect(slip.pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
  });

  it('counts the first print as 第1次打印 and does not call it a reprint', () => {
    expect(text).toContain('第1次打印');
    expect(text).not.toContain('重打');
  });

  it('is an A5 portrait page labelled 客户联', () => {
    expect(pageSizes(slip.pdf)).toEqual([{ width: 419.53, height: 595.28 }]);
    expect(text).toContain('客户联');
    expect(text).not.toContain('银行留存联');
  });

  it('never holds a full ID or phone number, in any encoding of the uncompressed file', () => {
    const raw = slip.pdf.toString('latin1');
    const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
    for (const full of [FULL_ID_NUMBER, FULL_MOBILE, FULL_NEW_MOBILE]) {
      expect(slip.pdf.includes(Buffer.from(full, 'utf8'))).toBe(false);
      expect(slip.pdf.includes(utf16be(full))).toBe(false);
      for (const hex of [utf16be(full).toString('hex'), Buffer.from(full).toString('hex')]) {
        expect(raw.toLowerCase()).not.toContain(hex.toLowerCase());
      }
    }
  });

  it('renders the same slip to the same bytes, so its SHA-256 identifies it', async () => {
    const again = await issue(sampleSlipModel());
    expect(again.sha256).toBe(slip.sha256);
    expect(slip.sha256).toBe(createHash('sha256').update(slip.pdf).digest('hex'));
  });
});

describe('a reprint', () => {
  it('says 重打 and 第N次打印 prominently, with the original print time', async () => {
    const reprint = await issue(sampleSlipModel({ printCount: 2, issuedAt: '2026-11-26 09:12:44' }));
    const text = squash(pdfText(reprint.pdf));
    expect(text).toContain('重打第2次打印原打印时间2026-11-2514:03:07（北京时间）');
    expect(text).toContain('本次打印：2026-11-2609:12:44');
    expect(text).toContain('受理时间：2026-11-2514:03:07');
    // The notice is set in a larger bold type than the fields, near the top of the page.
    const words = wordBoxes(reprint.pdf);
    const notice = words.find((w) => w.word.startsWith('重打'));
    const field = words.find((w) => w.word.startsWith('受理编号'));
    expect(notice && field && notice.yMax - notice.yMin > field.yMax - field.yMin).toBe(true);
    expect(notice && field && notice.yMin < field.yMin).toBe(true);
  });
});

describe('the parts of a slip', () => {
  it('prints 客户联 and 银行留存联 on two labelled pages', async () => {
    const both = await issue(sampleSlipModel(), { parts: 'both' });
    expect(pdfPageCount(both.pdf)).toBe(2);
    expect(both.pages.map((p) => p.part)).toEqual(['customer', 'bank']);
    expect(squash(pdfText(both.pdf, ['-f', '1', '-l', '1']))).toContain('客户联');
    const bankPage = squash(pdfText(both.pdf, ['-f', '2', '-l', '2']));
    expect(bankPage).toContain('银行留存联');
    expect(bankPage).not.toContain('客户联');
    expect(bankPage).toContain('受理编号：310101-01-20261125-0007');
  });

  it('prints only the bank part when asked', async () => {
    const bank = await issue(sampleSlipModel(), { parts: 'bank' });
    expect(pdfPageCount(bank.pdf)).toBe(1);
    expect(squash(pdfText(bank.pdf))).toContain('银行留存联');
  });
});

describe('the 80 mm receipt-roll slip', () => {
  let roll: IssuedSlip;
  beforeAll(async () => {
    roll = await issue(longestSlipModel(), { layout: 'roll80', parts: 'both' });
  });

  it('puts every section of each part on one page, 80 mm wide and as long as its content', () => {
    expect(pdfPageCount(roll.pdf)).toBe(2);
    for (const size of pageSizes(roll.pdf)) {
      expect(size.width).toBe(226.77);
      expect(size.height).toBeGreaterThan(700);
    }
    const first = squash(pdfText(roll.pdf, ['-f', '1', '-l', '1']));
    for (const part of ['POS机绑定手机号解绑业务受理回执', '重打第99次打印', '已受理', '证件号码', '终端序列号', '联网核查', '经办柜员', '96110', '本人确认以上信息真实有效', '扫码核验回执真伪', '客户联']) {
      expect(first).toContain(part);
    }
  });

  it('keeps every word inside the printable 72 mm of the roll', () => {
    const words = wordBoxes(roll.pdf);
    expect(words.length).toBeGreaterThan(100);
    for (const w of words) {
      expect(w.xMin, w.word).toBeGreaterThanOrEqual(11.5);
      expect(w.xMax, w.word).toBeLessThanOrEqual(226.77 - 11.5);
    }
  });
});

describe('the longest realistic slip on A5', () => {
  it('still fits each part on one page with every word inside the margins', async () => {
    const slip = await issue(longestSlipModel(), { parts: 'both' });
    expect(pdfPageCount(slip.pdf)).toBe(2);
    const words = wordBoxes(slip.pdf);
    for (const w of words) {
      expect(w.xMin, w.word).toBeGreaterThanOrEqual(23.5);
      expect(w.xMax, w.word).toBeLessThanOrEqual(419.53 - 23.5);
      expect(w.yMax, w.word).toBeLessThanOrEqual(595.28 - 20);
    }
    const text = squash(pdfText(slip.pdf, ['-f', '1', '-l', '1']));
    expect(text).toContain('办理方式：代办');
    expect(text).toContain('代办人签名：');
    expect(text).toContain('外国人永久居留身份证');
    expect(text).toContain('PAX-A920PRO-0123456789ABCDEFGH-Z');
  });
});

describe('a character the font cannot draw', () => {
  it('prints as a visible ? and warns slip.missing_glyph, instead of an empty box', async () => {
    const slip = await issue(sampleSlipModel({ applicantNameMasked: '𪚥*' }));
    expect(slip.warnings).toEqual(['slip.missing_glyph']);
    expect(squash(pdfText(slip.pdf))).toContain('申请人：?*');
  });

  it('is also caught in the bank and branch names', async () => {
    const slip = await issue(sampleSlipModel({ branchName: '𠀋城支行' }));
    expect(slip.warnings).toEqual(['slip.missing_glyph']);
    expect(squash(pdfText(slip.pdf))).toContain('?城支行');
  });

  it('does not disturb a slip whose characters are all in the font', async () => {
    const slip = await issue(sampleSlipModel({ applicantNameMasked: '欧阳**' }));
    expect(slip.warnings).toEqual([]);
    expect(squash(pdfText(slip.pdf))).toContain('申请人：欧阳**');
  });

  it('keeps the signed payload true to the data, whatever the page could show', async () => {
    const slip = await issue(sampleSlipModel({ branchCode: '310101' }));
    expect(receiptFields(slip.payload).branchCode).toBe('310101');
  });
});

describe('a slip without a drawn signature', () => {
  it('leaves a blank line to sign on and signs no signature hash', async () => {
    const slip = await issue(sampleSlipModel({ signaturePng: null, signatureSha256: null }));
    expect(slip.pdf.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
    expect(squash(pdfText(slip.pdf))).toContain('客户签名：');
    expect(slip.payload.g).toBeUndefined();
  });
});

describe('refusing unmasked personal data', () => {
  const refused = async (overrides: Partial<SlipModel>) => {
    const error = await issue(sampleSlipModel(overrides)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };

  it('refuses a full ID number or phone number, naming the field but not the value', async () => {
    const error = await refused({ documentNumberMasked: FULL_ID_NUMBER, mobileMasked: FULL_MOBILE });
    expect(error.messageKey).toBe('slip.unmasked_personal_data');
    expect(Object.keys(error.fields ?? {})).toEqual(['documentNumberMasked', 'mobileMasked']);
    expect(JSON.stringify(error) + error.message).not.toContain(FULL_MOBILE);
  });

  it('refuses a number keyed in full-width digits', async () => {
    await refused({ newMobileMasked: '１３８１２３４５６７８' });
  });

  it('refuses a number that was masked too little', async () => {
    await refused({ documentNumberMasked: '11010519491231*02X' });
  });

  it('refuses a name that was not masked at all', async () => {
    await refused({ applicantNameMasked: '张伟' });
  });
});

describe('what a slip says in the customer words and for a reprint (issue 13)', () => {
  it('names the supervisor who authorized a reprint, on the page and in the signed payload', async () => {
    const reprint = await issue(sampleSlipModel({ printCount: 2, issuedAt: '2026-11-26 09:12:44', reprintAuthorizerNo: 'S002' }), { parts: 'both' });
    expect(reprint.payload.y).toBe('S002');
    for (const page of [1, 2]) expect(squash(pdfText(reprint.pdf, ['-raw', '-f', String(page), '-l', String(page)]))).toContain('重打授权：S002');
    // The first print has no reprint supervisor to name.
    const first = await issue(sampleSlipModel({ reprintAuthorizerNo: 'S002' }));
    expect(first.payload.y).toBeUndefined();
    expect(squash(pdfText(first.pdf))).not.toContain('重打授权');
  });

  it('prints the free-text reason (原因说明) on both copies', async () => {
    const reasonText = '商户已注销营业执照，门店关闭，POS机不再使用。';
    const both = await issue(sampleSlipModel({ reasonCode: 'other', reasonText }), { parts: 'both' });
    for (const page of [1, 2]) expect(squash(pdfText(both.pdf, ['-raw', '-f', String(page), '-l', String(page)]))).toContain(`原因说明：${reasonText}`);
  });

  it('wraps a long Latin name under its value column, never back to the left margin', async () => {
    for (const layout of ['a5', 'roll80'] as const) {
      const slip = await issue(sampleSlipModel({ applicantNameMasked: maskName('MARIA DEL CARMEN FERNANDEZ GARCIA') }), { layout });
      const words = wordBoxes(slip.pdf);
      const label = words.find((w) => w.word === '申请人：');
      const nameWords = words.filter((w) => /^M?\*+$/.test(w.word) && label !== undefined && w.yMin >= label.yMin - 1 && w.yMin < label.yMin + 40);
      // Every part of the name, on each of its lines, starts right of the label.
      expect(nameWords.length).toBe(5);
      const lines = new Set(nameWords.map((w) => Math.round(w.yMin)));
      if (layout === 'a5') expect(lines.size).toBeGreaterThan(1);
      const valueColumn = Math.min(...nameWords.map((w) => w.xMin));
      expect(label && valueColumn > label.xMax).toBe(true);
      for (const line of lines) expect(Math.min(...nameWords.filter((w) => Math.round(w.yMin) === line).map((w) => w.xMin))).toBeCloseTo(valueColumn, 0);
    }
  });
});
