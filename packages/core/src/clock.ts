/**
 * Time as the core sees it. Nothing in the core reads the wall clock or starts a real timer: the server injects a
 * real clock, tests and benchmarks inject a {@link VirtualClock}. Times are milliseconds since the Unix epoch.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once, `ms` from now. Returns a function that cancels the timer (safe to call twice). */
  setTimer(ms: number, fn: () => void): () => void;
}
