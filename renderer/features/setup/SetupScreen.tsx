import { useState } from 'react';
import { Alert, Button, Card, Divider, Form, Typography } from 'antd';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { branchCode, branchName, deskNumber, employeeNo, newPassword, personName } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { TextField } from '../../forms/TextField';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';

// The contract's own field rules, plus the second entry of the password.
const setupForm = z
  .object({
    branchCode,
    desk: deskNumber,
    branchName,
    bankName: branchName,
    admin: z.object({ employeeNo, name: personName, password: newPassword, passwordAgain: z.string() }),
  })
  .refine((values) => values.admin.password === values.admin.passwordAgain, { message: 'password.mismatch', path: ['admin', 'passwordAgain'] });

/** 1 → 01: a counter is called 1号柜台, the number is written with two digits. */
export function padDesk(value: string): string {
  const trimmed = value.trim();
  return /^[1-9]$/.test(trimmed) ? `0${trimmed}` : trimmed;
}

type SetupValues = z.input<typeof setupForm>;
const FIELDS = new Set(['branchCode', 'desk', 'branchName', 'bankName', 'admin.employeeNo', 'admin.name', 'admin.password', 'admin.passwordAgain']);

/**
 * 首次设置: the branch this counter belongs to and its first admin account. The core refuses it once
 * done, so nobody can take over an installation; the admin then creates the tellers and supervisors.
 */
export default function SetupScreen(props: { onDone: (adminEmployeeNo: string) => void }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    resolver: zodResolver(setupForm),
    mode: 'onTouched',
    defaultValues: { branchCode: '', desk: '', branchName: '', bankName: '', admin: { employeeNo: '', name: '', password: '', passwordAgain: '' } },
  });
  const { control, handleSubmit, formState } = form;

  const submit = handleSubmit(async (values) => {
    setError(null);
    const result = await call('auth.setup', {
      branchCode: values.branchCode.trim().toUpperCase(),
      desk: values.desk.trim(),
      branchName: values.branchName,
      bankName: values.bankName,
      admin: { employeeNo: values.admin.employeeNo, name: values.admin.name, password: values.admin.password },
    });
    if (result.ok) return props.onDone(values.admin.employeeNo.trim());
    const { unplaced } = applyServerFieldErrors(result.error, form.setError, { isField: (path) => FIELDS.has(path) });
    if (unplaced.length > 0 || !result.error.fields) setError(refusalText(result.error));
  });

  return (
    <div className="entry-screen">
      <Card className="entry-card entry-card-wide" title={<Typography.Title level={3} className="entry-title">{t('setup.title')}</Typography.Title>}>
        <Typography.Paragraph>{t('setup.intro')}</Typography.Paragraph>
        <Form layout="vertical" component="div">
          <form onSubmit={(event) => void submit(event)} aria-label={t('setup.title')} noValidate>
            <Divider titlePlacement="start">{t('setup.branch')}</Divider>
            <div className="field-grid">
              <TextField control={control} name="branchCode" label={t('setup.branchCode')} hint={t('setup.branchCodeHint')} maxLength={12} required autoFocus />
              <TextField control={control} name="desk" label={t('setup.desk')} hint={t('setup.deskHint')} maxLength={2} inputMode="numeric" normalize={padDesk} required />
              <TextField control={control} name="branchName" label={t('setup.branchName')} maxLength={60} required />
              <TextField control={control} name="bankName" label={t('setup.bankName')} maxLength={60} required />
            </div>
            <Divider titlePlacement="start">{t('setup.admin')}</Divider>
            <div className="field-grid">
              <TextField control={control} name="admin.employeeNo" label={t('setup.adminEmployeeNo')} maxLength={20} autoComplete="username" required />
              <TextField control={control} name="admin.name" label={t('setup.adminName')} maxLength={50} required />
              <TextField control={control} name="admin.password" type="password" label={t('setup.adminPassword')} hint={t('password.rule')} autoComplete="new-password" required />
              <TextField control={control} name="admin.passwordAgain" type="password" label={t('setup.adminPasswordAgain')} autoComplete="new-password" required />
            </div>
            {error && <Alert type="error" showIcon title={<span role="alert">{error}</span>} className="form-alert" />}
            <Button type="primary" htmlType="submit" size="large" loading={formState.isSubmitting}>
              {t('setup.submit')}
            </Button>
          </form>
        </Form>
      </Card>
    </div>
  );
}
