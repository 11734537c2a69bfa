import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { ApplicationSummary } from '../../../shared';
import { FINAL_STATUSES, ticketLabel } from '../../../shared';
import { formatClock, formatWaited } from '../../i18n/timeFormat';
import { StatusTag } from '../application/StatusTag';

/** The board's columns: ticket, status, who and which terminal (masked), and how long they have waited. */
export function boardColumns(t: TFunction, now: number, timeZone: string, desk: string | null = null): TableColumnsType<ApplicationSummary> {
  const columns: TableColumnsType<ApplicationSummary> = [
    // The ticket as called at this desk: 02-7 (the bare number before a desk is set). Wide enough for 02-5000 in
    // bold; the 14 px come from 申请人, so the columns still fit 1280 px without a horizontal scroll (which
    // would make every arrow key on a 5000-row board several times slower).
    { key: 'ticket', title: t('board.column.ticket'), dataIndex: 'ticketNo', width: 84, render: (ticket: number) => <strong className="ticket-no">{ticketLabel(desk, ticket)}</strong> },
    { key: 'status', title: t('board.column.status'), dataIndex: 'status', width: 140, render: (_: unknown, row) => <StatusTag status={row.status} /> },
    { key: 'number', title: t('board.column.number'), dataIndex: 'number', width: 220, render: (number: string) => <span className="nowrap">{number}</span> },
    { key: 'applicant', title: t('board.column.applicant'), width: 86, render: (_: unknown, row) => row.applicantNameMasked ?? '—' },
    { key: 'mobile', title: t('board.column.mobile'), width: 130, render: (_: unknown, row) => row.mobileMasked ?? '—' },
    {
      key: 'pos',
      title: t('board.column.pos'),
      width: 210,
      render: (_: unknown, row) =>
        row.merchantNumber || row.terminalId || row.terminalSerial ? (
          <span className="pos-cell">
            {[row.merchantNumber, row.terminalId].filter(Boolean).join(' / ')}
            {row.terminalSerial && <span className="pos-serial">SN {row.terminalSerial}</span>}
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'registered', title: t('board.column.registered'), width: 70, render: (_: unknown, row) => formatClock(row.createdAt, timeZone) },
    {
      key: 'waited',
      title: t('board.column.waited'),
      width: 100,
      render: (_: unknown, row) => {
        const finished = FINAL_STATUSES.includes(row.status) || row.status === 'approved';
        const end = finished ? Date.parse(row.updatedAt) : now;
        return <span className={finished ? 'waited-done' : 'waited-open'}>{formatWaited(end - Date.parse(row.createdAt))}</span>;
      },
    },
    {
      key: 'authorization',
      title: t('board.column.authorization'),
      width: 100,
      render: (_: unknown, row) => (row.authorizationReasons.length > 0 ? t('board.reasonCount', { count: row.authorizationReasons.length }) : ''),
    },
    { key: 'createdBy', title: t('board.column.createdBy'), dataIndex: 'createdBy', width: 90 },
  ];
  // The board is a grid (QueueBoard): every cell a grid cell, every title a column header.
  return columns.map((column) => ({ ...column, onCell: () => ({ role: 'gridcell' }), onHeaderCell: () => ({ role: 'columnheader' }) }));
}
