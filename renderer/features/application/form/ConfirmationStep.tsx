import { useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_CHANNELS, NOTIFICATION_LANGUAGES, RISK_POINTS, type ApplicationFormValues } from '../../../../shared';
import { CheckField } from '../../../forms/CheckField';
import { ChoiceField } from '../../../forms/ChoiceField';
import { TextField } from '../../../forms/TextField';

/** Step 4 — 通知与确认: how the customer hears the outcome, the risk warning given, consent obtained. */
export function ConfirmationStep() {
  const { t } = useTranslation();
  const { control, setValue } = useFormContext<ApplicationFormValues>();
  const channel = useWatch({ control, name: 'notification.channel' });
  return (
    <div className="form-step-body">
      <fieldset className="form-section">
        <legend>{t('form.section.notification')}</legend>
        {/* Before the channel: the step opens on the channel and Tab goes on to the risk warning, so the usual
            answer (Chinese, preset) costs no key; Shift+Tab reaches the language when the customer wants English. */}
        <ChoiceField
          control={control}
          name="notification.language"
          label={t('form.notificationLanguage')}
          choices={NOTIFICATION_LANGUAGES.map((value) => ({ value, label: t(`notificationLanguage.${value}`) }))}
        />
        <ChoiceField
          control={control}
          name="notification.channel"
          label={t('form.notificationChannel')}
          required
          choices={NOTIFICATION_CHANNELS.map((value) => ({ value, label: t(`notification.${value}`) }))}
          onChosen={(value) => {
            if (value !== 'email') setValue('notification.email', '');
          }}
        />
        {channel === 'email' && <TextField control={control} name="notification.email" label={t('form.email')} inputMode="email" maxLength={254} required />}
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('form.section.riskWarning')}</legend>
        <ul className="risk-points">
          {RISK_POINTS.map((point) => (
            <li key={point}>{t(`risk.${point}`)}</li>
          ))}
        </ul>
        <CheckField control={control} name="verification.riskWarningAcknowledged">
          {t('form.riskWarningAcknowledged')}
        </CheckField>
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('form.section.consent')}</legend>
        <p className="section-hint">{t('form.consentText')}</p>
        <CheckField control={control} name="consent.personalInformation">
          {t('form.consent')}
        </CheckField>
      </fieldset>
    </div>
  );
}
