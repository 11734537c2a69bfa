import { useState, type ReactNode } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { NO_CREDENTIALS, SupervisorCredentials, type Credentials } from '../authorization/SupervisorCredentials';
import { dayCloseRefusal } from './dayCloseText';

/**
 * A supervisor's grant for an action on a whole business day (full-data export, reopening), typed on this
 * screen; the action runs at once with it. If the action is refused, the dialog says why and stays open.
 */
export function DayGrantDialog(props: {
  action: 'full_data_export' | 'reopen_day';
  businessDate: string;
  title: string;
  confirmLabel: string;
  children?: ReactNode;
  onGranted: (grantId: number) => Promise<RpcError | null>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { codeText } = useCodeText();
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
    const grant = await call('authorization.grant', {
      action: props.action,
      businessDate: props.businessDate,
      supervisor: { employeeNo: credentials.employeeNo.trim(), password: credentials.password },
    });
    setCredentials((current) => ({ ...current, password: '' }));
    if (!grant.ok) {
      setBusy(false);
      setError(dayCloseRefusal(grant.error));
      return;
    }
    const refused = await props.onGranted(grant.value.grantId);
    setBusy(false);
    if (refused) setError(dayCloseRefusal(refused));
  };

  return (
    <Modal open title={props.title} onCancel={props.onClose} footer={null} destroyOnHidden width={640}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void authorize();
        }}
        data-testid="day-grant-dialog"
      >
        <Alert type="warning" showIcon title={t('grant.reason', { reason: codeText(`authorization.reason.${props.action}`) })} description={t('grant.audited')} />
        {props.children && <div className="dialog-section">{props.children}</div>}
        <Typography.Paragraph className="dialog-section">{t('grant.handOver')}</Typography.Paragraph>
        <SupervisorCredentials value={credentials} onChange={setCredentials} idPrefix="day-grant" autoFocus />
        {error && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="day-grant-error">{error}</span>} />}
        <div className="dialog-footer">
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="day-grant-confirm">
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
