const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or date-time → epoch ms; null when unreadable or not a real calendar date. A date-time without
 * an offset is not an instant and is refused; a bare date is midnight UTC.
 */
export function parseInstant(value: unknown, requireTime = false): number | null {
  if (typeof value !== 'string') return null;
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
