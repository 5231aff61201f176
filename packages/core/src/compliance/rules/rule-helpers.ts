import type { DecisionContext } from '../engine/context.ts';
import type { CountedEvent, DayWindow, WeeklySchedule } from '../engine/time-constraints.ts';
import type { HolidayCalendarId } from '../time/holiday-calendars.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** "08:00" → seconds since midnight. */
export function hhmm(value: string): number {
  const [h = '0', m = '0'] = value.split(':');
  return Number(h) * 3600 + Number(m) * 60;
}

export function window(start: string, end: string): DayWindow {
  return [hhmm(start), hhmm(end)];
}

/** Same window every day of the week. */
export function everyDay(start: string, end: string, holidays?: HolidayCalendarId, holidayWindow: DayWindow | null = null): WeeklySchedule {
  const w = window(start, end);
  return withHolidays([w, w, w, w, w, w, w], holidays, holidayWindow);
}

/** Monday–Friday, Saturday and Sunday windows (null = no calls). */
export function weekly(weekdays: DayWindow | null, saturday: DayWindow | null, sunday: DayWindow | null, holidays?: HolidayCalendarId, holidayWindow: DayWindow | null = null): WeeklySchedule {
  return withHolidays([sunday, weekdays, weekdays, weekdays, weekdays, weekdays, saturday], holidays, holidayWindow);
}

function withHolidays(week: Array<DayWindow | null>, holidays: HolidayCalendarId | undefined, holidayWindow: DayWindow | null): WeeklySchedule {
  return holidays ? { week, holidays, holidayWindow } : { week };
}

/** UTC calendar months added to an instant (EBR periods: "18 months immediately preceding the call"). */
export function addMonths(epochMs: number, months: number): number {
  const date = new Date(epochMs);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/**
 * The established business relationship with this seller, and until when it lasts: a transaction within
 * `transactionMonths`, or an inquiry within `inquiryMonths`, and no do-not-call request to this seller since.
 */
export function ebrUntil(ctx: DecisionContext, transactionMonths: number, inquiryMonths: number): number | null {
  if (ctx.dncRequestAt !== null && ctx.dncRequestAt <= ctx.at) return null;
  let until = Number.NEGATIVE_INFINITY;
  const { transactionAt, inquiryAt } = ctx.ebr;
  if (transactionAt !== null && transactionAt <= ctx.at) until = Math.max(until, addMonths(transactionAt, transactionMonths));
  if (inquiryAt !== null && inquiryAt <= ctx.at && inquiryMonths > 0) until = Math.max(until, addMonths(inquiryAt, inquiryMonths));
  if (until <= ctx.at) return null;
  return ctx.dncRequestAt !== null ? Math.min(until, ctx.dncRequestAt) : until;
}

export function events(attempts: readonly { at: number; id: string }[]): readonly CountedEvent[] {
  for (let index = 1; index < attempts.length; index += 1) {
    // Out of order: sorted copies (the sort is stable, so equal instants keep their order).
    if ((attempts[index] as CountedEvent).at < (attempts[index - 1] as CountedEvent).at) return attempts.map(({ at, id }) => ({ at, id })).sort((a, b) => a.at - b.at);
  }
  // Already ordered (the usual case): the attempts themselves serve as events, no copies.
  return attempts;
}

/** The state subdivisions (without `US-`) among the call's jurisdictions. */
export function statesOf(ctx: DecisionContext): string[] {
  const states: string[] = [];
  for (const jurisdiction of ctx.jurisdictions) if (jurisdiction.startsWith('US-')) states.push(jurisdiction.slice(3));
  return states;
}

export function isUs(ctx: DecisionContext): boolean {
  return ctx.inUs;
}

/** Automated selection or dialing by the system (predictive, progressive; preview where the state says "or"). */
export function systemDials(ctx: DecisionContext): boolean {
  return ctx.dialMode === 'predictive' || ctx.dialMode === 'progressive';
}

export function systemSelects(ctx: DecisionContext): boolean {
  return systemDials(ctx) || ctx.dialMode === 'preview';
}

/** A live agent is there for the call: a person dials, previews, or the dialer reserved an agent. */
export function agentGuaranteed(ctx: DecisionContext): boolean {
  return ctx.agentGuaranteed || ctx.dialMode === 'manual' || ctx.dialMode === 'preview';
}
