import { useState } from 'react';
import { Alert, Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { canRun, type ApplicationStatus, type ApplicationSummary, type OutcomeReasonCode, type Result } from '../../../../shared';
import { call } from '../../../api/client';
import { useCodeText } from '../../../i18n/codeText';
import { requestGrant } from '../../authorization/requestGrant';
import { FormDialog } from '../../../forms/FormDialog';
import { OutcomeReasonPicker } from '../OutcomeReasonPicker';
import { NO_CREDENTIALS, SupervisorCredentials, type Credentials } from '../../authorization/SupervisorCredentials';

export type OutcomeKind = 'reject' | 'cancel';

/**
 * 拒绝受理 (the request cannot be accepted) or 撤销 (the customer withdraws or leaves), with a reason code.
 * Cancelling a request already submitted needs a supervisor (DOMAIN.md), who types their credentials here.
 */
export function OutcomeDialog(props: {
  kind: OutcomeKind;
  application: { id: number; version: number; status: ApplicationStatus; number: string };
  onDone: (summary: ApplicationSummary) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { application, kind } = props;
  const needsSupervisor = kind === 'cancel' && canRun('cancel_after_submit', application.status);
  const [reasonCode, setReasonCode] = useState<OutcomeReasonCode | undefined>(kind === 'cancel' ? 'customer_withdrew' : undefined);
  const [note, setNote] = useState('');
  const [credentials, setCredentials] = useState<Credentials>(NO_CREDENTIALS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (busy) return;
    if (!reasonCode) {
      setError(t('outcome.reasonRequired'));
      return;
    }
    if (needsSupervisor && (credentials.employeeNo.trim() === '' || credentials.password === '')) {
      setError(t('authorize.credentialsRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    const base = { id: application.id, version: application.version, reasonCode, ...(note.trim() ? { note: note.trim() } : {}) };
    let result: Result<ApplicationSummary>;
    if (kind === 'reject') {
      result = await call('applications.reject', base);
    } else if (needsSupervisor) {
      const grant = await requestGrant('cancel_after_submit', { applicationId: application.id }, credentials);
      setCredentials((current) => ({ ...current, password: '' }));
      result = grant.ok ? await call('applications.cancel', { ...base, grantId: grant.value.grantId }) : grant;
    } else {
      result = await call('applications.cancel', base);
    }
    setBusy(false);
    if (result.ok) props.onDone(result.value);
    else setError(refusalText(result.error));
  };

  const title = kind === 'reject' ? t('outcome.rejectTitle') : needsSupervisor ? t('outcome.cancelAfterSubmitTitle') : t('outcome.cancelTitle');
  return (
    <FormDialog
      title={title}
      width={600}
      testId="outcome-dialog"
      onSubmit={() => void confirm()}
      onClose={props.onClose}
      error={error}
      actions={
        <Button type="primary" danger htmlType="submit" loading={busy} data-testid="outcome-confirm">
          {kind === 'reject' ? t('outcome.confirmReject') : t('outcome.confirmCancel')}
        </Button>
      }
    >
      <p>{t(kind === 'reject' ? 'outcome.rejectIntro' : 'outcome.cancelIntro', { number: application.number })}</p>
      <OutcomeReasonPicker id="outcome-reason" value={reasonCode} onChange={setReasonCode} autoFocus={reasonCode === undefined} />
      <div className="credential-field dialog-section">
        <label htmlFor="outcome-note">{t('outcome.note')}</label>
        <Input id="outcome-note" value={note} maxLength={200} onChange={(event) => setNote(event.target.value)} autoComplete="off" />
      </div>
      {needsSupervisor && (
        <div className="dialog-section">
          <Alert type="warning" showIcon title={t('outcome.needsSupervisor')} />
          <SupervisorCredentials value={credentials} onChange={setCredentials} idPrefix="outcome" />
        </div>
      )}
    </FormDialog>
  );
}
