import { useCallback, useEffect, useState } from 'react';
import { App, Button, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ROLES, type MethodOutput, type Role } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { formatDateTime } from '../../i18n/timeFormat';
import { useTimeZone } from '../../app/SystemInfo';
import { useActor } from '../../session/SessionContext';
import { NewTellerDialog, ResetPasswordDialog } from './TellerDialogs';

type Teller = MethodOutput<'tellers.list'>['tellers'][number];

/** 柜员账户: create, change role, disable or enable, reset the password. Every change is audited by the core. */
export function TellerAccounts() {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const { message, modal } = App.useApp();
  const actor = useActor();
  const timeZone = useTimeZone();
  const [tellers, setTellers] = useState<Teller[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<Teller | null>(null);

  const load = useCallback(async () => {
    const result = await call('tellers.list', {});
    setLoading(false);
    if (result.ok) setTellers(result.value.tellers);
    else void message.error(refusalText(result.error));
  }, [message, refusalText]);

  useEffect(() => {
    void load();
  }, [load]);

  const update = async (teller: Teller, change: { role?: Role; disabled?: boolean }) => {
    const result = await call('tellers.update', { id: teller.id, ...change });
    if (!result.ok) void message.error(refusalText(result.error));
    else void message.success(t('tellers.updated', { name: result.value.name }));
    void load();
  };

  const confirmDisable = (teller: Teller) => {
    void modal.confirm({
      title: t('tellers.disableTitle', { name: teller.name, employeeNo: teller.employeeNo }),
      content: t('tellers.disableNote'),
      okText: t('tellers.disable'),
      okButtonProps: { danger: true },
      cancelText: t('common.close'),
      onOk: () => update(teller, { disabled: true }),
    });
  };

  const columns: TableColumnsType<Teller> = [
    { key: 'employeeNo', title: t('tellers.employeeNo'), dataIndex: 'employeeNo', width: 120 },
    { key: 'name', title: t('tellers.name'), dataIndex: 'name', width: 140 },
    {
      key: 'role',
      title: t('tellers.role'),
      width: 170,
      render: (_: unknown, teller) => (
        <Select<Role>
          value={teller.role}
          aria-label={t('tellers.roleOf', { name: teller.name })}
          disabled={teller.id === actor.tellerId}
          onChange={(role) => void update(teller, { role })}
          options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          popupMatchSelectWidth={false}
        />
      ),
    },
    {
      key: 'state',
      title: t('tellers.state'),
      render: (_: unknown, teller) => (
        <Space wrap size={4}>
          {teller.disabled ? <Tag color="default">{t('tellers.disabled')}</Tag> : <Tag color="success">{t('tellers.active')}</Tag>}
          {teller.mustChangePassword && <Tag color="warning">{t('tellers.mustChange')}</Tag>}
          {teller.lockedUntil && Date.parse(teller.lockedUntil) > Date.now() && <Tag color="error">{t('tellers.lockedUntil', { time: formatDateTime(teller.lockedUntil, timeZone) })}</Tag>}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: t('tellers.actions'),
      width: 260,
      render: (_: unknown, teller) => (
        <Space wrap size={4}>
          {teller.disabled ? (
            <Button size="small" onClick={() => void update(teller, { disabled: false })}>
              {t('tellers.enable')}
            </Button>
          ) : (
            <Button size="small" danger disabled={teller.id === actor.tellerId} onClick={() => confirmDisable(teller)}>
              {t('tellers.disable')}
            </Button>
          )}
          <Button size="small" onClick={() => setResetting(teller)}>
            {t('tellers.reset')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="teller-accounts">
      <Space className="settings-toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-teller">
          {t('tellers.new')}
        </Button>
      </Space>
      <Table<Teller> rowKey="id" size="middle" columns={columns} dataSource={tellers} loading={loading} pagination={false} scroll={{ x: 860 }} data-testid="teller-table" />
      {creating && (
        <NewTellerDialog
          onClose={() => setCreating(false)}
          onCreated={(teller) => {
            setCreating(false);
            void message.success(t('tellers.created', { name: teller.name, employeeNo: teller.employeeNo }));
            void load();
          }}
        />
      )}
      {resetting && (
        <ResetPasswordDialog
          teller={resetting}
          onClose={() => setResetting(null)}
          onDone={(teller) => {
            setResetting(null);
            void message.success(t('tellers.resetDone', { name: teller.name }));
            void load();
          }}
        />
      )}
    </div>
  );
}
