import { Button, Form } from 'antd';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { branchCode, branchName } from '../../../shared';
import { TextField } from '../../forms/TextField';
import { applyServerFieldErrors } from '../../forms/serverFieldErrors';
import { useSystemInfo } from '../../app/SystemInfo';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useSaveSettings } from './useSaveSettings';

const branchForm = z.object({ code: branchCode, name: branchName, bankName: branchName });
type BranchValues = z.input<typeof branchForm>;

/** 网点信息: printed on every slip and in every day-close file name. */
export function BranchProfileForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  const save = useSaveSettings();
  const { refresh } = useSystemInfo();
  const form = useForm<BranchValues>({ resolver: zodResolver(branchForm), mode: 'onTouched', defaultValues: props.settings.branch });
  const submit = form.handleSubmit(async (values) => {
    const error = await save({ branch: { ...values, code: values.code.trim().toUpperCase() } });
    if (error) applyServerFieldErrors(error, form.setError, { prefix: 'branch', isField: (path) => ['code', 'name', 'bankName'].includes(path) });
    else refresh();
  });
  return (
    <Form layout="vertical" component="div">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={t('settings.tab.branch')}>
        <p className="section-hint">{t('settings.branchHint')}</p>
        <div className="field-grid field-grid-3">
          <TextField control={form.control} name="code" label={t('setup.branchCode')} hint={t('setup.branchCodeHint')} maxLength={12} required />
          <TextField control={form.control} name="name" label={t('setup.branchName')} maxLength={60} required />
          <TextField control={form.control} name="bankName" label={t('setup.bankName')} maxLength={60} required />
        </div>
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
          {t('settings.save')}
        </Button>
      </form>
    </Form>
  );
}
