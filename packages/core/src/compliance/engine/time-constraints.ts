import type { HolidayCalendarId } from '../time/holiday-calendars.ts';
import { holidayOn } from '../time/holiday-calendars.ts';
import { formatLocalIso, localDayNumber, localTime, localToUtc } from '../time/local-time.ts';

/**
 * A rule that only time stands in the way of. `nextAllowed(t)` is the earliest instant ≥ t at which this constraint
 * allows the call (Infinity when none within the search horizon). The decision finds the first instant every
 * constraint allows by iterating to a fixed point, so each constraint must be exact on its own.
 */
export interface TimeConstraint {
  allowedAt(t: number): boolean;
  nextAllowed(t: number): number;
  /** A counter (its detail goes into the evidence even when it passes), rather than a calling window. */
  readonly counts: boolean;
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

/** The window of one local day under the schedule (a holiday narrows the day, never widens it). */
function windowOfDay(schedule: WeeklySchedule, dayNumber: number, weekday: number): DayWindow | null {
  const week = schedule.week[weekday] ?? null;
  if (!week || !schedule.holidays || holidayOn(schedule.holidays, dayNumber) === null) return week;
  const special = schedule.holidayWindow ?? null;
  if (!special) return null;
  const start = Math.max(week[0], special[0]);
  const end = Math.min(week[1], special[1]);
  return start < end ? [start, end] : null;
}

/** The call must start inside the zone's local window, on a day that allows calls. */
class WindowConstraint implements TimeConstraint {
  readonly counts = false;

  constructor(
    private readonly zone: string,
    private readonly schedule: WeeklySchedule,
  ) {}

  allowedAt(t: number): boolean {
    const local = localTime(this.zone, t);
    const window = windowOfDay(this.schedule, local.dayNumber, local.weekday);
    return window !== null && local.secondOfDay >= window[0] && local.secondOfDay < window[1];
  }

  nextAllowed(t: number): number {
    const local = localTime(this.zone, t);
    for (let offset = 0; offset <= HORIZON_DAYS; offset += 1) {
      const day = local.dayNumber + offset;
      const window = windowOfDay(this.schedule, day, (local.weekday + offset) % 7);
      if (!window) continue;
      if (offset === 0) {
        if (local.secondOfDay >= window[1]) continue;
        if (local.secondOfDay >= window[0]) return t;
      }
      const start = localToUtc(this.zone, day, window[0]);
      if (start >= t && this.allowedAt(start)) return start;
      if (start < t && this.allowedAt(t)) return t;
    }
    return Number.POSITIVE_INFINITY;
  }

  detail(t: number): Record<string, unknown> {
    const local = localTime(this.zone, t);
    const window = windowOfDay(this.schedule, local.dayNumber, local.weekday);
    const holiday = this.schedule.holidays ? holidayOn(this.schedule.holidays, local.dayNumber) : null;
    const detail: Record<string, unknown> = { zone: this.zone, localTime: formatLocalIso(local), window: describeWindow(window) };
    if (holiday !== null) detail['holiday'] = holiday;
    if (!window && holiday === null) detail['dayBanned'] = true;
    return detail;
  }
}

export function windowConstraint(zone: string, schedule: WeeklySchedule): TimeConstraint {
  return new WindowConstraint(zone, schedule);
}

const windowConstraintsCache = new WeakMap<WeeklySchedule, WeakMap<readonly string[], readonly TimeConstraint[]>>();

/**
 * One window constraint per zone. Window constraints hold no per-call state, so they are built once per schedule
 * and zones array (the geo look-up shares its zones arrays) instead of on every decision.
 */
export function windowConstraints(zones: readonly string[], schedule: WeeklySchedule): readonly TimeConstraint[] {
  let byZones = windowConstraintsCache.get(schedule);
  if (!byZones) windowConstraintsCache.set(schedule, (byZones = new WeakMap()));
  let constraints = byZones.get(zones);
  if (!constraints) {
    constraints = zones.map((zone) => new WindowConstraint(zone, schedule));
    byZones.set(zones, constraints);
  }
  return constraints;
}

/** A counted event: when, and which stored attempt it was (for the evidence). */
export interface CountedEvent {
  at: number;
  id: string;
}

/**
 * At most `max` calls in any window of `lengthMs`, this one included: earlier events in [t - length, t] must number
 * fewer than `max` (an event at e counts while e ≤ t < e + length). With max = 1 this is a cool-down after each event.
 */
class RollingCountConstraint implements TimeConstraint {
  readonly counts = true;

  constructor(
    private readonly events: readonly CountedEvent[],
    private readonly max: number,
    private readonly lengthMs: number,
    private readonly label: string,
  ) {}

  private counted(t: number): CountedEvent[] {
    const counted: CountedEvent[] = [];
    for (const event of this.events) if (event.at <= t && t < event.at + this.lengthMs) counted.push(event);
    return counted;
  }

  allowedAt(t: number): boolean {
    if (this.events.length < this.max) return true;
    let count = 0;
    for (const event of this.events) if (event.at <= t && t < event.at + this.lengthMs) count += 1;
    return count < this.max;
  }

  nextAllowed(t: number): number {
    let current = t;
    for (let guard = 0; guard <= this.events.length + 1; guard += 1) {
      const inWindow = this.counted(current);
      if (inWindow.length < this.max) return current;
      let leaves = Number.POSITIVE_INFINITY;
      for (const event of inWindow) leaves = Math.min(leaves, event.at + this.lengthMs);
      current = leaves;
    }
    return Number.POSITIVE_INFINITY;
  }

  detail(t: number): Record<string, unknown> {
    const inWindow = this.counted(t);
    return { counter: this.label, value: inWindow.length, limit: this.max, windowHours: this.lengthMs / 3_600_000, attemptIds: inWindow.map((e) => e.id) };
  }
}

export function rollingCountConstraint(events: readonly CountedEvent[], max: number, lengthMs: number, label: string): TimeConstraint {
  return new RollingCountConstraint(events, max, lengthMs, label);
}

/**
 * Calendar-day counting in the called person's local time (Reg F): fewer than `max` earlier events on local days
 * D-(days-1)..D, and no call on the `days` local days starting with the day of a blocking event (conversation).
 */
class LocalDayCountConstraint implements TimeConstraint {
  readonly counts = true;
  /** The local day of each event, in the events' order (numbers, not an object per event: built per decision). */
  private readonly days: number[];

  constructor(
    private readonly zone: string,
    private readonly events: readonly CountedEvent[],
    private readonly max: number,
    private readonly windowDays: number,
    private readonly label: string,
  ) {
    this.days = new Array<number>(events.length);
    for (let index = 0; index < events.length; index += 1) this.days[index] = localDayNumber(zone, (events[index] as CountedEvent).at);
  }

  /** Whether event `index` counts at t, whose local day is `today`. */
  private countsAt(index: number, t: number, today: number): boolean {
    const day = this.days[index] as number;
    return (this.events[index] as CountedEvent).at <= t && day > today - this.windowDays && day <= today;
  }

  private counted(t: number): number[] {
    const today = localDayNumber(this.zone, t);
    const counted: number[] = [];
    for (let index = 0; index < this.events.length; index += 1) if (this.countsAt(index, t, today)) counted.push(index);
    return counted;
  }

  allowedAt(t: number): boolean {
    if (this.events.length < this.max) return true;
    // Counted without building the list: this runs for every candidate instant of the notBefore search.
    const today = localDayNumber(this.zone, t);
    let count = 0;
    for (let index = 0; index < this.events.length; index += 1) if (this.countsAt(index, t, today)) count += 1;
    return count < this.max;
  }

  nextAllowed(t: number): number {
    let current = t;
    for (let guard = 0; guard <= this.events.length + 1; guard += 1) {
      const inWindow = this.counted(current);
      if (inWindow.length < this.max) return current;
      let firstDay = Number.POSITIVE_INFINITY;
      for (const index of inWindow) firstDay = Math.min(firstDay, this.days[index] as number);
      current = Math.max(current + 1000, localToUtc(this.zone, firstDay + this.windowDays, 0));
    }
    return Number.POSITIVE_INFINITY;
  }

  detail(t: number): Record<string, unknown> {
    const inWindow = this.counted(t);
    return { counter: this.label, zone: this.zone, value: inWindow.length, limit: this.max, days: this.windowDays, attemptIds: inWindow.map((index) => (this.events[index] as CountedEvent).id) };
  }
}

export function localDayCountConstraint(zone: string, events: readonly CountedEvent[], max: number, days: number, label: string): TimeConstraint {
  return new LocalDayCountConstraint(zone, events, max, days, label);
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
