import { Button, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SERIAL_BAUD_RATES, type CardReaderSettings } from '../../../shared';
import { useCodeText } from '../../i18n/codeText';
import type { BranchSettingsValue } from '../workspace/BranchSettings';
import { useSaveSettings } from './useSaveSettings';

type Kind = CardReaderSettings['kind'];

/**
 * 读卡器 (branch IT): none, a reader on a serial / USB-CDC port, or the vendor's sdtapi library. The core
 * validates every value again; its refusals show under the field they concern.
 */
export function CardReaderSettingsForm(props: { settings: BranchSettingsValue }) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
  const save = useSaveSettings();
  const current = props.settings.cardReader;
  const [kind, setKind] = useState<Kind>(current.kind);
  const [path, setPath] = useState(current.kind === 'serial' ? current.path : '');
  const [baudRate, setBaudRate] = useState<number>(current.kind === 'serial' ? current.baudRate : 115200);
  const [libraryPath, setLibraryPath] = useState(current.kind === 'vendor_library' ? current.libraryPath : '');
  const [port, setPort] = useState<number>(current.kind === 'vendor_library' ? current.port : 1001);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async () => {
    const cardReader =
      kind === 'serial' ? { kind, path: path.trim(), baudRate } : kind === 'vendor_library' ? { kind, libraryPath: libraryPath.trim(), port } : { kind };
    const error = await save({ cardReader } as never);
    const fields: Record<string, string> = {};
    for (const [field, code] of Object.entries(error?.fields ?? {})) fields[field.replace(/^cardReader\./, '')] = code;
    setErrors(fields);
  };
  const help = (field: string, hint?: string) => (errors[field] ? codeText(errors[field]) : hint);
  const status = (field: string) => (errors[field] ? ('error' as const) : undefined);

  return (
    <Form layout="vertical" component="div">
      <form
        aria-label={t('settings.tab.reader')}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Form.Item label={t('settings.reader.kind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={kind}
            onChange={(event) => setKind(event.target.value as Kind)}
            options={(['none', 'serial', 'vendor_library'] as const).map((value) => ({ value, label: t(`settings.reader.kinds.${value}`) }))}
            data-testid="settings-reader-kind"
          />
        </Form.Item>
        {kind === 'serial' && (
          <div className="field-grid">
            <Form.Item label={t('settings.reader.path')} htmlFor="settings-reader-path" validateStatus={status('path')} help={help('path', t('settings.reader.pathHint'))}>
              <Input id="settings-reader-path" value={path} maxLength={260} onChange={(event) => {
                  setPath(event.target.value);
                  setErrors({});
                }} />
            </Form.Item>
            <Form.Item label={t('settings.reader.baudRate')} htmlFor="settings-reader-baud" validateStatus={status('baudRate')} help={help('baudRate')}>
              <Select id="settings-reader-baud" value={baudRate} onChange={setBaudRate} options={SERIAL_BAUD_RATES.map((value) => ({ value, label: String(value) }))} />
            </Form.Item>
          </div>
        )}
        {kind === 'vendor_library' && (
          <div className="field-grid">
            <Form.Item label={t('settings.reader.libraryPath')} htmlFor="settings-reader-library" validateStatus={status('libraryPath')} help={help('libraryPath', t('settings.reader.libraryHint'))}>
              <Input id="settings-reader-library" value={libraryPath} maxLength={260} onChange={(event) => {
                  setLibraryPath(event.target.value);
                  setErrors({});
                }} />
            </Form.Item>
            <Form.Item label={t('settings.reader.port')} htmlFor="settings-reader-port" validateStatus={status('port')} help={help('port', t('settings.reader.portHint'))}>
              <InputNumber id="settings-reader-port" value={port} precision={0} onChange={(value) => setPort(value ?? 1001)} />
            </Form.Item>
          </div>
        )}
        <Button type="primary" htmlType="submit" data-testid="settings-reader-save">
          {t('settings.save')}
        </Button>
      </form>
    </Form>
  );
}
