/**
 * The form in DOMAIN.md's order, in four steps that each fit a counter screen. Each step lists its
 * fields in screen order: Enter checks the step's fields and focuses the first one in error, and a refusal
 * from the core opens the step of its first field.
 */
export const FORM_STEPS = [
  {
    key: 'applicant',
    fields: [
      'applicant.documentType',
      'applicant.documentNumber',
      'applicant.name',
      'applicant.documentExpiry',
      'applicant.expiredDocumentOverride',
      'applicant.birthDate',
      'applicant.sex',
      'applicant.isAgent',
      'applicant.agent',
      'applicant.agent.name',
      'applicant.agent.documentType',
      'applicant.agent.documentNumber',
    ],
  },
  {
    key: 'terminal',
    fields: [
      'pos',
      'pos.merchantNumber',
      'pos.terminalId',
      'pos.terminalSerial',
      'mobile.bound',
      'mobile.boundConfirm',
      'mobile.newMobile',
      'mobile.newMobileConfirm',
    ],
  },
  {
    key: 'verification',
    fields: [
      'reason.code',
      'reason.text',
      'verification.method',
      'verification.documentNumberReentry',
      'verification.onlineCheck',
      'verification.faceComparison',
      'verification.holdsBoundPhone',
    ],
  },
  {
    key: 'confirmation',
    fields: ['notification.channel', 'notification.email', 'verification.riskWarningAcknowledged', 'consent.personalInformation'],
  },
] as const;

export type FormField = (typeof FORM_STEPS)[number]['fields'][number];

const ALL_FIELDS: readonly string[] = FORM_STEPS.flatMap((step) => step.fields);

export function isFormField(path: string): path is FormField {
  return ALL_FIELDS.includes(path);
}

/** The step a field (or anything beneath it, e.g. 'applicant.agent.name') is keyed in. */
export function stepOf(path: string): number {
  let best = -1;
  let bestLength = -1;
  FORM_STEPS.forEach((step, index) => {
    for (const field of step.fields) {
      if ((path === field || path.startsWith(`${field}.`)) && field.length > bestLength) {
        best = index;
        bestLength = field.length;
      }
    }
  });
  return best;
}
