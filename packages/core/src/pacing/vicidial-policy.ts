import type { PacingObservation, PacingPolicy, PacingSnapshot } from './policy.ts';

export type VicidialMethod = 'HARD_LIMIT' | 'TAPERED' | 'AVERAGE';

export interface VicidialSettings {
  method: VicidialMethod;
  /** adaptive_maximum_level. */
  maxLevel: number;
  /** available_only_ratio_tally: count only READY agents in the placement budget. */
  availableOnlyTally: boolean;
  /** adaptive_dropped_percentage (percent, of today's answered calls). */
  dropLimit: number;
  /** adaptive_intensity, −40..+40. */
  intensity: number;
  /** adaptive_dl_diff_target, −40..+40. */
  diffTarget: number;
  /** Starting auto_dial_level (what VICIdial stores when a campaign is saved in an ADAPT mode). */
  startLevel: number;
  /** adaptive_latest_server_time (HHMM), TAPERED only. */
  latestServerTime: number;
  /** ofcom_uk_drop_calc. */
  ofcomUk: boolean;
  /** Minutes to add to UTC for the server's local time (today's boundary and TAPERED's HHMM). */
  utcOffsetMinutes: number;
}

export const VICIDIAL_DEFAULTS: VicidialSettings = {
  method: 'HARD_LIMIT',
  maxLevel: 3,
  availableOnlyTally: false,
  dropLimit: 3,
  intensity: 0,
  diffTarget: 0,
  startLevel: 1,
  latestServerTime: 2100,
  ofcomUk: false,
  utcOffsetMinutes: 0,
};

/** VICIdial's own timing (reference §2.2.8). */
export const VICIDIAL_TIMING = {
  sampleMs: 1000,
  windowSamples: 15,
  levelUpdateMs: 15_000,
  dropStatsMs: 60_000,
  placementMs: 2500,
} as const;

const DAY_MS = 86_400_000;

interface Sample {
  ready: number;
  waiting: number;
  total: number;
}

/** A level change, kept for tests and the supervisor's display. */
export interface LevelUpdate {
  at: number;
  level: number;
  differential: number;
  avgAgents: number;
  dropPctToday: number;
}

/**
 * VICIdial's adaptive predictive dialing (ADAPT_HARD_LIMIT / TAPERED / AVERAGE), re-described from reference §2.2 with
 * its own clocks: a controller that samples the floor every second into a 15-sample window, rewrites the dial level
 * multiplicatively every 15 s from the idle-agent differential, brakes on today's drop percentage (refreshed every
 * 60 s, after 50 calls), and a placement loop that every 2.5 s keeps round(level × agents) − existing lines going.
 *
 * The engine asks on every change and on the 2.5-s tick; between its own placement instants the policy places
 * nothing. Samples between two calls use the last snapshot seen: the engine asks after every change, so the floor
 * is constant in between.
 */
export class VicidialPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs = VICIDIAL_TIMING.placementMs;
  readonly updates: LevelUpdate[] = [];
  private readonly settings: VicidialSettings;
  private level: number;
  private started: number | undefined;
  private nextSampleAt = 0;
  private nextLevelAt = 0;
  private nextDropStatsAt = 0;
  private nextPlacementAt = 0;
  /** The floor at the last decision (ready agents, waiting calls, agents), sampled once a second; −1: none yet. */
  private lastReady = -1;
  private lastWaiting = 0;
  private lastTotal = 0;
  private readonly samples: Sample[] = [];
  // Counters "today" (since local midnight), as the call log would give them.
  private day: number | undefined;
  private callsToday = 0;
  private answersToday = 0;
  private dropsToday = 0;
  private agentHandledToday = 0;
  private machinesToAgentToday = 0;
  private readonly recentCalls: number[] = [];
  private readonly recentDrops: number[] = [];
  private readonly answeredLive = new Map<string, boolean>();
  // Drop statistics as last refreshed (every 60 s).
  private stats = { callsToday: 0, dropPctToday: 0, callsLastMin: 0, dropPctLastMin: 0 };

  constructor(settings: Partial<VicidialSettings> = {}, name = 'vicidial') {
    this.settings = { ...VICIDIAL_DEFAULTS, ...settings };
    this.level = Math.max(1, this.settings.startLevel);
    this.name = name;
  }

  dialLevel(): number {
    return this.level;
  }

  observe(o: PacingObservation): void {
    this.advance(o.at);
    this.rollDay(o.at);
    switch (o.type) {
      case 'dialed':
        this.callsToday++;
        this.recentCalls.push(o.at);
        return;
      case 'answered':
        this.answeredLive.set(o.callId, o.live);
        return;
      case 'connected':
        if (this.answeredLive.get(o.callId) === false) this.machinesToAgentToday++;
        else {
          this.answersToday++;
          this.agentHandledToday++;
        }
        this.answeredLive.delete(o.callId);
        return;
      case 'abandoned':
        this.answersToday++;
        this.dropsToday++;
        this.recentDrops.push(o.at);
        this.answeredLive.delete(o.callId);
        return;
      case 'not-answered':
      case 'call-ended':
        this.answeredLive.delete(o.callId);
        return;
      default:
        return;
    }
  }

  decide(s: PacingSnapshot): number {
    this.advance(s.now);
    this.rollDay(s.now);
    // Kept as numbers: a sample object per decision (several a second) would only be garbage; one is made per 1-s sample.
    this.lastReady = readyOf(s);
    this.lastWaiting = s.waiting;
    this.lastTotal = s.agents.length;
    if (s.now < this.nextPlacementAt) return 0;
    while (this.nextPlacementAt <= s.now) this.nextPlacementAt += VICIDIAL_TIMING.placementMs;
    return this.placement(s);
  }

  /** The placement budget (reference §2.2.6), single server. */
  placement(s: PacingSnapshot): number {
    let ready = 0;
    let inCall = 0;
    for (const a of s.agents) {
      if (a.state === 'ready') ready++;
      else if (a.state === 'on_call' || a.state === 'reserved') inCall++;
    }
    // Wrap-up is VICIdial's disposition screen, a PAUSED status: not counted by the placement loop.
    const agents = this.settings.availableOnlyTally ? ready : ready + inCall;
    // Available-only mode adds the calls already with agents to the goal, so they do not eat the ready agents' lines.
    const goal = roundHalfEven(this.level * agents + (this.settings.availableOnlyTally ? inCall : 0));
    const existing = s.ringing + s.waiting + (s.analysing ?? 0) + inCall;
    const make = Math.min(goal - existing, s.linesFree, s.dialable);
    return Math.max(0, make);
  }

  /** Runs the controller's 1-s samples, 60-s drop statistics and 15-s level updates up to (not including) `now`. */
  private advance(now: number): void {
    if (this.started === undefined) {
      this.started = now;
      this.nextSampleAt = now;
      this.nextDropStatsAt = now;
      this.nextLevelAt = now + VICIDIAL_TIMING.levelUpdateMs;
      this.nextPlacementAt = now;
    }
    for (;;) {
      const at = Math.min(this.nextSampleAt, this.nextLevelAt, this.nextDropStatsAt);
      // Instants at `now` wait for the next call: the floor at `now` is only known once the engine has asked.
      if (at >= now) return;
      if (at === this.nextSampleAt) {
        if (this.lastReady >= 0) {
          this.samples.push({ ready: this.lastReady, waiting: this.lastWaiting, total: this.lastTotal });
          if (this.samples.length > VICIDIAL_TIMING.windowSamples) this.samples.shift();
        }
        this.nextSampleAt += VICIDIAL_TIMING.sampleMs;
      } else if (at === this.nextDropStatsAt) {
        this.refreshDropStats(at);
        this.nextDropStatsAt += VICIDIAL_TIMING.dropStatsMs;
      } else {
        this.updateLevel(at);
        this.nextLevelAt += VICIDIAL_TIMING.levelUpdateMs;
      }
    }
  }

  private refreshDropStats(at: number): void {
    while ((this.recentCalls[0] ?? at) < at - 60_000) this.recentCalls.shift();
    while ((this.recentDrops[0] ?? at) < at - 60_000) this.recentDrops.shift();
    let dropPctToday: number;
    if (this.settings.ofcomUk) {
      const handled = this.agentHandledToday;
      const am = this.machinesToAgentToday;
      const amShare = handled + am > 0 ? am / (handled + am) : 0;
      const adjusted = this.dropsToday * (1 - amShare);
      dropPctToday = handled + adjusted > 0 ? (adjusted / (handled + adjusted)) * 100 : 0;
    } else {
      dropPctToday = (this.dropsToday / Math.max(this.answersToday, 1)) * 100;
    }
    const callsLastMin = this.recentCalls.length;
    this.stats = {
      callsToday: this.callsToday,
      dropPctToday: Math.round(dropPctToday * 100) / 100,
      callsLastMin,
      dropPctLastMin: callsLastMin > 0 ? (this.recentDrops.length / callsLastMin) * 100 : 0,
    };
  }

  /** The dial-level update (reference §2.2.3). */
  private updateLevel(at: number): void {
    const n = this.samples.length;
    if (n === 0) return;
    let ready = 0;
    let waiting = 0;
    let total = 0;
    for (const sample of this.samples) {
      ready += sample.ready;
      waiting += sample.waiting;
      total += sample.total;
    }
    const avgAgents = total / n;
    if (avgAgents <= 0) return;
    const differential = ready / n - waiting / n;
    const error = differential + this.settings.diffTarget;
    const m = error !== 0 ? error / avgAgents : 0;
    const k = this.settings.intensity / 100;
    const weighted = m < 0 ? m * (1 - k) : m * (1 + k);
    let next = Math.round(this.level * (1 + weighted) * 1000) / 1000;
    next = Math.max(1, Math.min(next, this.settings.maxLevel));
    if (this.stats.callsLastMin > 20 && this.stats.dropPctLastMin > 50) next /= 2;
    if (this.stats.callsToday > 50 && this.stats.dropPctToday > this.settings.dropLimit) {
      switch (this.settings.method) {
        case 'HARD_LIMIT':
          next = 1;
          break;
        case 'AVERAGE':
          next /= 2;
          break;
        case 'TAPERED': {
          const left = this.settings.latestServerTime - this.hhmm(at);
          next = left < 0 ? 1 : next * Math.min(1, left / 1000);
          break;
        }
      }
    }
    this.level = Math.max(1, next);
    this.updates.push({ at, level: this.level, differential, avgAgents, dropPctToday: this.stats.dropPctToday });
    if (this.updates.length > 256) this.updates.shift();
  }

  /** Local wall-clock time as an HHMM integer, the way VICIdial subtracts it. */
  private hhmm(at: number): number {
    const local = at + this.settings.utcOffsetMinutes * 60_000;
    const minutes = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
    return Math.floor(minutes / 60) * 100 + (minutes % 60);
  }

  private rollDay(at: number): void {
    const day = Math.floor((at + this.settings.utcOffsetMinutes * 60_000) / DAY_MS);
    if (this.day === day) return;
    this.day = day;
    this.callsToday = 0;
    this.answersToday = 0;
    this.dropsToday = 0;
    this.agentHandledToday = 0;
    this.machinesToAgentToday = 0;
  }
}

function readyOf(s: PacingSnapshot): number {
  const agents = s.agents;
  let ready = 0;
  for (let i = 0; i < agents.length; i++) if ((agents[i] as (typeof agents)[number]).state === 'ready') ready++;
  return ready;
}

/** Perl's sprintf("%.0f"): round half to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (Math.abs(diff - 0.5) < 1e-9) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(x);
}
