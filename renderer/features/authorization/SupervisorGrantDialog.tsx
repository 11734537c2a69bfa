import { useState, type ReactNode } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ActionAuthorizationReason, RpcError } from '../../../shared';
import { useCodeText } from '../../i18n/codeText';
import { requestGrant } from './requestGrant';
import { NO_CREDENTIALS, SupervisorCredentials, type Credentials } from './SupervisorCredentials';

/**
 * A supervisor authorizes one action (edit after submission, show in full…) by typing their credentials
 * here; the action then runs at once with the grant. If the action itself is refused, the dialog says why
 * and stays open.
 */
export function SupervisorGrantDialog(props: {
  action: ActionAuthorizationReason;
  applicationId: number;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onGranted: (grantId: number) => Promise<RpcError | null>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { codeText, refusalText } = useCodeText();
  const [credentials, setCredentials] = useState<Credentials>(NO_CREDENTIALS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const authorize = async () => {
    if (busy) return;
    if (credentials.employeeNo.trim() === '' || credentials.password === '') {
      setError(t('authorize.credentialsRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    const grant = await requestGrant(props.action, props.applicationId, credentials);
    setCredentials((current) => ({ ...current, password: '' }));
    if (!grant.ok) {
      setBusy(false);
      setError(refusalText(grant.error));
      return;
    }
    const refused = await props.onGranted(grant.value.grantId);
    setBusy(false);
    if (refused) setError(refusalText(refused));
  };

  return (
    <Modal open title={props.title} onCancel={props.onClose} footer={null} destroyOnHidden width={640}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void authorize();
        }}
        data-testid="grant-dialog"
      >
        <Alert type="warning" showIcon title={t('grant.reason', { reason: codeText(`authorization.reason.${props.action}`) })} description={t('grant.audited')} />
        {props.children && <div className="dialog-section">{props.children}</div>}
        <Typography.Paragraph className="dialog-section">{t('grant.handOver')}</Typography.Paragraph>
        <SupervisorCredentials value={credentials} onChange={setCredentials} idPrefix="grant" autoFocus />
        {error && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="grant-error">{error}</span>} />}
        <div className="dialog-footer">
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="grant-confirm">
              {props.confirmLabel} <kbd>Enter</kbd>
            </Button>
            <Button onClick={props.onClose}>
              {t('common.close')} <kbd>Esc</kbd>
            </Button>
          </Space>
        </div>
      </form>
    </Modal>
  );
}
