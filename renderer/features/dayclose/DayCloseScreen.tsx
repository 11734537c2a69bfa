import { useState } from 'react';
import { Alert, App, Button, DatePicker, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { APPLICATION_STATUSES, type RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useSystemInfo, useTimeZone } from '../../app/SystemInfo';
import { formatDateTime } from '../../i18n/timeFormat';
import { useActor } from '../../session/SessionContext';
import { DayExportPanel } from './DayExportPanel';
import { SupervisorGrantDialog } from '../authorization/SupervisorGrantDialog';
import { dayCloseRefusal } from './dayCloseText';
import { OpenItemsTable } from './OpenItemsTable';
import { useDayStatus, type DayStatus } from './useDayStatus';
import './dayClose.css';

// Shown as the first; the second is how a teller may type it (as in the form's date fields).
const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD'];

function DayHeader(props: { status: DayStatus; timeZone: string }) {
  const { t } = useTranslation();
  const { status } = props;
  const closed = status.status === 'closed';
  return (
    <div className="dayclose-facts" data-testid="dayclose-header">
      <div className="dayclose-fact">
        <span className="dayclose-fact-label">{t('dayClose.businessDate')}</span>
        <strong data-testid="dayclose-date">{status.businessDate}</strong>
      </div>
      <div className="dayclose-fact">
        <span className="dayclose-fact-label">{t('dayClose.dayStatus')}</span>
        <span>
          <Tag color={closed ? 'default' : 'processing'} icon={closed ? <LockOutlined /> : <UnlockOutlined />} data-testid="dayclose-status" data-status={status.status}>
            {t(`dayClose.status.${status.status}`)}
          </Tag>
          {closed && status.closedAt && (
            <span className="dayclose-closed-by">{t('dayClose.closedBy', { operator: status.closedBy ?? '—', at: formatDateTime(status.closedAt, props.timeZone) })}</span>
          )}
        </span>
      </div>
      {status.purged && (
        <div className="dayclose-fact" data-testid="dayclose-purged">
          <span className="dayclose-fact-label">{t('dayClose.retention')}</span>
          <span>{t('dayClose.purged', { count: status.purged.applications, slips: status.purged.receipts, cutoff: status.purged.cutoff })}</span>
        </div>
      )}
      <div className="dayclose-fact dayclose-counts" data-testid="dayclose-counts">
        <span className="dayclose-fact-label">{t('dayClose.counts')}</span>
        <span className="dayclose-count-list">
          {APPLICATION_STATUSES.map((code) => (
            <span key={code} className="dayclose-count" data-status={code}>
              {t(`status.${code}`)} <strong>{status.counts[code] ?? 0}</strong>
            </span>
          ))}
          <span className="dayclose-count" data-status="carried_over">
            {t('dayClose.carriedOver')} <strong data-testid="dayclose-carried-over">{status.carriedOver}</strong>
          </span>
        </span>
      </div>
    </div>
  );
}

/**
 * 日终 for the branch's supervisor: what is still open (carry it over or cancel it), closing the business
 * day, exporting the closed day's signed bundle; an admin may reopen a closed day with a supervisor's grant.
 */
export default function DayCloseScreen() {
  const { t } = useTranslation();
  const actor = useActor();
  const systemInfo = useSystemInfo();
  const timeZone = useTimeZone();
  const { modal, message } = App.useApp();
  // null: the open business day. After closing, the screen stays on the day it closed (for its export).
  const [date, setDate] = useState<string | null>(null);
  const [dateText, setDateText] = useState('');
  const [closeError, setCloseError] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const day = useDayStatus(date);
  const isSupervisor = actor.role === 'supervisor';

  if (actor.role === 'teller') return <Alert type="error" showIcon title={t('error.forbidden')} />;

  const status = day.status;
  const openCount = status?.openItems.length ?? 0;
  const closed = status?.status === 'closed';
  const currentDate = systemInfo.info?.businessDate ?? null;

  const closeDay = (businessDate: string) => {
    modal.confirm({
      title: t('dayClose.close.confirmTitle', { date: businessDate }),
      content: t('dayClose.close.confirmIntro'),
      okText: t('dayClose.close.confirm'),
      cancelText: t('common.close'),
      autoFocusButton: 'ok',
      onOk: async () => {
        const result = await call('dayclose.close', { businessDate });
        if (!result.ok) {
          setCloseError(dayCloseRefusal(result.error));
          void day.reload();
          return;
        }
        setCloseError(null);
        setDate(businessDate);
        // The business date moves on: the header and the board follow at once.
        systemInfo.refresh();
        void message.success(t('dayClose.close.done', { date: businessDate }));
      },
    });
  };

  const reopen = async (grantId: number): Promise<RpcError | null> => {
    if (!status) return null;
    const result = await call('dayclose.reopen', { businessDate: status.businessDate, grantId });
    if (!result.ok) return result.error;
    setReopening(false);
    setDate(status.businessDate);
    await day.reload();
    systemInfo.refresh();
    void message.success(t('dayClose.reopen.done', { date: status.businessDate }));
    return null;
  };

  const showDate = () => {
    const wanted = dateText.trim();
    setDate(/^\d{4}-\d{2}-\d{2}$/.test(wanted) ? wanted : null);
  };

  return (
    <section className="dayclose-screen" aria-labelledby="dayclose-title" data-testid="dayclose-screen">
      <div className="dayclose-toolbar">
        <h2 id="dayclose-title" className="screen-title">
          {t('dayClose.title')}
        </h2>
        <form
          className="dayclose-date-picker"
          onSubmit={(event) => {
            event.preventDefault();
            showDate();
          }}
        >
          <label htmlFor="dayclose-date-input">{t('dayClose.pickDate')}</label>
          {/* antd's picker, not the browser's: its placeholder and calendar follow the app's language (the
              browser's follow the system's, "mm/dd/yyyy"); a date may be typed as 2026-12-02 or 20261202. */}
          <DatePicker
            id="dayclose-date-input"
            value={dateText ? dayjs(dateText) : null}
            format={DATE_FORMATS}
            onChange={(value) => setDateText(value ? value.format('YYYY-MM-DD') : '')}
            allowClear
          />
          <Button htmlType="submit">{t('dayClose.show')}</Button>
          {status && currentDate && status.businessDate !== currentDate && (
            <Button
              onClick={() => {
                setDateText('');
                setDate(null);
              }}
              data-testid="dayclose-current"
            >
              {t('dayClose.toCurrent', { date: currentDate })}
            </Button>
          )}
        </form>
      </div>

      {day.error && <Alert type="error" showIcon title={dayCloseRefusal(day.error)} />}
      {!status && !day.error && (
        <div className="screen-loading" role="status">
          <Spin />
        </div>
      )}
      {status && (
        <>
          <DayHeader status={status} timeZone={timeZone} />

          {/* A closed day has nothing open: its panel would only say so, the close panel already does. */}
          {(!closed || openCount > 0) && (
            <section className="dayclose-panel" aria-labelledby="dayclose-open-title">
              <h3 id="dayclose-open-title" className="dayclose-panel-title">
                {t('dayClose.openItems.title', { count: openCount })}
              </h3>
              {openCount === 0 ? (
                <Typography.Paragraph type="secondary" className="dayclose-none" data-testid="dayclose-no-open-items">
                  {t('dayClose.openItems.empty')}
                </Typography.Paragraph>
              ) : (
                <OpenItemsTable items={status.openItems} canAct={isSupervisor && !closed} onChanged={() => void day.reload()} />
              )}
            </section>
          )}

          <section className="dayclose-panel" aria-labelledby="dayclose-close-title">
            <h3 id="dayclose-close-title" className="dayclose-panel-title">
              {t('dayClose.close.title')}
            </h3>
            {closed ? (
              <Typography.Paragraph data-testid="dayclose-closed-note">{t('dayClose.close.alreadyClosed')}</Typography.Paragraph>
            ) : (
              <div className="dayclose-close-row">
                <Button
                  type="primary"
                  danger
                  icon={<LockOutlined />}
                  disabled={!isSupervisor || openCount > 0}
                  aria-describedby="dayclose-close-why"
                  onClick={() => closeDay(status.businessDate)}
                  data-testid="dayclose-close"
                >
                  {t('dayClose.close.button')}
                </Button>
                <Typography.Text id="dayclose-close-why" type={openCount > 0 ? 'warning' : 'secondary'} data-testid="dayclose-close-why">
                  {!isSupervisor ? t('dayClose.close.supervisorOnly') : openCount > 0 ? t('dayClose.close.blocked', { count: openCount }) : t('dayClose.close.ready')}
                </Typography.Text>
              </div>
            )}
            {closeError && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="dayclose-close-error">{closeError}</span>} />}
            {closed && actor.role === 'admin' && (
              <div className="dayclose-close-row">
                <Button icon={<UnlockOutlined />} onClick={() => setReopening(true)} data-testid="dayclose-reopen">
                  {t('dayClose.reopen.button')}
                </Button>
                <Typography.Text type="secondary">{t('dayClose.reopen.hint')}</Typography.Text>
              </div>
            )}
          </section>

          <DayExportPanel
            businessDate={status.businessDate}
            closed={closed}
            canExport={isSupervisor}
            exports={status.exports}
            exportDir={status.exportDir}
            onExported={() => void day.reload()}
          />

          {reopening && (
            <SupervisorGrantDialog
              action="reopen_day"
              scope={{ businessDate: status.businessDate }}
              explainRefusal={dayCloseRefusal}
              testIdPrefix="day-grant"
              title={t('dayClose.reopen.title', { date: status.businessDate })}
              confirmLabel={t('dayClose.reopen.confirm')}
              onGranted={reopen}
              onClose={() => setReopening(false)}
            >
              <Alert type="warning" showIcon title={t('dayClose.reopen.warning')} />
            </SupervisorGrantDialog>
          )}
        </>
      )}
    </section>
  );
}
