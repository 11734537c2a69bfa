import { useEffect, useState, type HTMLAttributes } from 'react';
import { App, Button, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary } from '../../../shared';
import { call } from '../../api/client';
import { formatWaited } from '../../i18n/timeFormat';
import { StatusTag } from '../application/StatusTag';
import { CancelOpenItemDialog, cancelNeedsGrant } from './CancelOpenItemDialog';
import { dayCloseRefusal } from './dayCloseText';

/**
 * The requests still open on the day: each is carried over to the next business day or cancelled before
 * the day can close. Every action is a button in the row, so Tab reaches them all.
 */
export function OpenItemsTable(props: { items: ApplicationSummary[]; canAct: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [cancelling, setCancelling] = useState<ApplicationSummary | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const carryOver = (item: ApplicationSummary) => {
    modal.confirm({
      title: t('dayClose.carryOver.title', { number: item.number, ticket: item.ticketNo }),
      content: t('dayClose.carryOver.intro'),
      okText: t('dayClose.carryOver.confirm'),
      cancelText: t('common.close'),
      autoFocusButton: 'ok',
      onOk: async () => {
        const result = await call('dayclose.carryOver', { id: item.id, version: item.version });
        if (!result.ok) {
          void message.error(dayCloseRefusal(result.error));
          props.onChanged();
          return;
        }
        void message.success(t('dayClose.carryOver.done', { number: item.number }));
        props.onChanged();
      },
    });
  };

  return (
    <>
      <Table<ApplicationSummary>
        size="middle"
        rowKey="id"
        dataSource={props.items}
        pagination={false}
        data-testid="dayclose-open-items"
        onRow={(row) => ({ 'data-ticket': row.ticketNo, 'data-status': row.status }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'ticket', title: t('board.column.ticket'), dataIndex: 'ticketNo', width: 70, render: (ticket: number) => <strong className="ticket-no">{ticket}</strong> },
          { key: 'number', title: t('board.column.number'), dataIndex: 'number', width: 200, render: (number: string) => <span className="nowrap">{number}</span> },
          { key: 'status', title: t('board.column.status'), width: 140, render: (_: unknown, row) => <StatusTag status={row.status} /> },
          { key: 'applicant', title: t('board.column.applicant'), width: 100, render: (_: unknown, row) => row.applicantNameMasked ?? '—' },
          { key: 'waited', title: t('board.column.waited'), width: 110, render: (_: unknown, row) => formatWaited(now - Date.parse(row.createdAt)) },
          {
            key: 'actions',
            title: t('dayClose.openItems.actions'),
            render: (_: unknown, row) =>
              props.canAct ? (
                <Space wrap size={8}>
                  <Button size="small" onClick={() => carryOver(row)} data-testid={`carry-over-${row.ticketNo}`}>
                    {t('dayClose.carryOver.button')}
                  </Button>
                  <Button size="small" danger onClick={() => setCancelling(row)} data-testid={`cancel-${row.ticketNo}`}>
                    {cancelNeedsGrant(row.status) ? t('dayClose.cancel.buttonWithGrant') : t('dayClose.cancel.button')}
                  </Button>
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {cancelling && (
        <CancelOpenItemDialog
          item={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            void message.success(t('dayClose.cancel.done', { number: cancelling.number }));
            setCancelling(null);
            props.onChanged();
          }}
        />
      )}
    </>
  );
}
