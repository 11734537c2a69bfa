import { useState } from 'react';
import { Alert, App as AntApp, ConfigProvider, Descriptions, Layout } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { i18next, rememberLanguage, storedLanguage, type Language } from '../i18n';
import { AppHeader } from './AppHeader';
import { useSystemInfo } from './useSystemInfo';

export function App() {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<Language>(storedLanguage());
  const { info, error } = useSystemInfo();

  const switchLanguage = (next: Language) => {
    setLanguage(next);
    rememberLanguage(next);
    void i18next.changeLanguage(next);
    document.documentElement.lang = next;
  };

  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { fontSize: 16, colorPrimary: '#b8262b' } }}>
      <AntApp>
        <Layout className="app-layout">
          <AppHeader info={info} language={language} onLanguage={switchLanguage} />
          <Layout.Content className="app-content">
            {error && <Alert type="error" showIcon message={t(error.message)} />}
            {info && (
              <Descriptions title={t('system.status')} bordered column={1} size="middle">
                <Descriptions.Item label={t('system.version')}>{info.appVersion}</Descriptions.Item>
                <Descriptions.Item label={t('system.schema')}>{info.schemaVersion}</Descriptions.Item>
                <Descriptions.Item label={t('system.timeZone')}>{info.timeZone}</Descriptions.Item>
                <Descriptions.Item label={t('system.dataDir')}>{info.dataDir}</Descriptions.Item>
              </Descriptions>
            )}
            {!info && !error && <span>{t('app.loading')}</span>}
          </Layout.Content>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
