import { Alert, Button, InputNumber, Space, Switch } from 'antd';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  ACTION_AUTHORIZATION_REASONS,
  authorizationPolicySchema,
  defaultAuthorizationPolicy,
  DEFAULT_ELDERLY_AGE,
  DEFAULT_REPEAT_WINDOW_DAYS,
  type AuthorizationPolicy,
} from '../../../shared';
import { codeText, useCodeText } from '../../i18n/codeText';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useSaveSettings } from './useSaveSettings';

// Simple on/off triggers, in the order the rule reports them.
const SWITCHES = [
  'online_check_exception',
  'online_check_keyed',
  'manual_entry',
  'face_mismatch',
  'non_resident_id_document',
  'document_expires_today',
  'agent',
  'phone_not_held',
  'virtual_or_satellite_number',
] as const;

function PolicyRow(props: { reason: string; children: React.ReactNode; parameter?: React.ReactNode }) {
  return (
    <div className="policy-row">
      <span className="policy-reason" id={`policy-${props.reason}`}>
        {codeText(`authorization.reason.${props.reason}`)}
      </span>
      <span className="policy-switch">{props.children}</span>
      <span className="policy-parameter">{props.parameter}</span>
    </div>
  );
}

/**
 * 授权规则: when a supervisor must authorize. Bank policy, not law (DOMAIN.md): each trigger can be
 * switched and tuned here; the defaults are DOMAIN.md's. An expired document and the actions after
 * submission always need a supervisor.
 */
export function AuthorizationPolicyForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  useCodeText();
  const save = useSaveSettings();
  const form = useForm<AuthorizationPolicy>({ resolver: zodResolver(authorizationPolicySchema), defaultValues: props.settings.authorizationPolicy });
  const repeatOn = useWatch({ control: form.control, name: 'repeat_request.enabled' });
  const elderlyOn = useWatch({ control: form.control, name: 'elderly_applicant.enabled' });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (policy) => {
    await save({ authorizationPolicy: policy });
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={t('settings.tab.policy')} data-testid="policy-form">
      <Alert type="info" showIcon className="form-alert" title={t('settings.policyIsBankPolicy')} description={t('settings.policyDefaults', { days: DEFAULT_REPEAT_WINDOW_DAYS, age: DEFAULT_ELDERLY_AGE })} />
      <div className="policy-table" role="group" aria-label={t('settings.tab.policy')}>
        {SWITCHES.map((reason) => (
          <PolicyRow key={reason} reason={reason}>
            <Controller
              control={form.control}
              name={`${reason}.enabled`}
              render={({ field }) => <Switch checked={field.value} onChange={field.onChange} aria-labelledby={`policy-${reason}`} data-policy={reason} />}
            />
          </PolicyRow>
        ))}
        <PolicyRow
          reason="repeat_request"
          parameter={
            <Controller
              control={form.control}
              name="repeat_request.repeatWindowDays"
              render={({ field }) => (
                <Space>
                  <label htmlFor="policy-repeat-days">{t('settings.repeatWindowDays')}</label>
                  <InputNumber id="policy-repeat-days" min={1} max={366} value={field.value} onChange={(value) => field.onChange(value ?? DEFAULT_REPEAT_WINDOW_DAYS)} disabled={!repeatOn} status={errors.repeat_request?.repeatWindowDays ? 'error' : undefined} />
                </Space>
              )}
            />
          }
        >
          <Controller control={form.control} name="repeat_request.enabled" render={({ field }) => <Switch checked={field.value} onChange={field.onChange} aria-labelledby="policy-repeat_request" />} />
        </PolicyRow>
        <PolicyRow
          reason="elderly_applicant"
          parameter={
            <Controller
              control={form.control}
              name="elderly_applicant.elderlyAge"
              render={({ field }) => (
                <Space>
                  <label htmlFor="policy-elderly-age">{t('settings.elderlyAge')}</label>
                  <InputNumber id="policy-elderly-age" min={18} max={150} value={field.value} onChange={(value) => field.onChange(value ?? DEFAULT_ELDERLY_AGE)} disabled={!elderlyOn} status={errors.elderly_applicant?.elderlyAge ? 'error' : undefined} />
                </Space>
              )}
            />
          }
        >
          <Controller control={form.control} name="elderly_applicant.enabled" render={({ field }) => <Switch checked={field.value} onChange={field.onChange} aria-labelledby="policy-elderly_applicant" />} />
        </PolicyRow>
        <PolicyRow reason="document_expired" parameter={<span className="policy-fixed">{t('settings.alwaysRequired')}</span>}>
          <Switch checked disabled aria-labelledby="policy-document_expired" />
        </PolicyRow>
      </div>
      <p className="section-hint">
        {t('settings.actionsAlwaysAuthorized', { actions: ACTION_AUTHORIZATION_REASONS.map((reason) => codeText(`authorization.reason.${reason}`)).join(t('common.listSeparator')) })}
      </p>
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="policy-save">
          {t('settings.save')}
        </Button>
        <Button onClick={() => form.reset(defaultAuthorizationPolicy)}>{t('settings.restoreDefaults')}</Button>
      </Space>
    </form>
  );
}
