import { civilFromDays, daysFromCivil } from './local-time.ts';

/**
 * Holiday calendars computed per year (movable feasts and observed dates included), as local day numbers.
 * Where a calendar observes a weekend holiday on another day, both the actual and the observed date are blocked
 * (compliance-rules.md §2.4: cheap and conservative).
 */
export type HolidayCalendarId = 'US-FED' | 'US-AL' | 'US-LA' | 'US-PA' | 'US-RI' | 'US-UT' | 'LV';

export const HOLIDAY_CALENDARS_VERSION = 'holidays-2026-11-27.1';

type Observance = 'us' | 'weekend-to-monday' | 'none';
interface HolidayDef {
  name: string;
  date(year: number): number;
  observed: Observance;
  /** First year the holiday exists. */
  since?: number;
}

function fixed(month: number, day: number) {
  return (year: number) => daysFromCivil(year, month, day);
}

/** The n-th given weekday (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(month: number, weekday: number, n: number) {
  return (year: number) => {
    if (n > 0) {
      const first = daysFromCivil(year, month, 1);
      const firstWeekday = (((first + 4) % 7) + 7) % 7;
      return first + ((weekday - firstWeekday + 7) % 7) + (n - 1) * 7;
    }
    const last = daysFromCivil(year, month + 1, 1) - 1;
    const lastWeekday = (((last + 4) % 7) + 7) % 7;
    return last - ((lastWeekday - weekday + 7) % 7);
  };
}

/** Western Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

function easterOffset(days: number) {
  return (year: number) => easterSunday(year) + days;
}

function def(name: string, date: (year: number) => number, observed: Observance = 'us', since?: number): HolidayDef {
  return since === undefined ? { name, date, observed } : { name, date, observed, since };
}

const NEW_YEAR = def("New Year's Day", fixed(1, 1));
const MLK = def('Martin Luther King Jr. Day', nthWeekday(1, 1, 3), 'none');
const WASHINGTON = def("Washington's Birthday", nthWeekday(2, 1, 3), 'none');
const MEMORIAL = def('Memorial Day', nthWeekday(5, 1, -1), 'none');
const JUNETEENTH = def('Juneteenth', fixed(6, 19), 'us', 2021);
const INDEPENDENCE = def('Independence Day', fixed(7, 4));
const LABOR = def('Labor Day', nthWeekday(9, 1, 1), 'none');
const COLUMBUS = def('Columbus Day', nthWeekday(10, 1, 2), 'none');
const VETERANS = def('Veterans Day', fixed(11, 11));
const THANKSGIVING = def('Thanksgiving Day', nthWeekday(11, 4, 4), 'none');
const CHRISTMAS = def('Christmas Day', fixed(12, 25));
const FEDERAL = [NEW_YEAR, MLK, WASHINGTON, MEMORIAL, JUNETEENTH, INDEPENDENCE, LABOR, COLUMBUS, VETERANS, THANKSGIVING, CHRISTMAS];
const GOOD_FRIDAY = def('Good Friday', easterOffset(-2), 'none');
const MARDI_GRAS = def('Mardi Gras', easterOffset(-47), 'none');

const DEFINITIONS: Record<HolidayCalendarId, HolidayDef[]> = {
  'US-FED': FEDERAL,
  // Ala. Code §1-3-8; Mardi Gras is a holiday in Baldwin and Mobile counties only, applied state-wide (county unknown).
  'US-AL': [NEW_YEAR, MLK, WASHINGTON, MARDI_GRAS, def('Confederate Memorial Day', nthWeekday(4, 1, 4)), MEMORIAL,
    def("Jefferson Davis' Birthday", nthWeekday(6, 1, 1)), JUNETEENTH, INDEPENDENCE, LABOR, COLUMBUS, VETERANS, THANKSGIVING,
    def('Mrs. Rosa Parks Day', fixed(12, 1), 'none'), CHRISTMAS],
  // LPSC do-not-call holidays as reported (the day after Thanksgiving included).
  'US-LA': [NEW_YEAR, MLK, MARDI_GRAS, GOOD_FRIDAY, INDEPENDENCE, LABOR, THANKSGIVING,
    def('Day after Thanksgiving', (year) => nthWeekday(11, 4, 4)(year) + 1, 'none'), CHRISTMAS],
  // 73 P.S. §2245.2 as amended 2019.
  'US-PA': [NEW_YEAR, MLK, WASHINGTON, GOOD_FRIDAY, MEMORIAL, def('Flag Day', fixed(6, 14)), INDEPENDENCE, LABOR, COLUMBUS,
    def('Election Day', (year) => nthWeekday(11, 1, 1)(year) + 1, 'none'), VETERANS, THANKSGIVING, CHRISTMAS],
  // R.I. Gen. Laws §5-61-3.6: every state or federal holiday.
  'US-RI': [...FEDERAL, def('Rhode Island Independence Day', fixed(5, 4)), def('Victory Day', nthWeekday(8, 1, 2), 'none')],
  // Utah Code §63G-1-301.
  'US-UT': [...FEDERAL, def('Pioneer Day', fixed(7, 24))],
  // Latvian public holidays (for debt collection); 4 May and 18 November move to Monday when on a weekend.
  LV: [def("New Year's Day", fixed(1, 1), 'none'), GOOD_FRIDAY, def('Easter Sunday', easterOffset(0), 'none'),
    def('Easter Monday', easterOffset(1), 'none'), def('Labour Day', fixed(5, 1), 'none'),
    def('Restoration of Independence Day', fixed(5, 4), 'weekend-to-monday'), def('Whit Sunday', easterOffset(49), 'none'),
    def('Midsummer Eve', fixed(6, 23), 'none'), def("Midsummer Day", fixed(6, 24), 'none'),
    def('Proclamation Day', fixed(11, 18), 'weekend-to-monday'), def('Christmas Eve', fixed(12, 24), 'none'),
    def('Christmas Day', fixed(12, 25), 'none'), def('Second Day of Christmas', fixed(12, 26), 'none'),
    def("New Year's Eve", fixed(12, 31), 'none')],
};

function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

const cache = new Map<string, Map<number, string>>();

/** The calendar's holidays of a year: local day number → name. */
export function holidaysOfYear(calendar: HolidayCalendarId, year: number): Map<number, string> {
  const key = `${calendar}:${year}`;
  let days = cache.get(key);
  if (!days) {
    days = new Map();
    for (const holiday of DEFINITIONS[calendar]) {
      if (holiday.since !== undefined && year < holiday.since) continue;
      const actual = holiday.date(year);
      days.set(actual, holiday.name);
      const weekday = weekdayOf(actual);
      if (holiday.observed === 'us' && weekday === 6) days.set(actual - 1, `${holiday.name} (observed)`);
      if (holiday.observed === 'us' && weekday === 0) days.set(actual + 1, `${holiday.name} (observed)`);
      if (holiday.observed === 'weekend-to-monday' && (weekday === 6 || weekday === 0)) {
        days.set(actual + (weekday === 6 ? 2 : 1), `${holiday.name} (moved)`);
      }
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, days);
  }
  return days;
}

const byDay = new Map<HolidayCalendarId, Map<number, string | null>>();

/** The holiday's name when the local day is a holiday in the calendar, else null. */
export function holidayOn(calendar: HolidayCalendarId, dayNumber: number): string | null {
  let days = byDay.get(calendar);
  if (!days) byDay.set(calendar, (days = new Map()));
  let name = days.get(dayNumber);
  if (name === undefined) {
    const { year } = civilFromDays(dayNumber);
    // New Year's Day observed on 31 December belongs to the next year's list.
    name = holidaysOfYear(calendar, year).get(dayNumber) ?? holidaysOfYear(calendar, year + 1).get(dayNumber) ?? null;
    if (days.size > 100_000) days.clear();
    days.set(dayNumber, name);
  }
  return name;
}
