import { describe, expect, it } from 'vitest';
import type { PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';
import { T0, TestDialer } from './test-dialer.ts';

/** Dials every contact it may, and counts how often it is asked at each instant (a livelock asks without end). */
function countingPolicy(asks: Map<number, number>): PacingPolicy {
  return {
    name: 'dial-all-lines',
    decide(s: PacingSnapshot): number {
      const n = (asks.get(s.now) ?? 0) + 1;
      asks.set(s.now, n);
      // Safety stop so that a regression fails the assertions below instead of hanging the test run.
      return n > 200 ? 0 : s.dialable;
    },
    observe: () => {},
  };
}

describe('trunk cap', () => {
  it('engine and driver agree on the lines in use when calls end: no congestion, no re-asking at one instant', () => {
    const asks = new Map<number, number>();
    const t = new TestDialer({ trunks: 2, policyFor: () => countingPolicy(asks) });
    for (let i = 1; i <= 40; i++) t.contact(`k${i}`, { kind: 'busy', afterMs: 1000 });
    t.campaign({ dialMode: 'predictive', pacingPolicy: 'dial-all-lines' });
    t.at(5_500);

    const ended = t.of('attempt.ended');
    // Nothing the sim refused: every call found the line the engine believed free.
    expect(ended.filter((e) => e.callOutcome === 'congestion')).toEqual([]);
    // Both lines are used again at the instant they are freed: 2 calls at t = 0, 1, 2, 3, 4, 5 s.
    const dialedAt = t.of('attempt.dialed').map((e) => e.at - T0);
    expect(dialedAt).toEqual([0, 0, 1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000, 5000, 5000]);
    expect(ended.map((e) => e.callOutcome)).toEqual(Array.from({ length: 10 }, () => 'busy'));
    // A freed line costs the policy at most a couple of extra questions at that instant.
    expect(Math.max(...asks.values())).toBeLessThanOrEqual(4);
  });
});
