import type { AgentSnapshot, PacingObservation, PacingPolicy, PacingSnapshot } from './policy.ts';
import type { AbandonRegime } from './estimators/budget-controller.ts';
import { BudgetController } from './estimators/budget-controller.ts';
import { FloorTracker } from './estimators/floor-tracker.ts';
import { normalCdf } from './estimators/normal-cdf.ts';

export interface OutdialSettings {
  regime: AbandonRegime;
  /** Abandonment target; the snapshot's target wins when it is lower. */
  target: number;
  /** Grace before an unconnected answer is abandoned (ms). */
  graceMs: number;
  hoursPerDay: number;
  /** Starting marginal-risk threshold; default from the team size (reference §3.3: 1.65 % at 5 agents … 0.8 % at 50). */
  theta0?: number;
  /** Safety quantile on the window's binomial noise. */
  z: number;
  integralGain: number;
  proportionalGain: number;
  /** Horizon grid step (ms). */
  gridMs: number;
  /** Cold start: progressive until this many live answers and completed handles. */
  warmupAnswers: number;
  warmupHandles: number;
}

export const OUTDIAL_DEFAULTS: OutdialSettings = {
  regime: 'us30d',
  target: 0.03,
  graceMs: 2000,
  hoursPerDay: 8,
  z: 1.64,
  integralGain: 0.08,
  proportionalGain: 0.3,
  gridMs: 1000,
  warmupAnswers: 30,
  warmupHandles: 10,
};

const MAX_GRID = 120;

/**
 * Outdial's risk-budgeted look-ahead controller (reference §5). At every epoch it computes, on a short horizon grid,
 * the distribution of agents free by each instant (from each agent's elapsed talk or wrap time) and of answers from
 * the calls already in flight (from each call's age), and dials the next lead only while that call's marginal
 * probability of being abandoned, given that it is answered, stays below θ. θ is steered by the abandon budget of the
 * compliance window. While the estimates are too uncertain it dials progressively.
 */
export class OutdialPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs = 500;
  readonly tracker: FloorTracker;
  readonly budget: BudgetController;
  private readonly settings: OutdialSettings;
  private budgetReady = false;
  private lastLevel = 1;
  // Scratch arrays for the horizon grid (mean and variance of answers X(u) and free agents Y(u)).
  private readonly meanX = new Float64Array(MAX_GRID + 1);
  private readonly varX = new Float64Array(MAX_GRID + 1);
  private readonly meanY = new Float64Array(MAX_GRID + 1);
  private readonly varY = new Float64Array(MAX_GRID + 1);
  private readonly answerMass = new Float64Array(MAX_GRID + 1);
  private readonly answerCdf = new Float64Array(MAX_GRID + 1);
  private readonly wrapCdf = new Float64Array(MAX_GRID + 1);
  private readonly talkEnd = new Float64Array(MAX_GRID + 1);

  constructor(settings: Partial<OutdialSettings> = {}, name = 'outdial') {
    this.settings = { ...OUTDIAL_DEFAULTS, ...settings };
    this.name = name;
    this.tracker = new FloorTracker(this.settings.graceMs);
    this.budget = new BudgetController({
      target: this.settings.target,
      regime: this.settings.regime,
      hoursPerDay: this.settings.hoursPerDay,
      theta0: this.settings.theta0 ?? 0.0125,
      z: this.settings.z,
      integralGain: this.settings.integralGain,
      proportionalGain: this.settings.proportionalGain,
    });
    this.tracker.onLiveAnswer = (at) => this.budget.onLiveAnswer(at);
    this.tracker.onAbandon = (at) => this.budget.onAbandon(at);
  }

  observe(observation: PacingObservation): void {
    this.tracker.observe(observation);
  }

  dialLevel(): number {
    return this.lastLevel;
  }

  /** True while the policy dials progressively (cold start, or the window's budget is nearly spent). */
  isFallback(): boolean {
    const t = this.tracker;
    if (t.liveAnswers < this.settings.warmupAnswers || t.talk.count < this.settings.warmupHandles) return true;
    return this.budget.allowedRemaining() < 3;
  }

  theta(): number {
    return this.budget.theta();
  }

  decide(s: PacingSnapshot): number {
    if (!this.budgetReady) {
      this.budgetReady = true;
      if (this.settings.theta0 === undefined) {
        const n = Math.max(1, s.agents.filter((a) => a.state !== 'paused' && a.state !== 'signed_out').length);
        this.budget.resetTheta(Math.min(0.03, Math.max(0.004, 0.0165 * Math.pow(n / 5, -0.32))));
      }
    }
    this.budget.tick(s.now);
    const cap = Math.max(0, Math.min(s.dialable, s.linesFree));
    if (cap === 0) return 0;
    const inFlight = s.ringing + s.waiting + (s.analysing ?? 0);
    if (this.isFallback()) {
      const n = Math.max(0, Math.min(cap, s.readyAgents - inFlight));
      this.lastLevel = 1;
      return n;
    }
    const n = Math.min(cap, this.marginalDials(s, this.budget.theta(), cap));
    const free = Math.max(1, s.readyAgents);
    this.lastLevel = (inFlight + n) / free;
    return n;
  }

  /** How many calls to add so that each added call's abandon risk given answer stays ≤ θ (reference §5.3). */
  marginalDials(s: PacingSnapshot, theta: number, cap: number): number {
    const t = this.tracker;
    const grid = this.settings.gridMs;
    const graceSteps = Math.round(this.settings.graceMs / grid);
    // Horizon: the 95th percentile of the dial → request time (reference §5.3), plus the grace for the agents.
    const horizonMs = Math.min(t.answerTime.quantile(0.95), (MAX_GRID - graceSteps) * grid);
    const steps = Math.max(2, Math.ceil(horizonMs / grid));
    const ySteps = Math.min(MAX_GRID, steps + graceSteps);
    const p = t.demand.estimate();
    const { meanX, varX, meanY, varY, answerMass, answerCdf, wrapCdf, talkEnd } = this;

    // The new call's answer-time distribution from now (dial → request), and the wrap CDF on the grid.
    let previous = 0;
    for (let m = 0; m <= steps; m++) {
      const c = m === steps ? 1 : t.answerTime.cdf(m * grid);
      answerCdf[m] = t.answerTime.cdf(m * grid);
      answerMass[m] = c - previous;
      previous = c;
    }
    // The wrap CDF on the grid, and the step from which it is ~1 (the convolution below only needs the steps before).
    let wrapSupport = ySteps;
    for (let m = 0; m <= ySteps; m++) {
      wrapCdf[m] = t.wrap.cdf(m * grid);
      if ((wrapCdf[m] ?? 0) >= 0.999 && wrapSupport === ySteps) wrapSupport = m;
    }
    meanX.fill(0, 0, steps + 1);
    varX.fill(0, 0, steps + 1);
    meanY.fill(0, 0, ySteps + 1);
    varY.fill(0, 0, ySteps + 1);

    // Demand from calls already in flight.
    let trackedRinging = 0;
    for (const call of t.calls.values()) {
      if (call.answeredAt !== undefined) {
        const pi = t.demandAfterAnswer(call.live);
        for (let m = 0; m <= steps; m++) {
          meanX[m] = (meanX[m] ?? 0) + pi;
          varX[m] = (varX[m] ?? 0) + pi * (1 - pi);
        }
        continue;
      }
      trackedRinging++;
      const age = s.now - call.dialedAt;
      const sA = t.answerTime.survival(age);
      const sF = t.failureTime.survival(age);
      const denom = p * sA + (1 - p) * sF;
      if (denom <= 1e-12 || sA <= 1e-12) continue;
      const live = (p * sA) / denom;
      for (let m = 1; m <= steps; m++) {
        const pi = (live * (sA - t.answerTime.survival(age + m * grid))) / sA;
        meanX[m] = (meanX[m] ?? 0) + pi;
        varX[m] = (varX[m] ?? 0) + pi * (1 - pi);
      }
    }
    // Calls the engine reports that we did not see dialed: treat them as just dialed.
    const untracked = Math.max(0, s.ringing - trackedRinging);
    for (let i = 0; i < untracked; i++) this.addNewCall(p, steps);

    // Supply of agents.
    for (const agent of s.agents) this.addAgent(agent, s.now, ySteps, grid, wrapSupport, talkEnd);

    let dials = 0;
    while (dials < cap) {
      let risk = 0;
      for (let m = 0; m <= steps; m++) {
        const w = answerMass[m] ?? 0;
        if (w <= 0) continue;
        const y = Math.min(ySteps, m + graceSteps);
        const mean = (meanX[m] ?? 0) - (meanY[y] ?? 0);
        const sd = Math.sqrt((varX[m] ?? 0) + (varY[y] ?? 0));
        risk += w * (sd < 0.05 ? (mean > -0.5 ? 1 : 0) : normalCdf((mean + 0.5) / sd));
      }
      if (risk > theta) break;
      this.addNewCall(p, steps);
      dials++;
    }
    return dials;
  }

  private addNewCall(p: number, steps: number): void {
    for (let m = 0; m <= steps; m++) {
      const pi = p * (this.answerCdf[m] ?? 0);
      this.meanX[m] = (this.meanX[m] ?? 0) + pi;
      this.varX[m] = (this.varX[m] ?? 0) + pi * (1 - pi);
    }
  }

  /** Adds P(agent free by each grid instant) to Y's mean and variance. */
  private addAgent(
    agent: AgentSnapshot,
    now: number,
    ySteps: number,
    grid: number,
    wrapSupport: number,
    talkEnd: Float64Array,
  ): void {
    const wrapCdf = this.wrapCdf;
    const { meanY, varY } = this;
    const t = this.tracker;
    switch (agent.state) {
      case 'ready':
        for (let m = 0; m <= ySteps; m++) meanY[m] = (meanY[m] ?? 0) + 1;
        return;
      case 'wrap_up': {
        const elapsed = now - agent.since;
        for (let m = 0; m <= ySteps; m++) {
          const f = t.wrap.remainingCdf(elapsed, m * grid);
          meanY[m] = (meanY[m] ?? 0) + f;
          varY[m] = (varY[m] ?? 0) + f * (1 - f);
        }
        return;
      }
      case 'on_call':
      case 'reserved': {
        const elapsed = agent.state === 'on_call' ? now - agent.since : 0;
        const endsInHorizon = t.talk.remainingCdf(elapsed, ySteps * grid);
        if (endsInHorizon < 1e-4) return;
        // P(talk ends by step k), then convolve with the wrap CDF: free by m if talk ends at k ≤ m and wrap ≤ m − k.
        // Talk ends more than `wrapSupport` steps before m count in full (the wrap is over by then).
        talkEnd[0] = 0;
        for (let k = 1; k <= ySteps; k++) talkEnd[k] = t.talk.remainingCdf(elapsed, k * grid);
        for (let m = 1; m <= ySteps; m++) {
          const first = Math.max(1, m - wrapSupport);
          let f = talkEnd[first - 1] ?? 0;
          for (let k = first; k <= m; k++) f += ((talkEnd[k] ?? 0) - (talkEnd[k - 1] ?? 0)) * (wrapCdf[m - k] ?? 0);
          meanY[m] = (meanY[m] ?? 0) + f;
          varY[m] = (varY[m] ?? 0) + f * (1 - f);
        }
        return;
      }
      default:
        return;
    }
  }
}
