import { useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { validateMobile, type ApplicationFormValues } from '../../../../shared';
import { SectionError } from '../../../forms/SectionError';
import { TextField } from '../../../forms/TextField';

const upperCase = (value: string) => value.normalize('NFKC').trim().toUpperCase();

/** A warning the number carries (virtual operator, satellite), once it is a valid number. */
function mobileWarning(raw: string | undefined): string | null {
  if (!raw) return null;
  const result = validateMobile(raw);
  return result.ok ? (result.warnings[0] ?? null) : null;
}

/** Step 2 — 终端与手机号: which POS terminal, and the phone number to unbind from it (typed twice). */
export function TerminalStep() {
  const { t } = useTranslation();
  const { control } = useFormContext<ApplicationFormValues>();
  const bound = useWatch({ control, name: 'mobile.bound' });
  const newMobile = useWatch({ control, name: 'mobile.newMobile' });
  return (
    <div className="form-step-body">
      <fieldset className="form-section">
        <legend>{t('form.section.pos')}</legend>
        <p className="section-hint">{t('form.posHint')}</p>
        <SectionError control={control} name="pos" />
        <div className="field-grid field-grid-3">
          <TextField control={control} name="pos.merchantNumber" label={t('form.merchantNumber')} hint={t('form.merchantHint')} maxLength={20} normalize={upperCase} />
          <TextField control={control} name="pos.terminalId" label={t('form.terminalId')} hint={t('form.terminalHint')} maxLength={12} normalize={upperCase} />
          <TextField control={control} name="pos.terminalSerial" label={t('form.terminalSerial')} hint={t('form.serialHint')} maxLength={40} normalize={upperCase} />
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('form.section.mobile')}</legend>
        <div className="field-grid">
          <TextField control={control} name="mobile.bound" label={t('form.boundMobile')} warning={mobileWarning(bound)} inputMode="tel" maxLength={24} required />
          <TextField control={control} name="mobile.boundConfirm" label={t('form.boundMobileConfirm')} hint={t('form.confirmHint')} inputMode="tel" maxLength={24} required blockPaste />
          <TextField control={control} name="mobile.newMobile" label={t('form.newMobile')} hint={t('form.newMobileHint')} warning={mobileWarning(newMobile)} inputMode="tel" maxLength={24} />
          <TextField control={control} name="mobile.newMobileConfirm" label={t('form.newMobileConfirm')} inputMode="tel" maxLength={24} blockPaste disabled={!newMobile} />
        </div>
      </fieldset>
    </div>
  );
}
