import type { AgentState } from '../agent/agent-state.ts';
import type { CampaignSettings, DispositionDef } from '../campaign/types.ts';
import { isMachineDisposition, type AgentSnapshot, type PacingPolicy, type PacingSnapshot } from '../pacing/policy.ts';
import type { AmdVerdict } from '../telephony/driver.ts';
import type { DispositionInput } from './commands.ts';
import type { DialKind } from './events.ts';
import type { DialTarget } from './ports.ts';
import { ReadyNode, ReadyQueue } from './ready-queue.ts';

/** The engine's mutable records. Internal to the dialer: classes with fixed fields keep the hot path monomorphic. */

export type CallPhase =
  /** Placed, not answered yet. */
  | 'ringing'
  /** Answered, AMD verdict pending. */
  | 'analysing'
  /** Live, waiting for a free agent (the grace may be running). */
  | 'waiting'
  /** Assigned to an agent, bridge requested. */
  | 'bridging'
  | 'connected'
  /** No agent within the grace: the abandon message is playing. */
  | 'abandoning'
  /** AMD said machine: we hung up. */
  | 'machine_hangup';

export class LiveCall {
  phase: CallPhase = 'ringing';
  answeredAt = -1;
  graceStartedAt = -1;
  bridgeAt = -1;
  connectedAt = -1;
  amd: AmdVerdict | null = null;
  amdMs = -1;
  agent: AgentRuntime | null = null;
  liveAnswer = false;
  abandoned = false;
  messagePlayed = false;
  cancelTimer: (() => void) | null = null;
  constructor(
    readonly id: string,
    readonly campaign: CampaignRuntime,
    readonly target: DialTarget,
    readonly kind: DialKind,
    readonly dialedAt: number,
    /** The agent who owns the call (preview, manual); null for pooled calls. */
    readonly owner: AgentRuntime | null,
    readonly amdRequested: boolean,
  ) {}
}

export class AgentRuntime {
  state: AgentState = 'signed_out';
  since: number;
  reason = 'signed_out';
  campaigns: CampaignRuntime[] = [];
  campaignIds: readonly string[] = [];
  /** Parallel to `campaigns`: this agent's node in each campaign's ready queue and its pacing snapshot entry. */
  nodes: ReadyNode<AgentRuntime>[] = [];
  snaps: AgentSnapshot[] = [];
  legId: string | null = null;
  legUp = false;
  /** The call the agent is reserved for or talking on. */
  call: LiveCall | null = null;
  /** The call being wrapped up (until the disposition). */
  wrapCall: LiveCall | null = null;
  wrapStartedAt = -1;
  pendingPause: string | null = null;
  /** A disposition given during the call: applied when the call has ended. */
  pendingDisposition: DispositionInput | null = null;
  preview: DialTarget | null = null;
  previewCampaign: CampaignRuntime | null = null;
  constructor(
    readonly id: string,
    now: number,
  ) {
    this.since = now;
  }
}

export class CampaignRuntime {
  readonly ready = new ReadyQueue<AgentRuntime>();
  readonly members: AgentRuntime[] = [];
  readonly snapshot: PacingSnapshot;
  /** Live calls waiting for an agent, oldest first. */
  readonly waiting: LiveCall[] = [];
  readonly stateCounts: Record<AgentState, number> = {
    signed_out: 0,
    ready: 0,
    reserved: 0,
    on_call: 0,
    wrap_up: 0,
    paused: 0,
  };
  ringing = 0;
  analysing = 0;
  /** Pooled calls with an agent (bridging or connected). */
  withAgent = 0;
  /** Every call of the campaign in progress, pooled or owned. */
  inFlight = 0;
  dialed = 0;
  liveAnswers = 0;
  connected = 0;
  abandoned = 0;
  windowLiveAnswers = 0;
  windowAbandoned = 0;
  pacingAgain = false;
  /** A decision was short of lines still held by calls ending at this instant (asked again when they are free). */
  lineLimited = false;
  cancelTick: (() => void) | null = null;
  cancelStats: (() => void) | null = null;
  policy: PacingPolicy | null = null;
  private machineDefs = new WeakMap<DispositionDef, boolean>();
  /** Whether the policy reads observations (a policy with `observes: false` gets none, and none is built). */
  observes = false;
  constructor(
    public settings: CampaignSettings,
    policy: PacingPolicy | null,
    public graceMs: number,
  ) {
    this.setPolicy(policy);
    this.snapshot = {
      now: 0,
      campaignId: settings.id,
      agents: [],
      readyAgents: 0,
      ringing: 0,
      waiting: 0,
      analysing: 0,
      busyAgents: 0,
      dialable: 0,
      linesFree: 0,
      abandonTarget: settings.abandonTarget,
    };
  }

  /**
   * Whether a disposition of this campaign says a machine: `isMachineDisposition` matches a regular expression on the
   * code and label, once per definition instead of once per disposition (every connected call has one).
   */
  isMachineDisposition(def: DispositionDef): boolean {
    let machine = this.machineDefs.get(def);
    if (machine === undefined) {
      machine = isMachineDisposition(def);
      this.machineDefs.set(def, machine);
    }
    return machine;
  }

  /** New settings: their definitions are looked at afresh. */
  settingsChanged(): void {
    this.machineDefs = new WeakMap();
  }

  setPolicy(policy: PacingPolicy | null): void {
    this.policy = policy;
    this.observes = policy !== null && policy.observes !== false;
  }

  get mode(): DialKind {
    return this.settings.dialMode;
  }

  /** The agents array the policy sees (same objects, updated in place). */
  snapshotAgents(): AgentSnapshot[] {
    return this.snapshot.agents as AgentSnapshot[];
  }
}

export function newReadyNode(agent: AgentRuntime): ReadyNode<AgentRuntime> {
  return new ReadyNode(agent);
}
