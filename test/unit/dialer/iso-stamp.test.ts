import { describe, expect, it } from 'vitest';
import { IsoStamp } from '@outdial/core/dialer/iso-stamp';

describe('IsoStamp', () => {
  it('formats like toISOString, across seconds, minutes, days and before 1970', () => {
    const stamp = new IsoStamp();
    const times = [0, 1, 999, 1000, 59_999, 60_000, Date.UTC(2026, 0, 5, 23, 59, 59, 999), Date.UTC(2026, 0, 6), -1, -60_001];
    for (let t = Date.UTC(2026, 10, 27, 15, 0, 0, 0); t < Date.UTC(2026, 10, 27, 15, 3, 0, 0); t += 7_777) times.push(t);
    for (const t of times) expect(stamp.format(t)).toBe(new Date(t).toISOString());
  });

  it('drops fractional milliseconds as toISOString does (virtual clocks run on fractions)', () => {
    const stamp = new IsoStamp();
    for (const t of [1234.567, 0.5, 59_999.999, Date.UTC(2026, 0, 5, 9, 30, 15, 250) + 0.75, -0.5, -1000.25]) {
      expect(stamp.format(t)).toBe(new Date(t).toISOString());
    }
  });
});
