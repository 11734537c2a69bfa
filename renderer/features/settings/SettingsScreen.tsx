import { Alert, Spin, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useActor } from '../../session/SessionContext';
import { useBranchSettings } from '../workspace/BranchSettings';
import { AuditChainCheck } from './AuditChainCheck';
import { AuthorizationPolicyForm } from './AuthorizationPolicyForm';
import { BranchProfileForm } from './BranchProfileForm';
import { OperationSettingsForm } from './OperationSettingsForm';
import { NotificationSettingsForm } from './NotificationSettingsForm';
import { PrinterSettings } from './PrinterSettings';
import { IdentityCheckSettingsForm } from './IdentityCheckSettingsForm';
import { AcquirerSettingsForm } from './AcquirerSettingsForm';
import { CardReaderSettingsForm } from './CardReaderSettingsForm';
import { TellerAccounts } from './TellerAccounts';

/** 系统设置 for the branch's admin: branch profile, authorization policy, operation, accounts, audit check. */
export default function SettingsScreen() {
  const { t } = useTranslation();
  const actor = useActor();
  const { settings } = useBranchSettings();
  if (actor.role !== 'admin') return <Alert type="error" showIcon title={t('error.forbidden')} />;
  if (!settings) {
    return (
      <div className="screen-loading" role="status">
        <Spin />
      </div>
    );
  }
  return (
    <section className="settings-screen" aria-labelledby="settings-title">
      <h2 id="settings-title" className="screen-title">
        {t('settings.title')}
      </h2>
      <Tabs
        className="settings-tabs"
        // Ten tabs: with antd's 32 px between them the English ones ran past 1280 px and the last hid one behind "…".
        tabBarGutter={24}
        items={[
          { key: 'accounts', label: t('settings.tab.accounts'), children: <TellerAccounts /> },
          { key: 'policy', label: t('settings.tab.policy'), children: <AuthorizationPolicyForm settings={settings} /> },
          { key: 'branch', label: t('settings.tab.branch'), children: <BranchProfileForm settings={settings} /> },
          { key: 'operation', label: t('settings.tab.operation'), children: <OperationSettingsForm settings={settings} /> },
          { key: 'notifications', label: t('settings.tab.notifications'), children: <NotificationSettingsForm /> },
          { key: 'printers', label: t('settings.tab.printers'), children: <PrinterSettings /> },
          { key: 'identityCheck', label: t('settings.tab.identityCheck'), children: <IdentityCheckSettingsForm settings={settings} /> },
          { key: 'acquirer', label: t('settings.tab.acquirer'), children: <AcquirerSettingsForm settings={settings} /> },
          { key: 'reader', label: t('settings.tab.reader'), children: <CardReaderSettingsForm settings={settings} /> },
          { key: 'audit', label: t('settings.tab.audit'), children: <AuditChainCheck /> },
        ]}
      />
    </section>
  );
}
