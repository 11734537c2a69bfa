import { useState } from 'react';
import { Alert, Button, Checkbox, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodOutput, RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useTimeZone } from '../../app/SystemInfo';
import { formatDateTime } from '../../i18n/timeFormat';
import { SupervisorGrantDialog } from '../authorization/SupervisorGrantDialog';
import { dayCloseRefusal, formatBytes, shortHash } from './dayCloseText';

type DayExport = MethodOutput<'dayclose.export'>;

function ExportFiles(props: { batch: DayExport }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={props.batch.files}
      data-testid="dayclose-export-files"
      columns={[
        { key: 'name', title: t('dayClose.export.file'), dataIndex: 'name', render: (name: string) => <code className="nowrap">{name}</code> },
        { key: 'bytes', title: t('dayClose.export.size'), dataIndex: 'bytes', width: 110, align: 'right', render: (bytes: number) => formatBytes(bytes) },
        {
          key: 'sha256',
          title: 'SHA-256',
          dataIndex: 'sha256',
          width: 210,
          render: (sha256: string) => (
            <code title={sha256} className="nowrap">
              {shortHash(sha256)}
            </code>
          ),
        },
      ]}
    />
  );
}

/**
 * 导出 a closed day: the signed bundle goes to the export folder (a folder dialog in the desk app); the
 * full-data hand-off file for the acquirer only with another supervisor's grant. Shows where it went,
 * each file with its size and hash, and the batches written before.
 */
export function DayExportPanel(props: { businessDate: string; closed: boolean; canExport: boolean; exports: DayExport[]; exportDir: string | null; onExported: () => void }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const [fullData, setFullData] = useState(false);
  const [granting, setGranting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [latest, setLatest] = useState<DayExport | null>(null);

  const runExport = async (fullDataGrantId?: number): Promise<RpcError | null> => {
    setBusy(true);
    const result = await call('dayclose.export', { businessDate: props.businessDate, ...(fullDataGrantId ? { fullDataGrantId } : {}) });
    setBusy(false);
    if (!result.ok) return result.error;
    setError(null);
    setLatest(result.value);
    setGranting(false);
    // The unmasked hand-off is asked for each time, never carried into the next export.
    setFullData(false);
    props.onExported();
    return null;
  };

  const start = async () => {
    if (fullData) {
      setGranting(true);
      return;
    }
    const refused = await runExport();
    if (refused) setError(dayCloseRefusal(refused));
  };

  const shown = latest ?? props.exports.at(-1) ?? null;
  const earlier = [...props.exports].sort((a, b) => b.batch - a.batch);

  return (
    <section className="dayclose-panel" aria-labelledby="dayclose-export-title" data-testid="dayclose-export">
      <h3 id="dayclose-export-title" className="dayclose-panel-title">
        {t('dayClose.export.title')}
      </h3>
      {!props.closed && <Typography.Paragraph type="secondary">{t('dayClose.export.needsClose')}</Typography.Paragraph>}
      {props.closed && props.canExport && (
        <Space wrap align="center" className="dayclose-export-actions">
          <Checkbox checked={fullData} onChange={(event) => setFullData(event.target.checked)} data-testid="dayclose-full-data">
            {t('dayClose.export.fullData')}
          </Checkbox>
          <Button type="primary" loading={busy} onClick={() => void start()} data-testid="dayclose-export-button">
            {t('dayClose.export.button')}
          </Button>
          <Typography.Text type="secondary">{props.exportDir ? t('dayClose.export.destination', { dir: props.exportDir }) : t('dayClose.export.destinationDefault')}</Typography.Text>
        </Space>
      )}
      {error && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="dayclose-export-error">{error}</span>} />}
      {shown && (
        <div className="dayclose-export-result" data-testid="dayclose-export-result">
          {latest && <Alert type="success" showIcon title={t('dayClose.export.done', { batch: latest.batch })} />}
          {shown.warnings.map((warning) => (
            <Alert key={warning} type="warning" showIcon className="form-alert" title={<span data-testid="dayclose-export-warning">{t(`dayClose.export.warning.${warning.split('.').at(-1) ?? warning}`)}</span>} />
          ))}
          <Descriptions size="small" column={1} className="dialog-section">
            <Descriptions.Item label={t('dayClose.export.dir')}>
              <code data-testid="dayclose-export-dir">{shown.dir}</code>
            </Descriptions.Item>
            <Descriptions.Item label={t('dayClose.export.batch')}>
              {t('dayClose.export.batchLine', { batch: shown.batch, at: formatDateTime(shown.at, timeZone), operator: shown.operatorNo })}
              {shown.fullData && <Tag color="warning" className="dayclose-tag-gap">{t('dayClose.export.fullDataTag')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <ExportFiles batch={shown} />
        </div>
      )}
      {earlier.length > 0 && (
        <>
          <h4 className="dayclose-subtitle">{t('dayClose.export.history')}</h4>
          <Table
            size="small"
            rowKey="batch"
            pagination={false}
            dataSource={earlier}
            data-testid="dayclose-export-history"
            columns={[
              { key: 'batch', title: t('dayClose.export.batch'), dataIndex: 'batch', width: 80 },
              { key: 'at', title: t('dayClose.export.at'), width: 180, render: (_: unknown, row) => formatDateTime(row.at, timeZone) },
              { key: 'operator', title: t('dayClose.export.operator'), dataIndex: 'operatorNo', width: 100 },
              { key: 'files', title: t('dayClose.export.files'), width: 90, render: (_: unknown, row) => row.files.length },
              { key: 'fullData', title: t('dayClose.export.fullDataColumn'), width: 110, render: (_: unknown, row) => (row.fullData ? t('common.yes') : t('common.no')) },
              { key: 'dir', title: t('dayClose.export.dir'), render: (_: unknown, row) => <code className="dayclose-dir">{row.dir}</code> },
            ]}
          />
        </>
      )}
      {granting && (
        <SupervisorGrantDialog
          action="full_data_export"
          scope={{ businessDate: props.businessDate }}
          explainRefusal={dayCloseRefusal}
          testIdPrefix="day-grant"
          title={t('dayClose.export.grantTitle')}
          confirmLabel={t('dayClose.export.grantConfirm')}
          onGranted={(grantId) => runExport(grantId)}
          onClose={() => setGranting(false)}
        >
          <Alert type="info" showIcon title={t('dayClose.export.fullDataNote')} />
        </SupervisorGrantDialog>
      )}
    </section>
  );
}
