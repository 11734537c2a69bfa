/** A sentence the core sends in both languages (a printer's state, how a print ended), in the one in use. */
export function bilingual(text: { 'zh-CN': string; en: string }, language: string): string {
  return language.startsWith('en') ? text.en : text['zh-CN'];
}
