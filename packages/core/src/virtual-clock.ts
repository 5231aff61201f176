import type { Clock } from './clock.ts';

interface Timer {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

/**
 * A deterministic clock for simulation: timers fire in (time, creation order) when the owner advances time.
 * A binary heap keeps scheduling O(log n), which matters for month-long pacing simulations.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly heap: Timer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.push(timer);
    return () => {
      timer.fn = null;
    };
  }

  /** The time of the next live timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Fires every timer due up to and including `t`, in order, then sets the time to `t`. */
  advanceTo(t: number): void {
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (top === undefined || top.at > t) break;
      this.pop();
      this.current = Math.max(this.current, top.at);
      const fn = top.fn;
      top.fn = null;
      fn?.();
    }
    this.current = Math.max(this.current, t);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Runs until no timer is left or the next one is after `limit`. */
  runUntilIdle(limit = Number.POSITIVE_INFINITY): void {
    for (;;) {
      const next = this.nextAt();
      if (next === undefined || next > limit) return;
      this.advanceTo(next);
    }
  }

  pending(): number {
    return this.heap.filter((t) => t.fn !== null).length;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]?.fn === null) this.pop();
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Timer;
      if (!this.less(t, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && this.less(h[r] as Timer, h[l] as Timer) ? r : l;
      const c = h[child] as Timer;
      if (!this.less(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
  }
}
