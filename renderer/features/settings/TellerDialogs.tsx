import { useState } from 'react';
import { Button, Form } from 'antd';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { employeeNo, newPassword, personName, ROLES, type MethodOutput } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { ChoiceField } from '../../forms/ChoiceField';
import { FormDialog } from '../../forms/FormDialog';
import { TextField } from '../../forms/TextField';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';

type Teller = MethodOutput<'tellers.create'>;

const twice = <T extends { password: string; passwordAgain: string }>(values: T) => values.password === values.passwordAgain;

const newTellerForm = z
  .object({ employeeNo, name: personName, role: z.enum(ROLES, { error: 'validation.required' }), password: newPassword, passwordAgain: z.string() })
  .refine(twice, { message: 'password.mismatch', path: ['passwordAgain'] });
type NewTellerValues = z.input<typeof newTellerForm>;

/** 新增柜员: the admin sets a first password that the teller must change at their first login. */
export function NewTellerDialog(props: { onCreated: (teller: Teller) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<NewTellerValues>({
    resolver: zodResolver(newTellerForm),
    mode: 'onTouched',
    defaultValues: { employeeNo: '', name: '', role: 'teller', password: '', passwordAgain: '' },
  });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await call('tellers.create', { employeeNo: values.employeeNo, name: values.name, role: values.role, password: values.password });
    if (result.ok) return props.onCreated(result.value);
    const { unplaced } = applyServerFieldErrors(result.error, form.setError, { isField: (path) => ['employeeNo', 'name', 'role', 'password'].includes(path) });
    if (unplaced.length > 0 || !result.error.fields) setError(refusalText(result.error));
  });
  return (
    <FormDialog
      title={t('tellers.newTitle')}
      width={640}
      testId="new-teller-form"
      onSubmit={() => void submit()}
      onClose={props.onClose}
      error={error}
      actions={
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="new-teller-save">
          {t('tellers.create')}
        </Button>
      }
    >
      <Form layout="vertical" component="div">
        <div className="field-grid">
          <TextField control={form.control} name="employeeNo" label={t('tellers.employeeNo')} maxLength={20} required autoFocus />
          <TextField control={form.control} name="name" label={t('tellers.name')} maxLength={50} required />
        </div>
        <ChoiceField control={form.control} name="role" label={t('tellers.role')} required choices={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
        <div className="field-grid">
          <TextField control={form.control} name="password" type="password" label={t('tellers.firstPassword')} hint={t('password.rule')} autoComplete="new-password" required />
          <TextField control={form.control} name="passwordAgain" type="password" label={t('tellers.firstPasswordAgain')} autoComplete="new-password" required />
        </div>
        <p className="section-hint">{t('tellers.mustChangeNote')}</p>
      </Form>
    </FormDialog>
  );
}

const resetForm = z.object({ password: newPassword, passwordAgain: z.string() }).refine(twice, { message: 'password.mismatch', path: ['passwordAgain'] });
type ResetValues = z.input<typeof resetForm>;

/** 重置密码: the teller's sessions end and they must choose a new password at their next login. */
export function ResetPasswordDialog(props: { teller: Teller; onDone: (teller: Teller) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ResetValues>({ resolver: zodResolver(resetForm), mode: 'onTouched', defaultValues: { password: '', passwordAgain: '' } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await call('tellers.resetPassword', { id: props.teller.id, password: values.password });
    if (result.ok) return props.onDone(result.value);
    const { unplaced } = applyServerFieldErrors(result.error, form.setError, { isField: (path) => path === 'password' });
    if (unplaced.length > 0 || !result.error.fields) setError(refusalText(result.error));
  });
  return (
    <FormDialog
      title={t('tellers.resetTitle', { name: props.teller.name, employeeNo: props.teller.employeeNo })}
      width={560}
      onSubmit={() => void submit()}
      onClose={props.onClose}
      error={error}
      actions={
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
          {t('tellers.reset')}
        </Button>
      }
    >
      <Form layout="vertical" component="div">
        <TextField control={form.control} name="password" type="password" label={t('tellers.newPassword')} hint={t('password.rule')} autoComplete="new-password" required autoFocus />
        <TextField control={form.control} name="passwordAgain" type="password" label={t('tellers.newPasswordAgain')} autoComplete="new-password" required />
        <p className="section-hint">{t('tellers.resetNote')}</p>
      </Form>
    </FormDialog>
  );
}
