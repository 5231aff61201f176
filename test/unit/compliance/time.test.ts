import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '@outdial/core/compliance/engine/instant';
import { easterSunday, holidaysOfYear } from '@outdial/core/compliance/time/holiday-calendars';
import { daysFromCivil, formatDay, formatLocalIso, localTime, localToUtc, zoneOffsetMs } from '@outdial/core/compliance/time/local-time';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage',
  'America/Adak', 'Pacific/Honolulu', 'Pacific/Guam', 'Europe/London', 'Europe/Riga', 'America/St_Johns'];

function intlOffset(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

describe('local time through tzdb', () => {
  it('agrees with Intl at any second, DST transitions included', () => {
    fc.assert(fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }), (zone, seconds) => {
      expect(zoneOffsetMs(zone, seconds * 1000)).toBe(intlOffset(zone, seconds * 1000));
    }), { numRuns: 2000, seed: 11 });
    // The seconds around the 2026 US transitions.
    for (const t of [Date.UTC(2026, 2, 8, 7, 0, 0), Date.UTC(2026, 10, 1, 6, 0, 0)]) {
      for (const delta of [-1000, 0, 1000]) expect(zoneOffsetMs('America/New_York', t + delta)).toBe(intlOffset('America/New_York', t + delta));
    }
  });
  it('maps a local wall time back to its first instant, and a skipped one to the transition', () => {
    const day = daysFromCivil(2026, 3, 9);
    expect(new Date(localToUtc('America/New_York', day, 8 * 3600)).toISOString()).toBe('2026-03-09T12:00:00.000Z');
    // 02:30 on 8 March 2026 does not exist in New York: the first instant after it is 03:00 EDT = 07:00Z.
    expect(new Date(localToUtc('America/New_York', daysFromCivil(2026, 3, 8), 2.5 * 3600)).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // 01:30 on 1 November 2026 happens twice: the first is 05:30Z (EDT).
    expect(new Date(localToUtc('America/New_York', daysFromCivil(2026, 11, 1), 1.5 * 3600)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(formatLocalIso(localTime('America/Phoenix', Date.UTC(2026, 6, 15, 14, 30)))).toBe('2026-07-15T07:30:00-07:00');
  });
});

describe('instants', () => {
  it('reads ISO 8601 like Date.parse and refuses impossible dates and missing offsets', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }), (seconds) => {
      const iso = new Date(seconds * 1000).toISOString();
      expect(parseInstant(iso.replace('.000Z', 'Z'))).toBe(seconds * 1000);
      expect(parseInstant(iso)).toBe(seconds * 1000);
    }), { numRuns: 1000, seed: 3 });
    expect(parseInstant('2026-03-04T13:05:00+01:00')).toBe(Date.UTC(2026, 2, 4, 12, 5));
    expect(parseInstant('2026-03-04T13:05:00-0500')).toBe(Date.UTC(2026, 2, 4, 18, 5));
    for (const bad of ['2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-03-04T13:05:00', '2026-03-04T25:00:00Z', 'soon', '']) expect(parseInstant(bad, true), bad).toBeNull();
    expect(parseInstant('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });
});

describe('holiday calendars', () => {
  it('computes Easter and the movable feasts', () => {
    expect(formatDay(easterSunday(2026))).toBe('2026-04-05');
    expect(formatDay(easterSunday(2027))).toBe('2027-03-28');
    expect(formatDay(easterSunday(2038))).toBe('2038-04-25');
    const la = [...holidaysOfYear('US-LA', 2026).entries()].map(([day, name]) => `${formatDay(day)} ${name}`);
    expect(la).toContain('2026-02-17 Mardi Gras');
    expect(la).toContain('2026-04-03 Good Friday');
    expect(la).toContain('2026-11-27 Day after Thanksgiving');
  });
  it('observes weekend holidays on the neighbouring weekday and keeps the actual date', () => {
    const fed = holidaysOfYear('US-FED', 2027);
    // 25 December 2027 is a Saturday: observed Friday 24th; 1 January 2028 (Saturday) observed Friday 31 December 2027.
    expect(fed.get(daysFromCivil(2027, 12, 24))).toBe('Christmas Day (observed)');
    expect(fed.get(daysFromCivil(2027, 12, 25))).toBe('Christmas Day');
    const lv = holidaysOfYear('LV', 2026);
    // 4 May 2026 is a Monday; 18 November 2026 a Wednesday; Whit Sunday 24 May 2026.
    expect(lv.get(daysFromCivil(2026, 5, 4))).toBe('Restoration of Independence Day');
    expect(lv.get(daysFromCivil(2026, 5, 24))).toBe('Whit Sunday');
  });
});
