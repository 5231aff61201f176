import type { Clock } from '@outdial/core/clock';

/** Wall-clock time and Node timers, for running the driver for real (tests of the core use a VirtualClock). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
