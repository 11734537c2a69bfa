import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Modal, Select, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { slipKind, type ApplicationDetail, type MethodOutput, type RpcError } from '../../../../shared';
import { call } from '../../../api/client';
import { useCodeText } from '../../../i18n/codeText';
import { SupervisorGrantDialog } from '../../authorization/SupervisorGrantDialog';
import { bilingual } from '../../../i18n/bilingual';
import { PrinterStateTag } from '../../settings/PrinterSettings';

type Issued = MethodOutput<'receipts.issue'>;
type PrintingStatus = MethodOutput<'printing.status'>;
/** A print that did not happen: what the spooler said, and the grant a reprint retry uses again. */
type Failed = { issued: Issued; grantId: number | undefined };

/** The slip as a file the browser can open or save: in the preview there is no printer to send it to. */
function useSlipUrl(issued: Issued | null): string | null {
  const url = useMemo(() => {
    if (!issued?.pdfBase64) return null;
    const bytes = Uint8Array.from(atob(issued.pdfBase64), (char) => char.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [issued]);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  return url;
}

/**
 * 打印回执: the first slip completes an approved request; a later one is a reprint that a supervisor
 * authorizes on this screen, and the slip itself says 重打. The customer must have signed first.
 */
export function SlipActions(props: { application: ApplicationDetail; onIssued: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { refusalText } = useCodeText();
  const a = props.application;
  const [busy, setBusy] = useState(false);
  const [askGrant, setAskGrant] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [failed, setFailed] = useState<Failed | null>(null);
  const [otherPrinter, setOtherPrinter] = useState<string | null>(null);
  const [printing, setPrinting] = useState<PrintingStatus | null>(null);
  const slipUrl = useSlipUrl(issued);
  const reprint = slipKind(a.status) === 'reprint';

  // Whether the printer is ready, asked of the spooler when the screen opens and after every attempt.
  const refreshPrinter = useCallback(async () => {
    const result = await call('printing.status', {});
    if (result.ok) setPrinting(result.value);
  }, []);
  useEffect(() => {
    void refreshPrinter();
  }, [refreshPrinter]);

  const issue = async (grantId?: number, printer?: string): Promise<RpcError | null> => {
    setBusy(true);
    const result = await call('receipts.issue', { id: a.id, version: a.version, ...(grantId !== undefined ? { grantId } : {}), ...(printer ? { printer } : {}) });
    setBusy(false);
    void refreshPrinter();
    if (!result.ok) {
      if (grantId === undefined) void message.error(refusalText(result.error));
      return result.error;
    }
    setAskGrant(false);
    if (!result.value.receipt) {
      // Not printed: nothing changed, the teller retries here or chooses another printer.
      setFailed({ issued: result.value, grantId });
      return null;
    }
    setFailed(null);
    setIssued(result.value);
    props.onIssued();
    return null;
  };

  const printerLine =
    printing?.path === 'spooler' ? (
      <Space size={4} data-testid="slip-printer-state">
        <Typography.Text type="secondary">
          {printing.printer ? t('slip.printerNamed', { printer: printing.printer }) : t('slip.printerLine')}
        </Typography.Text>
        {printing.stateText && <PrinterStateTag ready={printing.ready === true} text={printing.stateText} />}
      </Space>
    ) : null;

  return (
    <>
      <Space wrap>
        {reprint ? (
          <Button icon={<PrinterOutlined />} onClick={() => setAskGrant(true)} data-testid="reprint-slip">
            {t('slip.reprint')}
          </Button>
        ) : (
          <Button type="primary" icon={<PrinterOutlined />} loading={busy} disabled={!a.hasSignature} title={a.hasSignature ? undefined : t('slip.needsSignature')} onClick={() => void issue()} data-testid="issue-slip">
            {t('slip.issue')}
          </Button>
        )}
        {printerLine}
        {!reprint && !a.hasSignature && <Typography.Text type="secondary">{t('slip.needsSignature')}</Typography.Text>}
      </Space>
      {askGrant && (
        <SupervisorGrantDialog action="reprint" scope={{ applicationId: a.id }} title={t('slip.reprintTitle', { number: a.number })} confirmLabel={t('slip.reprintConfirm')} onGranted={(grantId) => issue(grantId)} onClose={() => setAskGrant(false)} />
      )}
      {failed && (
        <Modal
          open
          title={t('slip.printFailedTitle')}
          onCancel={() => setFailed(null)}
          footer={
            <Space>
              <Button onClick={() => setFailed(null)} data-testid="slip-retry-cancel">
                {t('common.close')}
              </Button>
              <Button type="primary" icon={<PrinterOutlined />} loading={busy} onClick={() => void issue(failed.grantId, otherPrinter ?? undefined)} autoFocus data-testid="slip-retry">
                {otherPrinter ? t('slip.printToOther') : t('slip.retry')}
              </Button>
            </Space>
          }
          destroyOnHidden
        >
          <Alert type="error" showIcon title={failed.issued.print ? bilingual(failed.issued.print.text, i18n.language) : t('slip.printFailedTitle')} data-testid="slip-print-failure" />
          <Typography.Paragraph className="detail-block">{t(reprint ? 'slip.printFailedReprint' : 'slip.printFailedKept')}</Typography.Paragraph>
          {printing && printing.printers.length > 0 && (
            <label className="detail-block" htmlFor="slip-other-printer">
              <Typography.Text>{t('slip.otherPrinter')}</Typography.Text>
              <Select
                id="slip-other-printer"
                data-testid="slip-other-printer"
                style={{ width: '100%' }}
                allowClear
                placeholder={printing.printer ?? t('printing.choose')}
                value={otherPrinter}
                onChange={(value: string | undefined) => setOtherPrinter(value ?? null)}
                options={printing.printers.map((printer) => ({ value: printer.name, label: `${printer.name} · ${bilingual(printer.stateText, i18n.language)}` }))}
              />
            </label>
          )}
        </Modal>
      )}
      {issued?.receipt && (
        <Modal
          open
          title={t('slip.issuedTitle', { printNo: issued.receipt.printNo })}
          onCancel={() => setIssued(null)}
          footer={
            <Button type="primary" onClick={() => setIssued(null)} autoFocus data-testid="slip-done">
              {t('slip.done')}
            </Button>
          }
          destroyOnHidden
        >
          {issued.printed ? (
            <Alert type="success" showIcon title={issued.print ? bilingual(issued.print.text, i18n.language) : t('slip.printed')} data-testid="slip-printed" />
          ) : (
            <Alert type="info" showIcon title={t('slip.notPrinted')} />
          )}
          {issued.warnings.length > 0 && <Alert type="warning" showIcon className="form-alert" title={issued.warnings.map((code) => t(`slip.warning.${code.replace('slip.', '')}`)).join(t('common.clauseSeparator'))} />}
          <Descriptions
            className="detail-block"
            column={1}
            size="small"
            data-testid="issued-slip"
            items={[
              { key: 'number', label: t('detail.number'), children: a.number },
              { key: 'print', label: t('slip.printNo'), children: issued.receipt.reprint ? t('slip.reprintNo', { printNo: issued.receipt.printNo }) : t('slip.firstPrint') },
              { key: 'sha', label: 'SHA-256', children: <Typography.Text code>{issued.receipt.sha256.slice(0, 16)}…</Typography.Text> },
            ]}
          />
          {slipUrl && (
            <a href={slipUrl} download={`${a.number}-${issued.receipt.printNo}.pdf`} data-testid="slip-download">
              {t('slip.download')}
            </a>
          )}
        </Modal>
      )}
    </>
  );
}
