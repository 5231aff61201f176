import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { MessageKey } from './en.ts';
import { createFormatters } from './format.ts';
import type { Formatters } from './format.ts';
import { catalogFor, isLocale, translate } from './translate.ts';
import type { Locale, MessageVars } from './translate.ts';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: MessageVars): string;
  fmt: Formatters;
}

const STORAGE_KEY = 'outdial.locale';
const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  return globalThis.navigator?.language?.toLowerCase().startsWith('lv') ? 'lv' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }): ReactNode {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const catalog = catalogFor(locale);
    return { locale, setLocale, t: (key, vars) => translate(catalog, key, vars), fmt: createFormatters(locale) };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}
