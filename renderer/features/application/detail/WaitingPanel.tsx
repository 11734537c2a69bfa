import { Button, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { ticketLabel, type ApplicationDetail } from '../../../../shared';
import { formatDateTime } from '../../../i18n/timeFormat';
import { useDesk, useTimeZone } from '../../../app/SystemInfo';
import type { OutcomeKind } from './OutcomeDialog';

/** 叫号受理: a waiting customer is called to the counter; keying starts with 开始受理. */
export function WaitingPanel(props: { application: ApplicationDetail; onStart: () => void; onOutcome: (kind: OutcomeKind) => void; busy: boolean }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const desk = useDesk();
  const a = props.application;
  return (
    <div className="waiting-panel">
      <Descriptions
        bordered
        size="middle"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'ticket', label: t('detail.ticket'), children: <strong className="ticket-no ticket-large">{ticketLabel(desk, a.ticketNo)}</strong> },
          { key: 'registered', label: t('detail.registered'), children: formatDateTime(a.createdAt, timeZone) },
          { key: 'channel', label: t('detail.channel'), children: t(`channel.${a.channel}`) },
        ]}
      />
      <p className="section-hint">{t('detail.waitingHint')}</p>
      <div className="button-row">
        <Button type="primary" size="large" onClick={props.onStart} loading={props.busy} autoFocus data-testid="start-review">
          {t('detail.startReview')} <kbd>Enter</kbd>
        </Button>
        <Button danger onClick={() => props.onOutcome('reject')}>
          {t('detail.reject')}
        </Button>
        <Button danger onClick={() => props.onOutcome('cancel')}>
          {t('detail.cancel')}
        </Button>
      </div>
    </div>
  );
}
