import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Alert, App, Button, Empty, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CALL_RESULTS, type CallResult, type CallTask } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { CALL_TASKS_CHANGED } from '../workspace/useDueCallCount';

type Scope = 'due' | 'open' | 'all';

/**
 * 回访电话: the calls tellers make to tell customers the acquirer's outcome — those who asked for a call, and
 * those a message could not reach. ↑/↓ move between the tasks, Enter opens one; in it 1–4 record the result.
 */
export default function CallTasksScreen() {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { message } = App.useApp();
  const [scope, setScope] = useState<Scope>('due');
  const [tasks, setTasks] = useState<CallTask[] | null>(null);
  const [businessDate, setBusinessDate] = useState('');
  const [open, setOpen] = useState<CallTask | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    const result = await call('notifications.callTasks.list', { scope });
    if (!result.ok) {
      void message.error(refusalText(result.error));
      return;
    }
    setTasks(result.value.tasks);
    setBusinessDate(result.value.businessDate);
  }, [scope, message, refusalText]);

  useEffect(() => {
    void load();
  }, [load]);

  // The first task's button takes the keyboard once the list is there.
  useEffect(() => {
    if (!tasks || open) return;
    tableRef.current?.querySelector<HTMLButtonElement>('button[data-call-task]')?.focus();
  }, [tasks, open]);

  const onTableKey = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = Array.from(tableRef.current?.querySelectorAll<HTMLButtonElement>('button[data-call-task]') ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  };

  return (
    <section className="calls-screen" aria-labelledby="calls-title" data-testid="calls-screen">
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} id="calls-title" style={{ margin: 0 }}>
          <PhoneOutlined /> {t('calls.title')}
        </Typography.Title>
        <Segmented<Scope>
          value={scope}
          onChange={setScope}
          options={[
            { value: 'due', label: t('calls.scope.due', { date: businessDate }) },
            { value: 'open', label: t('calls.scope.open') },
            { value: 'all', label: t('calls.scope.all') },
          ]}
          data-testid="calls-scope"
        />
      </Space>
      <Typography.Paragraph type="secondary">{t('calls.intro')}</Typography.Paragraph>
      <div ref={tableRef} onKeyDown={onTableKey}>
        <Table<CallTask>
          size="middle"
          rowKey="id"
          loading={tasks === null}
          dataSource={tasks ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t(scope === 'due' ? 'calls.emptyDue' : 'calls.empty')} /> }}
          columns={[
            { key: 'number', title: t('calls.column.number'), render: (_: unknown, task) => <span className="nowrap">{task.applicationNumber}</span> },
            { key: 'applicant', title: t('calls.column.applicant'), render: (_: unknown, task) => task.applicantNameMasked ?? '—' },
            { key: 'phone', title: t('calls.column.phone'), render: (_: unknown, task) => <span className="nowrap">{task.mobileMasked ?? '—'}</span> },
            { key: 'outcome', title: t('calls.column.outcome'), render: (_: unknown, task) => <Tag color={task.outcome === 'unbound' ? 'green' : 'red'}>{t(`calls.outcome.${task.outcome}`)}</Tag> },
            { key: 'cause', title: t('calls.column.cause'), render: (_: unknown, task) => t(`calls.cause.${task.cause}`) },
            { key: 'due', title: t('calls.column.due'), render: (_: unknown, task) => <span className="nowrap">{task.dueDate}</span> },
            { key: 'attempts', title: t('calls.column.attempts'), render: (_: unknown, task) => t('calls.attempts', { attempts: task.attempts, max: task.maxAttempts }) },
            {
              key: 'status',
              title: t('calls.column.status'),
              render: (_: unknown, task) => (task.status === 'open' && task.lastResult ? t('calls.status.retry', { result: t(`calls.result.${task.lastResult}`) }) : t(`calls.status.${task.status}`)),
            },
            {
              key: 'action',
              title: t('calls.column.action'),
              render: (_: unknown, task) =>
                task.status === 'open' ? (
                  <Button size="small" type="primary" data-call-task={task.id} data-testid={`call-task-${task.applicationNumber}`} onClick={() => setOpen(task)}>
                    {t('calls.record')}
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </div>
      {open && (
        <CallDialog
          task={open}
          onClose={(changed) => {
            setOpen(null);
            if (changed) void load();
          }}
        />
      )}
    </section>
  );
}

function CallDialog(props: { task: CallTask; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { message } = App.useApp();
  const { task } = props;
  const [phone, setPhone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const dial = async () => {
    const result = await call('notifications.callTasks.dial', { id: task.id });
    if (result.ok) setPhone(result.value.phone);
    else setError(refusalText(result.error));
  };

  const record = async (result: CallResult) => {
    if (busy) return;
    setBusy(true);
    const answer = await call('notifications.callTasks.record', { id: task.id, result });
    setBusy(false);
    if (!answer.ok) {
      setError(refusalText(answer.error));
      return;
    }
    const saved = answer.value;
    window.dispatchEvent(new Event(CALL_TASKS_CHANGED));
    void message.success(saved.status === 'open' ? t('calls.savedRetry', { date: saved.dueDate }) : t('calls.saved', { result: t(`calls.result.${result}`) }));
    props.onClose(true);
  };

  const onKey = (event: ReactKeyboardEvent) => {
    const index = ['1', '2', '3', '4'].indexOf(event.key);
    const result = CALL_RESULTS[index];
    if (result && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void record(result);
    }
  };

  return (
    <Modal open title={t('calls.dialogTitle', { number: task.applicationNumber })} onCancel={() => props.onClose(false)} footer={null} width={680} destroyOnHidden>
      <div onKeyDown={onKey} data-testid="call-dialog">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <span>{t('common.label', { label: t('calls.column.phone') })}</span>
            <strong className="nowrap" data-testid="call-phone">{phone ?? task.mobileMasked ?? '—'}</strong>
            {phone === null && (
              <Button size="small" onClick={() => void dial()} data-testid="call-dial">
                {t('calls.showNumber')}
              </Button>
            )}
          </Space>
          <Typography.Text type="secondary">{t('calls.scriptLabel')}</Typography.Text>
          <div className="call-script" style={{ whiteSpace: 'pre-wrap', background: '#fafafa', border: '1px solid #eee', padding: 12, maxHeight: 260, overflow: 'auto' }} data-testid="call-script">
            {task.script}
          </div>
          {error && <Alert type="error" showIcon message={error} />}
          <Typography.Text>{t('calls.resultPrompt')}</Typography.Text>
          <Space wrap>
            {CALL_RESULTS.map((result, i) => (
              <Button key={result} autoFocus={i === 0} disabled={busy} danger={result === 'wrong_number'} onClick={() => void record(result)} data-testid={`call-result-${result}`}>
                <kbd>{i + 1}</kbd> {t(`calls.result.${result}`)}
              </Button>
            ))}
          </Space>
        </Space>
      </div>
    </Modal>
  );
}
