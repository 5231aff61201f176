import { canTransition, type AgentState, type AgentStateCause } from '../agent/agent-state.ts';
import { attemptOutcomeOf } from '../call/outcome-mapping.ts';
import type { AttemptOutcome, CampaignSettings } from '../campaign/types.ts';
import type { Clock } from '../clock.ts';
import type { ComplianceDecision, ComplianceGate } from '../compliance/types.ts';
import type { AgentSnapshot, PacingObservation } from '../pacing/policy.ts';
import type { DriverEvent, TelephonyDriver } from '../telephony/driver.ts';
import type {
  AgentView,
  CampaignView,
  CommandResult,
  DispositionInput,
  EngineSnapshot,
  ManualDialOptions,
} from './commands.ts';
import { contactAfterAttempt, contactAfterDisposition } from './contact-rules.ts';
import type { ContactUpdate, DialKind, EngineEvent } from './events.ts';
import type {
  CampaignRuntimeOptions,
  ContactSource,
  DialTarget,
  EngineOptions,
  EnginePorts,
  EngineSink,
  PolicyFactory,
} from './ports.ts';
import { campaignStats } from './campaign-stats.ts';
import { complianceRequest } from './compliance-request.ts';
import { IsoStamp } from './iso-stamp.ts';
import { ProgressivePolicy } from './progressive-policy.ts';
import { TrunkLines } from './trunk-lines.ts';
import { AgentRuntime, CampaignRuntime, LiveCall, newReadyNode, type CallPhase } from './runtime.ts';

/** US and UK rules: an unanswered call rings at least 15 s before the dialer may cancel it. */
export const MIN_RING_TIMEOUT_MS = 15_000;
/** The regimes' grace: 2 s (from the end of the greeting in the US, from its start in the UK). */
export const DEFAULT_GRACE_MS = 2_000;
/** When the driver reports no greeting at all, the grace starts this long after the answer at the latest. */
const MAX_GREETING_WAIT_MS = 5_000;

const OK: CommandResult = { ok: true, value: undefined };




/**
 * The dialer engine: contact → compliance gate → pacing → driver → agent → disposition. Pure and synchronous: it
 * reacts to commands and driver events, asks its ports, and reports everything through the sink. It keeps no
 * durable state; the host persists the events and seeds a restarted engine through commands.
 */
export class DialerEngine {
  private readonly clock: Clock;
  private readonly driver: TelephonyDriver;
  private readonly gate: ComplianceGate;
  private readonly hopper: ContactSource;
  private readonly sink: EngineSink;
  private readonly policyFor: PolicyFactory;
  private readonly newId: () => string;
  private readonly nodeId: string | null;
  private readonly defaultTickMs: number;
  private readonly statsIntervalMs: number;
  /** What every AMD dial asks of the driver (one shared, frozen object). */
  private readonly amdRequest: Readonly<{ maxMs: number }>;
  private lastRefusal: ComplianceDecision | null = null;
  private readonly defaultPromptId: string;
  private readonly maxDialsPerDecision: number;
  private readonly lines: TrunkLines;
  /** Re-asks line-limited campaigns once the lines of calls that ended at this instant are released. */
  private cancelRelease: (() => void) | null = null;

  private readonly campaigns = new Map<string, CampaignRuntime>();
  private readonly agents = new Map<string, AgentRuntime>();
  private readonly legs = new Map<string, AgentRuntime>();
  private readonly calls = new Map<string, LiveCall>();
  private pacingDepth = 0;
  private readonly pendingPace: CampaignRuntime[] = [];
  private readonly iso = new IsoStamp();
  private readonly unsubscribe: () => void;

  constructor(ports: EnginePorts, options: EngineOptions = {}) {
    this.clock = ports.clock;
    this.driver = ports.driver;
    this.gate = ports.gate;
    this.hopper = ports.hopper;
    this.sink = ports.sink;
    this.policyFor = ports.policyFor;
    this.newId = ports.newId;
    this.nodeId = options.nodeId ?? null;
    this.defaultTickMs = options.defaultTickMs ?? 1000;
    this.statsIntervalMs = options.statsIntervalMs ?? 2000;
    this.amdRequest = Object.freeze({ maxMs: options.amdMaxMs ?? 4000 });
    this.defaultPromptId = options.defaultAbandonPromptId ?? 'abandon-default';
    this.maxDialsPerDecision = options.maxDialsPerDecision ?? 500;
    this.lines = new TrunkLines(options.maxConcurrentCalls ?? ports.driver.caps.maxConcurrent ?? Number.MAX_SAFE_INTEGER);
    this.unsubscribe = this.driver.onEvent(this.onDriverEvent);
  }

  // ---------------------------------------------------------------------------------------------- campaigns

  /** Adds or updates a campaign; its status (running, paused, stopped) takes effect at once. */
  upsertCampaign(settings: CampaignSettings, options: CampaignRuntimeOptions = {}): CommandResult {
    let c = this.campaigns.get(settings.id);
    const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    if (c === undefined) {
      c = new CampaignRuntime(settings, this.makePolicy(settings), graceMs);
      this.campaigns.set(settings.id, c);
    } else {
      const old = c.settings;
      c.settings = settings;
      if (old !== settings) c.settingsChanged();
      if (old.dialMode !== settings.dialMode || old.pacingPolicy !== settings.pacingPolicy) {
        c.setPolicy(this.makePolicy(settings));
      }
      if (options.graceMs !== undefined) c.graceMs = options.graceMs;
      c.snapshot.abandonTarget = settings.abandonTarget;
    }
    if (options.window !== undefined) {
      c.windowLiveAnswers = options.window.liveAnswers;
      c.windowAbandoned = options.window.abandoned;
    }
    this.scheduleCampaignTimers(c);
    this.pace(c);
    return OK;
  }

  /** Resets the compliance window's counters (the host starts a new UK day or US 30-day period). */
  setCampaignWindow(campaignId: string, window: { liveAnswers: number; abandoned: number }): CommandResult {
    const c = this.campaigns.get(campaignId);
    if (c === undefined) return { ok: false, error: 'unknown_campaign' };
    c.windowLiveAnswers = window.liveAnswers;
    c.windowAbandoned = window.abandoned;
    return OK;
  }

  /** Asks the campaign's policy now (the host calls it after refilling the hopper). */
  poke(campaignId?: string): void {
    if (campaignId !== undefined) {
      const c = this.campaigns.get(campaignId);
      if (c !== undefined) this.pace(c);
      return;
    }
    for (const c of this.campaigns.values()) this.pace(c);
  }

  private makePolicy(settings: CampaignSettings): CampaignRuntime['policy'] {
    if (settings.dialMode === 'preview') return null;
    if (settings.dialMode === 'progressive') return new ProgressivePolicy();
    return this.policyFor(settings);
  }

  private scheduleCampaignTimers(c: CampaignRuntime): void {
    const running = c.settings.status === 'running' && c.policy !== null;
    if (running && c.cancelTick === null) {
      const tickMs = c.policy?.tickMs ?? this.defaultTickMs;
      const tick = (): void => {
        c.cancelTick = null;
        if (c.settings.status !== 'running' || c.policy === null) return;
        c.cancelTick = this.clock.setTimer(tickMs, tick);
        this.pace(c);
      };
      c.cancelTick = this.clock.setTimer(tickMs, tick);
    } else if (!running && c.cancelTick !== null) {
      c.cancelTick();
      c.cancelTick = null;
    }
    const wantStats = this.statsIntervalMs > 0 && c.settings.status === 'running';
    if (wantStats && c.cancelStats === null) {
      const every = this.statsIntervalMs;
      const emitStats = (): void => {
        c.cancelStats = null;
        this.emitStats(c);
        if (c.settings.status === 'running') c.cancelStats = this.clock.setTimer(every, emitStats);
      };
      c.cancelStats = this.clock.setTimer(every, emitStats);
    }
  }

  // ---------------------------------------------------------------------------------------------- agents

  /** Signs an agent in to campaigns and opens their audio leg; the agent starts paused (`signed_in`). */
  agentSignIn(agentId: string, campaignIds: readonly string[], legTarget: string): CommandResult<{ legId: string }> {
    const existing = this.agents.get(agentId);
    if (existing !== undefined && existing.state !== 'signed_out') {
      return { ok: false, error: 'wrong_state', state: existing.state };
    }
    const campaigns: CampaignRuntime[] = [];
    for (const id of campaignIds) {
      const c = this.campaigns.get(id);
      if (c === undefined) return { ok: false, error: 'unknown_campaign', detail: id };
      campaigns.push(c);
    }
    const now = this.clock.now();
    const agent = existing ?? new AgentRuntime(agentId, now);
    this.agents.set(agentId, agent);
    for (const c of campaigns) {
      agent.campaigns.push(c);
      agent.nodes.push(newReadyNode(agent));
      const snap: AgentSnapshot = { agentId, state: 'signed_out', since: now };
      agent.snaps.push(snap);
      c.members.push(agent);
      c.snapshotAgents().push(snap);
      c.stateCounts.signed_out++;
    }
    agent.campaignIds = agent.campaigns.map((c) => c.settings.id);
    const legId = this.driver.openAgentLeg({ agentId, target: legTarget });
    agent.legId = legId;
    agent.legUp = false;
    this.legs.set(legId, agent);
    this.transition(agent, 'paused', 'signed_in');
    return { ok: true, value: { legId } };
  }

  agentReady(agentId: string): CommandResult {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state === 'ready') return OK;
    if (agent.state === 'paused') {
      agent.pendingPause = null;
      this.transition(agent, 'ready', 'ready');
      this.agentFree(agent);
      return OK;
    }
    if (agent.pendingPause !== null && agent.state !== 'signed_out') {
      agent.pendingPause = null;
      return OK;
    }
    return { ok: false, error: 'wrong_state', state: agent.state };
  }

  /** Pauses a ready agent at once; a busy agent is paused after the disposition (`pending: true`). */
  agentPause(agentId: string, reason: string): CommandResult<{ pending: boolean }> {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    switch (agent.state) {
      case 'ready':
        this.transition(agent, 'paused', reason);
        this.paceAgentCampaigns(agent);
        return { ok: true, value: { pending: false } };
      case 'paused':
        agent.reason = reason;
        return { ok: true, value: { pending: false } };
      case 'reserved':
      case 'on_call':
      case 'wrap_up':
        agent.pendingPause = reason;
        return { ok: true, value: { pending: true } };
      case 'signed_out':
        return { ok: false, error: 'wrong_state', state: agent.state };
    }
  }

  agentSignOut(agentId: string): CommandResult {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state === 'reserved' && agent.call === null) this.releasePreview(agent);
    else if (agent.state !== 'ready' && agent.state !== 'paused') {
      return { ok: false, error: 'wrong_state', state: agent.state };
    }
    this.transition(agent, 'signed_out', 'sign_out');
    for (let i = 0; i < agent.campaigns.length; i++) {
      const c = agent.campaigns[i] as CampaignRuntime;
      const snap = agent.snaps[i] as AgentSnapshot;
      removeItem(c.members, agent);
      removeItem(c.snapshotAgents(), snap);
      c.stateCounts.signed_out--;
    }
    const campaigns = agent.campaigns;
    agent.campaigns = [];
    agent.campaignIds = [];
    agent.nodes = [];
    agent.snaps = [];
    agent.pendingPause = null;
    if (agent.legId !== null) {
      this.legs.delete(agent.legId);
      this.driver.closeAgentLeg(agent.legId);
      agent.legId = null;
      agent.legUp = false;
    }
    for (const c of campaigns) this.pace(c);
    return OK;
  }

  /** The agent ends their call (BYE); wrap-up follows when the driver reports the end. */
  agentHangup(agentId: string): CommandResult {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    const call = agent.call;
    if (call === null || (agent.state !== 'on_call' && agent.state !== 'reserved')) {
      return { ok: false, error: 'no_call', state: agent.state };
    }
    this.driver.hangup(call.id, 'agent');
    return OK;
  }

  /**
   * Saves the disposition of the call in wrap-up, applies the campaign's rule, and frees (or pauses) the agent.
   * During the call it hangs up first: the disposition is applied as soon as the driver reports the end.
   */
  agentDisposition(agentId: string, input: DispositionInput): CommandResult<{ contact: ContactUpdate; pending?: boolean }> {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state === 'on_call' && agent.call !== null) {
      const live = agent.call;
      const check = contactAfterDisposition(
        live.campaign.settings,
        { contactId: live.target.contactId, attemptNo: live.target.attemptNo, at: this.clock.now() },
        input,
      );
      if (!check.ok) return { ok: false, error: check.error };
      agent.pendingDisposition = input;
      this.driver.hangup(live.id, 'agent');
      return { ok: true, value: { contact: check.update, pending: true } };
    }
    const call = agent.wrapCall;
    if (agent.state !== 'wrap_up' || call === null) return { ok: false, error: 'wrong_state', state: agent.state };
    const c = call.campaign;
    const now = this.clock.now();
    const rule = contactAfterDisposition(
      c.settings,
      { contactId: call.target.contactId, attemptNo: call.target.attemptNo, at: now },
      input,
    );
    if (!rule.ok) return { ok: false, error: rule.error };
    const wrapMs = now - agent.wrapStartedAt;
    const machine = c.isMachineDisposition(rule.def);
    if (this.wants('disposition.saved')) this.sink.emit({
      type: 'disposition.saved',
      at: now,
      agentId,
      attemptId: call.id,
      campaignId: c.settings.id,
      contactId: call.target.contactId,
      code: input.code,
      action: rule.def.action,
      notes: input.notes ?? null,
      callbackAt: rule.def.action === 'callback' ? (input.callbackAt ?? null) : null,
      callbackScope: rule.def.action === 'callback' ? (input.callbackScope ?? 'campaign') : null,
      contact: rule.update,
      wrapMs,
      machine,
    });
    this.sink.emit({ type: 'contact.updated', at: now, update: rule.update, decision: null });
    if (machine && call.liveAnswer) {
      // The agent heard a machine: abandonment rates count people only, so it leaves the live answers again.
      call.liveAnswer = false;
      c.liveAnswers--;
      c.windowLiveAnswers--;
    }
    if (call.owner === null && c.observes) this.observe(c, { type: 'wrap-ended', at: now, agentId, wrapMs, machine });
    agent.wrapCall = null;
    agent.wrapStartedAt = -1;
    if (agent.pendingPause !== null) {
      const reason = agent.pendingPause;
      agent.pendingPause = null;
      this.transition(agent, 'paused', reason);
      this.paceAgentCampaigns(agent);
    } else {
      this.transition(agent, 'ready', 'disposition');
      this.agentFree(agent);
    }
    return { ok: true, value: { contact: rule.update } };
  }

  // ---------------------------------------------------------------------------------------------- preview, manual

  /** Preview mode: reserves the agent with the next contact of a preview campaign for them to dial or skip. */
  previewNext(agentId: string, campaignId?: string): CommandResult<{ target: DialTarget; campaignId: string }> {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state !== 'ready' && agent.state !== 'paused') {
      return { ok: false, error: 'wrong_state', state: agent.state };
    }
    const c = this.agentCampaign(agent, campaignId, 'preview');
    if (c === null) return { ok: false, error: campaignId === undefined ? 'wrong_mode' : 'not_in_campaign' };
    if (c.settings.dialMode !== 'preview') return { ok: false, error: 'wrong_mode' };
    if (c.settings.status !== 'running') return { ok: false, error: 'campaign_not_running' };
    const now = this.clock.now();
    // The agent's own due callback comes first; `take` never hands out anyone's personal callback.
    const target = this.hopper.takeOwned?.(c.settings.id, agentId, now) ?? this.hopper.take(c.settings.id, 1, now)[0];
    if (target === undefined) return { ok: false, error: 'no_contact' };
    agent.preview = target;
    agent.previewCampaign = c;
    this.transition(agent, 'reserved', 'preview');
    this.sink.emit({
      type: 'preview.offered',
      at: now,
      agentId,
      campaignId: c.settings.id,
      contactId: target.contactId,
      phone: target.phone,
      attemptNo: target.attemptNo,
      display: target.display ?? null,
    });
    return { ok: true, value: { target, campaignId: c.settings.id } };
  }

  /** Dials the previewed contact (after the compliance gate); refused → the decision, and the agent is ready again. */
  previewDial(agentId: string): CommandResult<{ callId: string }> {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    const target = agent.preview;
    const c = agent.previewCampaign;
    if (agent.state !== 'reserved' || target === null || c === null || agent.call !== null) {
      return { ok: false, error: 'wrong_state', state: agent.state };
    }
    agent.preview = null;
    agent.previewCampaign = null;
    const call = this.dialTarget(c, target, agent, 'preview');
    if (call === null) {
      this.releaseOwner(agent, 'call_failed');
      return { ok: false, error: 'compliance_refused', decision: this.refusal() };
    }
    return { ok: true, value: { callId: call.id } };
  }

  /** Returns the previewed contact to the hopper undialed and frees the agent. */
  previewSkip(agentId: string): CommandResult {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state !== 'reserved' || agent.preview === null || agent.call !== null) {
      return { ok: false, error: 'wrong_state', state: agent.state };
    }
    this.releasePreview(agent);
    this.releaseOwner(agent, 'preview_skipped');
    return OK;
  }

  /** Dials a number for an agent (after the compliance gate); refused → the decision with its reasons. */
  manualDial(agentId: string, phone: string, options: ManualDialOptions = {}): CommandResult<{ callId: string }> {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return { ok: false, error: 'unknown_agent' };
    if (agent.state !== 'ready' && agent.state !== 'paused') {
      return { ok: false, error: 'wrong_state', state: agent.state };
    }
    const c = this.agentCampaign(agent, options.campaignId, null);
    if (c === null) return { ok: false, error: 'not_in_campaign' };
    const target: DialTarget = {
      contactId: options.contactId ?? `manual:${phone}`,
      phone,
      attemptNo: options.attemptNo ?? 1,
      priority: 0,
      compliance: options.compliance ?? {},
    };
    const call = this.dialTarget(c, target, agent, 'manual');
    if (call === null) return { ok: false, error: 'compliance_refused', decision: this.refusal() };
    return { ok: true, value: { callId: call.id } };
  }

  private agentCampaign(agent: AgentRuntime, campaignId: string | undefined, mode: DialKind | null): CampaignRuntime | null {
    if (campaignId !== undefined) return agent.campaigns.find((c) => c.settings.id === campaignId) ?? null;
    if (mode === null) return agent.campaigns[0] ?? null;
    return agent.campaigns.find((c) => c.settings.dialMode === mode) ?? null;
  }

  private releasePreview(agent: AgentRuntime): void {
    const target = agent.preview;
    const c = agent.previewCampaign;
    agent.preview = null;
    agent.previewCampaign = null;
    if (target === null || c === null) return;
    const now = this.clock.now();
    this.sink.emit({
      type: 'contact.updated',
      at: now,
      decision: null,
      update: {
        contactId: target.contactId,
        campaignId: c.settings.id,
        status: 'dialable',
        nextDialAt: now,
        attempts: target.attemptNo - 1,
        lastOutcome: null,
        lastAttemptAt: null,
        reason: 'preview_skip',
      },
    });
  }

  /** A reserved agent whose own call did not happen (or ended unanswered) goes back to ready, or to a pending pause. */
  private releaseOwner(agent: AgentRuntime, cause: AgentStateCause): void {
    agent.call = null;
    if (agent.pendingPause !== null) {
      const reason = agent.pendingPause;
      agent.pendingPause = null;
      this.transition(agent, 'paused', reason);
      this.paceAgentCampaigns(agent);
    } else {
      this.transition(agent, 'ready', cause);
      this.agentFree(agent);
    }
  }

  // ---------------------------------------------------------------------------------------------- snapshot

  snapshot(): EngineSnapshot {
    const now = this.clock.now();
    const agents: AgentView[] = [];
    for (const a of this.agents.values()) {
      const call = a.call ?? a.wrapCall;
      agents.push({
        agentId: a.id,
        state: a.state,
        since: a.since,
        reason: a.reason,
        campaignIds: a.campaigns.map((c) => c.settings.id),
        callId: call?.id ?? null,
        contactId: call?.target.contactId ?? a.preview?.contactId ?? null,
        pendingPause: a.pendingPause,
      });
    }
    const campaigns: CampaignView[] = [];
    for (const c of this.campaigns.values()) {
      campaigns.push({
        campaignId: c.settings.id,
        mode: c.settings.dialMode,
        policy: c.policy?.name ?? 'preview',
        ...campaignStats(c),
      });
    }
    return { at: now, agents, campaigns };
  }

  /** Stops timers and hangs up every call (server shutdown). */
  shutdown(): void {
    for (const c of this.campaigns.values()) {
      c.cancelTick?.();
      c.cancelTick = null;
      c.cancelStats?.();
      c.cancelStats = null;
    }
    this.cancelRelease?.();
    this.cancelRelease = null;
    for (const call of [...this.calls.values()]) this.driver.hangup(call.id, 'shutdown');
    this.unsubscribe();
  }

  /** Informational events are built only when a sink uses them (see `EngineSink.wants`). */
  private wants(type: EngineEvent['type']): boolean {
    return this.sink.wants === undefined || this.sink.wants(type);
  }

  private emitStats(c: CampaignRuntime): void {
    this.sink.emit({ type: 'campaign.stats', at: this.clock.now(), campaignId: c.settings.id, stats: campaignStats(c) });
  }

  // ---------------------------------------------------------------------------------------------- pacing and dialing

  private paceAgentCampaigns(agent: AgentRuntime): void {
    for (const c of agent.campaigns) this.pace(c);
  }

  /** Asks the campaign's policy how many to dial now and dials them. Re-entrant calls are folded into one rerun. */
  private pace(c: CampaignRuntime): void {
    if (c.policy === null || c.settings.status !== 'running') return;
    if (this.pacingDepth > 0) {
      if (!c.pacingAgain) {
        c.pacingAgain = true;
        this.pendingPace.push(c);
      }
      return;
    }
    this.pacingDepth++;
    try {
      this.paceRounds(c);
      while (this.pendingPace.length > 0) {
        const next = this.pendingPace.pop() as CampaignRuntime;
        if (next.pacingAgain) this.paceRounds(next);
      }
    } finally {
      this.pacingDepth--;
    }
  }

  /** Decides until nothing changed underneath (re-entrant commands, refused contacts), at most four times. */
  private paceRounds(c: CampaignRuntime): void {
    let rounds = 0;
    do {
      c.pacingAgain = false;
      if (this.paceOnce(c) < 0) c.pacingAgain = true;
    } while (c.pacingAgain && ++rounds < 4);
    c.pacingAgain = false;
  }

  /** One decision. Returns the number of calls placed, or -1 when refused contacts used up part of the decision. */
  private paceOnce(c: CampaignRuntime): number {
    const policy = c.policy;
    if (policy === null) return 0;
    const now = this.clock.now();
    if (this.hopper.ownersDue !== undefined) this.dialOwned(c, now);
    const s = c.snapshot;
    s.now = now;
    s.readyAgents = c.stateCounts.ready;
    s.ringing = c.ringing;
    s.waiting = c.waiting.length;
    s.analysing = c.analysing;
    s.busyAgents = c.stateCounts.on_call + c.stateCounts.wrap_up;
    s.dialable = this.hopper.available(c.settings.id, now);
    s.linesFree = this.lines.free();
    let n = Math.floor(policy.decide(s));
    if (n >= s.linesFree && this.lines.releasePending) this.askAfterRelease(c);
    if (!(n > 0)) return 0;
    n = Math.min(n, s.dialable, s.linesFree, this.maxDialsPerDecision);
    if (n <= 0) return 0;
    const targets = this.hopper.take(c.settings.id, n, now);
    let placed = 0;
    let refused = 0;
    for (let i = 0; i < targets.length; i++) {
      if (this.dialTarget(c, targets[i] as DialTarget, null, c.settings.dialMode) !== null) placed++;
      else refused++;
    }
    return refused > 0 ? -1 : placed;
  }

  /** The decision was short of lines that calls ended at this instant still hold: ask again once they are released. */
  private askAfterRelease(c: CampaignRuntime): void {
    c.lineLimited = true;
    if (this.cancelRelease !== null) return;
    this.cancelRelease = this.clock.setTimer(0, () => {
      this.cancelRelease = null;
      for (const limited of this.campaigns.values()) {
        if (!limited.lineLimited) continue;
        limited.lineLimited = false;
        this.pace(limited);
      }
    });
  }

  /**
   * Personal callbacks due: each is dialed only for its owner, only while the owner is ready in this campaign, and the
   * owner is reserved for it first (the answer goes to them, never to the pool). The others wait in the hopper.
   */
  private dialOwned(c: CampaignRuntime, now: number): void {
    const owners = this.hopper.ownersDue?.(c.settings.id, now);
    if (owners === undefined || owners.length === 0) return;
    // Owners are mostly busy or away while their callbacks wait: look first, copy (takeOwned may change the list) only
    // when one is free, so a decision with waiting callbacks allocates nothing.
    let first = 0;
    while (first < owners.length && !this.readyIn(owners[first] as string, c)) first++;
    if (first === owners.length) return;
    for (const agentId of owners.slice(first)) {
      const agent = this.agents.get(agentId);
      if (agent === undefined || !this.readyIn(agentId, c)) continue;
      // No line free: the callback waits in the hopper (a call the trunk refuses would count as its dial).
      if (this.lines.free() <= 0) return;
      const target = this.hopper.takeOwned?.(c.settings.id, agentId, now);
      if (target === undefined) continue;
      this.transition(agent, 'reserved', 'callback');
      if (this.dialTarget(c, target, agent, c.settings.dialMode) === null) this.releaseOwner(agent, 'call_failed');
    }
  }

  private readyIn(agentId: string, c: CampaignRuntime): boolean {
    const agent = this.agents.get(agentId);
    return agent !== undefined && agent.state === 'ready' && agent.campaigns.includes(c);
  }

  /** The compliance decision that refused the last dial (`dialTarget` returned null). */
  private refusal(): ComplianceDecision {
    const d = this.lastRefusal;
    this.lastRefusal = null;
    if (d === null) throw new Error('no refused dial');
    return d;
  }

  /**
   * Gate, then originate: the call, or null when the gate refused (its decision is kept for `refusal()`). Blocked
   * contacts are closed, deferred ones handed back with their notBefore. (No result object: this runs once per dial.)
   */
  private dialTarget(c: CampaignRuntime, t: DialTarget, owner: AgentRuntime | null, kind: DialKind): LiveCall | null {
    const now = this.clock.now();
    const decision = this.gate.check(complianceRequest(c, t, kind, this.newId(), this.iso.format(now), owner !== null));
    if (decision.verdict === 'block') {
      const invalid = decision.reasons.some((r) => r.category === 'invalid_number');
      this.sink.emit({
        type: 'contact.updated',
        at: now,
        decision,
        update: {
          contactId: t.contactId,
          campaignId: c.settings.id,
          status: invalid ? 'invalid' : 'done',
          nextDialAt: null,
          attempts: t.attemptNo - 1,
          lastOutcome: null,
          lastAttemptAt: null,
          reason: `compliance_block:${decision.reasons[0]?.category ?? 'unspecified'}`,
        },
      });
      this.lastRefusal = decision;
      return null;
    }
    if (decision.verdict === 'defer') {
      const parsed = decision.notBefore === null ? Number.NaN : Date.parse(decision.notBefore);
      this.sink.emit({
        type: 'contact.deferred',
        at: now,
        contactId: t.contactId,
        campaignId: c.settings.id,
        notBefore: Number.isFinite(parsed) ? parsed : now + 3_600_000,
        decision,
      });
      this.lastRefusal = decision;
      return null;
    }
    const s = c.settings;
    const amd = owner === null && s.amd;
    const call = new LiveCall(this.newId(), c, t, kind, now, owner, amd);
    const ringTimeoutMs = Math.max(MIN_RING_TIMEOUT_MS, s.ringTimeoutSeconds * 1000);
    this.calls.set(call.id, call);
    this.lines.seize();
    c.inFlight++;
    c.dialed++;
    if (owner === null) c.ringing++;
    else {
      owner.call = call;
      if (owner.state !== 'reserved') {
        // A paused agent who dials by hand goes back to their pause after the call.
        if (owner.state === 'paused') owner.pendingPause = owner.reason;
        this.transition(owner, 'reserved', 'manual_dial', call.id);
      }
    }
    this.sink.emit({
      type: 'attempt.dialed',
      at: now,
      attempt: {
        attemptId: call.id,
        campaignId: s.id,
        contactId: t.contactId,
        phone: t.phone,
        attemptNo: t.attemptNo,
        kind,
        agentId: owner?.id ?? null,
        callerId: s.callerId,
        dialedAt: now,
        ringTimeoutMs,
        amd,
        policy: owner === null ? (c.policy?.name ?? kind) : kind,
        nodeId: this.nodeId,
        training: s.training,
        decision,
      },
    });
    if (owner === null && c.observes) this.observe(c, { type: 'dialed', at: now, callId: call.id });
    this.driver.originate({
      callId: call.id,
      to: t.phone,
      from: s.callerId,
      ringTimeoutMs,
      amd: amd ? this.amdRequest : false,
      contactId: t.contactId,
      attemptNo: t.attemptNo,
    });
    return call;
  }

  private observe(c: CampaignRuntime, o: PacingObservation): void {
    c.policy?.observe(o);
  }

  // ---------------------------------------------------------------------------------------------- driver events

  private readonly onDriverEvent = (e: DriverEvent): void => {
    switch (e.type) {
      case 'answered':
        this.onAnswered(e.callId, e.at);
        return;
      case 'speech':
        this.onSpeech(e.callId, e.at, e.phase);
        return;
      case 'amd':
        this.onAmd(e.callId, e.at, e.result, e.cause, e.decisionMs);
        return;
      case 'bridged':
        this.onBridged(e.callId, e.at);
        return;
      case 'play-ended': {
        const call = this.calls.get(e.callId);
        if (call !== undefined && call.phase === 'abandoning') this.driver.hangup(call.id, 'abandon');
        return;
      }
      case 'ended':
        this.onEnded(e);
        return;
      case 'agent-leg':
        this.onAgentLeg(e.legId, e.state);
        return;
      case 'error':
        if (e.callId !== undefined) this.onCallError(e.callId);
        return;
      default:
        return;
    }
  };

  /**
   * A driver error on a call being bridged (the bridge was refused): the agent is freed and the caller, who could
   * not be connected, hears the abandon message; an error while the message plays ends the call. Nobody stays
   * reserved for a bridge that never comes, and a failing bridge is never retried in a loop.
   */
  private onCallError(callId: string): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    if (call.phase === 'abandoning') {
      this.driver.hangup(call.id, 'abandon');
      return;
    }
    if (call.phase !== 'bridging' || call.agent === null) return;
    const agent = call.agent;
    const c = call.campaign;
    call.agent = null;
    agent.call = null;
    c.connected--;
    if (call.owner === null) {
      c.withAgent--;
      this.abandon(call);
      this.transition(agent, 'ready', 'call_failed');
      this.agentFree(agent);
    } else {
      // The agent's own call (manual, preview, personal callback): nobody else may take it, so the caller hears the
      // abandon message like any answered call left without an agent, and the agent is freed (or paused as asked).
      this.abandon(call);
      this.releaseOwner(agent, 'call_failed');
    }
  }

  private onAnswered(callId: string, at: number): void {
    const call = this.calls.get(callId);
    if (call === undefined || call.phase !== 'ringing') return;
    const c = call.campaign;
    call.answeredAt = at;
    if (this.wants('attempt.answered')) this.sink.emit({
      type: 'attempt.answered',
      at: this.clock.now(),
      attemptId: call.id,
      campaignId: c.settings.id,
      contactId: call.target.contactId,
    });
    if (call.owner !== null) {
      // The agent placed this call and is waiting on it: connect at once.
      this.countLive(call);
      call.graceStartedAt = at;
      this.assign(call, call.owner);
      return;
    }
    c.ringing--;
    if (!this.driver.caps.speechEvents) {
      // No greeting events: the UK grace counts from the answer; the US one from the answer without AMD, from the
      // human verdict with AMD.
      if (c.settings.regime === 'uk24h' || !call.amdRequested) this.startGrace(call, at);
    }
    if (call.amdRequested) {
      call.phase = 'analysing';
      c.analysing++;
      this.startGreetingWatch(call);
      this.pace(c);
      return;
    }
    if (c.observes) this.observe(c, { type: 'answered', at, callId, ringMs: at - call.dialedAt, live: true });
    this.countLive(call);
    this.becomeWaiting(call);
    if (phaseOf(call) === 'waiting') this.startGreetingWatch(call);
    this.pace(c);
  }

  /** Safety for drivers that report speech but never see a greeting: the grace starts by MAX_GREETING_WAIT_MS. */
  private startGreetingWatch(call: LiveCall): void {
    if (call.graceStartedAt >= 0 || call.cancelTimer !== null) return;
    call.cancelTimer = this.clock.setTimer(MAX_GREETING_WAIT_MS, () => {
      call.cancelTimer = null;
      this.startGrace(call, this.clock.now());
    });
  }

  private onSpeech(callId: string, at: number, phase: 'start' | 'end'): void {
    const call = this.calls.get(callId);
    if (call === undefined || call.owner !== null || call.graceStartedAt >= 0) return;
    const uk = call.campaign.settings.regime === 'uk24h';
    if (uk || phase === 'end') this.startGrace(call, at);
  }

  private onAmd(callId: string, at: number, result: string, cause: string, decisionMs: number): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    const c = call.campaign;
    if (call.amd === null) {
      call.amd = result as LiveCall['amd'];
      call.amdMs = decisionMs;
      if (this.wants('attempt.amd')) this.sink.emit({
        type: 'attempt.amd',
        at: this.clock.now(),
        attemptId: call.id,
        campaignId: c.settings.id,
        result: call.amd as NonNullable<LiveCall['amd']>,
        cause,
        decisionMs,
      });
    }
    if (call.phase !== 'analysing') return;
    c.analysing--;
    const ringMs = call.answeredAt - call.dialedAt;
    if (result === 'machine' || result === 'fax') {
      this.clearTimer(call);
      call.phase = 'machine_hangup';
      if (c.observes) this.observe(c, { type: 'answered', at, callId, ringMs, live: false });
      this.driver.hangup(call.id, 'amd-machine');
      this.pace(c);
      return;
    }
    if (c.observes) this.observe(c, { type: 'answered', at, callId, ringMs, live: true });
    this.countLive(call);
    // US fallback: without a greeting-end event, the human verdict marks the end of the greeting.
    if (call.graceStartedAt < 0) {
      this.clearTimer(call);
      call.graceStartedAt = at;
    }
    this.becomeWaiting(call);
    this.pace(c);
  }

  private countLive(call: LiveCall): void {
    if (call.liveAnswer) return;
    call.liveAnswer = true;
    const c = call.campaign;
    c.liveAnswers++;
    c.windowLiveAnswers++;
    if (call.owner === null && c.observes) this.observe(c, { type: 'live-answer-counted', at: this.clock.now(), callId: call.id });
  }

  /** The grace starts (greeting start or end, by regime). A live call still without an agent gets its deadline. */
  private startGrace(call: LiveCall, at: number): void {
    if (call.graceStartedAt >= 0) return;
    this.clearTimer(call);
    call.graceStartedAt = at;
    if (call.phase === 'waiting' || call.phase === 'analysing') this.armGrace(call);
  }

  private armGrace(call: LiveCall): void {
    const delay = call.graceStartedAt + call.campaign.graceMs - this.clock.now();
    if (delay <= 0) {
      this.onGraceExpired(call);
      return;
    }
    call.cancelTimer = this.clock.setTimer(delay, () => {
      call.cancelTimer = null;
      this.onGraceExpired(call);
    });
  }

  private clearTimer(call: LiveCall): void {
    if (call.cancelTimer !== null) {
      call.cancelTimer();
      call.cancelTimer = null;
    }
  }

  /** A live call looks for the longest-idle ready agent; without one it waits (its grace may already run). */
  private becomeWaiting(call: LiveCall): void {
    const c = call.campaign;
    const agent = c.ready.peek();
    if (agent !== null) {
      this.assign(call, agent);
      return;
    }
    call.phase = 'waiting';
    c.waiting.push(call);
    if (call.graceStartedAt >= 0 && call.cancelTimer === null) this.armGrace(call);
  }

  private onGraceExpired(call: LiveCall): void {
    const c = call.campaign;
    if (call.phase === 'analysing') {
      // UK: the grace ran out before the AMD verdict. Treat the call as live now: an agent if one is free.
      c.analysing--;
      if (c.observes) this.observe(c, { type: 'answered', at: call.answeredAt, callId: call.id, ringMs: call.answeredAt - call.dialedAt, live: true });
      this.countLive(call);
      const agent = c.ready.peek();
      if (agent !== null) {
        this.assign(call, agent);
        return;
      }
      this.abandon(call);
      return;
    }
    if (call.phase !== 'waiting') return;
    removeItem(c.waiting, call);
    this.abandon(call);
  }

  private abandon(call: LiveCall): void {
    const c = call.campaign;
    const now = this.clock.now();
    call.phase = 'abandoning';
    call.abandoned = true;
    call.messagePlayed = true;
    c.abandoned++;
    c.windowAbandoned++;
    const promptId = c.settings.abandonMessagePromptId ?? this.defaultPromptId;
    this.driver.play(call.id, promptId);
    this.sink.emit({
      type: 'attempt.abandoned',
      at: now,
      attemptId: call.id,
      campaignId: c.settings.id,
      contactId: call.target.contactId,
      promptId,
      graceStartedAt: call.graceStartedAt,
      reason: 'no_agent',
    });
    if (call.owner === null && c.observes) this.observe(c, { type: 'abandoned', at: now, callId: call.id });
  }

  /** Reserves the agent for the call and asks the driver to bridge. */
  private assign(call: LiveCall, agent: AgentRuntime): void {
    const c = call.campaign;
    const now = this.clock.now();
    this.clearTimer(call);
    call.phase = 'bridging';
    call.agent = agent;
    call.bridgeAt = now;
    agent.call = call;
    if (call.owner === null) {
      c.withAgent++;
      c.connected++;
      this.transition(agent, 'reserved', 'call_assigned', call.id);
      const waitMs = now - (call.graceStartedAt >= 0 ? call.graceStartedAt : call.answeredAt);
      if (c.observes) this.observe(c, { type: 'connected', at: now, callId: call.id, agentId: agent.id, waitMs });
    } else {
      c.connected++;
    }
    this.driver.bridge(call.id, agent.legId ?? '');
  }

  private onBridged(callId: string, at: number): void {
    const call = this.calls.get(callId);
    if (call === undefined || call.phase !== 'bridging' || call.agent === null) return;
    const agent = call.agent;
    call.phase = 'connected';
    call.connectedAt = at;
    this.transition(agent, 'on_call', 'bridged', call.id);
    const c = call.campaign;
    if (this.wants('attempt.connected')) this.sink.emit({
      type: 'attempt.connected',
      at: this.clock.now(),
      attemptId: call.id,
      campaignId: c.settings.id,
      contactId: call.target.contactId,
      agentId: agent.id,
      waitMs: call.bridgeAt - (call.graceStartedAt >= 0 ? call.graceStartedAt : call.answeredAt),
      display: call.target.display ?? null,
    });
  }

  private onEnded(e: Extract<DriverEvent, { type: 'ended' }>): void {
    const call = this.calls.get(e.callId);
    if (call === undefined) return;
    this.calls.delete(e.callId);
    this.clearTimer(call);
    const now = this.clock.now();
    this.lines.endReporting();
    try {
      this.endCall(call, e, now);
    } finally {
      this.lines.endReported();
    }
  }

  private endCall(call: LiveCall, e: Extract<DriverEvent, { type: 'ended' }>, now: number): void {
    const c = call.campaign;
    c.inFlight--;
    const pooled = call.owner === null;
    const agent = call.agent;
    let outcome: AttemptOutcome;
    switch (call.phase) {
      case 'ringing':
        outcome = attemptOutcomeOf(e.outcome);
        if (outcome === 'answered') outcome = 'no_answer';
        if (pooled) {
          c.ringing--;
          if (c.observes) this.observe(c, { type: 'not-answered', at: e.at, callId: call.id, ringMs: e.at - call.dialedAt });
        }
        break;
      case 'analysing':
        c.analysing--;
        outcome = e.outcome === 'answered-machine' ? 'machine' : 'answered';
        break;
      case 'waiting':
        removeItem(c.waiting, call);
        outcome = 'answered';
        break;
      case 'bridging':
      case 'connected':
        outcome = 'answered';
        if (pooled) c.withAgent--;
        break;
      case 'abandoning':
        outcome = 'abandoned';
        break;
      case 'machine_hangup':
        outcome = 'amd_hangup';
        break;
    }
    const talkMs = call.connectedAt >= 0 ? e.at - call.connectedAt : null;
    this.sink.emit({
      type: 'attempt.ended',
      at: now,
      attemptId: call.id,
      campaignId: c.settings.id,
      contactId: call.target.contactId,
      attemptNo: call.target.attemptNo,
      outcome,
      callOutcome: e.outcome,
      sipCode: e.sipCode ?? null,
      q850: e.q850 ?? null,
      by: e.by,
      amd: call.amd,
      amdMs: call.amdMs >= 0 ? call.amdMs : null,
      agentId: agent?.id ?? null,
      abandoned: call.abandoned,
      abandonMessagePlayed: call.messagePlayed,
      liveAnswer: call.liveAnswer,
      timings: {
        dialedAt: call.dialedAt,
        answeredAt: call.answeredAt >= 0 ? call.answeredAt : null,
        graceStartedAt: call.graceStartedAt >= 0 ? call.graceStartedAt : null,
        connectedAt: call.connectedAt >= 0 ? call.connectedAt : null,
        endedAt: e.at,
        ringMs: (call.answeredAt >= 0 ? call.answeredAt : e.at) - call.dialedAt,
        talkMs,
      },
    });
    if (call.phase === 'connected' && agent !== null) {
      // The agent's disposition decides what happens to the contact.
      agent.call = null;
      agent.wrapCall = call;
      agent.wrapStartedAt = now;
      this.transition(agent, 'wrap_up', 'call_ended', call.id);
      if (pooled && talkMs !== null) {
        if (c.observes) this.observe(c, { type: 'call-ended', at: e.at, callId: call.id, agentId: agent.id, talkMs });
      }
      const pending = agent.pendingDisposition;
      if (pending !== null) {
        agent.pendingDisposition = null;
        this.agentDisposition(agent.id, pending);
      }
    } else {
      const update = contactAfterAttempt(c.settings, {
        contactId: call.target.contactId,
        attemptNo: call.target.attemptNo,
        outcome,
        at: now,
      });
      this.sink.emit({ type: 'contact.updated', at: now, update, decision: null });
      const holder = agent ?? call.owner;
      if (holder !== null && holder.call === call) {
        if (holder === call.owner) this.releaseOwner(holder, 'call_failed');
        else {
          holder.call = null;
          this.transition(holder, 'ready', 'call_failed');
          this.agentFree(holder);
        }
      }
    }
    this.pace(c);
  }

  private onAgentLeg(legId: string, state: 'up' | 'down'): void {
    const agent = this.legs.get(legId);
    if (agent === undefined) return;
    agent.legUp = state === 'up';
    if (state === 'down') {
      if (agent.state === 'ready') {
        this.transition(agent, 'paused', 'leg_down');
        this.paceAgentCampaigns(agent);
      } else if (agent.state === 'on_call' && agent.call !== null) {
        this.driver.hangup(agent.call.id, 'agent');
        agent.pendingPause = 'leg_down';
      } else if (agent.state !== 'signed_out' && agent.state !== 'paused') {
        agent.pendingPause = 'leg_down';
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- agent plumbing

  /** A newly free agent takes the oldest live call waiting in one of their campaigns, else pacing is asked. */
  private agentFree(agent: AgentRuntime): void {
    let oldest: LiveCall | null = null;
    for (const c of agent.campaigns) {
      const head = c.waiting[0];
      if (head !== undefined && (oldest === null || head.answeredAt < oldest.answeredAt)) oldest = head;
    }
    if (oldest !== null) {
      removeItem(oldest.campaign.waiting, oldest);
      this.assign(oldest, agent);
    }
    this.paceAgentCampaigns(agent);
  }

  private transition(agent: AgentRuntime, to: AgentState, reason: string, callId: string | null = null): void {
    const from = agent.state;
    if (!canTransition(from, to)) {
      // A bug in the engine, not a business outcome: report it loudly in the event stream and keep the state.
      this.sink.emit({
        type: 'agent.state',
        at: this.clock.now(),
        agentId: agent.id,
        from,
        to: from,
        reason: `refused:${from}->${to}`,
        campaignIds: agent.campaignIds,
        callId,
      });
      return;
    }
    const now = this.clock.now();
    agent.state = to;
    agent.since = now;
    agent.reason = reason;
    for (let i = 0; i < agent.campaigns.length; i++) {
      const c = agent.campaigns[i] as CampaignRuntime;
      c.stateCounts[from]--;
      c.stateCounts[to]++;
      const snap = agent.snaps[i] as AgentSnapshot;
      snap.state = to;
      snap.since = now;
      const node = agent.nodes[i];
      if (node !== undefined) {
        if (to === 'ready') c.ready.push(node);
        else if (from === 'ready') c.ready.remove(node);
      }
    }
    this.sink.emit({
      type: 'agent.state',
      at: now,
      agentId: agent.id,
      from,
      to,
      reason,
      campaignIds: agent.campaignIds,
      callId,
    });
  }
}

/** Reads the phase afresh (methods called in between may have changed it; TypeScript's narrowing cannot know). */
function phaseOf(call: LiveCall): CallPhase {
  return call.phase;
}

function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
