import { Layout, Segmented, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import type { SystemInfo } from './useSystemInfo';

export function AppHeader(props: { info: SystemInfo | null; language: Language; onLanguage: (language: Language) => void }) {
  const { t } = useTranslation();
  const { info } = props;
  return (
    <Layout.Header className="app-header" role="banner">
      <Space size="large" align="center" wrap>
        <Typography.Title level={4} className="app-title">
          {t('app.title')}
        </Typography.Title>
        <span data-testid="branch-name">
          {t('app.branch')}：{info?.branch ? `${info.branch.name}（${info.branch.code}）` : t('app.noBranch')}
        </span>
        <span data-testid="business-date">
          {t('app.businessDate')}：{info?.businessDate ?? '—'}
        </span>
      </Space>
      <Segmented<Language>
        aria-label={t('app.language')}
        value={props.language}
        onChange={props.onLanguage}
        options={[
          { label: '中文', value: 'zh-CN' },
          { label: 'English', value: 'en' },
        ]}
      />
    </Layout.Header>
  );
}
