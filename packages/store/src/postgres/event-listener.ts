import pg from 'pg';
import { withDefaultUser } from './connection-url.ts';

export const EVENTS_CHANNEL = 'outdial_events';
const RECONNECT_MS = 1000;

export interface EventsListener {
  close(): Promise<void>;
}

/**
 * Holds one dedicated connection LISTENing on the events channel (a pooled connection cannot: LISTEN belongs to
 * the session). Calls `onAppended` on every notification, and once after each (re)connect, because events
 * appended while the connection was down sent notifications nobody heard.
 */
export async function listenForAppendedEvents(
  url: string,
  onAppended: () => void,
  onError: (error: Error) => void,
): Promise<EventsListener> {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const scheduleReconnect = (): void => {
    if (closed || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch((error: unknown) => {
        onError(error instanceof Error ? error : new Error(String(error)));
        scheduleReconnect();
      });
    }, RECONNECT_MS);
    retry.unref();
  };

  // Only the connection in use reconnects; a connection still being opened reports through connect()'s promise.
  const lost = (which: pg.Client): void => {
    if (client !== which) return;
    client = null;
    which.end().catch(() => undefined);
    scheduleReconnect();
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: withDefaultUser(url) });
    next.on('notification', () => onAppended());
    next.on('error', (error: Error) => {
      onError(error);
      lost(next);
    });
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    onAppended();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
