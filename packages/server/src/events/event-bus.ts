/** One event of the stream clients subscribe to over WebSocket; `seq` orders it and lets a client resume. */
export interface StreamEvent {
  seq: number;
  at: number;
  type: string;
  campaignId: string | null;
  payload: Record<string, unknown>;
}

/**
 * Publishes events: each is persisted (so any node can serve a resume and nothing lives only in memory) and then
 * pushed to live subscribers in order.
 */
export interface EventBus {
  publish(type: string, payload: Record<string, unknown>, campaignId?: string | null): Promise<StreamEvent>;
  subscribe(listener: (event: StreamEvent) => void): () => void;
  /** Events after `seq`, oldest first, at most `limit`. */
  since(seq: number, limit: number): Promise<StreamEvent[]>;
}
