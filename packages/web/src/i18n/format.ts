/** Numbers, percentages, dates and durations in the reader's locale, through Intl only. */
export interface Formatters {
  number(value: number, maxFractionDigits?: number): string;
  percent(fraction: number, fractionDigits?: number): string;
  dateTime(epochMs: number, timeZone?: string): string;
  time(epochMs: number, timeZone?: string): string;
  date(epochMs: number): string;
  duration(ms: number): string;
  /** An amount in cents (lists are bought in US dollars). */
  money(cents: number, currency?: string): string;
}

const LOCALE_TAGS: Record<string, string> = { en: 'en-US', lv: 'lv-LV' };

export function localeTag(locale: string): string {
  return LOCALE_TAGS[locale] ?? locale;
}

/** "m:ss" below an hour, "h:mm:ss" above; negative spans (clock skew) read as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function safeTimeZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

export function createFormatters(locale: string): Formatters {
  const tag = localeTag(locale);
  return {
    number: (value, maxFractionDigits = 2) => new Intl.NumberFormat(tag, { maximumFractionDigits: maxFractionDigits }).format(value),
    percent: (fraction, fractionDigits = 1) =>
      new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(fraction),
    dateTime: (epochMs, timeZone) =>
      new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: safeTimeZone(timeZone) }).format(epochMs),
    time: (epochMs, timeZone) =>
      new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', timeZone: safeTimeZone(timeZone) }).format(epochMs),
    date: (epochMs) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }).format(epochMs),
    duration: formatDuration,
    money: (cents, currency = 'USD') => new Intl.NumberFormat(tag, { style: 'currency', currency }).format(cents / 100),
  };
}
