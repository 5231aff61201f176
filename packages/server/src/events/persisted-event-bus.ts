import type { EventBus, StreamEvent } from './event-bus.ts';
import { EventListeners } from './event-listeners.ts';

/** Where events are kept: the store's events table (any node can serve a resume from it). */
export interface EventLog {
  append(event: { at: number; type: string; campaignId: string | null; payload: Record<string, unknown> }): Promise<number>;
  since(seq: number, limit: number): Promise<StreamEvent[]>;
}

/**
 * Persists each event, then hands it to live subscribers. Publishing is serialised so that subscribers see
 * events in sequence order even when the store has a connection pool.
 */
export class PersistedEventBus implements EventBus {
  private readonly listeners = new EventListeners();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly log: EventLog, private readonly now: () => number) {}

  publish(type: string, payload: Record<string, unknown>, campaignId: string | null = null): Promise<StreamEvent> {
    const next = this.tail.then(async () => {
      const at = this.now();
      const seq = await this.log.append({ at, type, campaignId, payload });
      const event: StreamEvent = { seq, at, type, campaignId, payload };
      this.listeners.deliver(event);
      return event;
    });
    // A failed write must not wedge the queue for later events.
    this.tail = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: StreamEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  since(seq: number, limit: number): Promise<StreamEvent[]> {
    return this.log.since(seq, limit);
  }

  /** Resolves when every event published so far is persisted and delivered. */
  async drained(): Promise<void> {
    await this.tail;
  }
}
