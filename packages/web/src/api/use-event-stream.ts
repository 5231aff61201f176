import { useEffect, useRef, useState } from 'react';
import { EventStream } from './event-stream.ts';
import type { StreamStatus } from './event-stream.ts';
import type { StreamEvent } from './types.ts';

/** Subscribes the calling component to the live event stream for as long as it is mounted (and `enabled`). */
export function useEventStream(onEvent: (event: StreamEvent) => void, enabled = true, onResync?: () => void): StreamStatus {
  const handler = useRef(onEvent);
  const resync = useRef(onResync);
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    handler.current = onEvent;
    resync.current = onResync;
  });

  useEffect(() => {
    if (!enabled) return undefined;
    const stream = new EventStream({
      onEvent: (event) => handler.current(event),
      onStatus: setStatus,
      onResync: () => resync.current?.(),
    });
    stream.start();
    return () => stream.stop();
  }, [enabled]);

  return status;
}
