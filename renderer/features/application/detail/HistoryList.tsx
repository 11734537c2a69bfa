import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApplicationDetail } from '../../../../shared';
import { codeText } from '../../../i18n/codeText';
import { formatDateTime } from '../../../i18n/timeFormat';
import { useTimeZone } from '../../../app/SystemInfo';

type HistoryEntry = ApplicationDetail['history'][number];

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The facts of an audit row a person needs: status change, reasons, who authorized. Nothing else is shown. */
function describe(entry: HistoryEntry, t: TFunction): string {
  const d = entry.details;
  const parts: string[] = [];
  const from = text(d.from);
  const to = text(d.to);
  if (from && to && from !== to) parts.push(t('history.statusChange', { from: t(`status.${from}`), to: t(`status.${to}`) }));
  else if (to && !from) parts.push(t('history.status', { status: t(`status.${to}`) }));
  if (typeof d.ticketNo === 'number') parts.push(t('history.ticket', { ticket: d.ticketNo }));
  if (Array.isArray(d.reasons) && d.reasons.length > 0) {
    parts.push(t('history.reasons', { reasons: d.reasons.map((reason) => codeText(`authorization.reason.${String(reason)}`)).join(t('common.listSeparator')) }));
  }
  const action = text(d.action);
  if (action) parts.push(t('history.grantFor', { reason: codeText(`authorization.reason.${action}`) }));
  const reasonCode = text(d.reasonCode);
  if (reasonCode) parts.push(t('history.outcome', { reason: t(`outcomeReason.${reasonCode}`, { defaultValue: reasonCode }) }));
  const supervisorNo = text(d.supervisorNo);
  if (supervisorNo) parts.push(t('history.supervisor', { employeeNo: supervisorNo }));
  const acquirerReference = text(d.acquirerReference);
  if (acquirerReference) parts.push(t('history.acquirerReference', { reference: acquirerReference }));
  // An acquirer's answer is recorded on the business date it arrived, usually after the request's own day.
  const arrivedOn = entry.action.startsWith('application.acquirer_') ? text(d.businessDate) : undefined;
  if (arrivedOn) parts.push(t('history.arrivedOn', { date: arrivedOn }));
  const requestedBy = text(d.requestedBy);
  if (requestedBy) parts.push(t('history.requestedBy', { employeeNo: requestedBy }));
  // Telling the customer: the channel, the try, the channel's answer, a call's result (no number, no address).
  if (entry.action.startsWith('notification.') || entry.action.startsWith('call_task.')) {
    const channel = text(d.channel);
    if (channel) parts.push(t('history.notifyChannel', { channel: t(`notification.${channel}`) }));
    if (typeof d.attempt === 'number') parts.push(t('history.notifyAttempt', { attempt: d.attempt }));
    const answer = text(d.answer);
    if (answer) parts.push(t('history.notifyAnswer', { answer }));
    const result = text(d.result);
    if (result) parts.push(t('history.callResult', { result: t(`calls.result.${result}`) }));
    const dueDate = text(d.dueDate);
    if (entry.action === 'call_task.recorded' && dueDate && text(d.status) === 'open') parts.push(t('history.callDue', { date: dueDate }));
  }
  return parts.join(t('history.separator'));
}

/** 办理记录: the request's audit rows, oldest first. */
export function HistoryList(props: { history: ApplicationDetail['history'] }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const columns: TableColumnsType<HistoryEntry> = [
    { key: 'at', title: t('history.at'), width: 200, render: (_: unknown, entry) => formatDateTime(entry.at, timeZone) },
    { key: 'actor', title: t('history.actor'), width: 110, render: (_: unknown, entry) => entry.actorNo ?? '—' },
    { key: 'action', title: t('history.action'), width: 190, render: (_: unknown, entry) => t(`history.action_${entry.action.replaceAll('.', '_')}`, { defaultValue: entry.action }) },
    { key: 'details', title: t('history.details'), render: (_: unknown, entry) => describe(entry, t) },
  ];
  return <Table<HistoryEntry> size="small" rowKey="seq" columns={columns} dataSource={props.history} pagination={false} data-testid="history" scroll={{ x: 720 }} />;
}
