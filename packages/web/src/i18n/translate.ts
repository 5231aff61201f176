import { en } from './en.ts';
import type { MessageKey } from './en.ts';
import { lv } from './lv.ts';

export type Locale = 'en' | 'lv';
export const LOCALES: readonly Locale[] = ['en', 'lv'];
export type Catalog = Record<MessageKey, string>;
export type MessageVars = Record<string, string | number>;

const CATALOGS: Record<Locale, Catalog> = { en, lv };

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'lv';
}

export function catalogFor(locale: Locale): Catalog {
  return CATALOGS[locale];
}

/** Looks a key up and fills `{name}` placeholders; an unknown placeholder stays visible so it gets noticed. */
export function translate(catalog: Catalog, key: MessageKey, vars?: MessageVars): string {
  const text = catalog[key];
  if (vars === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}
