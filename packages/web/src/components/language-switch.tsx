import type { ReactNode } from 'react';
import { api } from '../api/api-client.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { useSession } from '../lib/session-context.tsx';
import { isLocale, LOCALES } from '../i18n/translate.ts';

const NATIVE_NAMES: Record<string, string> = { en: 'English', lv: 'Latviešu' };

export function LanguageSwitch(): ReactNode {
  const { t, locale, setLocale } = useI18n();
  const { user } = useSession();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        value={locale}
        onChange={(e) => {
          const next = e.target.value;
          if (!isLocale(next)) return;
          setLocale(next);
          // remembered for the user too (best effort: the browser keeps it anyway)
          if (user) api.patch('/api/v1/users/me', { locale: next }).catch(() => undefined);
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
