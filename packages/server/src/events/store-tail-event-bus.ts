import type { EventBus, StreamEvent } from './event-bus.ts';
import { EventListeners } from './event-listeners.ts';
import type { EventLog } from './persisted-event-bus.ts';

export interface TailedEventLog extends EventLog {
  lastSeq(): Promise<number>;
}

export interface StoreTailOptions {
  /** How long a missing seq may hold back later events: another node's insert not yet committed, or a rollback. */
  gapWaitMs?: number;
  pageSize?: number;
  monotonicMs?: () => number;
  onError?: (error: unknown) => void;
}

const DEFAULT_GAP_WAIT_MS = 500;
const DEFAULT_PAGE = 1000;

/**
 * The event bus for several nodes on one PostgreSQL: live subscribers are fed from the events table itself, in seq
 * order, so a supervisor on any node sees every node's events live. The reader runs when this node appends and
 * when the store notifies that another node did (`wake`).
 *
 * seq comes from a sequence, so two nodes' inserts may commit out of seq order: a missing seq holds back what
 * follows it until it appears or `gapWaitMs` passes (a rolled-back insert leaves a hole for good), so subscribers
 * never see seq go backwards and a client resuming from its last seq misses nothing that was committed in time.
 */
export class StoreTailEventBus implements EventBus {
  private readonly listeners = new EventListeners();
  private appendTail: Promise<unknown> = Promise.resolve();
  private cursor = 0;
  private reading = false;
  private readAgain = false;
  private gapSince: number | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly waiters: Array<{ seq: number; resolve: () => void }> = [];
  private readonly gapWaitMs: number;
  private readonly pageSize: number;
  private readonly monotonicMs: () => number;
  private readonly onError: (error: unknown) => void;

  private constructor(private readonly log: TailedEventLog, private readonly now: () => number, options: StoreTailOptions) {
    this.gapWaitMs = options.gapWaitMs ?? DEFAULT_GAP_WAIT_MS;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
    this.onError = options.onError ?? ((error) => console.error('event stream: reading the events table failed', error));
  }

  /** Starts at the current end of the table: earlier events reach clients through `since`, not live. */
  static async start(log: TailedEventLog, now: () => number, options: StoreTailOptions = {}): Promise<StoreTailEventBus> {
    const bus = new StoreTailEventBus(log, now, options);
    bus.cursor = await log.lastSeq();
    return bus;
  }

  publish(type: string, payload: Record<string, unknown>, campaignId: string | null = null): Promise<StreamEvent> {
    const next = this.appendTail.then(async () => {
      const at = this.now();
      const seq = await this.log.append({ at, type, campaignId, payload });
      this.wake();
      return { seq, at, type, campaignId, payload };
    });
    // A failed write must not wedge the queue for later events.
    this.appendTail = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: StreamEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  since(seq: number, limit: number): Promise<StreamEvent[]> {
    return this.log.since(seq, limit);
  }

  /** Something was appended (here or on another node): read the table's tail. */
  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.readTail().catch((error: unknown) => this.onError(error)).finally(() => {
      this.reading = false;
      if (this.readAgain) {
        this.readAgain = false;
        this.wake();
      }
    });
  }

  /** Resolves once live subscribers have been handed every event up to `seq`. */
  delivered(seq: number): Promise<void> {
    if (seq <= this.cursor) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  stop(): void {
    this.stopped = true;
    if (this.gapTimer !== null) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  private async readTail(): Promise<void> {
    for (;;) {
      const page = await this.log.since(this.cursor, this.pageSize);
      let held = false;
      for (const event of page) {
        if (event.seq !== this.cursor + 1 && !this.gapExpired()) {
          held = true;
          break;
        }
        this.gapSince = null;
        this.cursor = event.seq;
        this.listeners.deliver(event);
      }
      this.releaseWaiters();
      if (held) {
        this.retryGapLater();
        return;
      }
      if (page.length < this.pageSize) return;
    }
  }

  private gapExpired(): boolean {
    const now = this.monotonicMs();
    if (this.gapSince === null) this.gapSince = now;
    return now - this.gapSince >= this.gapWaitMs;
  }

  private retryGapLater(): void {
    if (this.gapTimer !== null || this.gapSince === null) return;
    const wait = Math.max(1, this.gapWaitMs - (this.monotonicMs() - this.gapSince));
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.wake();
    }, wait);
    this.gapTimer.unref();
  }

  private releaseWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter !== undefined && waiter.seq <= this.cursor) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
