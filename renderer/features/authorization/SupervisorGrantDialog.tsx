import { useState, type ReactNode } from 'react';
import { Alert, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ActionAuthorizationReason, RpcError } from '../../../shared';
import { useCodeText } from '../../i18n/codeText';
import { FormDialog } from '../../forms/FormDialog';
import { requestGrant, type GrantScope } from './requestGrant';
import { NO_CREDENTIALS, SupervisorCredentials, type Credentials } from './SupervisorCredentials';

/**
 * A supervisor authorizes one action (edit after submission, show in full…) by typing their credentials
 * here; the action then runs at once with the grant. If the action itself is refused, the dialog says why
 * and stays open.
 */
export function SupervisorGrantDialog(props: {
  action: ActionAuthorizationReason;
  scope: GrantScope;
  title: string;
  /** How a refusal reads; the day-close screen also names the requests still open. */
  explainRefusal?: (error: RpcError) => string;
  /** Prefix of the dialog's test ids (default `grant`). */
  testIdPrefix?: string;
  children?: ReactNode;
  confirmLabel: string;
  onGranted: (grantId: number) => Promise<RpcError | null>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { codeText, refusalText } = useCodeText();
  const explain = props.explainRefusal ?? refusalText;
  const id = props.testIdPrefix ?? 'grant';
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
    const grant = await requestGrant(props.action, props.scope, credentials);
    setCredentials((current) => ({ ...current, password: '' }));
    if (!grant.ok) {
      setBusy(false);
      setError(explain(grant.error));
      return;
    }
    const refused = await props.onGranted(grant.value.grantId);
    setBusy(false);
    if (refused) setError(explain(refused));
  };

  return (
    <FormDialog
      title={props.title}
      width={640}
      testId={`${id}-dialog`}
      onSubmit={() => void authorize()}
      onClose={props.onClose}
      error={error}
      errorTestId={`${id}-error`}
      actions={
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`${id}-confirm`}>
          {props.confirmLabel} <kbd>Enter</kbd>
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('grant.reason', { reason: codeText(`authorization.reason.${props.action}`) })} description={t('grant.audited')} />
      {props.children && <div className="dialog-section">{props.children}</div>}
      <Typography.Paragraph className="dialog-section">{t('grant.handOver')}</Typography.Paragraph>
      <SupervisorCredentials value={credentials} onChange={setCredentials} idPrefix={id} autoFocus />
    </FormDialog>
  );
}
