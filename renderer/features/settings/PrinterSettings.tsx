import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Select, Space, Tag, Typography } from 'antd';
import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { bilingual } from '../../i18n/bilingual';
import { useSaveSettings } from './useSaveSettings';

type PrintingStatus = MethodOutput<'printing.status'>;
type Layout = 'a5' | 'roll80';

/** A printer's state as a tag: green when it can print now, red otherwise. */
export function PrinterStateTag(props: { ready: boolean; text: { 'zh-CN': string; en: string }; testId?: string }) {
  const { i18n } = useTranslation();
  return (
    <Tag color={props.ready ? 'success' : 'error'} data-testid={props.testId}>
      {bilingual(props.text, i18n.language)}
    </Tag>
  );
}

/**
 * 打印机: the spooler's printer for A5 slips and the one for the 80 mm roll, chosen from what the spooler lists
 * with each printer's state, and 打印测试页 (a page marked 测试: not a slip, not counted, audited).
 */
export function PrinterSettings() {
  const { t, i18n } = useTranslation();
  const { codeText, refusalText } = useCodeText();
  const { message } = App.useApp();
  const save = useSaveSettings();
  const [status, setStatus] = useState<PrintingStatus | null>(null);
  const [chosen, setChosen] = useState<Record<Layout, string | null>>({ a5: null, roll80: null });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<'save' | Layout | null>(null);

  const load = useCallback(async (keepChoice: boolean) => {
    const result = await call('printing.status', {});
    if (!result.ok) {
      void message.error(refusalText(result.error));
      return;
    }
    setStatus(result.value);
    if (!keepChoice) setChosen({ ...result.value.configured });
  }, [message, refusalText]);
  useEffect(() => {
    void load(false);
  }, [load]);

  if (!status) return null;
  if (status.path === 'download') return <Alert type="info" showIcon title={t('printing.noSpooler')} data-testid="printer-settings-none" />;

  const saveChoice = async () => {
    setBusy('save');
    const error = await save({ slipPrinters: chosen });
    setBusy(null);
    setFieldErrors(error?.fields ?? {});
    if (error?.fields) void message.error(refusalText(error));
    await load(true);
  };
  const testPage = async (layout: Layout) => {
    const printer = chosen[layout];
    if (!printer) return;
    setBusy(layout);
    const result = await call('printing.testPage', { layout, printer });
    setBusy(null);
    if (!result.ok) return void message.error(refusalText(result.error));
    const text = bilingual(result.value.result.text, i18n.language);
    if (result.value.printed) void message.success(text);
    else void message.error(text);
    await load(true);
  };

  const field = (layout: Layout) => {
    const error = fieldErrors[`slipPrinters.${layout}`];
    const selected = status.printers.find((printer) => printer.name === chosen[layout]);
    return (
      <Form.Item
        key={layout}
        label={t(layout === 'a5' ? 'printing.printerA5' : 'printing.printerRoll80')}
        htmlFor={`printer-${layout}`}
        validateStatus={error ? 'error' : undefined}
        help={error ? codeText(error) : undefined}
      >
        <Space wrap>
          <Select
            id={`printer-${layout}`}
            data-testid={`printer-${layout}`}
            style={{ minWidth: 320 }}
            allowClear
            placeholder={t('printing.choose')}
            value={chosen[layout]}
            onChange={(value: string | undefined) => setChosen((current) => ({ ...current, [layout]: value ?? null }))}
            options={status.printers.map((printer) => ({
              value: printer.name,
              label: `${printer.name}${printer.isDefault ? ` (${t('printing.default')})` : ''} · ${bilingual(printer.stateText, i18n.language)}`,
            }))}
          />
          {selected && <PrinterStateTag ready={selected.ready} text={selected.stateText} testId={`printer-${layout}-state`} />}
          <Button icon={<PrinterOutlined />} disabled={!chosen[layout]} loading={busy === layout} onClick={() => void testPage(layout)} data-testid={`test-page-${layout}`}>
            {t('printing.testPage')}
          </Button>
        </Space>
      </Form.Item>
    );
  };

  return (
    <Form layout="vertical" component="div" aria-label={t('settings.tab.printers')}>
      {status.spoolerError && <Alert type="error" showIcon className="form-alert" title={bilingual(status.spoolerError, i18n.language)} />}
      {status.path === 'dialog' && <Alert type="info" showIcon className="form-alert" title={t('printing.dialogPath')} />}
      <Typography.Paragraph type="secondary">{t('printing.settingsHint')}</Typography.Paragraph>
      {field('a5')}
      {field('roll80')}
      <Space>
        <Button type="primary" loading={busy === 'save'} onClick={() => void saveChoice()} data-testid="printers-save">
          {t('settings.save')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void load(true)}>
          {t('printing.refresh')}
        </Button>
      </Space>
    </Form>
  );
}
