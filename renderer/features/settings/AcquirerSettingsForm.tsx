import { Button, Form, Input, InputNumber, Radio } from 'antd';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { AcquirerSettings } from '../../../shared';
import { useCodeText } from '../../i18n/codeText';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useSaveSettings } from './useSaveSettings';

interface Values {
  channel: AcquirerSettings['channel'];
  url: string;
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  timeoutSeconds: number;
  pollMinutes: number;
  outFolder: string;
  outcomeFolder: string;
  outcomePublicKey: string;
  overdueDays: number;
}

const TEXT_FIELDS = ['url', 'caFile', 'clientCertFile', 'clientKeyFile', 'outFolder', 'outcomeFolder'] as const;
const NUMBER_FIELDS = [
  ['timeoutSeconds', 1, 120],
  ['pollMinutes', 1, 1440],
  ['overdueDays', 1, 60],
] as const;

/** Where a server's field error belongs in this form ("acquirer.https.url" → url). */
const FIELD_OF: Readonly<Record<string, keyof Values>> = {
  'acquirer.https.url': 'url',
  'acquirer.https.caFile': 'caFile',
  'acquirer.https.clientCertFile': 'clientCertFile',
  'acquirer.https.clientKeyFile': 'clientKeyFile',
  'acquirer.https.timeoutSeconds': 'timeoutSeconds',
  'acquirer.https.pollMinutes': 'pollMinutes',
  'acquirer.batch.outFolder': 'outFolder',
  'acquirer.batch.outcomeFolder': 'outcomeFolder',
  'acquirer.batch.outcomePublicKey': 'outcomePublicKey',
  'acquirer.overdueDays': 'overdueDays',
};

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** 收单机构交接: the channel (off, HTTPS API, batch file), its address and certificates, folders, the acquirer's outcome-signing key, overdue days. */
export function AcquirerSettingsForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const save = useSaveSettings();
  const a = props.settings.acquirer;
  const form = useForm<Values>({
    defaultValues: {
      channel: a.channel,
      url: a.https.url,
      caFile: a.https.caFile ?? '',
      clientCertFile: a.https.clientCertFile ?? '',
      clientKeyFile: a.https.clientKeyFile ?? '',
      timeoutSeconds: a.https.timeoutSeconds,
      pollMinutes: a.https.pollMinutes,
      outFolder: a.batch.outFolder ?? '',
      outcomeFolder: a.batch.outcomeFolder ?? '',
      outcomePublicKey: a.batch.outcomePublicKey ?? '',
      overdueDays: a.overdueDays,
    },
  });
  const submit = form.handleSubmit(async (v) => {
    const error = await save({
      acquirer: {
        channel: v.channel,
        https: { url: v.url.trim(), caFile: orNull(v.caFile), clientCertFile: orNull(v.clientCertFile), clientKeyFile: orNull(v.clientKeyFile), timeoutSeconds: v.timeoutSeconds, pollMinutes: v.pollMinutes },
        batch: { outFolder: orNull(v.outFolder), outcomeFolder: orNull(v.outcomeFolder), outcomePublicKey: orNull(v.outcomePublicKey) },
        overdueDays: v.overdueDays,
      },
    });
    for (const [path, code] of Object.entries(error?.fields ?? {})) {
      const field = FIELD_OF[path];
      if (field) form.setError(field, { type: 'server', message: code });
    }
  });
  return (
    <Form layout="vertical" component="div">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={t('settings.tab.acquirer')} data-testid="acquirer-settings">
        <Controller
          control={form.control}
          name="channel"
          render={({ field }) => (
            <Form.Item label={t('settings.acquirer.channel')} help={t('settings.acquirer.channelHint')}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                value={field.value}
                onChange={(event) => field.onChange(event.target.value)}
                options={[
                  { value: 'off', label: t('settings.acquirer.off') },
                  { value: 'https', label: t('settings.acquirer.https') },
                  { value: 'batch', label: t('settings.acquirer.batch') },
                ]}
              />
            </Form.Item>
          )}
        />
        <div className="field-grid">
          {TEXT_FIELDS.map((name) => (
            <Controller
              key={name}
              control={form.control}
              name={name}
              render={({ field, fieldState }) => (
                <Form.Item
                  label={t(`settings.acquirer.${name}`)}
                  htmlFor={`acquirer-${name}`}
                  validateStatus={fieldState.error ? 'error' : undefined}
                  help={fieldState.error?.message ? codeText(fieldState.error.message) : undefined}
                >
                  <Input id={`acquirer-${name}`} maxLength={name === 'url' ? 500 : 1024} value={field.value} onChange={field.onChange} placeholder={name === 'url' ? 'https://' : undefined} />
                </Form.Item>
              )}
            />
          ))}
        </div>
        <Controller
          control={form.control}
          name="outcomePublicKey"
          render={({ field, fieldState }) => (
            <Form.Item
              label={t('settings.acquirer.outcomePublicKey')}
              htmlFor="acquirer-outcomePublicKey"
              validateStatus={fieldState.error ? 'error' : undefined}
              help={fieldState.error?.message ? codeText(fieldState.error.message) : t('settings.acquirer.outcomePublicKeyHint')}
            >
              <Input.TextArea
                id="acquirer-outcomePublicKey"
                rows={4}
                maxLength={4096}
                value={field.value}
                onChange={field.onChange}
                placeholder="-----BEGIN PUBLIC KEY-----"
                style={{ fontFamily: 'monospace' }}
                data-testid="acquirer-outcome-public-key"
              />
            </Form.Item>
          )}
        />
        <div className="field-grid">
          {NUMBER_FIELDS.map(([name, min, max]) => (
            <Controller
              key={name}
              control={form.control}
              name={name}
              render={({ field, fieldState }) => (
                <Form.Item
                  label={t(`settings.acquirer.${name}`)}
                  htmlFor={`acquirer-${name}`}
                  validateStatus={fieldState.error ? 'error' : undefined}
                  help={fieldState.error?.message ? codeText(fieldState.error.message) : undefined}
                >
                  <InputNumber id={`acquirer-${name}`} min={min} max={max} precision={0} value={field.value} onChange={(value) => field.onChange(value ?? min)} />
                </Form.Item>
              )}
            />
          ))}
        </div>
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="acquirer-save">
          {t('settings.save')}
        </Button>
      </form>
    </Form>
  );
}
