import type { Clock } from '@outdial/core/clock';

/** The wall clock for the server and the demo: `Date.now()` and `setTimeout`. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): () => void {
    const handle = setTimeout(fn, Math.max(0, ms));
    // Timers must not keep the process alive on their own (the server owns its lifetime).
    handle.unref?.();
    return () => clearTimeout(handle);
  }
}
