import { Button, Form, Input, InputNumber, Radio } from 'antd';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useCodeText } from '../../i18n/codeText';
import { useSession } from '../../session/SessionContext';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useSaveSettings } from './useSaveSettings';

interface OperationValues {
  idleLockMinutes: number;
  retentionYears: number;
  layout: 'a5' | 'roll80';
  parts: 'customer' | 'bank' | 'both';
  printMode: 'dialog' | 'silent';
  printerName: string;
}

/** 运行参数: the idle lock, how long records are kept, and the slip's paper. */
export function OperationSettingsForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const save = useSaveSettings();
  const session = useSession();
  const form = useForm<OperationValues>({
    defaultValues: {
      idleLockMinutes: props.settings.idleLockMinutes,
      retentionYears: props.settings.retentionYears,
      layout: props.settings.slip.layout,
      parts: props.settings.slip.parts,
      printMode: props.settings.printer.mode,
      printerName: props.settings.printer.name ?? '',
    },
  });
  const submit = form.handleSubmit(async (values) => {
    const printerName = values.printerName.trim();
    const error = await save({
      idleLockMinutes: values.idleLockMinutes,
      retentionYears: values.retentionYears,
      slip: { layout: values.layout, parts: values.parts },
      printer: { mode: values.printMode, name: printerName === '' ? null : printerName },
    });
    // The idle lock of this window follows the new setting at once (the session state carries it).
    if (!error) void session.refresh();
    for (const [path, code] of Object.entries(error?.fields ?? {})) {
      if (path === 'idleLockMinutes' || path === 'retentionYears') form.setError(path, { type: 'server', message: code });
    }
  });
  const numberField = (name: 'idleLockMinutes' | 'retentionYears', min: number, max: number, hint: string) => (
    <Controller
      control={form.control}
      name={name}
      rules={{ min: { value: min, message: name === 'idleLockMinutes' ? 'settings.idle_range' : 'settings.retention_range' }, max: { value: max, message: name === 'idleLockMinutes' ? 'settings.idle_range' : 'settings.retention_range' } }}
      render={({ field, fieldState }) => (
        <Form.Item
          label={t(`settings.${name}`)}
          htmlFor={`settings-${name}`}
          validateStatus={fieldState.error ? 'error' : undefined}
          help={fieldState.error?.message ? codeText(fieldState.error.message) : hint}
        >
          <InputNumber id={`settings-${name}`} min={min} max={max} precision={0} value={field.value} onChange={(value) => field.onChange(value ?? min)} />
        </Form.Item>
      )}
    />
  );
  return (
    <Form layout="vertical" component="div">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={t('settings.tab.operation')}>
        <div className="field-grid">
          {numberField('idleLockMinutes', 1, 120, t('settings.idleHint'))}
          {numberField('retentionYears', 5, 30, t('settings.retentionHint'))}
        </div>
        <div className="field-grid">
          <Controller
            control={form.control}
            name="layout"
            render={({ field }) => (
              <Form.Item label={t('settings.slipLayout')}>
                <Radio.Group optionType="button" buttonStyle="solid" value={field.value} onChange={(event) => field.onChange(event.target.value)} options={[{ value: 'a5', label: t('settings.slipA5') }, { value: 'roll80', label: t('settings.slipRoll80') }]} />
              </Form.Item>
            )}
          />
          <Controller
            control={form.control}
            name="parts"
            render={({ field }) => (
              <Form.Item label={t('settings.slipParts')}>
                <Radio.Group optionType="button" buttonStyle="solid" value={field.value} onChange={(event) => field.onChange(event.target.value)} options={[{ value: 'customer', label: t('settings.partCustomer') }, { value: 'bank', label: t('settings.partBank') }, { value: 'both', label: t('settings.partBoth') }]} />
              </Form.Item>
            )}
          />
        </div>
        <div className="field-grid">
          <Controller
            control={form.control}
            name="printMode"
            render={({ field }) => (
              <Form.Item label={t('settings.printMode')} help={t('settings.printModeHint')}>
                <Radio.Group optionType="button" buttonStyle="solid" value={field.value} onChange={(event) => field.onChange(event.target.value)} options={[{ value: 'dialog', label: t('settings.printDialog') }, { value: 'silent', label: t('settings.printSilent') }]} />
              </Form.Item>
            )}
          />
          <Controller
            control={form.control}
            name="printerName"
            render={({ field }) => (
              <Form.Item label={t('settings.printerName')} htmlFor="settings-printerName">
                <Input id="settings-printerName" maxLength={200} value={field.value} onChange={field.onChange} />
              </Form.Item>
            )}
          />
        </div>
        <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
          {t('settings.save')}
        </Button>
      </form>
    </Form>
  );
}
