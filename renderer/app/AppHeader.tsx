import { Button, Segmented } from 'antd';
import { LockOutlined, LogoutOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import { useSession } from '../session/SessionContext';
import { useSystemInfo } from './SystemInfo';

export function AppHeader(props: { language: Language; onLanguage: (language: Language) => void; onHelp: () => void }) {
  const { t } = useTranslation();
  const { info } = useSystemInfo();
  const session = useSession();
  const actor = session.state?.actor ?? null;
  const working = actor !== null && !session.state?.locked;
  return (
    <header className="app-header">
      <div className="app-header-facts">
        <span className="app-title">{t('app.title')}</span>
        <span data-testid="branch-name">
          {t('common.labelled', { label: t('app.branch'), value: info?.branch ? t('common.withCode', { name: info.branch.name, code: info.branch.code }) : t('app.noBranch') })}
        </span>
        {info?.branch && (
          <span data-testid="desk-number" className={info.branch.desk ? undefined : 'header-warning'}>
            {t('common.labelled', { label: t('app.desk'), value: info.branch.desk ?? t('app.noDesk') })}
          </span>
        )}
        <span data-testid="business-date">
          {t('common.labelled', { label: t('app.businessDate'), value: info?.businessDate ?? '—' })}
        </span>
        {actor && (
          <span data-testid="current-teller">
            {t('common.labelled', { label: t(`role.${actor.role}`), value: t('common.withCode', { name: actor.name, code: actor.employeeNo }) })}
          </span>
        )}
      </div>
      <div className="app-header-actions">
        <Button type="text" className="header-button" icon={<QuestionCircleOutlined />} onClick={props.onHelp} title={t('header.helpHint')}>
          {t('header.help')}
        </Button>
        {working && (
          <Button type="text" className="header-button" icon={<LockOutlined />} onClick={session.lock} title={t('header.lockHint')}>
            {t('header.lock')}
          </Button>
        )}
        {working && (
          <Button type="text" className="header-button" icon={<LogoutOutlined />} onClick={() => void session.leave()} data-testid="header-logout">
            {t('header.logout')}
          </Button>
        )}
        <Segmented<Language>
          size="small"
          aria-label={t('app.language')}
          value={props.language}
          onChange={props.onLanguage}
          options={[
            { label: '中文', value: 'zh-CN' },
            { label: 'English', value: 'en' },
          ]}
        />
      </div>
    </header>
  );
}
