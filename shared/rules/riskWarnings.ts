/** 全国反诈专线. */
export const ANTI_FRAUD_HOTLINE = '96110';

/**
 * 风险提示: what the teller reads to the customer, point by point, before ticking 已进行风险提示, and what the
 * slip prints (DOMAIN.md, "The slip"). One wording for both: the customer hears what they take home.
 */
export const RISK_WARNING_TEXT = {
  codes: '银行工作人员不会以任何理由向您索要短信验证码、密码，请勿向任何人透露。',
  fees: '谨防以“调整费率”“解绑手续费”等名义实施的诈骗，切勿向陌生账户转账。',
  lending: '请勿出租、出借、出售POS机具，否则可能承担相应法律责任。',
  hotline: `如遇可疑情况，请立即拨打全国反诈专线 ${ANTI_FRAUD_HOTLINE}。`,
} as const;

export type RiskPoint = keyof typeof RISK_WARNING_TEXT;
export const RISK_POINTS = ['codes', 'fees', 'lending', 'hotline'] as const satisfies readonly RiskPoint[];
export const RISK_WARNINGS = RISK_POINTS.map((point) => RISK_WARNING_TEXT[point]);
