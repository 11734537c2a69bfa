import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RISK_WARNING_TEXT } from '../../shared';
import zhCN from './zh-CN.json';
import en from './en.json';
import validationZhCN from './validation.zh-CN.json';
import validationEn from './validation.en.json';
import messagesZhCN from './messages.zh-CN.json';
import messagesEn from './messages.en.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'counter.language';

export function storedLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
}

/**
 * Three namespaces: `translation` holds the screens' own words (nested JSON); `validation` the codes of
 * the bank's rules and `messages` the codes the core answers with — both flat maps whose keys contain
 * dots ("id.checksum"), looked up with `keySeparator: false` (see codeText.ts).
 */
void i18next.use(initReactI18next).init({
  resources: {
    // The risk warnings in Chinese are the slip's own words, from shared/: what is read out is what is printed.
    'zh-CN': { translation: { ...zhCN, risk: RISK_WARNING_TEXT }, validation: validationZhCN, messages: messagesZhCN },
    en: { translation: en, validation: validationEn, messages: messagesEn },
  },
  ns: ['translation', 'validation', 'messages'],
  defaultNS: 'translation',
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  // Resources are bundled, so the first render already speaks the right language.
  initAsync: false,
});

export { i18next };
