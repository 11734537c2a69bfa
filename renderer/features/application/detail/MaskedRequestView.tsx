import { Descriptions, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { LONG_TERM, type ApplicationDetail } from '../../../../shared';
import { useTimeZone } from '../../../app/SystemInfo';
import { formatDateTime } from '../../../i18n/timeFormat';

type MaskedRequest = NonNullable<ApplicationDetail['request']>;

/** The request as anyone may see it: names, ID and phone numbers masked (DOMAIN.md, PIPL). */
export function MaskedRequestView(props: { request: MaskedRequest; compact?: boolean }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const r = props.request;
  const yesNo = (value: boolean) => (value ? t('common.yes') : t('common.no'));
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('form.name'), children: <span data-masked="name">{r.applicantNameMasked}</span> },
    { key: 'documentType', label: t('form.documentType'), children: t(`documentType.${r.documentType}`) },
    { key: 'documentNumber', label: t('form.documentNumber'), children: <span data-masked="documentNumber">{r.documentNumberMasked}</span> },
    { key: 'expiry', label: t('form.documentExpiry'), children: r.documentExpiry === LONG_TERM ? t('form.longTerm') : r.documentExpiry },
    {
      key: 'person',
      label: t('detail.ageSex'),
      children: [r.age !== null ? t('reading.years', { count: r.age }) : null, r.sex ? t(`sex.${r.sex}`) : null].filter(Boolean).join(' · ') || '—',
    },
    {
      key: 'agent',
      label: t('form.section.agent'),
      children: r.isAgent ? `${r.agentNameMasked ?? ''} ${r.agentDocumentNumberMasked ?? ''}`.trim() : t('detail.noAgent'),
    },
    { key: 'mobile', label: t('form.boundMobile'), children: <span data-masked="mobile">{r.mobileMasked}</span> },
    { key: 'newMobile', label: t('detail.newMobile'), children: r.newMobileMasked ?? '—' },
    { key: 'merchant', label: t('form.merchantNumber'), children: r.merchantNumber ?? '—' },
    { key: 'terminal', label: t('form.terminalId'), children: r.terminalId ?? '—' },
    { key: 'serial', label: t('form.terminalSerial'), children: r.terminalSerial ?? '—' },
    { key: 'reason', label: t('form.reason'), children: r.reasonText ? t('common.labelled', { label: t(`reason.${r.reasonCode}`), value: r.reasonText }) : t(`reason.${r.reasonCode}`) },
    {
      key: 'method',
      label: t('form.method'),
      children: r.verification.chip ? (
        <span data-testid="detail-chip-evidence">
          {t('detail.chipRead', { kind: t(`reader.kind.${r.verification.chip.readerKind}`), samId: r.verification.chip.samId, at: formatDateTime(r.verification.chip.readAt, timeZone) })}
          <br />
          <small className="muted">{t('detail.chipHashes', { text: r.verification.chip.textSha256.slice(0, 16), photo: r.verification.chip.photoSha256.slice(0, 16) })}</small>
        </span>
      ) : (
        t(`method.${r.verification.method}`)
      ),
    },
    { key: 'onlineCheck', label: t('form.onlineCheck'), children: t(`onlineCheck.${r.verification.onlineCheck}`) },
    { key: 'face', label: t('form.faceComparison'), children: t(`faceComparison.${r.verification.faceComparison}`) },
    { key: 'holds', label: t('form.holdsBoundPhone'), children: yesNo(r.verification.holdsBoundPhone) },
    {
      key: 'notification',
      label: t('form.notificationChannel'),
      children: [t(`notification.${r.notificationChannel}`), r.emailMasked].filter(Boolean).join(' · '),
    },
  ];
  return (
    <Descriptions
      // Side by side (not compact), the value columns take equal shares (app.css, `.masked-request-columns`).
      className={props.compact ? 'masked-request' : 'masked-request masked-request-columns'}
      bordered
      size={props.compact ? 'small' : 'middle'}
      column={props.compact ? 1 : { xs: 1, md: 2, xxl: 3 }}
      items={items}
    />
  );
}
