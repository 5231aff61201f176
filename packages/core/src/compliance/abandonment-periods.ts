import { localTime, localToUtc } from './time/local-time.ts';

/** Live answers and abandoned calls of one UTC hour (what the store aggregates). */
export interface HourCounts {
  hourStart: number;
  liveAnswers: number;
  abandoned: number;
  /** Calls the AMD classified as machines (hung up or not): the base of the false-positive estimate. */
  amdMachine: number;
}

export interface AbandonmentPeriod {
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
  liveAnswers: number;
  abandoned: number;
  amdMachine: number;
  /** amdMachine × the stated false-positive rate: live people the AMD took for machines. */
  amdFalsePositiveEstimate: number;
  /** (abandoned + fp) / (liveAnswers + fp); 0 with no live answer. */
  rate: number;
  overLimit: boolean;
}

export const ABANDON_LIMIT = 0.03;
const DAY_MS = 86_400_000;

function period(start: number, end: number, hours: readonly HourCounts[], fpRate: number): AbandonmentPeriod {
  let liveAnswers = 0;
  let abandoned = 0;
  let amdMachine = 0;
  for (const hour of hours) {
    if (hour.hourStart < start || hour.hourStart >= end) continue;
    liveAnswers += hour.liveAnswers;
    abandoned += hour.abandoned;
    amdMachine += hour.amdMachine;
  }
  const fp = Math.round(amdMachine * fpRate * 100) / 100;
  const rate = liveAnswers + fp > 0 ? (abandoned + fp) / (liveAnswers + fp) : 0;
  return { start, end, liveAnswers, abandoned, amdMachine, amdFalsePositiveEstimate: fp, rate: Math.round(rate * 1e6) / 1e6, overLimit: rate > ABANDON_LIMIT };
}

/**
 * US (TSR 310.4(b)(4)(i), 47 CFR 64.1200(a)(7)): the campaign as a whole while it is under 30 days old, then each
 * successive 30-day period (the last one a portion), counted from the campaign's first call.
 */
export function us30DayPeriods(firstCallAt: number, now: number, hours: readonly HourCounts[], fpRate = 0): AbandonmentPeriod[] {
  const periods: AbandonmentPeriod[] = [];
  for (let start = firstCallAt; start <= now; start += 30 * DAY_MS) periods.push(period(start, Math.min(start + 30 * DAY_MS, now + 1), hours, fpRate));
  return periods;
}

/** UK (Ofcom, 2010 clarification): each calendar day, midnight to midnight UK time, from the first call's day. */
export function ukCalendarDays(firstCallAt: number, now: number, hours: readonly HourCounts[], fpRate = 0, zone = 'Europe/London'): AbandonmentPeriod[] {
  const periods: AbandonmentPeriod[] = [];
  const firstDay = localTime(zone, firstCallAt).dayNumber;
  const lastDay = localTime(zone, now).dayNumber;
  for (let day = firstDay; day <= lastDay; day += 1) {
    periods.push(period(localToUtc(zone, day, 0), localToUtc(zone, day + 1, 0), hours, fpRate));
  }
  return periods;
}
