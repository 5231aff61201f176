import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { isLocale, LOCALES } from '../i18n/translate.ts';

const NATIVE_NAMES: Record<string, string> = { en: 'English', lv: 'Latviešu' };

export function LanguageSwitch(): ReactNode {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        value={locale}
        onChange={(e) => {
          if (isLocale(e.target.value)) setLocale(e.target.value);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NATIVE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
