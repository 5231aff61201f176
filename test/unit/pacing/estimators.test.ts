import { describe, expect, it } from 'vitest';
import { AnswerProbability } from '@outdial/core/pacing/estimators/answer-probability';
import { BudgetController } from '@outdial/core/pacing/estimators/budget-controller';
import { DurationDistribution } from '@outdial/core/pacing/estimators/duration-distribution';
import { FloorTracker } from '@outdial/core/pacing/estimators/floor-tracker';
import { normalCdf } from '@outdial/core/pacing/estimators/normal-cdf';
import { seededRandom } from '@outdial/core/random/seeded-random';

describe('normalCdf', () => {
  it('matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.64)).toBeCloseTo(0.0505, 3);
  });
});

describe('DurationDistribution', () => {
  it('falls back to the lognormal prior without data', () => {
    const d = new DurationDistribution(1000, 600, { meanMs: 60_000, cv: 0.5, weight: 10 });
    expect(d.mean()).toBe(60_000);
    expect(d.survival(0)).toBe(1);
    expect(d.survival(60_000)).toBeGreaterThan(0.3);
    expect(d.survival(60_000)).toBeLessThan(0.6);
  });

  it('learns an exponential distribution and its memoryless residual', () => {
    const rng = seededRandom(7);
    const d = new DurationDistribution(1000, 7200, { meanMs: 50_000, cv: 1, weight: 10 });
    for (let i = 0; i < 20_000; i++) d.add(-Math.log(1 - rng.next()) * 210_000);
    expect(d.mean()).toBeGreaterThan(200_000);
    expect(d.mean()).toBeLessThan(220_000);
    expect(d.survival(210_000)).toBeCloseTo(Math.exp(-1), 1);
    // Memoryless: the expected remaining time hardly depends on the elapsed time.
    expect(d.meanResidual(0) / 1000).toBeCloseTo(210, -1);
    expect(d.meanResidual(300_000) / 1000).toBeCloseTo(210, -1.3);
    expect(d.remainingCdf(300_000, 20_000)).toBeCloseTo(1 - Math.exp(-20 / 210), 1);
  });

  it('gives a growing residual for a heavy-tailed mixture (what ratio policies ignore)', () => {
    const rng = seededRandom(3);
    const d = new DurationDistribution(1000, 7200, { meanMs: 200_000, cv: 1, weight: 10 });
    for (let i = 0; i < 20_000; i++) d.add(rng.next() < 0.35 ? 10_000 + rng.next() * 20_000 : 100_000 + rng.next() * 700_000);
    expect(d.meanResidual(60_000)).toBeGreaterThan(d.meanResidual(0));
    expect(d.quantile(0.35)).toBeLessThanOrEqual(31_000);
  });
});

describe('AnswerProbability', () => {
  it('starts at the prior and converges to the rate', () => {
    const p = new AnswerProbability(0.1, 20, 400);
    expect(p.estimate()).toBeCloseTo(0.1, 6);
    const rng = seededRandom(1);
    for (let i = 0; i < 3000; i++) p.add(rng.next() < 0.2);
    expect(p.estimate()).toBeGreaterThan(0.17);
    expect(p.estimate()).toBeLessThan(0.23);
  });

  it('tracks a list switch (0.20 → 0.06) within a few hundred dials', () => {
    const p = new AnswerProbability(0.1, 20, 400);
    const rng = seededRandom(2);
    for (let i = 0; i < 3000; i++) p.add(rng.next() < 0.2);
    for (let i = 0; i < 300; i++) p.add(rng.next() < 0.06);
    expect(p.estimate()).toBeLessThan(0.1);
  });
});

describe('BudgetController', () => {
  const settings = { target: 0.03, hoursPerDay: 8, theta0: 0.01, z: 1.64, integralGain: 0.1, proportionalGain: 0.3 };

  it('raises θ while the measured rate is below the rate it may spend, lowers it when above', () => {
    const low = new BudgetController({ ...settings, regime: 'us30d' });
    const high = new BudgetController({ ...settings, regime: 'us30d' });
    let t = 0;
    for (let i = 0; i < 2000; i++) {
      t += 2000;
      low.onLiveAnswer(t);
      high.onLiveAnswer(t);
      if (i % 10 === 0) high.onAbandon(t); // 10 %
      low.tick(t);
      high.tick(t);
    }
    expect(low.theta()).toBeGreaterThan(0.01);
    expect(high.theta()).toBeLessThan(0.01);
  });

  it('rolls the window per calendar day in uk24h and per 30 days in us30d', () => {
    const uk = new BudgetController({ ...settings, regime: 'uk24h' });
    const us = new BudgetController({ ...settings, regime: 'us30d' });
    for (const c of [uk, us]) {
      c.onLiveAnswer(1000);
      c.onAbandon(1000);
      c.onLiveAnswer(86_400_000 + 1000);
    }
    expect(uk.counts()).toEqual({ abandons: 0, liveAnswers: 1 });
    expect(us.counts()).toEqual({ abandons: 1, liveAnswers: 2 });
  });

  it('reports the abandons left in the window from the forecast of live answers', () => {
    const c = new BudgetController({ ...settings, regime: 'uk24h' });
    let t = 0;
    for (let i = 0; i < 600; i++) {
      t += 3000; // 30 min, 600 live answers: forecast 9 600 for the 8-h day
      c.onLiveAnswer(t);
      c.tick(t);
    }
    for (let i = 0; i < 10; i++) c.onAbandon(t);
    const left = c.allowedRemaining();
    expect(left).toBeGreaterThan(0.025 * 9600 - 10);
    expect(left).toBeLessThan(0.03 * 9600 - 10);
  });
});

describe('BudgetController window clock', () => {
  const settings = { target: 0.03, hoursPerDay: 8, theta0: 0.01, z: 1.64, integralGain: 0.1, proportionalGain: 0.3 };
  const HOUR = 3_600_000;
  const DAY = 86_400_000;

  /** One 8-h staffed day of 1 live answer every 20 s, then 16 h of unstaffed ticks (1 s apart). */
  function runDay(c: BudgetController, day: number, abandonEvery = 0): void {
    let n = 0;
    for (let t = day * DAY; t < day * DAY + 8 * HOUR; t += 1000) {
      if (t % 20_000 === 0) {
        c.onLiveAnswer(t);
        if (abandonEvery > 0 && ++n % abandonEvery === 0) c.onAbandon(t);
      }
      c.tick(t, true, true);
    }
    for (let t = day * DAY + 8 * HOUR; t < (day + 1) * DAY; t += 1000) c.tick(t, false, true);
  }

  it('counts only staffed time as dialing time, so nights do not use up the 30-day window', () => {
    const c = new BudgetController({ ...settings, regime: 'us30d' });
    for (let d = 0; d < 12; d++) runDay(c, d);
    expect(c.activeMs()).toBeCloseTo(12 * 8 * HOUR, -5);
    // Day 12 is the 13th day of the window: 18 days of 8 h are left, and 1 440 live answers a day.
    expect(c.restMs()).toBeCloseTo(18 * 8 * HOUR, -5);
    expect(c.allowedRemaining()).toBeGreaterThan(0.028 * 30 * 1440 - 1);
  });

  it('sizes what is left of the window by the calendar: the rest of today plus the later days', () => {
    const us = new BudgetController({ ...settings, regime: 'us30d' });
    const uk = new BudgetController({ ...settings, regime: 'uk24h' });
    for (const c of [us, uk]) {
      for (let t = 0; t <= 2 * HOUR; t += 1000) c.tick(t, true, true);
    }
    expect(uk.restMs()).toBeCloseTo(6 * HOUR, -4);
    expect(us.restMs()).toBeCloseTo(6 * HOUR + 29 * 8 * HOUR, -4);
  });

  it('does not wind θ up while the pacer is not steering with it (progressive fallback)', () => {
    const c = new BudgetController({ ...settings, regime: 'us30d' });
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += 2000;
      c.onLiveAnswer(t);
      c.tick(t, true, false);
    }
    expect(c.theta()).toBeCloseTo(0.01, 10);
  });
});

describe('FloorTracker wrap classes', () => {
  it('learns wrap-up separately after short and long calls, per agent', () => {
    const t = new FloorTracker(2000);
    for (let i = 0; i < 100; i++) {
      t.observe({ type: 'call-ended', at: i, callId: `s${i}`, agentId: 'a', talkMs: 15_000 });
      t.observe({ type: 'wrap-ended', at: i, agentId: 'a', wrapMs: 0 });
      t.observe({ type: 'call-ended', at: i, callId: `l${i}`, agentId: 'b', talkMs: 200_000 });
      t.observe({ type: 'wrap-ended', at: i, agentId: 'b', wrapMs: 30_000 });
    }
    expect(t.wrapClass('a')).toBe(0);
    expect(t.wrapClass('b')).toBe(1);
    expect(t.wrapClass('unknown')).toBe(1);
    expect(t.wrapAfter[0]?.mean()).toBeLessThan(3000);
    expect(t.wrapAfter[1]?.mean()).toBeGreaterThan(28_000);
    expect(t.wrap.mean()).toBeGreaterThan(12_000);
    expect(t.wrap.mean()).toBeLessThan(18_000);
  });
});

describe('FloorTracker', () => {
  it('classifies dials into agent requests and failures and measures dial → grace start', () => {
    const t = new FloorTracker(2000);
    t.observe({ type: 'dialed', at: 0, callId: 'a' });
    t.observe({ type: 'dialed', at: 0, callId: 'b' });
    t.observe({ type: 'dialed', at: 0, callId: 'c' });
    t.observe({ type: 'answered', at: 8000, callId: 'a', ringMs: 8000, live: true });
    t.observe({ type: 'connected', at: 9000, callId: 'a', agentId: 'x', waitMs: 1000 });
    t.observe({ type: 'not-answered', at: 25_000, callId: 'b', ringMs: 25_000 });
    t.observe({ type: 'answered', at: 10_000, callId: 'c', ringMs: 10_000, live: true });
    t.observe({ type: 'abandoned', at: 12_000, callId: 'c' });
    expect(t.calls.size).toBe(0);
    expect(t.answerTime.count).toBe(2);
    expect(t.failureTime.count).toBe(1);
    expect(t.liveAnswers).toBe(2);
    expect(t.abandons).toBe(1);
    expect(t.demand.count).toBe(3);
    t.observe({ type: 'call-ended', at: 200_000, callId: 'a', agentId: 'x', talkMs: 191_000 });
    t.observe({ type: 'wrap-ended', at: 230_000, agentId: 'x', wrapMs: 30_000 });
    expect(t.talk.count).toBe(1);
    expect(t.wrap.count).toBe(1);
  });

  it('counts an AMD machine hang-up as a failure, not a talk', () => {
    const t = new FloorTracker(2000);
    t.observe({ type: 'dialed', at: 0, callId: 'm' });
    t.observe({ type: 'answered', at: 20_000, callId: 'm', ringMs: 20_000, live: false });
    expect(t.calls.size).toBe(0);
    expect(t.failureTime.count).toBe(1);
    expect(t.talk.count).toBe(0);
    expect(t.demand.estimate()).toBeLessThan(0.1);
  });
});
