import type { Clock } from '@outdial/core/clock';
import type {
  AgentLegRequest, DriverEvent, DriverEventListener, DriverHealth, HangupReason, OriginateRequest, TelephonyDriver,
} from '@outdial/core/telephony/driver';

/**
 * Holds each dial until the store has the attempt row (with its compliance decision): no call is ever placed that the
 * store cannot prove. The engine is synchronous and emits `attempt.dialed` just before it originates; this wrapper
 * waits for that row, then passes the dial on; if the row cannot be written, the dial never happens. A hang-up of a dial still waiting cancels it and reports
 * it ended locally, as a driver would.
 */
export class DurableDialDriver implements TelephonyDriver {
  readonly id: string;
  readonly caps: TelephonyDriver['caps'];
  private readonly listeners = new Set<DriverEventListener>();
  private readonly waiting = new Set<string>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly inner: TelephonyDriver, private readonly durable: (callId: string) => Promise<void>, private readonly clock: Clock) {
    this.id = inner.id;
    this.caps = inner.caps;
    this.unsubscribe = inner.onEvent((event) => this.forward(event));
  }

  private forward(event: DriverEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async stop(): Promise<void> {
    await this.inner.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  onEvent(listener: DriverEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  originate(req: OriginateRequest): void {
    this.waiting.add(req.callId);
    this.durable(req.callId).then(
      () => {
        if (this.waiting.delete(req.callId)) this.inner.originate(req);
      },
      (error: unknown) => {
        if (!this.waiting.delete(req.callId)) return;
        this.forward({ type: 'error', callId: req.callId, at: this.clock.now(), code: 'attempt_not_stored', detail: String(error) });
        this.forward({ type: 'ended', callId: req.callId, at: this.clock.now(), outcome: 'local-error', by: 'local' });
      },
    );
  }

  hangup(callId: string, reason?: HangupReason): void {
    if (this.waiting.delete(callId)) {
      this.forward({ type: 'ended', callId, at: this.clock.now(), outcome: 'cancelled', by: 'local' });
      return;
    }
    this.inner.hangup(callId, reason);
  }

  bridge(callId: string, agentLegId: string): void {
    this.inner.bridge(callId, agentLegId);
  }

  unbridge(callId: string): void {
    this.inner.unbridge(callId);
  }

  play(callId: string, promptId: string): void {
    this.inner.play(callId, promptId);
  }

  openAgentLeg(req: AgentLegRequest): string {
    return this.inner.openAgentLeg(req);
  }

  closeAgentLeg(legId: string): void {
    this.inner.closeAgentLeg(legId);
  }

  health(): DriverHealth {
    const h = this.inner.health();
    return { ...h, inFlight: h.inFlight + this.waiting.size };
  }
}
