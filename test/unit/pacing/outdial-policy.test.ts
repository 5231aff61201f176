import { describe, expect, it } from 'vitest';
import { OutdialPolicy } from '@outdial/core/pacing/outdial-policy';
import { SamuelsonPolicy } from '@outdial/core/pacing/samuelson-policy';
import type { PacingPolicy } from '@outdial/core/pacing/policy';
import { seededRandom } from '@outdial/core/random/seeded-random';
import { floor, repeat } from './snapshot-fixture.ts';

/** Feeds a policy a history of `calls` dials: live with probability p after ~10 s, else failed after 25 s; talk ~ 200 s. */
function warm(policy: PacingPolicy, calls: number, p = 0.2, talkMs = 200_000): number {
  const rng = seededRandom(11);
  let t = 0;
  for (let i = 0; i < calls; i++) {
    const id = `w${i}`;
    t += 1000;
    policy.observe({ type: 'dialed', at: t, callId: id });
    if (rng.next() < p) {
      const ring = 6000 + rng.next() * 8000;
      policy.observe({ type: 'answered', at: t + ring, callId: id, ringMs: ring, live: true });
      policy.observe({ type: 'live-answer-counted', at: t + ring, callId: id });
      policy.observe({ type: 'connected', at: t + ring, callId: id, agentId: 'x', waitMs: 0 });
      const talk = -Math.log(1 - rng.next()) * talkMs;
      policy.observe({ type: 'call-ended', at: t + ring + talk, callId: id, agentId: 'x', talkMs: talk });
      policy.observe({ type: 'wrap-ended', at: t + ring + talk, agentId: 'x', wrapMs: 0 });
    } else {
      policy.observe({ type: 'not-answered', at: t + 25_000, callId: id, ringMs: 25_000 });
    }
  }
  return t + 30_000;
}

describe('outdial policy', () => {
  it('dials progressively while its estimates are too uncertain (cold start)', () => {
    const p = new OutdialPolicy({ graceMs: 0 });
    expect(p.isFallback()).toBe(true);
    expect(p.decide(floor(0, repeat(10, ['ready', 0] as const)))).toBe(10);
    expect(p.decide(floor(0, repeat(10, ['ready', 0] as const), { ringing: 4 }))).toBe(6);
    expect(p.decide(floor(0, repeat(10, ['on_call', 5000] as const)))).toBe(0);
  });

  it('once warm, over-dials for ready agents by about 1/p and less as more agents are busy (base-stock shape)', () => {
    const p = new OutdialPolicy({ graceMs: 0, theta0: 0.0125 });
    const now = warm(p, 2000);
    expect(p.isFallback()).toBe(false);
    const dialsFor = (busy: number): number =>
      p.decide(floor(now, [...repeat(10 - busy, ['ready', 0] as const), ...repeat(busy, ['on_call', 60_000] as const)]));
    const targets = [0, 2, 5, 8, 10].map(dialsFor);
    expect(targets[0]).toBeGreaterThan(25);
    expect(targets[0]).toBeLessThan(60);
    for (let i = 1; i < targets.length; i++) expect(targets[i]).toBeLessThanOrEqual(targets[i - 1] ?? 0);
    // Every agent busy and nothing to free soon: only a few calls, if any.
    expect(targets[4]).toBeLessThan(4);
  });

  it('keeps the base-stock shape with the normal approximation on a larger team (40 agents)', () => {
    const p = new OutdialPolicy({ graceMs: 0, theta0: 0.008 });
    const now = warm(p, 4000);
    const dialsFor = (busy: number): number =>
      p.decide(floor(now, [...repeat(40 - busy, ['ready', 0] as const), ...repeat(busy, ['on_call', 60_000] as const)]));
    const targets = [0, 10, 20, 30, 40].map(dialsFor);
    expect(targets[0]).toBeGreaterThan(100);
    for (let i = 1; i < targets.length; i++) expect(targets[i]).toBeLessThanOrEqual(targets[i - 1] ?? 0);
    expect(targets[4]).toBeLessThan(targets[3] ?? 0);
  });

  it('counts calls already ringing: older calls weigh less than fresh ones', () => {
    const p = new OutdialPolicy({ graceMs: 0, theta0: 0.0125 });
    const now = warm(p, 2000);
    const base = p.decide(floor(now, repeat(10, ['ready', 0] as const)));
    const fresh = new OutdialPolicy({ graceMs: 0, theta0: 0.0125 });
    warm(fresh, 2000);
    for (let i = 0; i < 20; i++) fresh.observe({ type: 'dialed', at: now, callId: `f${i}` });
    const old = new OutdialPolicy({ graceMs: 0, theta0: 0.0125 });
    warm(old, 2000);
    for (let i = 0; i < 20; i++) old.observe({ type: 'dialed', at: now - 20_000, callId: `o${i}` });
    const withFresh = fresh.decide(floor(now, repeat(10, ['ready', 0] as const), { ringing: 20 }));
    const withOld = old.decide(floor(now, repeat(10, ['ready', 0] as const), { ringing: 20 }));
    expect(withFresh).toBeLessThan(base);
    expect(withOld).toBeGreaterThan(withFresh);
  });

  it('uses elapsed wrap time: agents deep in wrap-up count as nearly free', () => {
    const p = new OutdialPolicy({ graceMs: 2000, theta0: 0.0125 });
    let now = warm(p, 1500);
    for (let i = 0; i < 200; i++) p.observe({ type: 'wrap-ended', at: now, agentId: 'x', wrapMs: 20_000 + (i % 5) * 1000 });
    now += 1000;
    const early = p.decide(floor(now, repeat(10, ['wrap_up', 1000] as const)));
    const late = p.decide(floor(now, repeat(10, ['wrap_up', 21_000] as const)));
    expect(late).toBeGreaterThan(early);
  });

  it('expects wrap-up after a long call but none after a short one (machines, quick refusals)', () => {
    /** Warm, then learn 300 short handles without wrap-up and 300 long ones with 40 s; agents a0..a9 last ended `lastTalkMs`. */
    const make = (lastTalkMs: number): { p: OutdialPolicy; now: number } => {
      const p = new OutdialPolicy({ graceMs: 2000, theta0: 0.0125 });
      let now = warm(p, 1500);
      for (let i = 0; i < 600; i++) {
        const talkMs = i % 2 === 0 ? 12_000 : 150_000;
        p.observe({ type: 'call-ended', at: now, callId: `h${i}`, agentId: 'x', talkMs });
        p.observe({ type: 'wrap-ended', at: now, agentId: 'x', wrapMs: talkMs < 30_000 ? 0 : 40_000 });
      }
      for (let i = 0; i < 10; i++) p.observe({ type: 'call-ended', at: now, callId: `l${i}`, agentId: `a${i}`, talkMs: lastTalkMs });
      now += 1000;
      return { p, now };
    };
    expect(make(12_000).p.tracker.wrapAfter[0]?.mean()).toBeLessThan(5000);
    expect(make(150_000).p.tracker.wrapAfter[1]?.mean()).toBeGreaterThan(15_000);
    const afterShort = make(12_000);
    const afterLong = make(150_000);
    const state = repeat(10, ['wrap_up', 1000] as const);
    expect(afterShort.p.marginalDials(floor(afterShort.now, state), 0.0125, 1000)).toBeGreaterThan(
      afterLong.p.marginalDials(floor(afterLong.now, state), 0.0125, 1000),
    );
    // An agent 100 s into a call will have a full wrap-up after it: fewer dials than the mixed wrap would allow.
    const talking = repeat(10, ['on_call', 100_000] as const);
    const mixed = new OutdialPolicy({ graceMs: 2000, theta0: 0.0125 });
    let t = warm(mixed, 1500);
    for (let i = 0; i < 600; i++) mixed.observe({ type: 'wrap-ended', at: t, agentId: 'x', wrapMs: i % 2 === 0 ? 0 : 40_000 });
    t += 1000;
    expect(afterLong.p.marginalDials(floor(afterLong.now, talking), 0.0125, 1000)).toBeLessThanOrEqual(
      mixed.marginalDials(floor(t, talking), 0.0125, 1000),
    );
  });

  it('a higher risk threshold dials more', () => {
    const low = new OutdialPolicy({ graceMs: 0, theta0: 0.005 });
    const high = new OutdialPolicy({ graceMs: 0, theta0: 0.05 });
    const now = warm(low, 2000);
    warm(high, 2000);
    const state = [...repeat(3, ['ready', 0] as const), ...repeat(7, ['on_call', 100_000] as const)];
    expect(high.marginalDials(floor(now, state), 0.05, 1000)).toBeGreaterThan(low.marginalDials(floor(now, state), 0.005, 1000));
  });

  it('respects the trunk and hopper caps', () => {
    const p = new OutdialPolicy({ graceMs: 0, theta0: 0.0125 });
    const now = warm(p, 2000);
    expect(p.decide(floor(now, repeat(10, ['ready', 0] as const), { linesFree: 3 }))).toBe(3);
    expect(p.decide(floor(now, repeat(10, ['ready', 0] as const), { dialable: 0 }))).toBe(0);
  });
});

describe('samuelson policy', () => {
  it('keeps (free + soon-free − waiting) / p calls in flight', () => {
    const p = new SamuelsonPolicy();
    const now = warm(p, 3000, 0.2, 200_000);
    const pHat = p.tracker.demand.estimate();
    const n = p.decide(floor(now, repeat(5, ['ready', 0] as const)));
    expect(n).toBe(Math.ceil(5 / pHat));
    expect(p.decide(floor(now, repeat(5, ['ready', 0] as const), { ringing: 10, waiting: 1 }))).toBe(Math.ceil(4 / pHat) - 10);
    // Agents 2 s from the end of a fixed-length call count as soon free; fresh ones do not.
    const fixed = new SamuelsonPolicy();
    const t = warm(fixed, 3000, 0.2, 1);
    for (let i = 0; i < 500; i++) fixed.observe({ type: 'call-ended', at: t, callId: `z${i}`, agentId: 'x', talkMs: 100_000 });
    const soon = fixed.decide(floor(t, repeat(5, ['on_call', 95_000] as const)));
    const fresh = fixed.decide(floor(t, repeat(5, ['on_call', 1000] as const)));
    expect(soon).toBeGreaterThan(0);
    expect(fresh).toBe(0);
  });

  it('skips agents on a call only when half a bin plus the wrap-up is already beyond the transit time', () => {
    // The shortcut relies on the mean residual talk never being below half a bin, whatever the elapsed time.
    const p = new SamuelsonPolicy();
    const now = warm(p, 3000, 0.2, 200_000);
    for (const elapsed of [0, 500, 10_000, 200_000, 1_000_000, 7_200_000, 10_000_000]) {
      expect(p.tracker.talk.meanResidual(elapsed)).toBeGreaterThanOrEqual(p.tracker.talk.binMs / 2);
    }
    // Long wrap-ups: an agent on a call can never be soon free, near the end of the call or not.
    for (let i = 0; i < 200; i++) p.observe({ type: 'wrap-ended', at: now, agentId: 'x', wrapMs: 60_000 });
    expect(p.tracker.talk.binMs / 2 + p.tracker.wrap.mean()).toBeGreaterThan(p.tracker.answerTime.mean());
    const pHat = p.tracker.demand.estimate();
    expect(p.decide(floor(now, [...repeat(3, ['ready', 0] as const), ...repeat(5, ['on_call', 400_000] as const)]))).toBe(Math.ceil(3 / pHat));
  });
});
