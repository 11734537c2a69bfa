import { Checkbox, Form, Input } from 'antd';
import { Controller, type Control } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { LONG_TERM, type ApplicationFormValues } from '../../../../shared';
import { useCodeText } from '../../../i18n/codeText';
import { normalizeDateInput } from '../../../forms/calendarDateInput';
import { fieldHelpId, fieldId } from '../../../forms/fieldIds';
import { typedValueTidying } from '../../../forms/typedValueTidying';

const NAME = 'applicant.documentExpiry';

/** 证件有效期: a date typed as on the card, or 长期 for a card valid for life. */
export function ExpiryField(props: { control: Control<ApplicationFormValues> }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const id = fieldId(NAME);
  const helpId = fieldHelpId(NAME);
  return (
    <Controller
      control={props.control}
      name={NAME}
      render={({ field, fieldState }) => {
        const longTerm = field.value === LONG_TERM;
        const error = fieldState.error?.message;
        const tidying = typedValueTidying(field, longTerm ? undefined : normalizeDateInput);
        return (
          <Form.Item
            label={t('form.documentExpiry')}
            htmlFor={id}
            required
            validateStatus={error ? 'error' : undefined}
            help={<span id={helpId} data-field-help={NAME}>{error ? codeText(error) : t('form.dateHint')}</span>}
          >
            <div className="field-with-addon">
              <Input
                id={id}
                ref={field.ref}
                value={longTerm ? '' : (field.value ?? '')}
                placeholder={longTerm ? t('form.longTerm') : 'YYYY-MM-DD'}
                disabled={longTerm}
                inputMode="numeric"
                maxLength={12}
                autoComplete="off"
                onChange={(event) => field.onChange(event.target.value)}
                onBlur={() => {
                  tidying.tidy();
                  field.onBlur();
                }}
                onKeyDown={tidying.onKeyDown}
                aria-invalid={error ? true : undefined}
                aria-describedby={helpId}
              />
              <Checkbox
                id={`${id}-long-term`}
                checked={longTerm}
                onChange={(event) => field.onChange(event.target.checked ? LONG_TERM : '')}
              >
                {t('form.longTerm')}
              </Checkbox>
            </div>
          </Form.Item>
        );
      }}
    />
  );
}
