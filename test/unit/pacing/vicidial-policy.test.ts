import { describe, expect, it } from 'vitest';
import { VicidialPolicy, roundHalfEven } from '@outdial/core/pacing/vicidial-policy';
import type { PacingSnapshot } from '@outdial/core/pacing/policy';
import { floor, repeat } from './snapshot-fixture.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Asks the policy every 0.5 s with the floor `at(t)` returns, as the engine does on ticks and changes. */
function drive(policy: VicidialPolicy, from: number, to: number, at: (t: number) => PacingSnapshot): Array<[number, number]> {
  const placed: Array<[number, number]> = [];
  for (let t = from; t <= to; t += 500) {
    const n = policy.decide(at(t));
    if (n > 0) placed.push([t - from, n]);
  }
  return placed;
}

describe('vicidial policy: timing', () => {
  it('places only on its own 2.5-s cycle, even when asked more often', () => {
    const p = new VicidialPolicy();
    const placed = drive(p, T0, T0 + 10_000, (t) => floor(t, repeat(10, ['ready', 0])));
    expect(placed.map(([t]) => t)).toEqual([0, 2500, 5000, 7500, 10_000]);
  });

  it('rewrites the level every 15 s, first after 15 s, from a 15-sample window', () => {
    const p = new VicidialPolicy({ maxLevel: 10 });
    // 10 agents, 3 always ready, nothing waiting: m = 0.3 per update.
    const states = [...repeat(3, ['ready', 0] as const), ...repeat(7, ['on_call', 60_000] as const)];
    drive(p, T0, T0 + 46_000, (t) => floor(t, states, { ringing: 50 }));
    expect(p.updates.map((u) => u.at - T0)).toEqual([15_000, 30_000, 45_000]);
    expect(p.updates.map((u) => u.level)).toEqual([1.3, 1.69, 2.197]);
    expect(p.updates[0]?.differential).toBe(3);
    expect(p.updates[0]?.avgAgents).toBe(10);
  });

  it('reproduces the reference example: L = 2.0 → 2.6 → 2.34', () => {
    const p = new VicidialPolicy({ startLevel: 2 });
    const busy = (n: number) => repeat(n, ['on_call', 60_000] as const);
    drive(p, T0, T0 + 15_000, (t) => floor(t, [...repeat(3, ['ready', 0] as const), ...busy(7)], { ringing: 99 }));
    expect(p.dialLevel()).toBe(2);
    // Next window: nobody ready, one call waiting → m = −0.1.
    drive(p, T0 + 15_500, T0 + 30_500, (t) => floor(t, busy(10), { waiting: 1, ringing: 99 }));
    expect(p.updates.map((u) => u.level)).toEqual([2.6, 2.34]);
  });

  it('HARD_LIMIT resets the level to 1.0 once today has > 50 calls and > 3 % dropped, checked on the 60-s refresh', () => {
    const p = new VicidialPolicy({ startLevel: 2.5, maxLevel: 3 });
    const states = repeat(10, ['on_call', 60_000] as const);
    p.decide(floor(T0, states, { ringing: 30 }));
    // 100 calls, 20 answered, 2 dropped (10 %) in the first second.
    for (let i = 0; i < 100; i++) p.observe({ type: 'dialed', at: T0 + 1, callId: `c${i}` });
    for (let i = 0; i < 18; i++) p.observe({ type: 'connected', at: T0 + 2, callId: `c${i}`, agentId: 'a', waitMs: 0 });
    p.observe({ type: 'abandoned', at: T0 + 3, callId: 'c18' });
    p.observe({ type: 'abandoned', at: T0 + 3, callId: 'c19' });
    drive(p, T0, T0 + 15_500, (t) => floor(t, states, { ringing: 30 }));
    // The drop statistics refreshed at T0 (before the drops): no brake yet.
    expect(p.updates[0]?.dropPctToday).toBe(0);
    expect(p.dialLevel()).toBeGreaterThan(1);
    drive(p, T0 + 16_000, T0 + 75_500, (t) => floor(t, states, { ringing: 30 }));
    const after = p.updates.filter((u) => u.at - T0 >= 60_000);
    expect(after[0]?.dropPctToday).toBe(10);
    expect(p.dialLevel()).toBe(1);
  });

  it('AVERAGE halves on every tick while over the limit; TAPERED waits until 1000 HHMM units before the end', () => {
    const avg = new VicidialPolicy({ method: 'AVERAGE', startLevel: 3, maxLevel: 3 });
    const tapered = new VicidialPolicy({ method: 'TAPERED', startLevel: 3, maxLevel: 3 });
    const states = repeat(10, ['on_call', 60_000] as const);
    for (const p of [avg, tapered]) {
      p.decide(floor(T0, states, { ringing: 30 }));
      for (let i = 0; i < 60; i++) p.observe({ type: 'dialed', at: T0 + 1, callId: `c${i}` });
      for (let i = 0; i < 10; i++) p.observe({ type: 'abandoned', at: T0 + 2, callId: `c${i}` });
      drive(p, T0, T0 + 76_000, (t) => floor(t, states, { ringing: 30 }));
    }
    const levels = avg.updates.map((u) => u.level);
    expect(levels.slice(0, 3)).toEqual([3, 3, 3]);
    expect(levels[4]).toBeLessThan(levels[3] ?? 0);
    // 09:01 is 2100 − 901 = 1199 HHMM units before the end: no tapering yet.
    expect(tapered.dialLevel()).toBe(3);
  });

  it('the 50 %-of-last-minute brake needs more than 20 calls in the minute', () => {
    const p = new VicidialPolicy({ startLevel: 2, maxLevel: 2 });
    const states = repeat(10, ['on_call', 60_000] as const);
    p.decide(floor(T0, states, { ringing: 30 }));
    for (let i = 0; i < 30; i++) p.observe({ type: 'dialed', at: T0 + 61_000, callId: `c${i}` });
    for (let i = 0; i < 16; i++) p.observe({ type: 'abandoned', at: T0 + 61_000, callId: `c${i}` });
    // 16 drops of 30 answers is over the daily cap too, but only 30 calls today (≤ 50): the daily cap is inactive.
    drive(p, T0, T0 + 120_500, (t) => floor(t, states, { ringing: 30 }));
    const last = p.updates.at(-1);
    expect(last?.at).toBe(T0 + 120_000);
    expect(p.dialLevel()).toBe(1);
  });
});

describe('vicidial policy: placement', () => {
  it('keeps round(level × agents) − existing lines (reference example: 5 agents, 2 ready, 3 talking, L = 1.5)', () => {
    const states = [...repeat(2, ['ready', 0] as const), ...repeat(3, ['on_call', 10_000] as const)];
    const all = new VicidialPolicy({ startLevel: 1.5 });
    const readyOnly = new VicidialPolicy({ startLevel: 1.5, availableOnlyTally: true });
    // round(7.5) = 8 lines; 3 are talking → 5 pending; available-only: round(3) = 3 pending.
    expect(all.placement(floor(T0, states))).toBe(5);
    expect(readyOnly.placement(floor(T0, states))).toBe(3);
    expect(all.placement(floor(T0, states, { ringing: 2, waiting: 1 }))).toBe(2);
    expect(all.placement(floor(T0, states, { linesFree: 1 }))).toBe(1);
  });

  it('rounds half to even like Perl', () => {
    expect(roundHalfEven(7.5)).toBe(8);
    expect(roundHalfEven(6.5)).toBe(6);
    expect(roundHalfEven(2.4999)).toBe(2);
  });
});
