import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Modal, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail, MethodOutput, RpcError } from '../../../../shared';
import { call } from '../../../api/client';
import { useCodeText } from '../../../i18n/codeText';
import { SupervisorGrantDialog } from '../../authorization/SupervisorGrantDialog';

type Issued = MethodOutput<'receipts.issue'>;

/** The slip as a file the browser can open or save: in the preview there is no printer to send it to. */
function useSlipUrl(issued: Issued | null): string | null {
  const url = useMemo(() => {
    if (!issued) return null;
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
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { refusalText } = useCodeText();
  const a = props.application;
  const [busy, setBusy] = useState(false);
  const [askGrant, setAskGrant] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const slipUrl = useSlipUrl(issued);
  const reprint = a.status === 'completed';

  const issue = async (grantId?: number): Promise<RpcError | null> => {
    setBusy(true);
    const result = await call('receipts.issue', { id: a.id, version: a.version, ...(grantId !== undefined ? { grantId } : {}) });
    setBusy(false);
    if (!result.ok) {
      if (grantId === undefined) void message.error(refusalText(result.error));
      return result.error;
    }
    setAskGrant(false);
    setIssued(result.value);
    props.onIssued();
    return null;
  };

  return (
    <>
      {reprint ? (
        <Button icon={<PrinterOutlined />} onClick={() => setAskGrant(true)} data-testid="reprint-slip">
          {t('slip.reprint')}
        </Button>
      ) : (
        <Button type="primary" icon={<PrinterOutlined />} loading={busy} disabled={!a.hasSignature} title={a.hasSignature ? undefined : t('slip.needsSignature')} onClick={() => void issue()} data-testid="issue-slip">
          {t('slip.issue')}
        </Button>
      )}
      {!reprint && !a.hasSignature && <Typography.Text type="secondary">{t('slip.needsSignature')}</Typography.Text>}
      {askGrant && (
        <SupervisorGrantDialog action="reprint" scope={{ applicationId: a.id }} title={t('slip.reprintTitle', { number: a.number })} confirmLabel={t('slip.reprintConfirm')} onGranted={(grantId) => issue(grantId)} onClose={() => setAskGrant(false)} />
      )}
      {issued && (
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
          {issued.printed ? <Alert type="success" showIcon title={t('slip.printed')} /> : <Alert type="info" showIcon title={t('slip.notPrinted')} />}
          {issued.warnings.length > 0 && <Alert type="warning" showIcon className="form-alert" title={issued.warnings.map((code) => t(`slip.warning.${code.replace('slip.', '')}`)).join('；')} />}
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
