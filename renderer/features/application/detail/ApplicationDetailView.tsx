import { lazy, Suspense } from 'react';
import { Alert, Button, Card, Space, Spin } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { allowedCommands, slipKind, type ApplicationDetail, type ApplicationSummary } from '../../../../shared';
import { codeText } from '../../../i18n/codeText';
import { formatDateTime } from '../../../i18n/timeFormat';
import { useTimeZone } from '../../../app/SystemInfo';
import { ApplicationFacts } from './ApplicationFacts';
import { HistoryList } from './HistoryList';
import { SlipActions } from './SlipActions';
import { MaskedRequestView } from './MaskedRequestView';

// The signature pad is loaded only when a request reaches the point of signing.
const SignatureCapture = lazy(() => import('../../signature/SignatureCapture'));

export type DetailAction = 'authorize' | 'reject' | 'cancel' | 'edit' | 'reveal';

/**
 * 申请详情: the request as anyone may see it (masked), why it needs a supervisor, the customer's signature,
 * its history, and only the actions its status allows (`allowedCommands`, the core's own table).
 */
export function ApplicationDetailView(props: {
  application: ApplicationDetail;
  onAction: (action: DetailAction) => void;
  onSigned: (summary: ApplicationSummary) => void;
  /** A slip was issued: the status, version and print count changed. */
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const a = props.application;
  const commands = allowedCommands(a.status);
  const can = (command: (typeof commands)[number]) => commands.includes(command);
  return (
    <div className="application-detail">
      <ApplicationFacts application={a} />

      {a.authorizationReasons.length > 0 && (
        <Alert
          className="detail-block"
          type={a.status === 'pending_authorization' ? 'warning' : 'info'}
          showIcon
          title={a.status === 'pending_authorization' ? t('detail.awaitingSupervisor') : t('detail.authorizedReasons')}
          description={
            <ul className="banner-reasons" data-testid="detail-reasons">
              {a.authorizationReasons.map((reason) => (
                <li key={reason}>{codeText(`authorization.reason.${reason}`)}</li>
              ))}
            </ul>
          }
        />
      )}

      <div className="detail-actions" role="toolbar" aria-label={t('detail.actions')}>
        <Space wrap>
          {can('authorize_approve') && (
            <Button type="primary" onClick={() => props.onAction('authorize')} data-testid="open-authorization" autoFocus>
              {t('detail.authorize')}
            </Button>
          )}
          {slipKind(a.status) !== null && !a.purgedAt && <SlipActions application={a} onIssued={props.onChanged} />}
          {can('edit_after_submit') && <Button onClick={() => props.onAction('edit')}>{t('detail.edit')}</Button>}
          {can('reject') && (
            <Button danger onClick={() => props.onAction('reject')}>
              {t('detail.reject')}
            </Button>
          )}
          {(can('cancel') || can('cancel_after_submit')) && (
            <Button danger onClick={() => props.onAction('cancel')} data-testid="open-cancel">
              {can('cancel_after_submit') ? t('detail.cancelAfterSubmit') : t('detail.cancel')}
            </Button>
          )}
        </Space>
      </div>

      {a.purgedAt ? (
        <Alert className="detail-block" type="info" showIcon title={t('detail.purged', { at: formatDateTime(a.purgedAt, timeZone) })} data-testid="detail-purged" />
      ) : a.request ? (
        <Card
          className="detail-block"
          title={t('detail.request')}
          extra={
            <Button icon={<EyeOutlined />} onClick={() => props.onAction('reveal')} data-testid="open-reveal">
              {t('detail.reveal')}
            </Button>
          }
        >
          <MaskedRequestView request={a.request} />
        </Card>
      ) : (
        <Alert className="detail-block" type="info" showIcon title={t('detail.noRequest')} />
      )}

      {can('capture_signature') && a.status !== 'in_review' && (
        <Card className="detail-block" title={t('signature.title')}>
          <Suspense fallback={<Spin />}>
            <SignatureCapture application={a} onSaved={props.onSigned} />
          </Suspense>
        </Card>
      )}

      <Card className="detail-block" title={t('history.title')}>
        <HistoryList history={a.history} />
      </Card>
    </div>
  );
}
