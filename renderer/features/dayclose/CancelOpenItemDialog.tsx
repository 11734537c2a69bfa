import { useState } from 'react';
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary, OutcomeReasonCode, RpcError } from '../../../shared';
import { call } from '../../api/client';
import { FormDialog } from '../../forms/FormDialog';
import { OutcomeReasonPicker } from '../application/OutcomeReasonPicker';
import { SupervisorGrantDialog } from '../authorization/SupervisorGrantDialog';
import { dayCloseRefusal } from './dayCloseText';

/** A submitted request (waiting for a supervisor, or approved but not yet signed and printed) is cancelled only with a supervisor's grant. */
export function cancelNeedsGrant(status: ApplicationSummary['status']): boolean {
  return status === 'pending_authorization' || status === 'approved';
}

/**
 * 撤销 an open request at the end of the day, with the reason. A submitted request needs a supervisor's
 * `cancel_after_submit` grant; one still waiting or in review is cancelled at once.
 */
export function CancelOpenItemDialog(props: { item: ApplicationSummary; onDone: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<OutcomeReasonCode>('customer_left');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { item } = props;

  const cancel = async (grantId?: number): Promise<RpcError | null> => {
    const result = await call('applications.cancel', { id: item.id, version: item.version, reasonCode: reason, ...(grantId ? { grantId } : {}) });
    if (!result.ok) return result.error;
    props.onDone();
    return null;
  };

  const title = t('dayClose.cancel.title', { number: item.number, ticket: item.ticketNo });
  if (cancelNeedsGrant(item.status)) {
    return (
      <SupervisorGrantDialog action="cancel_after_submit" scope={{ applicationId: item.id }} title={title} confirmLabel={t('outcome.confirmCancel')} onGranted={cancel} onClose={props.onClose}>
        <OutcomeReasonPicker id="dayclose-cancel-reason" value={reason} onChange={setReason} />
      </SupervisorGrantDialog>
    );
  }

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    const refused = await cancel();
    setBusy(false);
    if (refused) setError(dayCloseRefusal(refused));
  };

  return (
    <FormDialog
      title={title}
      width={560}
      testId="dayclose-cancel-dialog"
      onSubmit={() => void confirm()}
      onClose={props.onClose}
      error={error}
      actions={
        <Button type="primary" danger htmlType="submit" loading={busy} data-testid="dayclose-cancel-confirm">
          {t('outcome.confirmCancel')}
        </Button>
      }
    >
      <Typography.Paragraph>{t('outcome.cancelIntro', { number: item.number })}</Typography.Paragraph>
      <OutcomeReasonPicker id="dayclose-cancel-reason" value={reason} onChange={setReason} autoFocus />
    </FormDialog>
  );
}
