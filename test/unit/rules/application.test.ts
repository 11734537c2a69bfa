import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  VALIDATION_CODES,
  applicationInputSchema,
  applicationWarnings,
  hiddenCharacterCode,
  makeResidentIdNumber,
  type ApplicationFormValues,
} from '../../../shared/rules';
import { HIDDEN_CHARACTERS, textWithHiddenArb } from './arbitraries';
import { AGENT_ID, APPLICANT_ID, BUSINESS_DATE, residentIdBornOn, validRequest } from './sampleRequests';

type Issue = { message: string; path: PropertyKey[] };

function issuesOf(input: unknown): Issue[] {
  const result = applicationInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map(({ message, path }) => ({ message, path }));
}

function accepted(input: unknown) {
  const result = applicationInputSchema.safeParse(input);
  if (!result.success) throw new Error(`refused: ${JSON.stringify(issuesOf(input))}`);
  return result.data;
}

/** The request with some of its parts replaced. */
function requestWith(change: (request: ApplicationFormValues) => void): ApplicationFormValues {
  const request = validRequest();
  change(request);
  return request;
}

describe('the unbind request', () => {
  it('accepts a complete request and hands back normalized values', () => {
    const request = accepted(
      requestWith((r) => {
        r.applicant.documentNumber = ` ${APPLICANT_ID.slice(0, 6)} ${APPLICANT_ID.slice(6)} `.toLowerCase();
        r.mobile.bound = '+86 138-1234-5678';
        r.pos.merchantNumber = '１０２１０００５８１２０００１';
        r.pos.terminalSerial = 'pax－8240175533';
      }),
    );
    expect(request.applicant).toMatchObject({
      documentNumber: APPLICANT_ID,
      birthDate: '1985-03-04',
      sex: 'M',
      expiredDocumentOverride: false,
    });
    expect(request.mobile).toEqual({ bound: '13812345678', boundConfirm: '13812345678' });
    expect(request.pos).toEqual({ merchantNumber: '102100058120001', terminalId: '10086001', terminalSerial: 'PAX-8240175533' });
    expect(request.channel).toBe('counter');
  });

  it('defaults the channel to the counter and records another channel when given', () => {
    expect(accepted(requestWith((r) => delete r.channel)).channel).toBe('counter');
    expect(accepted(requestWith((r) => (r.channel = 'hotline'))).channel).toBe('hotline');
    expect(issuesOf(requestWith((r) => ((r as { channel: string }).channel = 'branch')))).toEqual([
      { message: 'field.invalid', path: ['channel'] },
    ]);
  });

  it('parses its own output to the same request', () => {
    const once = accepted(requestWith((r) => {
      r.mobile.newMobile = '139 8765 4321';
      r.mobile.newMobileConfirm = '+8613987654321';
      r.reason = { code: 'other', text: '  商户已注销  ' };
      r.notification = { channel: 'email', email: 'Wang.Jianguo@Example.COM' };
    }));
    expect(accepted(once)).toEqual(once);
    expect(once.reason.text).toBe('商户已注销');
    expect(once.notification.email).toBe('Wang.Jianguo@example.com');
  });

  it('refuses unknown keys at any level', () => {
    expect(issuesOf({ ...validRequest(), tellerId: 'T001' })).toEqual([{ message: 'field.unknown', path: [] }]);
    expect(issuesOf(requestWith((r) => Object.assign(r.applicant, { nationality: 'CHN' })))).toEqual([
      { message: 'field.unknown', path: ['applicant'] },
    ]);
  });

  it('names every missing field', () => {
    const { reason: _reason, ...withoutReason } = validRequest();
    expect(issuesOf(withoutReason)).toContainEqual({ message: 'field.required', path: ['reason'] });
    expect(issuesOf(requestWith((r) => delete (r.applicant as Partial<typeof r.applicant>).name))).toContainEqual({
      message: 'field.required',
      path: ['applicant', 'name'],
    });
    expect(issuesOf(null)).toEqual([{ message: 'field.invalid', path: [] }]);
  });

  it('refuses oversized strings in every field', () => {
    const long = '1'.repeat(5000);
    const request = requestWith((r) => {
      r.applicant.documentNumber = long;
      r.mobile.bound = long;
      r.pos.terminalSerial = long;
      r.reason = { code: 'other', text: long };
      r.notification = { channel: 'email', email: `${long}@example.com` };
    });
    const paths = issuesOf(request).filter((i) => i.message === 'field.too_long').map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining([
      'applicant.documentNumber', 'mobile.bound', 'pos.terminalSerial', 'reason.text', 'notification.email',
    ]));
  });

  it('refuses an invalid business date', () => {
    expect(issuesOf(requestWith((r) => (r.businessDate = '2025-02-29')))).toContainEqual({ message: 'business_date.invalid', path: ['businessDate'] });
  });

  it('shows every problem at once', () => {
    const messages = issuesOf(
      requestWith((r) => {
        r.applicant.name = '张三1';
        r.pos = {};
        r.reason = { code: 'other' };
        r.mobile.boundConfirm = '13900000000';
        delete (r.verification as Partial<typeof r.verification>).holdsBoundPhone;
      }),
    ).map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([
      'name.format', 'pos.identifiers_required', 'reason.text_required', 'mobile.confirm_mismatch', 'field.required',
    ]));
  });
});

describe('the applicant and the document', () => {
  it('refuses a document number that fails its rules, beside the number', () => {
    expect(issuesOf(requestWith((r) => (r.applicant.documentNumber = '110105491231002')))).toEqual([
      { message: 'id.legacy_15', path: ['applicant', 'documentNumber'] },
    ]);
    expect(issuesOf(requestWith((r) => (r.applicant.documentNumber = APPLICANT_ID.slice(0, 17) + (APPLICANT_ID.endsWith('0') ? '1' : '0'))))).toEqual([
      { message: 'id.checksum', path: ['applicant', 'documentNumber'] },
    ]);
  });

  it('refuses an applicant under 18 on the business date, and accepts one who turns 18 that day', () => {
    expect(issuesOf(requestWith((r) => (r.applicant.documentNumber = residentIdBornOn('2007-06-02'))))).toEqual([
      { message: 'applicant.under_age', path: ['applicant', 'documentNumber'] },
    ]);
    expect(issuesOf(requestWith((r) => (r.applicant.documentNumber = residentIdBornOn('2007-06-01'))))).toEqual([]);
  });

  it('asks for the birth date when the document does not carry it, and judges the age on it', () => {
    const passport = (birthDate?: string) =>
      requestWith((r) => {
        r.applicant.documentType = 'passport';
        r.applicant.documentNumber = 'E12345678';
        if (birthDate !== undefined) r.applicant.birthDate = birthDate;
      });
    expect(issuesOf(passport())).toEqual([{ message: 'applicant.birth_date_required', path: ['applicant', 'birthDate'] }]);
    expect(issuesOf(passport('2010-01-01'))).toEqual([{ message: 'applicant.under_age', path: ['applicant', 'birthDate'] }]);
    expect(issuesOf(passport('2026-01-01'))).toEqual([{ message: 'applicant.birth_date_invalid', path: ['applicant', 'birthDate'] }]);
    expect(issuesOf(passport('1899-12-31'))).toEqual([{ message: 'applicant.birth_date_invalid', path: ['applicant', 'birthDate'] }]);
    expect(issuesOf(passport('1980-02-30'))).toEqual([{ message: 'applicant.birth_date_invalid', path: ['applicant', 'birthDate'] }]);
    expect(accepted(passport('1980-02-29')).applicant).toMatchObject({ birthDate: '1980-02-29', documentNumber: 'E12345678' });
  });

  it('refuses a keyed birth date or sex that contradicts the number', () => {
    expect(issuesOf(requestWith((r) => (r.applicant.birthDate = '1985-03-05')))).toEqual([
      { message: 'applicant.birth_date_mismatch', path: ['applicant', 'birthDate'] },
    ]);
    expect(issuesOf(requestWith((r) => (r.applicant.sex = 'F')))).toEqual([
      { message: 'applicant.sex_mismatch', path: ['applicant', 'sex'] },
    ]);
    expect(issuesOf(requestWith((r) => {
      r.applicant.birthDate = '1985-03-04';
      r.applicant.sex = 'M';
    }))).toEqual([]);
  });

  it('accepts names with the middle dot of minority names, foreign names, and full-width letters', () => {
    for (const [keyed, stored] of [
      ['阿依古丽·买买提', '阿依古丽·买买提'],
      ['阿依古丽・买买提', '阿依古丽·买买提'],
      ['JOHN  SMITH', 'JOHN SMITH'],
      ['ＪＯＨＮ　ＳＭＩＴＨ', 'JOHN SMITH'],
      ["O’BRIEN JEAN-PAUL", "O'BRIEN JEAN-PAUL"],
      [' 王建国 ', '王建国'],
    ] as const) {
      expect(accepted(requestWith((r) => (r.applicant.name = keyed))).applicant.name, keyed).toBe(stored);
    }
  });

  it('refuses names with digits, punctuation, hidden characters, or more than 50 characters', () => {
    const nameIssue = (name: string) => issuesOf(requestWith((r) => (r.applicant.name = name)));
    expect(nameIssue('张三1')).toEqual([{ message: 'name.format', path: ['applicant', 'name'] }]);
    expect(nameIssue('·张三')).toEqual([{ message: 'name.format', path: ['applicant', 'name'] }]);
    expect(nameIssue('张三<script>')).toEqual([{ message: 'name.format', path: ['applicant', 'name'] }]);
    expect(nameIssue('')).toEqual([{ message: 'name.required', path: ['applicant', 'name'] }]);
    expect(nameIssue('   ')).toEqual([{ message: 'name.required', path: ['applicant', 'name'] }]);
    expect(nameIssue('张'.repeat(51))).toEqual([{ message: 'name.too_long', path: ['applicant', 'name'] }]);
    expect(nameIssue('张'.repeat(50))).toEqual([]);
    expect(nameIssue('张\u200b三')).toEqual([{ message: 'text.invisible_character', path: ['applicant', 'name'] }]);
    expect(nameIssue('张\u202e三')).toEqual([{ message: 'text.bidi_control', path: ['applicant', 'name'] }]);
    expect(nameIssue('张\n三')).toEqual([{ message: 'text.control_character', path: ['applicant', 'name'] }]);
  });
});

describe('document expiry', () => {
  const expiring = (documentExpiry: string, change?: (r: ApplicationFormValues) => void) =>
    requestWith((r) => {
      r.applicant.documentExpiry = documentExpiry;
      change?.(r);
    });

  it('refuses an expired document unless a supervisor overrides', () => {
    expect(issuesOf(expiring('2025-05-31'))).toEqual([{ message: 'document.expired', path: ['applicant', 'documentExpiry'] }]);
    expect(accepted(expiring('2025-05-31', (r) => (r.applicant.expiredDocumentOverride = true))).applicant.expiredDocumentOverride).toBe(true);
  });

  it('accepts a document expiring on the business date', () => {
    expect(issuesOf(expiring(BUSINESS_DATE))).toEqual([]);
  });

  it('refuses an expiry that is no real date, or more than 20 years away', () => {
    expect(issuesOf(expiring('2030-02-30'))).toEqual([{ message: 'document.expiry_format', path: ['applicant', 'documentExpiry'] }]);
    expect(issuesOf(expiring('长期'))).toEqual([{ message: 'document.expiry_format', path: ['applicant', 'documentExpiry'] }]);
    expect(issuesOf(expiring('2045-06-01'))).toEqual([]);
    expect(issuesOf(expiring('2045-06-02'))).toEqual([{ message: 'document.expiry_too_far', path: ['applicant', 'documentExpiry'] }]);
  });

  it('accepts long-term only on the resident ID of someone 46 or older', () => {
    expect(issuesOf(expiring('long_term'))).toEqual([{ message: 'document.long_term_invalid', path: ['applicant', 'documentExpiry'] }]);
    expect(issuesOf(expiring('long_term', (r) => (r.applicant.documentNumber = residentIdBornOn('1979-06-01'))))).toEqual([]);
    expect(issuesOf(expiring('long_term', (r) => (r.applicant.documentNumber = residentIdBornOn('1979-06-02'))))).toEqual([
      { message: 'document.long_term_invalid', path: ['applicant', 'documentExpiry'] },
    ]);
    expect(issuesOf(expiring('long_term', (r) => {
      r.applicant.documentType = 'passport';
      r.applicant.documentNumber = 'E12345678';
      r.applicant.birthDate = '1950-01-01';
    }))).toEqual([{ message: 'document.long_term_invalid', path: ['applicant', 'documentExpiry'] }]);
  });
});

describe('an agent acting for the applicant', () => {
  const agent = { name: '李梅', documentType: 'resident_id' as const, documentNumber: AGENT_ID };

  it('accepts an agent with a valid document', () => {
    const request = accepted(requestWith((r) => {
      r.applicant.isAgent = true;
      r.applicant.agent = { ...agent, documentNumber: AGENT_ID.toLowerCase() };
    }));
    expect(request.applicant.agent).toEqual(agent);
  });

  it('requires the agent when the request says there is one, and refuses one when it says not', () => {
    expect(issuesOf(requestWith((r) => (r.applicant.isAgent = true)))).toEqual([{ message: 'agent.required', path: ['applicant', 'agent'] }]);
    expect(issuesOf(requestWith((r) => (r.applicant.agent = agent)))).toEqual([{ message: 'agent.not_expected', path: ['applicant', 'agent'] }]);
  });

  it("refuses an under-age agent, an invalid agent document, and the applicant's own document", () => {
    const withAgent = (documentNumber: string) => requestWith((r) => {
      r.applicant.isAgent = true;
      r.applicant.agent = { ...agent, documentNumber };
    });
    expect(issuesOf(withAgent(residentIdBornOn('2010-01-01')))).toEqual([{ message: 'agent.under_age', path: ['applicant', 'agent', 'documentNumber'] }]);
    expect(issuesOf(withAgent('12345'))).toEqual([{ message: 'id.length', path: ['applicant', 'agent', 'documentNumber'] }]);
    expect(issuesOf(withAgent(APPLICANT_ID))).toEqual([{ message: 'agent.same_as_applicant', path: ['applicant', 'agent', 'documentNumber'] }]);
  });
});

describe('the POS to unbind', () => {
  const withPos = (pos: ApplicationFormValues['pos']) => issuesOf(requestWith((r) => (r.pos = pos)));

  it('needs the merchant and terminal numbers, or the serial number', () => {
    expect(withPos({ merchantNumber: '102100058120001', terminalId: '10086001' })).toEqual([]);
    expect(withPos({ terminalSerial: 'PAX-8240175533' })).toEqual([]);
    expect(withPos({})).toEqual([{ message: 'pos.identifiers_required', path: ['pos'] }]);
    expect(withPos({ merchantNumber: '102100058120001' })).toEqual([{ message: 'pos.identifiers_required', path: ['pos'] }]);
    expect(withPos({ terminalId: '10086001', terminalSerial: '  ' })).toEqual([{ message: 'pos.identifiers_required', path: ['pos'] }]);
  });

  it('checks the format of each identifier given, beside it', () => {
    expect(withPos({ merchantNumber: '1021', terminalId: '1008', terminalSerial: '12' })).toEqual([
      { message: 'merchant.format', path: ['pos', 'merchantNumber'] },
      { message: 'terminal.format', path: ['pos', 'terminalId'] },
      { message: 'serial.format', path: ['pos', 'terminalSerial'] },
    ]);
  });

  it('leaves blank identifiers out of the request', () => {
    expect(accepted(requestWith((r) => (r.pos = { merchantNumber: '', terminalId: '', terminalSerial: 'PAX-1' + '23456' }))).pos).toEqual({
      terminalSerial: 'PAX-123456',
    });
  });
});

describe('mobile numbers in the request', () => {
  it('refuses a confirmation that differs from the bound number, but not a differently written one', () => {
    expect(issuesOf(requestWith((r) => (r.mobile.boundConfirm = '13812345679')))).toEqual([
      { message: 'mobile.confirm_mismatch', path: ['mobile', 'boundConfirm'] },
    ]);
    expect(issuesOf(requestWith((r) => (r.mobile.boundConfirm = '0086 (138) 1234-5678')))).toEqual([]);
    expect(issuesOf(requestWith((r) => (r.mobile.boundConfirm = '')))).toEqual([
      { message: 'mobile.confirm_required', path: ['mobile', 'boundConfirm'] },
    ]);
  });

  it('refuses a data-only IoT number as the bound phone', () => {
    expect(issuesOf(requestWith((r) => {
      r.mobile.bound = '14012345678';
      r.mobile.boundConfirm = '14012345678';
    }))).toEqual([{ message: 'mobile.iot_segment', path: ['mobile', 'bound'] }]);
  });

  it('checks a new number to bind: its own rules, its confirmation, and that it differs', () => {
    const withNew = (newMobile: string, newMobileConfirm?: string) => issuesOf(requestWith((r) => {
      r.mobile.newMobile = newMobile;
      if (newMobileConfirm !== undefined) r.mobile.newMobileConfirm = newMobileConfirm;
    }));
    expect(withNew('13987654321', '139-8765-4321')).toEqual([]);
    expect(withNew('13987654321')).toEqual([{ message: 'mobile.confirm_required', path: ['mobile', 'newMobileConfirm'] }]);
    expect(withNew('13987654321', '13987654320')).toEqual([{ message: 'mobile.confirm_mismatch', path: ['mobile', 'newMobileConfirm'] }]);
    expect(withNew('13812345678', '13812345678')).toEqual([{ message: 'mobile.new_same_as_bound', path: ['mobile', 'newMobile'] }]);
    expect(withNew('14812345678', '14812345678')).toEqual([{ message: 'mobile.iot_segment', path: ['mobile', 'newMobile'] }]);
  });

  it('reports warnings of an accepted request beside their fields', () => {
    const request = accepted(requestWith((r) => {
      r.mobile.bound = '17012345678';
      r.mobile.boundConfirm = '17012345678';
      r.applicant.documentNumber = makeResidentIdNumber({ regionCode: '110199', birthDate: '1980-01-01', sequence: 5 });
    }));
    expect(applicationWarnings(request)).toEqual([
      { path: ['applicant', 'documentNumber'], code: 'id.unknown_region' },
      { path: ['mobile', 'bound'], code: 'mobile.virtual_operator' },
    ]);
  });
});

describe('reason, verification, notification and consent', () => {
  it("needs the reason in words for 'other', up to 200 characters, without hidden characters", () => {
    const other = (text?: string) => issuesOf(requestWith((r) => (r.reason = text === undefined ? { code: 'other' } : { code: 'other', text })));
    expect(other()).toEqual([{ message: 'reason.text_required', path: ['reason', 'text'] }]);
    expect(other('  ')).toEqual([{ message: 'reason.text_required', path: ['reason', 'text'] }]);
    expect(other('商户转让，新经营者另行申请')).toEqual([]);
    expect(other('字'.repeat(200))).toEqual([]);
    expect(other('字'.repeat(201))).toEqual([{ message: 'reason.text_too_long', path: ['reason', 'text'] }]);
    expect(other('abc\u202edef')).toEqual([{ message: 'text.bidi_control', path: ['reason', 'text'] }]);
    expect(other('第一行\n第二行')).toEqual([{ message: 'text.control_character', path: ['reason', 'text'] }]);
  });

  it('needs the document number keyed twice when it was not read from the chip', () => {
    const manual = (reentry?: string) => issuesOf(requestWith((r) => {
      r.verification.method = 'manual';
      if (reentry !== undefined) r.verification.documentNumberReentry = reentry;
    }));
    expect(manual()).toEqual([{ message: 'verification.reentry_required', path: ['verification', 'documentNumberReentry'] }]);
    expect(manual(APPLICANT_ID.slice(0, 17) + '9')).toEqual(
      APPLICANT_ID.endsWith('9') ? [] : [{ message: 'verification.reentry_mismatch', path: ['verification', 'documentNumberReentry'] }],
    );
    expect(manual(` ${APPLICANT_ID.toLowerCase()} `)).toEqual([]);
  });

  it('needs the risk warning given and the consent to personal-information processing', () => {
    expect(issuesOf(requestWith((r) => ((r.verification as { riskWarningAcknowledged: boolean }).riskWarningAcknowledged = false)))).toEqual([
      { message: 'verification.risk_warning_required', path: ['verification', 'riskWarningAcknowledged'] },
    ]);
    expect(issuesOf(requestWith((r) => ((r.consent as { personalInformation: boolean }).personalInformation = false)))).toEqual([
      { message: 'consent.required', path: ['consent', 'personalInformation'] },
    ]);
  });

  it('needs a valid e-mail address for notification by e-mail', () => {
    const byEmail = (email?: string) => issuesOf(requestWith((r) => (r.notification = email === undefined ? { channel: 'email' } : { channel: 'email', email })));
    expect(byEmail()).toEqual([{ message: 'notification.email_required', path: ['notification', 'email'] }]);
    expect(byEmail('wang@example.com')).toEqual([]);
    expect(byEmail('wang＠example.com')).toEqual([]);
    for (const bad of ['wang', 'wang@', '@example.com', 'wang@example', 'wang@@example.com', 'wang@exa mple.com', 'wang..x@example.com', '王@example.com', 'wang@-example.com']) {
      expect(byEmail(bad), bad).toEqual([{ message: 'notification.email_format', path: ['notification', 'email'] }]);
    }
  });
});

describe('what the schema lets through', () => {
  it('answers only with known codes, whatever the fields hold', () => {
    const known = new Set<string>(VALIDATION_CODES);
    const paths = [
      ['businessDate'], ['channel'], ['applicant', 'name'], ['applicant', 'documentType'], ['applicant', 'documentNumber'],
      ['applicant', 'documentExpiry'], ['applicant', 'isAgent'], ['applicant', 'agent'], ['pos'], ['pos', 'terminalSerial'],
      ['mobile', 'bound'], ['mobile', 'newMobile'], ['reason', 'code'], ['reason', 'text'], ['verification', 'method'],
      ['verification', 'riskWarningAcknowledged'], ['notification', 'email'], ['consent'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything(), (path, value) => {
        const request = validRequest() as unknown as Record<string, Record<string, unknown>>;
        const [first = '', second] = path;
        if (second === undefined) (request as Record<string, unknown>)[first] = value;
        else if (request[first] !== undefined) request[first][second] = value;
        for (const { message } of issuesOf(request)) expect(known, message).toContain(message);
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a string holding a control, bidi or invisible character', () => {
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(strings) : [];
    // Each text field starts from a value it accepts; one character, hidden or not, is slipped in.
    const fields: Record<string, (r: ApplicationFormValues, keyed: (plain: string) => string) => void> = {
      name: (r, keyed) => (r.applicant.name = keyed('王建国')),
      agentName: (r, keyed) => {
        r.applicant.isAgent = true;
        r.applicant.agent = { name: keyed('JOHN SMITH'), documentType: 'resident_id', documentNumber: AGENT_ID };
      },
      reasonText: (r, keyed) => (r.reason = { code: 'other', text: keyed('商户已注销') }),
      documentNumber: (r, keyed) => (r.applicant.documentNumber = keyed(APPLICANT_ID)),
      serial: (r, keyed) => (r.pos.terminalSerial = keyed('PAX-8240175533')),
      mobile: (r, keyed) => (r.mobile.bound = keyed('138 1234 5678')),
      email: (r, keyed) => (r.notification = { channel: 'email', email: keyed('wang@example.com') }),
      reentry: (r, keyed) => {
        r.verification.method = 'manual';
        r.verification.documentNumberReentry = keyed(APPLICANT_ID);
      },
    };
    const slipped = fc.oneof(fc.constantFrom(...HIDDEN_CHARACTERS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), textWithHiddenArb);
    let acceptedCount = 0;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(fields)), slipped, fc.nat(), (field, extra, at) => {
        const result = applicationInputSchema.safeParse(requestWith((r) => {
          fields[field]?.(r, (plain) => {
            const i = at % (plain.length + 1);
            return plain.slice(0, i) + extra + plain.slice(i);
          });
        }));
        if (!result.success) return;
        acceptedCount += 1;
        for (const s of strings(result.data)) {
          expect(hiddenCharacterCode(s), JSON.stringify(s)).toBeUndefined();
          for (const ch of HIDDEN_CHARACTERS) expect(s.includes(ch)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
    // The property is not vacuous: plenty of generated requests pass.
    expect(acceptedCount).toBeGreaterThan(100);
  });
});
