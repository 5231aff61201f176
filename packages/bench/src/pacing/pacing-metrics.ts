import type { AgentState } from '@outdial/core/agent/agent-state';
import type { EngineEvent } from '@outdial/core/dialer/events';
import type { EngineSink } from '@outdial/core/dialer/ports';
import type { SimCallTruth } from '@outdial/telephony/sim/sim-driver';
import { Histogram } from './histogram.ts';

export type Regime = 'us30d' | 'uk24h';

const DAY_MS = 86_400_000;
const MIN_RING_MS = 15_000;
const UK_NO_REDIAL_MS = 72 * 3_600_000;
/** Timer granularity slack when checking the grace (ms). */
const SLACK_MS = 1;

/** Per-window abandonment counts under the regime's definition. */
export interface WindowCount {
  liveAnswers: number;
  abandoned: number;
}

/** One seed's raw figures (summed over its days); the aggregator turns seeds into means and CIs. */
export interface SeedMetrics {
  seed: number;
  agentMs: number;
  handleMs: number;
  talkMs: number;
  liveConnects: number;
  calls: number;
  liveAnswers: number;
  abandoned: number;
  windows: WindowCount[];
  idleGapMs: ReturnType<Histogram['toJSON']>;
  /** CPU time of the decisions timed (a sample: see TimedPolicy). */
  decisionMicros: ReturnType<Histogram['toJSON']>;
  /** Every decision the engine asked for, timed or not. */
  decisions: number;
  violations: string[];
  violationCount: number;
  /** Calls the carrier refused as congested (at the trunk cap the engine must never dial a line the sim counts busy). */
  congested: number;
  /** First-attempt contact ids in dial order (first 200), to check that every policy met the same leads. */
  firstContacts: string[];
  /** The draws of those first 200 leads (set-up, talk, wrap, AMD error), as the simulator gave them. */
  drawFingerprint: string;
}

interface AgentTrack {
  state: AgentState;
  since: number;
  /** Current on_call is a machine held by the agent (AMD off or missed): not talk, not handle. */
  machine: boolean;
  afterMachine: boolean;
  readyAt: number;
}

/**
 * Computes the pacing benchmark's figures from the engine's own events, judged against the simulator's truth
 * (which calls were really people): occupancy, talk, connects, abandonment per compliance window, idle gaps, and
 * the two invariants the contract makes fatal (a ringing call cancelled before 15 s; an answered person kept past
 * the grace without the message), plus the UK 72-hour no-redial rule.
 */
export class PacingMetrics implements EngineSink {
  private readonly agents = new Map<string, AgentTrack>();
  private readonly windowCounts = new Map<number, WindowCount>();
  private readonly abandonedAt = new Map<string, number>();
  /** When each abandon message started (`attempt.abandoned`). */
  private readonly abandonMessageAt = new Map<string, number>();
  readonly idleGap = new Histogram(100, 12_000);
  readonly decisions = new Histogram(0.5, 20_000);
  private agentMs = 0;
  private handleMs = 0;
  private talkMs = 0;
  private liveConnects = 0;
  private calls = 0;
  private liveAnswers = 0;
  private abandoned = 0;
  private congested = 0;
  private readonly violations: string[] = [];
  private violationCount = 0;
  private readonly firstContacts: string[] = [];
  private readonly fingerprint: string[] = [];
  private readonly fingerprintIndex = new Map<string, number>();

  constructor(
    private readonly options: {
      regime: Regime;
      graceMs: number;
      start: number;
      truth: (callId: string) => SimCallTruth | undefined;
    },
  ) {}

  wants(type: EngineEvent['type']): boolean {
    return type === 'attempt.dialed' || type === 'attempt.abandoned' || type === 'attempt.ended' || type === 'agent.state';
  }

  emit(e: EngineEvent): void {
    switch (e.type) {
      case 'attempt.dialed': {
        this.calls++;
        const contact = e.attempt.contactId;
        if (e.attempt.attemptNo === 1 && this.firstContacts.length < 200) {
          this.firstContacts.push(contact);
          this.fingerprintIndex.set(e.attempt.attemptId, this.fingerprint.length);
          this.fingerprint.push('?');
        }
        if (this.options.regime !== 'uk24h') return;
        const abandonedAt = this.abandonedAt.get(contact);
        if (abandonedAt !== undefined && e.at - abandonedAt < UK_NO_REDIAL_MS) {
          this.violate(`contact ${contact} redialed ${Math.round((e.at - abandonedAt) / 60_000)} min after an abandoned call`);
        }
        return;
      }
      case 'attempt.abandoned':
        this.abandonMessageAt.set(e.attemptId, e.at);
        return;
      case 'attempt.ended':
        this.onEnded(e);
        return;
      case 'agent.state':
        this.onAgentState(e);
        return;
      default:
        return;
    }
  }

  /** Closes every agent's open interval at the end of the run. */
  finish(now: number): void {
    for (const a of this.agents.values()) this.account(a, now);
  }

  recordDecision(micros: number): void {
    this.decisions.add(micros);
  }

  result(seed: number): SeedMetrics {
    const days = [...this.windowCounts.keys()].sort((a, b) => a - b);
    const windows: WindowCount[] = [];
    if (this.options.regime === 'uk24h') {
      for (const d of days) windows.push(this.windowCounts.get(d) as WindowCount);
    } else {
      // Successive 30-day periods from the first day (a run shorter than 30 days is one period).
      const byPeriod = new Map<number, WindowCount>();
      for (const d of days) {
        const w = this.windowCounts.get(d) as WindowCount;
        const p = Math.floor(d / 30);
        const acc = byPeriod.get(p) ?? { liveAnswers: 0, abandoned: 0 };
        acc.liveAnswers += w.liveAnswers;
        acc.abandoned += w.abandoned;
        byPeriod.set(p, acc);
      }
      windows.push(...byPeriod.values());
    }
    return {
      seed,
      agentMs: this.agentMs,
      handleMs: this.handleMs,
      talkMs: this.talkMs,
      liveConnects: this.liveConnects,
      calls: this.calls,
      liveAnswers: this.liveAnswers,
      abandoned: this.abandoned,
      windows,
      idleGapMs: this.idleGap.toJSON(),
      decisionMicros: this.decisions.toJSON(),
      decisions: this.decisions.count,
      violations: this.violations.slice(0, 20),
      violationCount: this.violationCount,
      congested: this.congested,
      firstContacts: this.firstContacts,
      drawFingerprint: this.fingerprint.join(','),
    };
  }

  private onEnded(e: Extract<EngineEvent, { type: 'attempt.ended' }>): void {
    const t = this.options.truth(e.attemptId);
    const index = this.fingerprintIndex.get(e.attemptId);
    if (index !== undefined && t !== undefined) {
      // The lead's time-independent draws. Its kind may follow a time-of-day schedule (liveRateSchedule), and whether
      // AMD got it wrong depends on the kind, so both are left out; the AMD draw comes from the same stream after these.
      this.fingerprint[index] = `${Math.round(t.setupMs)}:${Math.round(t.talkMs)}:${Math.round(t.wrapMs)}`;
      this.fingerprintIndex.delete(e.attemptId);
    }
    const timing = e.timings;
    if (e.callOutcome === 'congestion') this.congested++;
    if (timing.answeredAt === null) {
      // Never answered: only the network or the dialer's ring timeout (≥ 15 s) may end it.
      if (e.by !== 'remote' && timing.ringMs < MIN_RING_MS - SLACK_MS && e.callOutcome !== 'congestion') {
        this.violate(`call ${e.attemptId} cancelled after ${timing.ringMs} ms of ringing (${e.callOutcome}, by ${e.by})`);
      }
      return;
    }
    if (t === undefined || t.kind !== 'live') return;
    const answeredAt = timing.answeredAt;
    const graceStart = this.options.regime === 'uk24h' ? answeredAt : answeredAt + t.greetingMs;
    const deadline = graceStart + this.options.graceMs + SLACK_MS;
    const falsePositive = e.amd === 'machine' || e.outcome === 'amd_hangup';
    const day = Math.floor((answeredAt - this.options.start) / DAY_MS);
    const w = this.windowCounts.get(day) ?? { liveAnswers: 0, abandoned: 0 };
    this.windowCounts.set(day, w);
    if (falsePositive) {
      // A person hung up on as a machine: under Ofcom rules an abandoned call; the US TSR counts only drops.
      if (this.options.regime === 'uk24h') {
        w.liveAnswers++;
        w.abandoned++;
        this.liveAnswers++;
        this.abandoned++;
        this.abandonedAt.set(e.contactId, answeredAt);
      }
      return;
    }
    w.liveAnswers++;
    this.liveAnswers++;
    if (e.abandoned) {
      w.abandoned++;
      this.abandoned++;
      this.abandonedAt.set(e.contactId, answeredAt);
      if (!e.abandonMessagePlayed) this.violate(`call ${e.attemptId} abandoned without the message`);
      const messageAt = this.abandonMessageAt.get(e.attemptId);
      if (messageAt !== undefined && messageAt > deadline) {
        this.violate(`call ${e.attemptId}: abandon message ${Math.round(messageAt - graceStart)} ms after the grace started`);
      }
      this.abandonMessageAt.delete(e.attemptId);
      return;
    }
    const connectedAt = timing.connectedAt;
    if (connectedAt === null) {
      // The person hung up before any agent or message: fine only if they left within the grace.
      if (timing.endedAt > deadline) this.violate(`call ${e.attemptId}: person waited past the grace without the message`);
      return;
    }
    if (connectedAt > deadline) {
      this.violate(`call ${e.attemptId}: connected ${Math.round(connectedAt - graceStart)} ms after the grace started, no message`);
    }
  }


  private onAgentState(e: Extract<EngineEvent, { type: 'agent.state' }>): void {
    const now = e.at;
    let a = this.agents.get(e.agentId);
    if (a === undefined) {
      a = { state: e.from, since: now, machine: false, afterMachine: false, readyAt: -1 };
      this.agents.set(e.agentId, a);
    }
    this.account(a, now);
    if (e.to === 'on_call') {
      const t = e.callId !== null ? this.options.truth(e.callId) : undefined;
      a.machine = t !== undefined && t.kind === 'machine';
      if (!a.machine) this.liveConnects++;
    }
    if (e.to === 'wrap_up') a.afterMachine = a.machine;
    if (e.to === 'ready') a.readyAt = now;
    else if (e.to === 'reserved' && e.reason === 'call_assigned' && a.readyAt >= 0) {
      this.idleGap.add(now - a.readyAt);
      a.readyAt = -1;
    } else if (e.to !== 'reserved') a.readyAt = -1;
    a.state = e.to;
    a.since = now;
  }

  private account(a: AgentTrack, now: number): void {
    const dt = now - a.since;
    a.since = now;
    if (dt <= 0) return;
    switch (a.state) {
      case 'ready':
      case 'reserved':
        this.agentMs += dt;
        return;
      case 'on_call':
        this.agentMs += dt;
        if (!a.machine) {
          this.handleMs += dt;
          this.talkMs += dt;
        }
        return;
      case 'wrap_up':
        this.agentMs += dt;
        if (!a.afterMachine) this.handleMs += dt;
        return;
      default:
        return;
    }
  }

  private violate(message: string): void {
    this.violationCount++;
    if (this.violations.length < 20) this.violations.push(message);
  }
}
