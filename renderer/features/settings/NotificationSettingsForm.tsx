import { useEffect, useState, type ReactNode } from 'react';
import { App, Button, Form, Input, InputNumber, Spin, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodInput, NotificationSettingsView } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { PasswordInput } from '../../forms/PasswordInput';

interface Values {
  hotline: string;
  smsOn: boolean;
  smsUrl: string;
  smsSign: string;
  smsToken: string;
  smsCa: string;
  mailOn: boolean;
  mailHost: string;
  mailPort: number;
  mailUser: string;
  mailPassword: string;
  mailFrom: string;
  mailFromName: string;
  mailCa: string;
  retryMax: number;
  retryBase: number;
  retryCap: number;
  callsMax: number;
}

function valuesOf(s: NotificationSettingsView): Values {
  return {
    hotline: s.hotline ?? '',
    smsOn: s.sms !== null,
    smsUrl: s.sms?.url ?? 'https://',
    smsSign: s.sms?.signName ?? '',
    smsToken: '',
    smsCa: s.sms?.caPem ?? '',
    mailOn: s.email !== null,
    mailHost: s.email?.host ?? '',
    mailPort: s.email?.port ?? 587,
    mailUser: s.email?.user ?? '',
    mailPassword: '',
    mailFrom: s.email?.from ?? '',
    mailFromName: s.email?.fromName ?? '',
    mailCa: s.email?.caPem ?? '',
    retryMax: s.retry.maxAttempts,
    retryBase: s.retry.baseSeconds,
    retryCap: s.retry.capSeconds,
    callsMax: s.calls.maxAttempts,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text);

/**
 * 客户通知: the bank's SMS platform and SMTP relay, the hotline printed in every message, how often a failed
 * message is retried before a teller calls, and how many times a teller calls. The password and the token are
 * never shown: blank keeps the one already set (sealed in the core).
 */
export function NotificationSettingsForm() {
  const { t } = useTranslation();
  const { codeText, refusalText } = useCodeText();
  const { message } = App.useApp();
  const [view, setView] = useState<NotificationSettingsView | null>(null);
  const [values, setValues] = useState<Values | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void call('notifications.settings.get', {}).then((result) => {
      if (result.ok) {
        setView(result.value);
        setValues(valuesOf(result.value));
      } else void message.error(refusalText(result.error));
    });
  }, [message, refusalText]);

  if (!view || !values) return <Spin />;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues({ ...values, [key]: value });

  const save = async () => {
    const change: MethodInput<'notifications.settings.update'> = {
      hotline: orNull(values.hotline),
      sms: values.smsOn
        ? { url: values.smsUrl, signName: values.smsSign, caPem: orNull(values.smsCa), ...(values.smsToken === '' ? {} : { token: values.smsToken }) }
        : null,
      email: values.mailOn
        ? {
            host: values.mailHost,
            port: values.mailPort,
            user: values.mailUser,
            from: values.mailFrom,
            fromName: values.mailFromName,
            caPem: orNull(values.mailCa),
            ...(values.mailPassword === '' ? {} : { password: values.mailPassword }),
          }
        : null,
      retry: { maxAttempts: values.retryMax, baseSeconds: values.retryBase, capSeconds: values.retryCap },
      calls: { maxAttempts: values.callsMax },
    };
    setSaving(true);
    const result = await call('notifications.settings.update', change);
    setSaving(false);
    if (!result.ok) {
      setErrors(result.error.fields ?? {});
      void message.error(refusalText(result.error));
      return;
    }
    setErrors({});
    setView(result.value);
    setValues(valuesOf(result.value));
    void message.success(t('settings.saved'));
  };

  const item = (path: string, label: string, control: ReactNode, hint?: string) => (
    <Form.Item label={label} htmlFor={`notify-${path}`} validateStatus={errors[path] ? 'error' : undefined} help={errors[path] ? codeText(errors[path]) : hint}>
      {control}
    </Form.Item>
  );
  const secretHint = (set: boolean) => (set ? t('notifySettings.secretKept') : t('notifySettings.secretMissing'));

  return (
    <Form layout="vertical" component="div">
      <form
        aria-label={t('settings.tab.notifications')}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        data-testid="notification-settings"
      >
        <Typography.Paragraph type="secondary">{t('notifySettings.intro')}</Typography.Paragraph>
        <div className="field-grid">{item('hotline', t('notifySettings.hotline'), <Input id="notify-hotline" value={values.hotline} maxLength={20} onChange={(e) => set('hotline', e.target.value)} />, t('notifySettings.hotlineHint'))}</div>

        <h3>
          <Switch checked={values.smsOn} onChange={(on) => set('smsOn', on)} aria-label={t('notifySettings.smsOn')} /> {t('notifySettings.sms')}
        </h3>
        {values.smsOn && (
          <div className="field-grid">
            {item('sms.url', t('notifySettings.smsUrl'), <Input id="notify-sms.url" value={values.smsUrl} onChange={(e) => set('smsUrl', e.target.value)} />, t('notifySettings.smsUrlHint'))}
            {item('sms.signName', t('notifySettings.smsSign'), <Input id="notify-sms.signName" value={values.smsSign} maxLength={20} onChange={(e) => set('smsSign', e.target.value)} />)}
            {item('sms.token', t('notifySettings.smsToken'), <PasswordInput id="notify-sms.token" value={values.smsToken} autoComplete="off" onChange={(e) => set('smsToken', e.target.value)} />, secretHint(view.sms?.tokenSet ?? false))}
            {item('sms.caPem', t('notifySettings.caPem'), <Input.TextArea id="notify-sms.caPem" rows={3} value={values.smsCa} onChange={(e) => set('smsCa', e.target.value)} />, t('notifySettings.caHint'))}
          </div>
        )}

        <h3>
          <Switch checked={values.mailOn} onChange={(on) => set('mailOn', on)} aria-label={t('notifySettings.mailOn')} /> {t('notifySettings.mail')}
        </h3>
        {values.mailOn && (
          <div className="field-grid">
            {item('email.host', t('notifySettings.mailHost'), <Input id="notify-email.host" value={values.mailHost} onChange={(e) => set('mailHost', e.target.value)} />, t('notifySettings.mailHostHint'))}
            {item('email.port', t('notifySettings.mailPort'), <InputNumber id="notify-email.port" min={1} max={65535} precision={0} value={values.mailPort} onChange={(v) => set('mailPort', v ?? 587)} />)}
            {item('email.user', t('notifySettings.mailUser'), <Input id="notify-email.user" value={values.mailUser} autoComplete="off" onChange={(e) => set('mailUser', e.target.value)} />)}
            {item('email.password', t('notifySettings.mailPassword'), <PasswordInput id="notify-email.password" value={values.mailPassword} autoComplete="new-password" onChange={(e) => set('mailPassword', e.target.value)} />, secretHint(view.email?.passwordSet ?? false))}
            {item('email.from', t('notifySettings.mailFrom'), <Input id="notify-email.from" value={values.mailFrom} onChange={(e) => set('mailFrom', e.target.value)} />)}
            {item('email.fromName', t('notifySettings.mailFromName'), <Input id="notify-email.fromName" value={values.mailFromName} maxLength={60} onChange={(e) => set('mailFromName', e.target.value)} />)}
            {item('email.caPem', t('notifySettings.caPem'), <Input.TextArea id="notify-email.caPem" rows={3} value={values.mailCa} onChange={(e) => set('mailCa', e.target.value)} />, t('notifySettings.caHint'))}
          </div>
        )}

        <h3>{t('notifySettings.retryTitle')}</h3>
        <div className="field-grid">
          {item('retry.maxAttempts', t('notifySettings.retryMax'), <InputNumber id="notify-retry.maxAttempts" min={1} max={10} precision={0} value={values.retryMax} onChange={(v) => set('retryMax', v ?? 1)} />)}
          {item('retry.baseSeconds', t('notifySettings.retryBase'), <InputNumber id="notify-retry.baseSeconds" min={5} max={3600} precision={0} value={values.retryBase} onChange={(v) => set('retryBase', v ?? 5)} />)}
          {item('retry.capSeconds', t('notifySettings.retryCap'), <InputNumber id="notify-retry.capSeconds" min={60} max={86400} precision={0} value={values.retryCap} onChange={(v) => set('retryCap', v ?? 60)} />)}
          {item('calls.maxAttempts', t('notifySettings.callsMax'), <InputNumber id="notify-calls.maxAttempts" min={1} max={10} precision={0} value={values.callsMax} onChange={(v) => set('callsMax', v ?? 1)} />, t('notifySettings.callsHint'))}
        </div>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="notification-settings-save">
          {t('settings.save')}
        </Button>
      </form>
    </Form>
  );
}
