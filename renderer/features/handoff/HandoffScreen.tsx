import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Space, Statistic, Table, Tag, type TableColumnsType } from 'antd';
import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { HandoffRow, MethodOutput } from '../../../shared';
import { OUTCOME_FILE_MAX_CHARS } from '../../../shared';
import { call } from '../../api/client';
import { codeText } from '../../i18n/codeText';
import { formatDateTime } from '../../i18n/timeFormat';
import { useTimeZone } from '../../app/SystemInfo';
import { useActor } from '../../session/SessionContext';
import { StatusTag } from '../application/StatusTag';
import type { ApplicationStatus } from '../../../shared';

type Overview = MethodOutput<'handoff.overview'>;

/**
 * 交接与回执 for supervisors: what waits to go to the acquirer, what it has taken and not yet decided, what
 * failed (with the reason, and a retry), and what has been awaited longer than the bank allows; and the
 * acquirer's outcome file, imported whole or not at all.
 */
export default function HandoffScreen() {
  const { t } = useTranslation();
  const actor = useActor();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [importResult, setImportResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const isSupervisor = actor.role === 'supervisor';

  const load = useCallback(async () => {
    const result = await call('handoff.overview', {});
    if (result.ok) {
      setOverview(result.value);
      setError(null);
    } else setError(codeText(result.error.message));
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const retry = async (row: HandoffRow) => {
    const result = await call('handoff.retry', { applicationId: row.applicationId });
    if (!result.ok) {
      void message.error(codeText(result.error.message, result.error.details ?? {}));
      return;
    }
    setOverview(result.value);
    void message.success(t('handoff.retried', { number: row.number }));
  };

  /**
   * The outcome file, and its signature when the acquirer's key is configured: the supervisor selects both at once
   * (`<name>.csv` and `<name>.csv.sig`). The file is decoded with nothing dropped (its BOM kept), so that the core
   * checks the signature over the very bytes the acquirer signed.
   */
  const importFiles = async (files: File[]) => {
    setImportResult(null);
    const file = files.find((candidate) => !candidate.name.toLowerCase().endsWith('.sig'));
    if (!file) {
      setImportResult({ type: 'error', text: t('handoff.importHint') });
      return;
    }
    const signatureFile = files.find((candidate) => candidate.name === `${file.name}.sig`) ?? files.find((candidate) => candidate.name.toLowerCase().endsWith('.sig'));
    if (overview?.outcomeFiles.keyFingerprint && !signatureFile) {
      setImportResult({ type: 'error', text: `${t('handoff.signaturePick', { file: file.name })}${t('handoff.importNothing')}` });
      return;
    }
    if (file.size > OUTCOME_FILE_MAX_CHARS * 3) {
      setImportResult({ type: 'error', text: codeText('handoff.file_too_large') });
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await file.arrayBuffer());
    } catch {
      setImportResult({ type: 'error', text: `${t('handoff.notUtf8')}${t('handoff.importNothing')}` });
      return;
    }
    // A .sig far longer than any signature is cut (and then cannot verify): the call stays small.
    const signature = signatureFile ? (await signatureFile.slice(0, 2048).text()) : undefined;
    const result = await call('handoff.importOutcomes', { fileName: file.name, text, ...(signature !== undefined ? { signature } : {}) });
    if (!result.ok) {
      // The line and what is wrong with it, in the user's language; nothing was recorded.
      setImportResult({ type: 'error', text: `${codeText(result.error.message, result.error.details ?? {})}${t('handoff.importNothing')}` });
      return;
    }
    setImportResult({ type: 'success', text: t('handoff.imported', { ...result.value }) });
    void load();
  };

  const columns = (kind: 'waiting' | 'sent' | 'failed' | 'overdue'): TableColumnsType<HandoffRow> => [
    { key: 'number', title: t('handoff.column.number'), dataIndex: 'number', width: 200 },
    { key: 'status', title: t('handoff.column.status'), width: 150, render: (_: unknown, row) => <StatusTag status={row.status as ApplicationStatus} /> },
    {
      key: 'when',
      title: kind === 'waiting' || kind === 'failed' ? t('handoff.column.created') : t('handoff.column.sent'),
      width: 190,
      render: (_: unknown, row) => formatDateTime(kind === 'waiting' || kind === 'failed' ? row.createdAt : (row.sentAt ?? row.createdAt), timeZone),
    },
    ...(kind === 'overdue' ? [{ key: 'days', title: t('handoff.column.days'), width: 100, render: (_: unknown, row: HandoffRow) => t('handoff.days', { count: row.daysWaiting }) }] : []),
    ...(kind === 'sent' || kind === 'overdue' ? [{ key: 'ref', title: t('handoff.column.reference'), width: 160, render: (_: unknown, row: HandoffRow) => row.acquirerReference ?? '—' }] : []),
    ...(kind === 'waiting' || kind === 'failed' ? [{ key: 'attempts', title: t('handoff.column.attempts'), width: 90, dataIndex: 'attempts' }] : []),
    ...(kind === 'waiting' || kind === 'failed'
      ? [{ key: 'error', title: t('handoff.column.error'), render: (_: unknown, row: HandoffRow) => row.lastError ?? '—' }]
      : []),
    ...(kind === 'failed' && isSupervisor
      ? [
          {
            key: 'retry',
            title: '',
            width: 110,
            render: (_: unknown, row: HandoffRow) => (
              <Button size="small" onClick={() => void retry(row)} data-testid={`retry-${row.number}`}>
                {t('handoff.retry')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  if (actor.role === 'teller') return <Alert type="error" showIcon title={t('error.forbidden')} />;

  return (
    <section className="handoff-screen" aria-labelledby="handoff-title" data-testid="handoff-screen" style={{ padding: 16, overflow: 'auto' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <h2 id="handoff-title" className="screen-title">
          {t('handoff.title')}
        </h2>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('handoff.reload')}
          </Button>
          {isSupervisor && (
            <>
              <input
                ref={fileInput}
                type="file"
                accept=".csv,.sig,text/csv"
                multiple
                hidden
                data-testid="outcome-file"
                onChange={(event) => {
                  const files = [...(event.target.files ?? [])];
                  event.target.value = '';
                  if (files.length > 0) void importFiles(files);
                }}
              />
              <Button type="primary" icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
                {t('handoff.import')}
              </Button>
            </>
          )}
        </Space>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {importResult && <Alert type={importResult.type} showIcon title={importResult.text} data-testid="outcome-import-result" style={{ marginBottom: 12 }} />}
      {overview && (
        <>
          {overview.channel === 'off' && <Alert type="warning" showIcon title={t('handoff.channelOff')} style={{ marginBottom: 12 }} />}
          {overview.outcomeFiles.folder && !overview.outcomeFiles.keyFingerprint && (
            <Alert type="warning" showIcon title={t('handoff.folderNoKey', { folder: overview.outcomeFiles.folder, count: overview.outcomeFiles.waiting })} style={{ marginBottom: 12 }} data-testid="outcome-folder-no-key" />
          )}
          {overview.outcomeFiles.keyFingerprint && (
            <Alert type="info" showIcon title={t('handoff.folderSigned', { fingerprint: overview.outcomeFiles.keyFingerprint.slice(0, 16) })} style={{ marginBottom: 12 }} data-testid="outcome-key" />
          )}
          <Space size="large" wrap style={{ marginBottom: 12 }} data-testid="handoff-counts">
            <Statistic title={t('handoff.count.waiting')} value={overview.counts.waiting} />
            <Statistic title={t('handoff.count.sent')} value={overview.counts.sent} />
            <Statistic title={t('handoff.count.failed')} value={overview.counts.failed} valueStyle={overview.counts.failed ? { color: '#cf1322' } : undefined} />
            <Statistic title={t('handoff.count.overdue', { days: overview.overdueDays })} value={overview.counts.overdue} valueStyle={overview.counts.overdue ? { color: '#d46b08' } : undefined} />
            <Statistic title={t('handoff.count.done')} value={overview.counts.done} />
          </Space>
          {(['failed', 'overdue', 'waiting', 'sent'] as const).map((kind) => (
            <Card key={kind} size="small" className="detail-block" title={<Space>{t(`handoff.section.${kind}`)}<Tag>{overview[kind].length}</Tag></Space>} style={{ marginBottom: 12 }}>
              <Table<HandoffRow> size="small" rowKey="applicationId" columns={columns(kind)} dataSource={overview[kind]} pagination={false} data-testid={`handoff-${kind}`} locale={{ emptyText: t('handoff.none') }} scroll={{ x: 760 }} />
            </Card>
          ))}
        </>
      )}
    </section>
  );
}
