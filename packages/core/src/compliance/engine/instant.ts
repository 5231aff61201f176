const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The value of a two-digit field at `from`, or -1 when either character is not a digit. */
function two(text: string, from: number): number {
  const tens = text.charCodeAt(from) - 48;
  const ones = text.charCodeAt(from + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * `YYYY-MM-DD` at the start of the text → days since 1970-01-01; null when not a real calendar date in that form.
 * Integer arithmetic on character codes: every decision reads several instants (the call, each attempt, the registry
 * copy), so no regular expression and no Date here.
 */
function compactDay(text: string): number | null {
  if (text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45) return null;
  const high = two(text, 0);
  const low = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  if (high < 0 || low < 0 || month < 1 || month > 12 || day < 1) return null;
  const year = high * 100 + low;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return null;
  // Days from civil (proleptic Gregorian).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The common case, `YYYY-MM-DDTHH:MM:SSZ`, without a regular expression; null when the text is not in that form. */
function parseCompactUtc(text: string): number | null {
  if (text.length !== 20 || text.charCodeAt(19) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 /* : */ || text.charCodeAt(16) !== 58) return null;
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const days = compactDay(text);
  return days === null ? null : ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}

/**
 * A bare date `YYYY-MM-DD` as midnight UTC: the same answer as `parseInstant(`${date}T00:00:00Z`)` for such a
 * date, without building that string. Null when the text is not a real date in exactly that form.
 */
export function parseCompactDate(text: string): number | null {
  if (text.length !== 10) return null;
  const days = compactDay(text);
  return days === null ? null : days * 86_400_000;
}

/**
 * An ISO 8601 date or date-time → epoch ms; null when unreadable or not a real calendar date. A date-time without
 * an offset is not an instant and is refused; a bare date is midnight UTC.
 */
export function parseInstant(value: unknown, requireTime = false): number | null {
  if (typeof value !== 'string') return null;
  const compact = parseCompactUtc(value);
  if (compact !== null) return compact;
  const match = ISO_INSTANT.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, , , zone] = match;
  if (hour === undefined && requireTime) return null;
  if (hour !== undefined && zone === undefined) return null;
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return null;
  const normalized = value.trim().replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(hour === undefined ? `${year}-${month}-${day}T00:00:00Z` : normalized);
  return Number.isFinite(ms) ? ms : null;
}
