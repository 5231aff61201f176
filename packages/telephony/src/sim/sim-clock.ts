import type { Clock } from '@outdial/core/clock';

/**
 * Something the sim clock runs at a virtual instant. Long-lived objects (a simulated call, an agent bot) implement
 * it themselves and are rescheduled in place, so a step of the simulation allocates nothing.
 */
export interface SimTask {
  /** Due time (ms); set by the clock. */
  at: number;
  /** Creation order among tasks due at the same instant; set by the clock. */
  seq: number;
  /** Position in the clock's heap, −1 when not scheduled; owned by the clock. */
  heapIndex: number;
  run(): void;
}

/** A one-off callback behind `setTimer` (the engine's timers). */
class FnTask implements SimTask {
  at = 0;
  seq = 0;
  heapIndex = -1;
  constructor(public fn: (() => void) | null) {}
  run(): void {
    const fn = this.fn;
    this.fn = null;
    fn?.();
  }
}

/**
 * The virtual clock of a simulation run: the same contract and the same order as `VirtualClock` (timers fire by
 * (time, creation order); a timer's time is `now + max(0, ms)`), but the heap is indexed so that a task is
 * cancelled or moved in O(log n) without leaving garbage behind, and intrusive so that the sim's calls reschedule
 * themselves without a closure or timer object per step.
 */
export class SimClock implements Clock {
  private current: number;
  private seqNext = 0;
  /** The heap: tasks, with their keys copied into typed arrays so that comparisons never touch the tasks. */
  private tasks: SimTask[] = [];
  private ats = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private size = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const task = new FnTask(fn);
    this.schedule(task, ms);
    // An anonymous closure: a named one (a class field `cancel = () => ...`) gets tsx's keep-names `__name` call, an
    // Object.defineProperty per timer that was 11 % of a progressive run's CPU profile.
    return () => {
      task.fn = null;
      this.cancel(task);
    };
  }

  /** Schedules (or moves) a task `ms` from now; a task already scheduled is taken out first. */
  schedule(task: SimTask, ms: number): void {
    if (task.heapIndex >= 0) this.remove(task.heapIndex);
    const at = this.current + Math.max(0, ms);
    const seq = this.seqNext++;
    task.at = at;
    task.seq = seq;
    if (this.size === this.ats.length) this.grow();
    this.up(this.size++, task, at, seq);
  }

  /** Takes a task off the queue (no-op when it is not scheduled). */
  cancel(task: SimTask): void {
    if (task.heapIndex >= 0) this.remove(task.heapIndex);
  }

  /** The time of the next task, or undefined when none is pending. */
  nextAt(): number | undefined {
    return this.size > 0 ? this.ats[0] : undefined;
  }

  /** Runs every task due up to and including `t`, in order, then sets the time to `t`. */
  advanceTo(t: number): void {
    this.runThrough(t);
    if (t > this.current) this.current = t;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Runs until no task is left or the next one is after `limit`. */
  runUntilIdle(limit = Number.POSITIVE_INFINITY): void {
    this.runThrough(limit);
  }

  /**
   * Runs the tasks due up to and including `t`, in order, the time following each task's. The loop has nothing after
   * it: when `advanceTo` itself looped, V8 compiled the long loop on stack (OSR) before the code after it had ever
   * run, and every later call that entered that cached loop code bailed out at its exit ("insufficient type feedback",
   * ≈ 20 times a simulated day: the calls `runUntilIdle` made per task at the end of each day).
   */
  private runThrough(t: number): void {
    while (this.size > 0) {
      const at = this.ats[0] as number;
      if (at > t) return;
      const top = this.tasks[0] as SimTask;
      this.remove(0);
      if (at > this.current) this.current = at;
      top.run();
    }
  }

  pending(): number {
    return this.size;
  }

  private grow(): void {
    const ats = new Float64Array(this.ats.length * 2);
    ats.set(this.ats);
    this.ats = ats;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }

  private remove(i: number): void {
    const tasks = this.tasks;
    (tasks[i] as SimTask).heapIndex = -1;
    const n = --this.size;
    // The slot past the end keeps its stale reference until it is reused: shrinking the array would cost more.
    const last = tasks[n] as SimTask;
    if (i === n) return;
    const at = this.ats[n] as number;
    const seq = this.seqs[n] as number;
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pa = this.ats[p] as number;
      if (at < pa || (at === pa && seq < (this.seqs[p] as number))) {
        this.up(i, last, at, seq);
        return;
      }
    }
    this.down(i, last, at, seq);
  }

  /** Places `task` (keys `at`, `seq`) at hole `i` or above. */
  private up(i: number, task: SimTask, at: number, seq: number): void {
    const { tasks, ats, seqs } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = ats[p] as number;
      if (at > pa || (at === pa && seq > (seqs[p] as number))) break;
      this.put(i, tasks[p] as SimTask, pa, seqs[p] as number);
      i = p;
    }
    this.put(i, task, at, seq);
  }

  /** Places `task` (keys `at`, `seq`) at hole `i` or below. */
  private down(i: number, task: SimTask, at: number, seq: number): void {
    const { tasks, ats, seqs } = this;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ca = ats[l] as number;
      let cs = seqs[l] as number;
      if (r < n) {
        const ra = ats[r] as number;
        const rs = seqs[r] as number;
        if (ra < ca || (ra === ca && rs < cs)) {
          c = r;
          ca = ra;
          cs = rs;
        }
      }
      if (at < ca || (at === ca && seq < cs)) break;
      this.put(i, tasks[c] as SimTask, ca, cs);
      i = c;
    }
    this.put(i, task, at, seq);
  }

  private put(i: number, task: SimTask, at: number, seq: number): void {
    this.tasks[i] = task;
    this.ats[i] = at;
    this.seqs[i] = seq;
    task.heapIndex = i;
  }
}
