import { performance } from 'node:perf_hooks';
import type { PacingObservation, PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';

/**
 * Wraps a policy to measure the CPU time of each decision. Timing belongs here, not in the pure core; the
 * engine sees the same policy, decisions and observations.
 */
export class TimedPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs: number | undefined;

  constructor(
    private readonly inner: PacingPolicy,
    private readonly record: (micros: number) => void,
  ) {
    this.name = inner.name;
    this.tickMs = inner.tickMs;
  }

  /** Decisions that were refused by the livelock guard (see decide). */
  guardTrips = 0;
  private sameInstant = 0;
  private lastNow = Number.NaN;

  decide(snapshot: PacingSnapshot): number {
    // Livelock guard: when the sim refuses a dial at once (congestion while the engine believes a line is free) the
    // engine asks again at the same instant, forever. After 50 asks at one instant, place nothing until time moves.
    if (snapshot.now === this.lastNow) {
      if (++this.sameInstant > 50) {
        this.guardTrips++;
        return 0;
      }
    } else {
      this.lastNow = snapshot.now;
      this.sameInstant = 0;
    }
    const t0 = performance.now();
    const n = this.inner.decide(snapshot);
    this.record((performance.now() - t0) * 1000);
    return n;
  }

  observe(observation: PacingObservation): void {
    this.inner.observe(observation);
  }

  dialLevel(): number {
    return this.inner.dialLevel?.() ?? 1;
  }
}
