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
