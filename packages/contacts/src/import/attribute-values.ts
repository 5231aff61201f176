import type { AttributeType } from './column-mapping.ts';

/** Typed custom attributes: inference from a sample of values, and conversion of each value. */

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, y: true, n: false, t: true, f: false, 1: true, 0: false };
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const GROUPED_NUMBER = /^[-+]?\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export type Converted = { ok: true; value: number | boolean | string } | { ok: false };

export function toNumber(text: string): Converted {
  const t = text.trim();
  if (NUMBER.test(t)) return { ok: true, value: Number(t) };
  if (GROUPED_NUMBER.test(t)) return { ok: true, value: Number(t.replace(/[$,]/g, '')) };
  return { ok: false };
}

export function toBoolean(text: string): Converted {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  return value === undefined ? { ok: false } : { ok: true, value };
}

/** Dates become ISO instants (UTC), so that they compare as text in both SQL dialects. */
export function toDate(text: string): Converted {
  const t = text.trim();
  let ms = Number.NaN;
  const iso = ISO_DATE.exec(t);
  if (iso !== null) {
    ms = iso[4] === undefined ? Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])) : Date.parse(iso[7] === undefined ? `${t.replace(' ', 'T')}Z` : t.replace(' ', 'T'));
    if (iso[4] === undefined && new Date(ms).getUTCDate() !== Number(iso[3])) ms = Number.NaN;
  } else {
    const us = US_DATE.exec(t);
    if (us !== null) {
      ms = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]));
      if (new Date(ms).getUTCDate() !== Number(us[2])) ms = Number.NaN;
    }
  }
  if (Number.isNaN(ms)) return { ok: false };
  return { ok: true, value: new Date(ms).toISOString() };
}

const dateCache = new Map<string, Converted>();

/** Dates repeat a lot in vendor lists: remember the last few thousand conversions. */
function cachedDate(text: string): Converted {
  let hit = dateCache.get(text);
  if (hit === undefined) {
    hit = toDate(text);
    if (dateCache.size > 20_000) dateCache.clear();
    dateCache.set(text, hit);
  }
  return hit;
}

export function convert(type: AttributeType, text: string): Converted {
  switch (type) {
    case 'number': return toNumber(text);
    case 'boolean': return toBoolean(text);
    case 'date': return cachedDate(text);
    case 'text': return { ok: true, value: text };
  }
}

/**
 * The JSON text `JSON.stringify` writes for `convert(type, raw)`'s value, without building the value where the text
 * shows it (a plain integer is its own JSON; dates are cached with their JSON); null when the value does not fit
 * the type; '' when JSON.stringify writes nothing for it (a key it leaves out of the object).
 */
export function attributeJson(type: AttributeType, raw: string): string | null {
  if (type === 'number' && isPlainInteger(raw)) return raw;
  if (type === 'boolean') {
    const known = BOOLEAN_JSON.get(raw);
    if (known !== undefined) return known;
  }
  if (type === 'date') return cachedDateJson(raw);
  const value = convert(type, raw);
  if (!value.ok) return null;
  return JSON.stringify(value.value) ?? '';
}

/** The spellings of BOOLEAN_WORDS as vendor files write them (lower, upper, capitalised), with their JSON. */
const BOOLEAN_JSON = new Map<string, string>();
for (const [word, value] of Object.entries(BOOLEAN_WORDS)) {
  for (const spelling of [word, word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1)]) BOOLEAN_JSON.set(spelling, String(value));
}

/** 1 to 15 ASCII digits without a leading zero (or a lone 0): Number() and back give the same digits. */
function isPlainInteger(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 15 || (n > 1 && text.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Date JSON by the text, and by YYYYMMDD for the usual `YYYY-MM-DD` (a small-integer key: no string to hash). */
const dateJsonCache = new Map<string, string | null>();
const isoDayJsonCache = new Map<number, string | null>();

function cachedDateJson(text: string): string | null {
  const day = isoDay(text);
  const byDay = day >= 0;
  let hit = byDay ? isoDayJsonCache.get(day) : dateJsonCache.get(text);
  if (hit === undefined) {
    const value = toDate(text);
    hit = value.ok ? JSON.stringify(value.value) : null;
    const cache = byDay ? isoDayJsonCache : dateJsonCache;
    if (cache.size > 20_000) cache.clear();
    if (byDay) isoDayJsonCache.set(day, hit);
    else dateJsonCache.set(text, hit);
  }
  return hit;
}

/** YYYYMMDD of a text that is exactly `DDDD-DD-DD` (ASCII digits), else -1: one key per such text. */
function isoDay(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    day = day * 10 + (c - 48);
  }
  return day;
}

/** The narrowest type every non-empty sample value fits: boolean, number, date, else text. */
export function inferType(samples: readonly string[]): AttributeType {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return 'text';
  // A column of only 0 and 1 is numbers unless a type override says boolean.
  if (values.every((v) => toBoolean(v).ok) && values.some((v) => v !== '0' && v !== '1')) return 'boolean';
  if (values.every((v) => toNumber(v).ok)) return 'number';
  if (values.every((v) => toDate(v).ok)) return 'date';
  return 'text';
}
