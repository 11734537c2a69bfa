import { Descriptions, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { acquirerReasonForStaff, type ApplicationDetail } from '../../../../shared';
import { formatDateTime } from '../../../i18n/timeFormat';
import { useTimeZone } from '../../../app/SystemInfo';
import { StatusTag } from '../StatusTag';

/** The request's place in the queue and who did what: numbers, times, tellers — no personal data. */
export function ApplicationFacts(props: { application: ApplicationDetail }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const a = props.application;
  const items: DescriptionsProps['items'] = [
    { key: 'number', label: t('detail.number'), children: <span data-testid="application-number">{a.number}</span> },
    { key: 'ticket', label: t('detail.ticket'), children: a.ticketNo },
    { key: 'status', label: t('detail.status'), children: <StatusTag status={a.status} /> },
    { key: 'channel', label: t('detail.channel'), children: t(`channel.${a.channel}`) },
    { key: 'businessDate', label: t('app.businessDate'), children: a.businessDate },
    { key: 'registered', label: t('detail.registered'), children: t('common.withCode', { name: formatDateTime(a.createdAt, timeZone), code: a.createdBy }) },
    { key: 'keyed', label: t('detail.keyed'), children: a.submittedAt ? t('common.withCode', { name: formatDateTime(a.submittedAt, timeZone), code: a.keyedBy ?? '—' }) : '—' },
    { key: 'authorizer', label: t('detail.authorizer'), children: a.authorizerNo ?? '—' },
    ...(a.outcomeReason ? [{ key: 'outcome', label: t('detail.outcomeReason'), children: t(`outcomeReason.${a.outcomeReason}`, { defaultValue: a.outcomeReason }) }] : []),
    ...(a.completedAt ? [{ key: 'completed', label: t('detail.completed'), children: formatDateTime(a.completedAt, timeZone) }] : []),
    { key: 'signature', label: t('detail.signature'), children: a.hasSignature ? t('detail.signed') : a.purgedAt ? t('detail.signaturePurged') : t('detail.notSigned') },
    { key: 'prints', label: t('detail.printCount'), children: a.printCount },
    ...(a.carriedFrom ? [{ key: 'carried', label: t('detail.carriedFrom'), children: a.carriedFrom }] : []),
    ...(a.identityCheck
      ? [
          {
            key: 'identityCheck',
            label: t('identityCheck.evidence'),
            children: (
              <span data-testid="detail-identity-check" data-source={a.identityCheck.source}>
                {[
                  t(`identityCheck.source.${a.identityCheck.source}`),
                  a.identityCheck.resultCode ? `${a.identityCheck.resultCode} ${t(`identityCheck.code.${a.identityCheck.resultCode}`)}` : null,
                  a.identityCheck.notCheckedReason ? t(`identityCheck.reason.${a.identityCheck.notCheckedReason}`) : null,
                  a.identityCheck.serial ? t('identityCheck.serial', { serial: a.identityCheck.serial }) : null,
                  a.identityCheck.transactionNo ? t('identityCheck.transactionNo', { no: a.identityCheck.transactionNo }) : null,
                  a.identityCheck.checkedAt ? formatDateTime(a.identityCheck.checkedAt, timeZone) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            ),
          },
          ...(a.identityCheck.photoSha256
            ? [{ key: 'photoSha256', label: t('identityCheck.photoSha256'), children: <code className="digest">{a.identityCheck.photoSha256.slice(0, 16)}…</code> }]
            : []),
        ]
      : []),
    ...(a.otherDocument ? [{ key: 'otherDocument', label: t('authorize.otherDocument'), children: t(`otherDocument.${a.otherDocument}`, { defaultValue: a.otherDocument }) }] : []),
    ...(a.acquirer?.reference ? [{ key: 'acquirerReference', label: t('detail.acquirerReference'), children: a.acquirer.reference }] : []),
    ...(a.acquirer?.arrivedOn ? [{ key: 'acquirerArrived', label: t('detail.acquirerArrived'), children: a.acquirer.arrivedOn }] : []),
    ...(a.acquirer?.reason
      ? [{ key: 'acquirerReason', label: t('detail.acquirerReason'), span: 2, children: <span data-testid="acquirer-reason">{acquirerReasonForStaff(a.acquirer.reason, i18n.language === 'en' ? 'en' : 'zh-CN')}</span> }]
      : []),
  ];
  return <Descriptions className="application-facts" bordered size="small" column={{ xs: 1, md: 2, xl: 3, xxl: 4 }} items={items} />;
}
