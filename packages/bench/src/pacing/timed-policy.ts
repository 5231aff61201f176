import { performance } from 'node:perf_hooks';
import type { PacingObservation, PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';

/**
 * Wraps a policy to measure the CPU time of each decision. Timing belongs here, not in the pure core; the
 * engine sees the same policy, decisions and observations.
 */
export class TimedPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs: number | undefined;
  readonly observes: boolean;

  constructor(
    private readonly inner: PacingPolicy,
    private readonly record: (micros: number) => void,
  ) {
    this.name = inner.name;
    this.tickMs = inner.tickMs;
    this.observes = inner.observes !== false;
  }

  decide(snapshot: PacingSnapshot): number {
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
