import type {
  AgentLegRequest, DriverEvent, DriverEventListener, DriverHealth, HangupReason, OriginateRequest, TelephonyDriver,
} from '@outdial/core/telephony/driver';

/**
 * Keeps practice calls off the real network: attempts of training campaigns go to the simulated carrier, all
 * others to the real driver. Every agent leg opened on the real driver gets a shadow leg on the simulator, so a
 * practice call can be "bridged" to the agent (the agent practises the desktop; no audio crosses the two).
 */
export class TrainingRouterDriver implements TelephonyDriver {
  readonly id: string;
  readonly caps: TelephonyDriver['caps'];
  private readonly listeners = new Set<DriverEventListener>();
  private readonly simCalls = new Set<string>();
  private readonly shadowLegs = new Map<string, string>();
  private readonly shadowIds = new Set<string>();
  private readonly unsubscribes: Array<() => void> = [];

  constructor(private readonly real: TelephonyDriver, private readonly sim: TelephonyDriver, private readonly isTraining: (callId: string) => boolean) {
    this.id = real.id;
    this.caps = real.caps;
    this.unsubscribes.push(real.onEvent((e) => this.forward(e)));
    this.unsubscribes.push(sim.onEvent((e) => {
      // The shadow legs' own up/down events are ours, not the agent's: the real leg speaks for the agent.
      if (e.type === 'agent-leg' && this.shadowIds.has(e.legId)) return;
      if (e.type === 'bridged') {
        this.forward({ ...e, agentLegId: this.realLegOf(e.agentLegId) });
        return;
      }
      if (e.type === 'ended') this.simCalls.delete(e.callId);
      this.forward(e);
    }));
  }

  private realLegOf(shadow: string): string {
    for (const [real, s] of this.shadowLegs) if (s === shadow) return real;
    return shadow;
  }

  private forward(event: DriverEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private owner(callId: string): TelephonyDriver {
    return this.simCalls.has(callId) ? this.sim : this.real;
  }

  async start(): Promise<void> {
    await this.sim.start();
    await this.real.start();
  }

  async stop(): Promise<void> {
    await this.real.stop();
    await this.sim.stop();
    for (const u of this.unsubscribes) u();
  }

  onEvent(listener: DriverEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  originate(req: OriginateRequest): void {
    if (this.isTraining(req.callId)) {
      this.simCalls.add(req.callId);
      this.sim.originate(req);
    } else {
      this.real.originate(req);
    }
  }

  hangup(callId: string, reason?: HangupReason): void {
    this.owner(callId).hangup(callId, reason);
  }

  bridge(callId: string, agentLegId: string): void {
    if (this.simCalls.has(callId)) this.sim.bridge(callId, this.shadowLegs.get(agentLegId) ?? agentLegId);
    else this.real.bridge(callId, agentLegId);
  }

  unbridge(callId: string): void {
    this.owner(callId).unbridge(callId);
  }

  play(callId: string, promptId: string): void {
    this.owner(callId).play(callId, promptId);
  }

  openAgentLeg(req: AgentLegRequest): string {
    const legId = this.real.openAgentLeg(req);
    const shadow = this.sim.openAgentLeg({ agentId: req.agentId, target: `sim:${req.agentId}` });
    this.shadowLegs.set(legId, shadow);
    this.shadowIds.add(shadow);
    return legId;
  }

  closeAgentLeg(legId: string): void {
    const shadow = this.shadowLegs.get(legId);
    if (shadow !== undefined) {
      this.shadowLegs.delete(legId);
      this.shadowIds.delete(shadow);
      this.sim.closeAgentLeg(shadow);
    }
    this.real.closeAgentLeg(legId);
  }

  health(): DriverHealth {
    const real = this.real.health();
    return { ...real, inFlight: real.inFlight + this.sim.health().inFlight };
  }
}
