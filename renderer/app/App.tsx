import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { i18next, rememberLanguage, storedLanguage, type Language } from '../i18n';
import { SessionProvider } from '../session/SessionContext';
import { AppHeader } from './AppHeader';
import { SessionGate } from './SessionGate';
import { SystemInfoProvider } from './SystemInfo';

const HelpOverlay = lazy(() => import('../features/help/HelpOverlay'));

// The bank's red for actions; fields take focus in blue, so a field being typed in never looks like a
// field in error.
const FOCUS = { hoverBorderColor: '#4096ff', activeBorderColor: '#1677ff' };
/**
 * The app's fonts for antd's components too (app.css sets the same stack on the body). antd's own default list
 * names no font a branch PC has, so its components fell back to whatever the system's sans-serif is for the page's
 * language: in English, on a Linux desk with DejaVu Sans, a wider face than the rest of the screen, and the
 * board's application numbers no longer fit their column.
 */
const FONT_FAMILY = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'Source Han Sans SC', sans-serif";

const THEME = {
  token: { fontSize: 16, colorPrimary: '#b8262b', borderRadius: 4, fontFamily: FONT_FAMILY },
  components: {
    Input: { ...FOCUS, activeShadow: '0 0 0 2px rgba(22, 119, 255, 0.15)' },
    InputNumber: { ...FOCUS, activeShadow: '0 0 0 2px rgba(22, 119, 255, 0.15)' },
    Select: { ...FOCUS, activeOutlineColor: 'rgba(22, 119, 255, 0.15)' },
    DatePicker: { ...FOCUS, activeShadow: '0 0 0 2px rgba(22, 119, 255, 0.15)' },
  },
};

/** antd's date pickers take month and weekday names from dayjs, whose own language must follow the app's. */
function dayjsLocale(language: Language): string {
  return language === 'zh-CN' ? 'zh-cn' : 'en';
}

export function App() {
  const [language, setLanguage] = useState<Language>(storedLanguage());
  const [helpOpen, setHelpOpen] = useState(false);

  const switchLanguage = useCallback((next: Language) => {
    setLanguage(next);
    rememberLanguage(next);
    dayjs.locale(dayjsLocale(next));
    void i18next.changeLanguage(next);
    document.documentElement.lang = next;
  }, []);

  useEffect(() => {
    document.documentElement.lang = storedLanguage();
    dayjs.locale(dayjsLocale(storedLanguage()));
    // F1 is help everywhere, also before login; the browser's own help page must not open.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'F1') return;
      event.preventDefault();
      setHelpOpen((open) => !open);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <SystemInfoProvider>
        <SessionProvider>
          <div className="app-layout">
            <AppHeader language={language} onLanguage={switchLanguage} onHelp={() => setHelpOpen(true)} />
            <main className="app-content">
              <SessionGate />
            </main>
          </div>
          {helpOpen && (
            <Suspense fallback={null}>
              <HelpOverlay onClose={() => setHelpOpen(false)} />
            </Suspense>
          )}
        </SessionProvider>
      </SystemInfoProvider>
    </ConfigProvider>
  );
}
