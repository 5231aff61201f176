/**
 * Local wall-clock time in an IANA zone, through Intl (tzdb), fast: one Intl.DateTimeFormat per zone, and the UTC
 * offset that Intl gives cached per zone and UTC hour (an hour that contains a transition is computed exactly, per
 * call).
 * Never fixed offsets: Arizona, Navajo Nation, Guam and DST changes all come from tzdb.
 */

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** A moment as seen in one zone. `dayNumber` counts local days since 1970-01-01. */
export interface LocalTime {
  zone: string;
  epochMs: number;
  offsetMs: number;
  dayNumber: number;
  /** Seconds since local midnight, 0..86399. */
  secondOfDay: number;
  /** 0 = Sunday .. 6 = Saturday. */
  weekday: number;
}

interface ZoneCache {
  format: Intl.DateTimeFormat;
  /** The last instant asked for and its answer: several rules ask about the same instant in a row. */
  last: LocalTime | null;
  /**
   * UTC hour → offset ms (NaN when the hour holds a transition), direct-mapped: pairs [hour, offset] at slot
   * `hour & HOUR_SLOTS - 1`; a slot holds the last hour that mapped to it (NaN key = empty). One array read per
   * look-up instead of a hash-map walk: decisions ask for offsets at instants spread over weeks, and a Map of
   * thousands of hours cost a cache miss or two per look-up.
   */
  hours: Float64Array;
}

/** 8,192 hours (341 days) per zone before two hours share a slot: 128 KiB per zone in use. */
const HOUR_SLOTS = 8192;

const zones = new Map<string, ZoneCache | null>();

function zoneCache(zone: string): ZoneCache | null {
  let cache = zones.get(zone);
  if (cache === undefined) {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
      cache = { format, hours: new Float64Array(2 * HOUR_SLOTS).fill(Number.NaN), last: null };
    } catch {
      cache = null;
    }
    zones.set(zone, cache);
  }
  return cache;
}

/** True when tzdb (through Intl) knows the zone. */
export function isKnownZone(zone: string): boolean {
  return zoneCache(zone) !== null;
}

function exactOffset(format: Intl.DateTimeFormat, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  let bce = false;
  for (const part of format.formatToParts(whole)) {
    if (part.type === 'era') bce = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = bce ? 1 - (fields['year'] ?? 0) : (fields['year'] ?? 0);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, (fields['month'] ?? 1) - 1, fields['day'] ?? 1);
  asUtc.setUTCHours(fields['hour'] ?? 0, fields['minute'] ?? 0, fields['second'] ?? 0, 0);
  return asUtc.getTime() - whole;
}

/** UTC offset of the zone at the instant, in ms (local = utc + offset). NaN for an unknown zone. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  const cache = zoneCache(zone);
  return cache ? cachedOffset(cache, epochMs) : Number.NaN;
}

function cachedOffset(cache: ZoneCache, epochMs: number): number {
  const hour = Math.floor(epochMs / MS_PER_HOUR);
  const slot = 2 * (hour & (HOUR_SLOTS - 1));
  const hours = cache.hours;
  let offset: number;
  if (hours[slot] === hour) {
    offset = hours[slot + 1] as number;
  } else {
    const start = exactOffset(cache.format, hour * MS_PER_HOUR);
    const end = exactOffset(cache.format, hour * MS_PER_HOUR + MS_PER_HOUR - 1000);
    offset = start === end ? start : Number.NaN;
    hours[slot] = hour;
    hours[slot + 1] = offset;
  }
  return Number.isNaN(offset) ? exactOffset(cache.format, epochMs) : offset;
}

/**
 * The local day number alone (same as `localTime(zone, t).dayNumber`), without allocating or displacing the
 * zone's last-instant cache: counters ask it for every attempt in the history.
 */
export function localDayNumber(zone: string, epochMs: number): number {
  return Math.floor((epochMs + zoneOffsetMs(zone, epochMs)) / MS_PER_DAY);
}

export function localTime(zone: string, epochMs: number): LocalTime {
  const cache = zoneCache(zone);
  const last = cache?.last;
  if (last && last.epochMs === epochMs) return last;
  // One zone look-up per call: the cache found above also gives the offset.
  const local = computeLocalTime(zone, epochMs, cache ? cachedOffset(cache, epochMs) : Number.NaN);
  if (cache) cache.last = local;
  return local;
}

function computeLocalTime(zone: string, epochMs: number, offsetMs: number): LocalTime {
  const local = epochMs + offsetMs;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  const secondOfDay = Math.floor((local - dayNumber * MS_PER_DAY) / 1000);
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  return { zone, epochMs, offsetMs, dayNumber, secondOfDay, weekday };
}

/**
 * The first instant whose local time in the zone is at or after the given local day and second. For a local time
 * skipped by a DST gap that is the transition instant; for a repeated one, the earlier occurrence.
 */
export function localToUtc(zone: string, dayNumber: number, secondOfDay: number): number {
  const wall = dayNumber * MS_PER_DAY + secondOfDay * 1000;
  // The offsets in force around the wall time: before and after any transition near it.
  const offsets = [zoneOffsetMs(zone, wall - 14 * MS_PER_HOUR), zoneOffsetMs(zone, wall + 14 * MS_PER_HOUR), zoneOffsetMs(zone, wall - zoneOffsetMs(zone, wall))];
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (candidate < best && candidate + zoneOffsetMs(zone, candidate) === wall) best = candidate;
  }
  if (Number.isFinite(best)) return best;
  // In a gap: binary search the transition, the first instant whose local time is past the wall time.
  let low = wall - 14 * MS_PER_HOUR - 14 * MS_PER_HOUR;
  let high = wall + 14 * MS_PER_HOUR;
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2000) * 1000;
    if (mid + zoneOffsetMs(zone, mid) >= wall) high = mid;
    else low = mid;
  }
  return high;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** "00".."99": every formatted instant needs three to five of them, so they are built once, not padded each time. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => pad(value));

function two(value: number): string {
  return TWO_DIGITS[value] ?? pad(value);
}

/** "+HH:MM" per offset in minutes: a zone has two or three offsets, asked for on every decision. */
const offsetSuffixes = new Map<number, string>();

function offsetSuffix(offsetMinutes: number): string {
  let suffix = offsetSuffixes.get(offsetMinutes);
  if (suffix === undefined) {
    const abs = Math.abs(offsetMinutes);
    suffix = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    offsetSuffixes.set(offsetMinutes, suffix);
  }
  return suffix;
}

/** `HH:MM:SS` of a second of the day (0..86399). */
function clockTime(seconds: number): string {
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

/** Days since 1970-01-01 → civil date (proleptic Gregorian). */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Civil date → days since 1970-01-01. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const dayStrings = new Map<number, string>();

export function formatDay(dayNumber: number): string {
  let text = dayStrings.get(dayNumber);
  if (text === undefined) {
    const { year, month, day } = civilFromDays(dayNumber);
    text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
    if (dayStrings.size > 20_000) dayStrings.clear();
    dayStrings.set(dayNumber, text);
  }
  return text;
}

/** `2026-09-15T20:30:00-04:00` */
export function formatLocalIso(local: LocalTime): string {
  return `${formatDay(local.dayNumber)}T${clockTime(local.secondOfDay)}${offsetSuffix(Math.round(local.offsetMs / 60_000))}`;
}

const MIN_FOUR_DIGIT_YEAR_MS = daysFromCivil(0, 1, 1) * MS_PER_DAY;
const MAX_FOUR_DIGIT_YEAR_MS = daysFromCivil(9999, 12, 31) * MS_PER_DAY + MS_PER_DAY - 1000;

/** `2026-11-02T13:00:00Z` (whole seconds). */
export function formatUtcIso(epochMs: number): string {
  const whole = Math.floor(epochMs / 1000) * 1000;
  // Years 0000-9999 by integer arithmetic (what toISOString prints there); outside, toISOString's extended years.
  if (whole >= MIN_FOUR_DIGIT_YEAR_MS && whole <= MAX_FOUR_DIGIT_YEAR_MS) {
    const dayNumber = Math.floor(whole / MS_PER_DAY);
    const seconds = (whole - dayNumber * MS_PER_DAY) / 1000;
    return `${formatDay(dayNumber)}T${clockTime(seconds)}Z`;
  }
  return new Date(whole).toISOString().replace('.000Z', 'Z');
}
