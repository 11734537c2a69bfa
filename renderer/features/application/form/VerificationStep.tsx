import { Button, Form, Input } from 'antd';
import { Controller, useFormContext, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  FACE_COMPARISON_RESULTS,
  ONLINE_CHECK_RESULTS,
  REASON_CODES,
  VERIFICATION_METHODS,
  type ApplicationFormValues,
} from '../../../../shared';
import { useCodeText } from '../../../i18n/codeText';
import { ChoiceField } from '../../../forms/ChoiceField';
import { TextField } from '../../../forms/TextField';
import { fieldHelpId, fieldId } from '../../../forms/fieldIds';
import { useBranchSettings } from '../../workspace/BranchSettings';
import { RUN_ONLINE_CHECK_EVENT } from './OnlineCheckPanel';

/** Step 3 — 原因与核验: why the merchant unbinds, and how the teller made sure who they are. */
export function VerificationStep() {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const { control, setValue } = useFormContext<ApplicationFormValues>();
  const reason = useWatch({ control, name: 'reason.code' });
  const method = useWatch({ control, name: 'verification.method' });
  // With a middleware, the result is the core's record of the check, never picked here.
  const checkedOnline = useBranchSettings().settings?.identityCheck != null;
  return (
    <div className="form-step-body">
      <fieldset className="form-section">
        <legend>{t('form.section.reason')}</legend>
        <ChoiceField control={control} name="reason.code" label={t('form.reason')} required choices={REASON_CODES.map((value) => ({ value, label: t(`reason.${value}`) }))} />
        {reason === 'other' && (
          <Controller
            control={control}
            name="reason.text"
            render={({ field, fieldState }) => {
              const error = fieldState.error?.message;
              return (
                <Form.Item
                  label={t('form.reasonText')}
                  htmlFor={fieldId('reason.text')}
                  required
                  validateStatus={error ? 'error' : undefined}
                  help={error ? <span id={fieldHelpId('reason.text')}>{codeText(error)}</span> : undefined}
                >
                  <Input.TextArea
                    id={fieldId('reason.text')}
                    ref={field.ref}
                    value={field.value ?? ''}
                    onChange={(event) => field.onChange(event.target.value)}
                    onBlur={field.onBlur}
                    maxLength={200}
                    showCount
                    autoSize={{ minRows: 2, maxRows: 4 }}
                    aria-invalid={error ? true : undefined}
                  />
                </Form.Item>
              );
            }}
          />
        )}
      </fieldset>
      <fieldset className="form-section">
        <legend>{t('form.section.verification')}</legend>
        <ChoiceField
          control={control}
          name="verification.method"
          label={t('form.method')}
          required
          // `chip` is set only by a card read (the reader panel on the document step), never chosen by hand.
          choices={VERIFICATION_METHODS.filter((value) => value === 'manual' || method === 'chip').map((value) => ({ value, label: t(`method.${value}`) }))}
          onChosen={(value) => {
            if (value === 'chip') setValue('verification.documentNumberReentry', '');
          }}
        />
        {method === 'manual' && (
          <TextField
            control={control}
            name="verification.documentNumberReentry"
            label={t('form.reentry')}
            hint={t('form.reentryHint')}
            maxLength={40}
            required
            blockPaste
            normalize={(value) => value.trim().toUpperCase()}
          />
        )}
        {checkedOnline ? (
          <Controller
            control={control}
            name="verification.onlineCheck"
            render={({ field, fieldState }) => {
              const error = fieldState.error?.message;
              return (
                <Form.Item
                  label={t('form.onlineCheck')}
                  required
                  validateStatus={error ? 'error' : undefined}
                  help={error ? <span id={fieldHelpId('verification.onlineCheck')}>{codeText(error)}</span> : undefined}
                >
                  <span className="online-check-value" data-testid="online-check-value">
                    {field.value ? t('common.withCode', { name: t(`onlineCheck.${field.value}`), code: t('identityCheck.source.online') }) : '—'}
                  </span>{' '}
                  <Button id={fieldId('verification.onlineCheck')} ref={field.ref} size="small" onClick={() => window.dispatchEvent(new Event(RUN_ONLINE_CHECK_EVENT))}>
                    {t('identityCheck.run')} <kbd>{t('identityCheck.keyHint')}</kbd>
                  </Button>
                </Form.Item>
              );
            }}
          />
        ) : (
          <ChoiceField
            control={control}
            name="verification.onlineCheck"
            label={t('form.onlineCheck')}
            hint={t('identityCheck.notConfigured')}
            required
            choices={ONLINE_CHECK_RESULTS.map((value) => ({ value, label: t(`onlineCheck.${value}`) }))}
          />
        )}
        <ChoiceField control={control} name="verification.faceComparison" label={t('form.faceComparison')} required choices={FACE_COMPARISON_RESULTS.map((value) => ({ value, label: t(`faceComparison.${value}`) }))} />
        <ChoiceField
          control={control}
          name="verification.holdsBoundPhone"
          label={t('form.holdsBoundPhone')}
          required
          choices={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      </fieldset>
    </div>
  );
}
