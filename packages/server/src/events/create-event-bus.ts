import type { OpenedStore } from '@outdial/store/database';
import { EventsRepository } from '@outdial/store/repositories/events.repository';
import type { EventBus } from './event-bus.ts';
import { PersistedEventBus } from './persisted-event-bus.ts';
import { StoreTailEventBus } from './store-tail-event-bus.ts';

export interface StartedEventBus {
  bus: EventBus;
  stop(): Promise<void>;
}

/**
 * SQLite serves one node, which pushes its own events as it persists them. PostgreSQL may serve several nodes:
 * every node streams the shared events table (woken by LISTEN/NOTIFY), so each sees all nodes' events live.
 */
export async function startEventBus(
  store: OpenedStore,
  url: string,
  now: () => number,
  onError: (message: string, error: unknown) => void,
): Promise<StartedEventBus> {
  const log = new EventsRepository(store.db);
  if (store.dialect !== 'postgres') return { bus: new PersistedEventBus(log, now), stop: () => Promise.resolve() };
  const bus = await StoreTailEventBus.start(log, now, { onError: (error) => onError('reading the events table failed', error) });
  const { listenForAppendedEvents } = await import('@outdial/store/postgres/event-listener');
  const listener = await listenForAppendedEvents(url, () => bus.wake(), (error) => onError('event notifications: connection lost', error));
  return {
    bus,
    async stop() {
      bus.stop();
      await listener.close();
    },
  };
}
