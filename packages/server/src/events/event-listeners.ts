import type { StreamEvent } from './event-bus.ts';

/** The live subscribers of a bus; one failing listener does not stop the others. */
export class EventListeners {
  private readonly listeners = new Set<(event: StreamEvent) => void>();

  add(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  deliver(event: StreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('event listener failed', error);
      }
    }
  }
}
