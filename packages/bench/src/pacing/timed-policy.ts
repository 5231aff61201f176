import { performance } from 'node:perf_hooks';
import type { PacingObservation, PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';

/**
 * One decision in this many is timed, at pseudo-random positions (a fixed xorshift sequence, so runs repeat and
 * nothing periodic in the engine's asking lines up with the sampling). Reading the clock twice costs ≈ 0.13 µs
 * (performance.now ≈ 65 ns at load, 2026-11-28), more than a progressive decision (≈ 0.09 µs) and, at ≈ 5.7
 * decisions per dial, ≈ 0.7 µs per dial of the bench; the sample of one in eight still has hundreds of thousands of
 * decisions per policy and seed for the mean and p99.
 */
export const DECISION_SAMPLE_EVERY = 8;

/**
 * Wraps a policy to measure the CPU time of its decisions (a pseudo-random one in {@link DECISION_SAMPLE_EVERY}).
 * Timing belongs here, not in the pure core; the engine sees the same policy, decisions and observations.
 */
export class TimedPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs: number | undefined;
  readonly observes: boolean;
  /** Every decision, timed or not. */
  decisions = 0;
  private sampler = 0x2545f491;

  constructor(
    private readonly inner: PacingPolicy,
    private readonly record: (micros: number) => void,
  ) {
    this.name = inner.name;
    this.tickMs = inner.tickMs;
    this.observes = inner.observes !== false;
  }

  decide(snapshot: PacingSnapshot): number {
    this.decisions++;
    let x = this.sampler;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.sampler = x;
    if ((x & (DECISION_SAMPLE_EVERY - 1)) !== 0) return this.inner.decide(snapshot);
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
