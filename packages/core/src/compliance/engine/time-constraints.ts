import type { HolidayCalendarId } from '../time/holiday-calendars.ts';
import { holidayOn } from '../time/holiday-calendars.ts';
import { formatLocalIso, localTime, localToUtc } from '../time/local-time.ts';

/**
 * A rule that only time stands in the way of. `nextAllowed(t)` is the earliest instant ≥ t at which this constraint
 * allows the call (Infinity when none within the search horizon). The decision finds the first instant every
 * constraint allows by iterating to a fixed point, so each constraint must be exact on its own.
 */
export interface TimeConstraint {
  allowedAt(t: number): boolean;
  nextAllowed(t: number): number;
  /** What the rule saw at t, for reasons and evidence. */
  detail(t: number): Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const HORIZON_DAYS = 400;

/** Seconds since local midnight: [start, end). */
export type DayWindow = readonly [number, number];

/** A weekly calling window: index 0 = Sunday; null = no calls that day. Holidays get `holidayWindow` (null = none). */
export interface WeeklySchedule {
  week: ReadonlyArray<DayWindow | null>;
  holidays?: HolidayCalendarId;
  holidayWindow?: DayWindow | null;
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function describeWindow(window: DayWindow | null): string {
  return window ? `${clock(window[0])}-${clock(window[1])}` : 'no calls';
}

/** The window of one local day under the schedule, with the holiday's name when one applies. */
function windowOfDay(schedule: WeeklySchedule, dayNumber: number, weekday: number): { window: DayWindow | null; holiday: string | null } {
  const holiday = schedule.holidays ? holidayOn(schedule.holidays, dayNumber) : null;
  if (holiday !== null) {
    const week = schedule.week[weekday] ?? null;
    const special = schedule.holidayWindow ?? null;
    // A holiday narrows the day (intersection with the weekday window), never widens it.
    if (!week || !special) return { window: null, holiday };
    const start = Math.max(week[0], special[0]);
    const end = Math.min(week[1], special[1]);
    return { window: start < end ? [start, end] : null, holiday };
  }
  return { window: schedule.week[weekday] ?? null, holiday: null };
}

/** The call must start inside the zone's local window, on a day that allows calls. */
export function windowConstraint(zone: string, schedule: WeeklySchedule): TimeConstraint {
  function allowedAt(t: number): boolean {
    const local = localTime(zone, t);
    const { window } = windowOfDay(schedule, local.dayNumber, local.weekday);
    return window !== null && local.secondOfDay >= window[0] && local.secondOfDay < window[1];
  }
  return {
    allowedAt,
    nextAllowed(t) {
      const local = localTime(zone, t);
      for (let offset = 0; offset <= HORIZON_DAYS; offset += 1) {
        const day = local.dayNumber + offset;
        const { window } = windowOfDay(schedule, day, (local.weekday + offset) % 7);
        if (!window) continue;
        if (offset === 0) {
          if (local.secondOfDay >= window[1]) continue;
          if (local.secondOfDay >= window[0]) return t;
        }
        const start = localToUtc(zone, day, window[0]);
        if (start >= t && allowedAt(start)) return start;
        if (start < t && allowedAt(t)) return t;
      }
      return Number.POSITIVE_INFINITY;
    },
    detail(t) {
      const local = localTime(zone, t);
      const { window, holiday } = windowOfDay(schedule, local.dayNumber, local.weekday);
      const detail: Record<string, unknown> = { zone, localTime: formatLocalIso(local), window: describeWindow(window) };
      if (holiday !== null) detail['holiday'] = holiday;
      if (!window && holiday === null) detail['dayBanned'] = true;
      return detail;
    },
  };
}

/** A counted event: when, and which stored attempt it was (for the evidence). */
export interface CountedEvent {
  at: number;
  id: string;
}

/**
 * At most `max` calls in any window of `lengthMs`, this one included: earlier events in [t - length, t] must number
 * fewer than `max` (an event at e counts
 * while e ≤ t < e + length). With max = 1 this is a cool-down after each event.
 */
export function rollingCountConstraint(events: readonly CountedEvent[], max: number, lengthMs: number, label: string): TimeConstraint {
  const counted = (t: number) => events.filter((event) => event.at <= t && t < event.at + lengthMs);
  return {
    allowedAt: (t) => counted(t).length < max,
    nextAllowed(t) {
      let current = t;
      for (let guard = 0; guard <= events.length + 1; guard += 1) {
        const inWindow = counted(current);
        if (inWindow.length < max) return current;
        current = Math.min(...inWindow.map((event) => event.at + lengthMs));
      }
      return Number.POSITIVE_INFINITY;
    },
    detail(t) {
      const inWindow = counted(t);
      return { counter: label, value: inWindow.length, limit: max, windowHours: lengthMs / 3_600_000, attemptIds: inWindow.map((e) => e.id) };
    },
  };
}

/**
 * Calendar-day counting in the called person's local time (Reg F): fewer than `max` earlier events on local days
 * D-(days-1)..D, and no call on the `days` local days starting with the day of a blocking event (conversation).
 */
export function localDayCountConstraint(zone: string, events: readonly CountedEvent[], max: number, days: number, label: string): TimeConstraint {
  const eventDays = events.map((event) => ({ event, day: localTime(zone, event.at).dayNumber }));
  const counted = (t: number) => {
    const today = localTime(zone, t).dayNumber;
    return eventDays.filter((entry) => entry.event.at <= t && entry.day > today - days && entry.day <= today);
  };
  return {
    allowedAt: (t) => counted(t).length < max,
    nextAllowed(t) {
      let current = t;
      for (let guard = 0; guard <= events.length + 1; guard += 1) {
        const inWindow = counted(current);
        if (inWindow.length < max) return current;
        const leaveDay = Math.min(...inWindow.map((entry) => entry.day)) + days;
        current = Math.max(current + 1000, localToUtc(zone, leaveDay, 0));
      }
      return Number.POSITIVE_INFINITY;
    },
    detail(t) {
      const inWindow = counted(t);
      return { counter: label, zone, value: inWindow.length, limit: max, days, attemptIds: inWindow.map((entry) => entry.event.id) };
    },
  };
}

/** Combine: the first instant ≥ from at which every constraint allows; Infinity past the horizon. */
export function firstAllowedInstant(constraints: readonly TimeConstraint[], from: number): number {
  const horizon = from + HORIZON_DAYS * DAY_MS;
  let t = from;
  for (let round = 0; round < 10_000 && t <= horizon; round += 1) {
    let moved = false;
    for (const constraint of constraints) {
      const next = constraint.nextAllowed(t);
      if (next > t) {
        t = next;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  return Number.POSITIVE_INFINITY;
}
