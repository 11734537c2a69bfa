import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useCodeText } from '../../i18n/codeText';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';
import { useSaveSettings } from './useSaveSettings';

interface Values {
  url: string;
  timeoutMs: number;
  clientCertPath: string;
  clientKeyPath: string;
  caPath: string;
}

const FIELDS = ['url', 'timeoutMs', 'clientCertPath', 'clientKeyPath', 'caPath'] as const;
const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

/**
 * 联网核查 for branch IT: where the bank's middleware is (https only), the deadline, and the PEM files for
 * mutual TLS. The core checks each file (it exists, parses, the key is the certificate's) before saving.
 */
export function IdentityCheckSettingsForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const save = useSaveSettings();
  const current = props.settings.identityCheck;
  const form = useForm<Values>({
    defaultValues: {
      url: current?.url ?? '',
      timeoutMs: current?.timeoutMs ?? 8000,
      clientCertPath: current?.clientCertPath ?? '',
      clientKeyPath: current?.clientKeyPath ?? '',
      caPath: current?.caPath ?? '',
    },
  });
  const submit = form.handleSubmit(async (values) => {
    const error = await save({
      identityCheck: {
        url: values.url.trim(),
        timeoutMs: values.timeoutMs,
        clientCertPath: blankToNull(values.clientCertPath),
        clientKeyPath: blankToNull(values.clientKeyPath),
        caPath: blankToNull(values.caPath),
      },
    });
    if (error?.fields) {
      applyServerFieldErrors(error, form.setError, { prefix: 'identityCheck', isField: (path) => (FIELDS as readonly string[]).includes(path) });
    }
  });
  const text = (name: Exclude<(typeof FIELDS)[number], 'timeoutMs'>, hint?: string) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Form.Item
          label={t(`settings.identityCheck.${name}`)}
          htmlFor={`settings-identityCheck-${name}`}
          validateStatus={fieldState.error ? 'error' : undefined}
          help={fieldState.error?.message ? codeText(fieldState.error.message) : hint}
        >
          <Input id={`settings-identityCheck-${name}`} maxLength={name === 'url' ? 500 : 1024} value={field.value} onChange={field.onChange} ref={field.ref} />
        </Form.Item>
      )}
    />
  );
  return (
    <Form layout="vertical" component="div">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={t('settings.tab.identityCheck')} data-testid="identity-check-settings">
        <Alert
          type="info"
          showIcon
          className="form-alert"
          title={current ? t('settings.identityCheck.configured') : t('settings.identityCheck.none')}
          description={t('settings.identityCheck.about')}
        />
        {text('url', t('settings.identityCheck.urlHint'))}
        <Controller
          control={form.control}
          name="timeoutMs"
          render={({ field, fieldState }) => (
            <Form.Item
              label={t('settings.identityCheck.timeoutMs')}
              htmlFor="settings-identityCheck-timeoutMs"
              validateStatus={fieldState.error ? 'error' : undefined}
              help={fieldState.error?.message ? codeText(fieldState.error.message) : undefined}
            >
              <InputNumber id="settings-identityCheck-timeoutMs" min={1000} max={60000} step={1000} precision={0} value={field.value} onChange={(value) => field.onChange(value ?? 8000)} />
            </Form.Item>
          )}
        />
        <div className="field-grid">
          {text('clientCertPath')}
          {text('clientKeyPath')}
        </div>
        {text('caPath', t('settings.identityCheck.caHint'))}
        <div className="button-row">
          <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="identity-check-save">
            {t('settings.save')}
          </Button>
          {current && (
            <Button danger onClick={() => void save({ identityCheck: null })} data-testid="identity-check-remove">
              {t('settings.identityCheck.remove')}
            </Button>
          )}
        </div>
      </form>
    </Form>
  );
}
