import { useState } from 'react';
import { Alert, Button, Card, Form, Typography } from 'antd';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { newPassword, password } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { TextField } from '../../forms/TextField';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';
import { useActor, useSession } from '../../session/SessionContext';

const changeForm = z
  .object({ current: password, next: newPassword, nextAgain: z.string() })
  .refine((values) => values.next === values.nextAgain, { message: 'password.mismatch', path: ['nextAgain'] });
type ChangeValues = z.input<typeof changeForm>;
const FIELDS = new Set(['current', 'next', 'nextAgain']);

/**
 * 首次登录修改密码: an account made or reset by an admin starts with a password someone else knows; the
 * core refuses all work until the teller has chosen their own.
 */
export default function ChangePasswordScreen() {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const session = useSession();
  const actor = useActor();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ChangeValues>({
    resolver: zodResolver(changeForm),
    mode: 'onTouched',
    defaultValues: { current: '', next: '', nextAgain: '' },
  });

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await call('auth.changePassword', { current: values.current, next: values.next });
    if (result.ok) return session.refresh();
    const { unplaced } = applyServerFieldErrors(result.error, form.setError, { isField: (path) => FIELDS.has(path) });
    if (unplaced.length > 0 || !result.error.fields) setError(refusalText(result.error));
  });

  return (
    <div className="entry-screen">
      <Card className="entry-card" title={<Typography.Title level={3} className="entry-title">{t('password.changeTitle')}</Typography.Title>}>
        <Typography.Paragraph>{t('password.mustChange', { name: actor.name, employeeNo: actor.employeeNo })}</Typography.Paragraph>
        <Form layout="vertical" component="div">
          <form onSubmit={(event) => void submit(event)} aria-label={t('password.changeTitle')} noValidate>
            <TextField control={form.control} name="current" type="password" label={t('password.current')} autoComplete="current-password" required autoFocus />
            <TextField control={form.control} name="next" type="password" label={t('password.next')} hint={t('password.rule')} autoComplete="new-password" required />
            <TextField control={form.control} name="nextAgain" type="password" label={t('password.nextAgain')} autoComplete="new-password" required />
            {error && <Alert type="error" showIcon title={<span role="alert">{error}</span>} className="form-alert" />}
            <div className="button-row">
              <Button type="primary" htmlType="submit" size="large" loading={form.formState.isSubmitting}>
                {t('password.submit')}
              </Button>
              <Button size="large" onClick={() => void session.logout()}>
                {t('header.logout')}
              </Button>
            </div>
          </form>
        </Form>
      </Card>
    </div>
  );
}
