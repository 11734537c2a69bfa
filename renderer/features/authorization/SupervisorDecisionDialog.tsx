import { useState } from 'react';
import { Alert, Button, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { OTHER_DOCUMENTS, type ApplicationDetail, type ApplicationSummary, type OtherDocument, type OutcomeReasonCode } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { DialogFooter } from '../../forms/FormDialog';
import { useFocusReturn } from '../../app/useFocusReturn';
import { MaskedRequestView } from '../application/detail/MaskedRequestView';
import { OutcomeReasonPicker } from '../application/OutcomeReasonPicker';
import { NO_CREDENTIALS, SupervisorCredentials, type Credentials } from './SupervisorCredentials';

/**
 * 主管授权 of a pending request: the reasons the rules found, the request as the supervisor may see it
 * (masked), and the supervisor's own credentials typed here. Approve, or decline with a reason code.
 * The core refuses the teller who keyed the request and anyone who is not a supervisor.
 */
export function SupervisorDecisionDialog(props: { application: ApplicationDetail; onClose: () => void; onDecided: (summary: ApplicationSummary) => void }) {
  const { t } = useTranslation();
  useFocusReturn();
  const { codeText, refusalText } = useCodeText();
  const { application } = props;
  const [credentials, setCredentials] = useState<Credentials>(NO_CREDENTIALS);
  const [declining, setDeclining] = useState(false);
  const [reasonCode, setReasonCode] = useState<OutcomeReasonCode | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  // 02/03: approval records which other document the supervisor saw (银发〔2007〕345号).
  const needsOtherDocument = application.authorizationReasons.includes('online_check_exception');
  const [otherDocument, setOtherDocument] = useState<OtherDocument | undefined>(undefined);
  const [busy, setBusy] = useState<'approve' | 'decline' | null>(null);

  const decide = async (decision: 'approve' | 'decline') => {
    if (busy) return;
    if (credentials.employeeNo.trim() === '' || credentials.password === '') {
      setError(t('authorize.credentialsRequired'));
      return;
    }
    if (decision === 'decline' && !reasonCode) {
      setError(t('authorize.declineReasonRequired'));
      return;
    }
    if (decision === 'approve' && needsOtherDocument && !otherDocument) {
      setError(codeText('authorization.other_document_required'));
      return;
    }
    setBusy(decision);
    setError(null);
    const result = await call('applications.authorize', {
      id: application.id,
      version: application.version,
      supervisor: { employeeNo: credentials.employeeNo.trim(), password: credentials.password },
      decision,
      ...(decision === 'decline' && reasonCode ? { reasonCode } : {}),
      ...(decision === 'approve' && needsOtherDocument && otherDocument ? { otherDocument } : {}),
    });
    setBusy(null);
    // The password never stays in the dialog, whatever the outcome.
    setCredentials((current) => ({ ...current, password: '' }));
    if (result.ok) props.onDecided(result.value);
    else setError(refusalText(result.error));
  };

  return (
    <Modal
      open
      title={t('authorize.title')}
      onCancel={props.onClose}
      width="min(1120px, 96vw)"
      footer={null}
      destroyOnHidden
      className="authorization-dialog"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void decide(declining ? 'decline' : 'approve');
        }}
        data-testid="authorization-dialog"
      >
        <div className="decision-layout">
          <div className="decision-request">
            <Typography.Paragraph>
              {t('authorize.intro', { number: application.number, ticket: application.ticketNo, teller: application.keyedBy ?? application.createdBy })}
            </Typography.Paragraph>
            {application.request && <MaskedRequestView request={application.request} compact />}
          </div>
          <div className="decision-panel">
            <Alert
              type="warning"
              showIcon
              title={t('authorize.reasons')}
              description={
                <ul className="banner-reasons" data-testid="authorization-reasons">
                  {application.authorizationReasons.map((reason) => (
                    <li key={reason} data-reason={reason}>
                      {codeText(`authorization.reason.${reason}`)}
                    </li>
                  ))}
                </ul>
              }
            />
            {application.identityCheck && (
              <Typography.Paragraph data-testid="authorization-identity-check">
                {t('common.labelled', { label: t('identityCheck.evidence'), value: t(`identityCheck.source.${application.identityCheck.source}`) })}
                {application.identityCheck.serial ? ` · ${t('identityCheck.serial', { serial: application.identityCheck.serial })}` : ''}
              </Typography.Paragraph>
            )}
            {needsOtherDocument && !declining && (
              <div className="dialog-section">
                <label htmlFor="authorize-other-document">{t('authorize.otherDocument')}</label>
                <Select
                  id="authorize-other-document"
                  data-testid="authorize-other-document"
                  style={{ width: '100%' }}
                  value={otherDocument}
                  onChange={setOtherDocument}
                  placeholder={t('authorize.otherDocumentPlaceholder')}
                  options={OTHER_DOCUMENTS.map((value) => ({ value, label: t(`otherDocument.${value}`) }))}
                />
              </div>
            )}
            <SupervisorCredentials value={credentials} onChange={setCredentials} idPrefix="authorize" autoFocus />
            {declining && (
              <div className="dialog-section">
                <OutcomeReasonPicker id="authorize-decline-reason" legend={t('authorize.declineReason')} value={reasonCode} onChange={setReasonCode} autoFocus />
              </div>
            )}
            <DialogFooter error={error} errorTestId="authorization-error" onClose={props.onClose}>
              {!declining ? (
                <>
                  <Button type="primary" htmlType="submit" loading={busy === 'approve'} data-testid="authorize-approve">
                    {t('authorize.approve')} <kbd>Enter</kbd>
                  </Button>
                  <Button danger onClick={() => setDeclining(true)}>
                    {t('authorize.decline')}
                  </Button>
                </>
              ) : (
                <>
                  <Button type="primary" danger htmlType="submit" loading={busy === 'decline'} data-testid="authorize-decline">
                    {t('authorize.confirmDecline')}
                  </Button>
                  <Button onClick={() => setDeclining(false)}>{t('authorize.backToApprove')}</Button>
                </>
              )}
            </DialogFooter>
          </div>
        </div>
      </form>
    </Modal>
  );
}
