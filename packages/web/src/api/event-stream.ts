import type { StreamEvent } from './types.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventStreamOptions {
  onEvent(event: StreamEvent): void;
  onStatus?(status: StreamStatus): void;
  /** Called after a reconnect that could not resume, so the page reloads its snapshot. */
  onResync?(): void;
}

/** The URL of the event stream on the page's own origin, resuming after `since` when given. */
export function eventStreamUrl(location: { protocol: string; host: string }, since: number | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = since === null ? '' : `?since=${since}`;
  return `${scheme}//${location.host}/api/v1/events${query}`;
}

/** Delay before reconnect attempt n (0-based): 0.5 s doubling to 8 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** Math.min(attempt, 4));
}

/**
 * One WebSocket to the server's ordered event stream. After a drop it reconnects with the last sequence number it
 * saw, so no event is missed and none is applied twice (events at or below the last seq are ignored).
 */
export class EventStream {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly options: EventStreamOptions;

  constructor(options: EventStreamOptions) {
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close();
    this.socket = null;
    this.options.onStatus?.('closed');
  }

  private open(): void {
    this.options.onStatus?.(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(eventStreamUrl(window.location, this.lastSeq));
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.options.onStatus?.('live');
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      let event: StreamEvent;
      try {
        event = JSON.parse(message.data) as StreamEvent;
      } catch {
        return;
      }
      if (typeof event.seq === 'number') {
        if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
        this.lastSeq = event.seq;
      }
      if (event.type === 'stream.resync') this.options.onResync?.();
      this.options.onEvent(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.options.onStatus?.('reconnecting');
      this.timer = setTimeout(() => this.open(), reconnectDelayMs(this.attempts++));
    };
  }
}
