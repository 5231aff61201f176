import type { PacingObservation, PacingPolicy, PacingSnapshot } from './policy.ts';
import type { AbandonRegime } from './estimators/budget-controller.ts';
import { BudgetController } from './estimators/budget-controller.ts';
import { FloorTracker, SHORT_TALK_MS, WRAP_CLASSES } from './estimators/floor-tracker.ts';
import { normalCdf, normalPdf } from './estimators/normal-cdf.ts';
import { Stamp } from './stamp.ts';
import { convolveTalkWithWrap } from './talk-wrap-convolution.ts';

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
  /**
   * Over-dispersion of the abandons still to come (variance / binomial variance): the safety margin is the smaller of
   * z binomial s.d. of the whole window and z s.d. of the rest of the window with this dispersion (not below half the
   * former). Default: none, the whole window's margin, in both regimes. With 3, S1 and S6 gain 1–3 points under
   * uk24h, but AMD-off S4 and S5 ended 4 days in 20 above 3 % (2 × 10 days); under us30d one S1 or S6 30-day window
   * in four ended just over 3 %.
   */
  dispersion?: number;
  integralGain: number;
  proportionalGain: number;
  /** Horizon grid step (ms). */
  gridMs: number;
  /** Decision tick without an event (ms): calls age and talks go on between events, so the risk changes. */
  tickMs: number;
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
  integralGain: 0.03,
  proportionalGain: 0.1,
  gridMs: 1000,
  tickMs: 1000,
  warmupAnswers: 30,
  warmupHandles: 10,
};

const MAX_GRID = 120;
/** Elapsed times are counted in grid steps up to this (longer ones share the last step). */
const MAX_AGE_STEPS = 8192;
/** Teams up to this size get exact (Poisson-binomial) risk instead of the normal approximation. */
const EXACT_TEAM = 20;
/** Largest count the exact distributions hold. */
const EXACT_MAX = 160;
/** Steps of the machine-request cumulative (dial → request time); later times share the last step. */
const MACHINE_STEPS = 512;

/** An elapsed time in whole grid steps (rounded), capped to the step tables. */
function stepOf(ms: number, grid: number): number {
  return Math.min(MAX_AGE_STEPS - 1, Math.max(0, Math.round(ms / grid)));
}

/**
 * Outdial's risk-budgeted look-ahead controller (reference §5). At every epoch it computes, on a short horizon grid,
 * the distribution of agents free by each instant (from each agent's elapsed talk or wrap time) and of answers from
 * the calls already in flight (from each call's age), and dials the next lead only while that call's marginal
 * probability of being abandoned, given that it is answered, stays below θ. θ is steered by the abandon budget of the
 * compliance window. While the estimates are too uncertain it dials progressively.
 */
export class OutdialPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs: number;
  readonly tracker: FloorTracker;
  readonly budget: BudgetController;
  private readonly settings: OutdialSettings;
  private budgetReady = false;
  private lastFallback = true;
  private lastLevel = 1;
  // Scratch arrays for the horizon grid (mean and variance of answers X(u) and free agents Y(u)).
  private readonly meanX = new Float64Array(MAX_GRID + 1);
  private readonly varX = new Float64Array(MAX_GRID + 1);
  private readonly meanY = new Float64Array(MAX_GRID + 1);
  private readonly varY = new Float64Array(MAX_GRID + 1);
  /** Third central moment of X(u) − Y(u + D), for the skew correction of the normal approximation. */
  private readonly skewX = new Float64Array(MAX_GRID + 1);
  private readonly skewY = new Float64Array(MAX_GRID + 1);
  private readonly answerMass = new Float64Array(MAX_GRID + 1);
  private readonly answerCdf = new Float64Array(MAX_GRID + 1);
  /** Wrap-up CDF on the grid per wrap class (after a short call, after a long one). */
  private readonly wrapCdfs = Array.from({ length: WRAP_CLASSES }, () => new Float64Array(MAX_GRID + 1));
  private readonly talkEnd = new Float64Array(MAX_GRID + 1);
  private readonly talkMass = new Float64Array(MAX_GRID + 1);
  // Counts per elapsed-time step (typed arrays, with the list of steps touched) and cached rows per step.
  private readonly ringCounts = new Int32Array(MAX_AGE_STEPS);
  private readonly talkCounts = new Int32Array(MAX_AGE_STEPS);
  /** Agents in wrap-up per (class, elapsed step), at class · MAX_AGE_STEPS + step. */
  private readonly wrapCounts = new Int32Array(MAX_AGE_STEPS * WRAP_CLASSES);
  private readonly touched = new Int32Array(MAX_AGE_STEPS * (2 + WRAP_CLASSES));
  private talkRows: Array<Float64Array | undefined> = [];
  /** Rows of agents on a call known to be a person's (index 0) or a machine's (index 1) talk distribution. */
  private kindRows: Array<Array<Float64Array | undefined>> = [[], []];
  private readonly kindStamp = new Stamp();
  /** Per-agent rows (a call's own person/machine mix), reused across decisions. */
  private readonly mixRows: Float64Array[] = [];
  private wrapRows: Array<Float64Array | undefined> = [];
  private ringRows: Array<Float64Array | undefined> = [];
  private readonly talkStamp = new Stamp();
  // Exact mode (small teams): the Bernoulli groups behind the moments, kept to convolve the exact distributions.
  private exact = false;
  private readonly xItems: Array<{ row: Float64Array; scale: number; count: number; from: number }> = [];
  private readonly yItems: Array<{ row: Float64Array; count: number }> = [];
  private readonly distX = new Float64Array((MAX_GRID + 1) * (EXACT_MAX + 2));
  private readonly sizeX = new Int32Array(MAX_GRID + 1);
  private readonly cdfY = new Float64Array((MAX_GRID + 1) * (EXACT_MAX + 2));
  private readonly sizeY = new Int32Array(MAX_GRID + 1);
  private readonly newCallRow = new Float64Array(MAX_GRID + 1);
  /**
   * Machines that reach an agent (AMD off, or missed) hold the agent only briefly and free them again: a call that
   * asks for an agent at v and is a machine no longer counts as demand from v + hold − grace on. `machineCum[k]`:
   * P(the call asks for an agent by step k and is a machine | it asks), from the answer-time distribution and the
   * machine share by request time; `machineBack`: the steps after its request from which a machine's agent serves a
   * later answer (−1: no machine seen, nothing returns).
   */
  private readonly machineCum = new Float64Array(MACHINE_STEPS + 1);
  private readonly machineStamp = new Stamp();
  /** Bumped whenever `machineCum` is rebuilt, for the caches derived from it. */
  private machineCumVersion = 0;
  private machineBack = -1;
  /** The new call's demand row: P(it asks by m) minus P(it was a machine whose agent is back by m + grace). */
  private readonly newCallCdf = new Float64Array(MAX_GRID + 1);
  private readonly wrapStamp = new Stamp();
  private readonly wrapCdfStamp = new Stamp();
  private wrapSupport = 0;
  private readonly ringStamp = new Stamp();
  /** The horizon quantile of the answer-time distribution, per version of it. */
  private readonly horizonStamp = new Stamp();
  private horizonQuantileMs = 0;
  /** `answerCdf` and `answerMass`: per answer-time version, horizon and machine-share sample. */
  private readonly answerStamp = new Stamp();
  /** `newCallCdf`: per answer rows and machine returns. */
  private readonly newCallStamp = new Stamp();
  /** The 99th percentile of a machine's hold (a linear scan of its table), per version of it. */
  private readonly machineTalkStamp = new Stamp();
  private machineTalkQuantileMs = 0;

  constructor(settings: Partial<OutdialSettings> = {}, name = 'outdial') {
    this.settings = { ...OUTDIAL_DEFAULTS, ...settings };
    this.name = name;
    this.tickMs = this.settings.tickMs;
    this.tracker = new FloorTracker(this.settings.graceMs);
    // No shrink unless asked for (`od`): with d = 3 under uk24h, AMD-off S4 and S5 ended 4 days in 20 above 3 %.
    const dispersion = this.settings.dispersion;
    this.budget = new BudgetController({
      target: this.settings.target,
      regime: this.settings.regime,
      hoursPerDay: this.settings.hoursPerDay,
      theta0: this.settings.theta0 ?? 0.0125,
      z: this.settings.z,
      ...(dispersion === undefined ? {} : { dispersion }),
      integralGain: this.settings.integralGain,
      proportionalGain: this.settings.proportionalGain,
    });
    this.tracker.onLiveAnswer = (at) => this.budget.onLiveAnswer(at);
    this.tracker.onAbandon = (at, person) => this.budget.onAbandon(at, person);
    this.tracker.onLiveCorrection = (at, delta) => this.budget.correctLive(at, delta);
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
    return this.budget.spent();
  }

  theta(): number {
    return this.budget.theta();
  }

  decide(s: PacingSnapshot): number {
    // Only staffed time counts towards the window's dialing hours; θ is steered only while it is in use.
    const staffed = s.agents.some((a) => a.state !== 'paused' && a.state !== 'signed_out');
    this.budget.tick(s.now, staffed, staffed && !this.lastFallback);
    this.lastFallback = this.isFallback();
    const cap = Math.max(0, Math.min(s.dialable, s.linesFree));
    if (cap === 0) return 0;
    const inFlight = s.ringing + s.waiting + (s.analysing ?? 0);
    if (this.lastFallback) {
      const n = Math.max(0, Math.min(cap, s.readyAgents - inFlight));
      this.lastLevel = 1;
      return n;
    }
    if (!this.budgetReady) {
      // Leaving the cold start: size the first θ by the team (the tuned θ falls with N, reference §3.3).
      this.budgetReady = true;
      if (this.settings.theta0 === undefined) {
        const n = Math.max(1, s.agents.filter((a) => a.state !== 'paused' && a.state !== 'signed_out').length);
        this.budget.resetTheta(Math.min(0.03, Math.max(0.004, 0.016 * Math.pow(n / 10, -0.3))));
      }
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
    if (this.horizonStamp.changed(t.answerTime.version)) this.horizonQuantileMs = t.answerTime.quantile(0.95);
    const horizonMs = Math.min(this.horizonQuantileMs, (MAX_GRID - graceSteps) * grid);
    const steps = Math.max(2, Math.ceil(horizonMs / grid));
    const ySteps = Math.min(MAX_GRID, steps + graceSteps);
    const p = t.demand.estimate();
    const { meanX, varX, skewX, meanY, varY, skewY, answerCdf, wrapCdfs } = this;
    this.exact = s.agents.length <= EXACT_TEAM;
    this.xItems.length = 0;
    this.yItems.length = 0;
    let xShift = 0;

    // The new call's answer-time distribution from now (dial → request). The machine share changes with every
    // disposition, so its sample size is part of the key.
    if (this.answerStamp.changed(t.answerTime.version, steps, grid, t.machineShare.count)) this.fillAnswerRows(steps, grid);
    // Wrap CDFs on the grid, refreshed only when a wrap distribution changes. wrapSupport: the step from which every
    // class's wrap CDF is ~1 (the talk-row convolution only needs the steps before).
    const wrapVersion0 = (t.wrapAfter[0] ?? t.wrap).version;
    const wrapVersion1 = (t.wrapAfter[WRAP_CLASSES - 1] ?? t.wrap).version;
    if (this.wrapCdfStamp.changed(wrapVersion0, wrapVersion1, ySteps, grid)) {
      let wrapSupport = 0;
      for (let c = 0; c < WRAP_CLASSES; c++) {
        const cdf = wrapCdfs[c] as Float64Array;
        const dist = t.wrapAfter[c] ?? t.wrap;
        let support = ySteps;
        for (let m = 0; m <= ySteps; m++) {
          const v = dist.cdf(m * grid);
          cdf[m] = v;
          if (v >= 0.999 && support === ySteps) support = m;
        }
        wrapSupport = Math.max(wrapSupport, support);
      }
      this.wrapSupport = wrapSupport;
    }
    const wrapSupport = this.wrapSupport;
    meanX.fill(0, 0, steps + 1);
    varX.fill(0, 0, steps + 1);
    skewX.fill(0, 0, steps + 1);
    meanY.fill(0, 0, ySteps + 1);
    varY.fill(0, 0, ySteps + 1);
    skewY.fill(0, 0, ySteps + 1);

    // Rows (per elapsed-time step) derived from the distributions are cached until a distribution they use refreshes.
    if (this.talkStamp.changed(t.talk.version, wrapVersion0, wrapVersion1, ySteps, grid)) this.talkRows = [];
    if (this.kindStamp.changed(t.talkPerson.version, t.talkMachine.version, wrapVersion0, wrapVersion1, ySteps, grid)) {
      this.kindRows = [[], []];
    }
    // Agents early in a call whose request time says whether a person or a machine is likely on it: their own mix.
    const knowKinds = t.talkPerson.count >= 30 && t.talkMachine.count >= 30;
    if (this.machineTalkStamp.changed(t.talkMachine.version)) this.machineTalkQuantileMs = t.talkMachine.quantile(0.99);
    const kindCut = knowKinds ? Math.ceil(this.machineTalkQuantileMs / grid) + 1 : -1;
    let mixUsed = 0;
    if (this.wrapStamp.changed(wrapVersion0, wrapVersion1, ySteps, grid)) this.wrapRows = [];
    this.refreshMachineReturns(grid, graceSteps);
    const back = this.machineBack;
    if (this.newCallStamp.changed(this.answerStamp.version, this.machineCumVersion, back)) {
      for (let m = 0; m <= steps; m++) {
        this.newCallCdf[m] = Math.max(0, (answerCdf[m] ?? 0) - (back > 0 && m > back ? this.machineAt(m - back) : 0));
      }
    }
    if (this.ringStamp.changed(t.answerTime.version, t.failureTime.version, this.machineCumVersion, back, steps, grid)) {
      this.ringRows = [];
    }
    const { ringCounts, talkCounts, wrapCounts, touched } = this;

    // Demand from calls already in flight: answered ones at once, ringing ones by their posterior and age.
    let nTouched = 0;
    let trackedRinging = 0;
    let answered = 0;
    for (const call of t.calls.values()) {
      if (call.answeredAt !== undefined) {
        answered += t.demandAfterAnswer(call.live);
        continue;
      }
      trackedRinging++;
      const step = stepOf(s.now - call.dialedAt, grid);
      if (ringCounts[step] === 0) touched[nTouched++] = step;
      ringCounts[step] = (ringCounts[step] ?? 0) + 1;
    }
    if (answered > 0) for (let m = 0; m <= steps; m++) this.meanX[m] = (this.meanX[m] ?? 0) + answered;
    xShift = Math.round(answered);
    for (let i = 0; i < nTouched; i++) {
      const step = touched[i] ?? 0;
      const count = ringCounts[step] ?? 0;
      ringCounts[step] = 0;
      const row = this.ringRow(step, steps, grid);
      const sA = row[steps + 1] ?? 0;
      const sF = row[steps + 2] ?? 0;
      const denom = p * sA + (1 - p) * sF;
      if (denom <= 1e-12 || sA <= 1e-12) continue;
      this.addRow(meanX, varX, skewX, row, (p * sA) / denom, count, 1, steps);
    }
    // Calls the engine reports that we did not see dialed: treat them as just dialed.
    const untracked = Math.max(0, s.ringing - trackedRinging);
    for (let i = 0; i < untracked; i++) this.addNewCall(p, steps);

    // Supply of agents, grouped by state and elapsed step (talk steps are stored as step + 1, wrap-up as
    // −(class · MAX_AGE_STEPS + step + 1)).
    nTouched = 0;
    let ready = 0;
    for (const agent of s.agents) {
      switch (agent.state) {
        case 'ready':
          ready++;
          break;
        case 'wrap_up': {
          const key = t.wrapClass(agent.agentId) * MAX_AGE_STEPS + stepOf(s.now - agent.since, grid);
          if (wrapCounts[key] === 0) touched[nTouched++] = -(key + 1);
          wrapCounts[key] = (wrapCounts[key] ?? 0) + 1;
          break;
        }
        case 'on_call':
        case 'reserved': {
          const step = agent.state === 'on_call' ? stepOf(s.now - agent.since, grid) : 0;
          const q = step < kindCut ? t.callMachineProbability(agent.agentId) : undefined;
          if (q !== undefined) {
            // Posterior that the call is a machine given it has lasted `step`, then the mix of the two rows.
            const sM = t.talkMachine.survival(step * grid);
            const sP = t.talkPerson.survival(step * grid);
            const denom = q * sM + (1 - q) * sP;
            if (denom > 1e-12) {
              const qm = (q * sM) / denom;
              const rowM = this.talkRow(step, ySteps, grid, wrapSupport, 1);
              const rowP = this.talkRow(step, ySteps, grid, wrapSupport, 0);
              let mix = this.mixRows[mixUsed];
              if (mix === undefined || mix.length < ySteps + 1) {
                mix = new Float64Array(MAX_GRID + 1);
                this.mixRows[mixUsed] = mix;
              }
              mixUsed++;
              for (let m = 0; m <= ySteps; m++) mix[m] = qm * (rowM[m] ?? 0) + (1 - qm) * (rowP[m] ?? 0);
              this.addRow(meanY, varY, skewY, mix, 1, 1, 0, ySteps);
              break;
            }
          }
          if (talkCounts[step] === 0) touched[nTouched++] = step + 1;
          talkCounts[step] = (talkCounts[step] ?? 0) + 1;
          break;
        }
        default:
          break;
      }
    }
    if (ready > 0) for (let m = 0; m <= ySteps; m++) meanY[m] = (meanY[m] ?? 0) + ready;
    for (let i = 0; i < nTouched; i++) {
      const key = touched[i] ?? 0;
      if (key < 0) {
        const wrapKey = -key - 1;
        this.addRow(meanY, varY, skewY, this.wrapRow(wrapKey, ySteps, grid), 1, wrapCounts[wrapKey] ?? 0, 0, ySteps);
        wrapCounts[wrapKey] = 0;
      } else {
        const step = key - 1;
        this.addRow(meanY, varY, skewY, this.talkRow(step, ySteps, grid, wrapSupport), 1, talkCounts[step] ?? 0, 0, ySteps);
        talkCounts[step] = 0;
      }
    }

    let dials = 0;
    if (this.exact && this.buildExact(steps, ySteps, graceSteps, xShift - ready)) {
      for (let m = 0; m <= steps; m++) this.newCallRow[m] = p * (this.newCallCdf[m] ?? 0);
      while (dials < cap) {
        if (this.exactRisk(steps, ySteps, graceSteps, xShift - ready) > theta) break;
        if (!this.convolveX(this.newCallRow, 1, 1, 0, steps)) break;
        dials++;
      }
      return dials;
    }
    while (dials < cap) {
      if (this.risk(steps, ySteps, graceSteps, theta) > theta) break;
      this.addNewCall(p, steps);
      dials++;
    }
    return dials;
  }

  /**
   * P(the new call finds no agent | answered): Σ_u P(answer at u) · P(X(u) ≥ Y(u + D)), with X − Y approximated by a
   * normal with a skewness correction (Edgeworth, first term) and a continuity correction.
   */
  private risk(steps: number, ySteps: number, graceSteps: number, theta: number): number {
    const { meanX, varX, skewX, meanY, varY, skewY, answerMass } = this;
    let risk = 0;
    for (let m = 0; m <= steps; m++) {
      const w = answerMass[m] ?? 0;
      if (w <= 0) continue;
      const y = Math.min(ySteps, m + graceSteps);
      const mean = (meanX[m] ?? 0) - (meanY[y] ?? 0);
      const variance = (varX[m] ?? 0) + (varY[y] ?? 0);
      if (variance < 0.0025) {
        risk += w * (mean > -0.5 ? 1 : 0);
        continue;
      }
      const sd = Math.sqrt(variance);
      // P(Z ≥ 0) for integer Z = P(Z > −0.5).
      const z = (-0.5 - mean) / sd;
      const gamma = ((skewX[m] ?? 0) - (skewY[y] ?? 0)) / (variance * sd);
      const below = normalCdf(z) - (gamma / 6) * (z * z - 1) * normalPdf(z);
      risk += w * Math.min(1, Math.max(0, 1 - below));
      // Every term is ≥ 0, so a rounded partial sum never exceeds the full one: past θ the answer is known.
      if (risk > theta) return risk;
    }
    return risk;
  }

  /**
   * The new call's answer-time CDF on the grid from now, and its mass per step weighed by P(a person answers then):
   * only people count in the abandonment rate (a machine that finds no agent is no abandoned call, and it would only
   * have held an agent), unless people are too rare among the answers to say when they answer.
   */
  private fillAnswerRows(steps: number, grid: number): void {
    const t = this.tracker;
    const { answerMass, answerCdf } = this;
    let previous = 0;
    for (let m = 0; m <= steps; m++) {
      const c = t.answerTime.cdf(m * grid);
      answerCdf[m] = c;
      const upTo = m === steps ? 1 : c;
      answerMass[m] = upTo - previous;
      previous = upTo;
    }
    if (t.machineShare.count > 0) {
      let total = 0;
      for (let m = 0; m <= steps; m++) total += (answerMass[m] ?? 0) * t.personProbability(Math.max(0, m - 0.5) * grid);
      if (total > 0.05) {
        for (let m = 0; m <= steps; m++) {
          answerMass[m] = ((answerMass[m] ?? 0) * t.personProbability(Math.max(0, m - 0.5) * grid)) / total;
        }
      }
    }
  }

  private addX(m: number, pi: number): void {
    const v = pi * (1 - pi);
    this.meanX[m] = (this.meanX[m] ?? 0) + pi;
    this.varX[m] = (this.varX[m] ?? 0) + v;
    this.skewX[m] = (this.skewX[m] ?? 0) + v * (1 - 2 * pi);
  }

  private addY(m: number, f: number): void {
    const v = f * (1 - f);
    this.meanY[m] = (this.meanY[m] ?? 0) + f;
    this.varY[m] = (this.varY[m] ?? 0) + v;
    this.skewY[m] = (this.skewY[m] ?? 0) + v * (1 - 2 * f);
  }

  private addNewCall(p: number, steps: number): void {
    for (let m = 0; m <= steps; m++) this.addX(m, p * (this.newCallCdf[m] ?? 0));
    if (this.exact) this.xItems.push({ row: this.newCallCdf, scale: p, count: 1, from: 0 });
  }

  /**
   * Exact distributions for small teams: X(m) (requests by step m, Poisson-binomial over the calls in flight) and the
   * CDF of Y (agents free by step y, over the busy agents). Returns false when the counts exceed the table.
   */
  private buildExact(steps: number, ySteps: number, _graceSteps: number, _shift: number): boolean {
    const W = EXACT_MAX + 2;
    const { distX, sizeX, cdfY, sizeY } = this;
    for (let m = 0; m <= steps; m++) {
      distX.fill(0, m * W, m * W + W);
      distX[m * W] = 1;
      sizeX[m] = 0;
    }
    for (const item of this.xItems) if (!this.convolveX(item.row, item.scale, item.count, item.from, steps)) return false;
    let agents = 0;
    for (const item of this.yItems) agents += item.count;
    if (agents > EXACT_MAX) return false;
    const pdf = new Float64Array(W);
    for (let y = 0; y <= ySteps; y++) {
      pdf.fill(0);
      pdf[0] = 1;
      let size = 0;
      for (const item of this.yItems) {
        const f = item.row[y] ?? 0;
        for (let c = 0; c < item.count; c++) {
          size++;
          for (let k = size; k >= 1; k--) pdf[k] = (pdf[k] ?? 0) * (1 - f) + (pdf[k - 1] ?? 0) * f;
          pdf[0] = (pdf[0] ?? 0) * (1 - f);
        }
      }
      let acc = 0;
      for (let k = 0; k <= size; k++) {
        acc += pdf[k] ?? 0;
        cdfY[y * W + k] = acc;
      }
      sizeY[y] = size;
    }
    return true;
  }

  /** Adds `count` Bernoullis with probabilities scale·row[m] to X's exact distributions. */
  private convolveX(row: Float64Array, scale: number, count: number, from: number, steps: number): boolean {
    const W = EXACT_MAX + 2;
    const { distX, sizeX } = this;
    for (let m = from; m <= steps; m++) {
      const pi = scale * (row[m] ?? 0);
      if (pi <= 0) continue;
      const base = m * W;
      for (let c = 0; c < count; c++) {
        const size = (sizeX[m] ?? 0) + 1;
        if (size > EXACT_MAX) return false;
        sizeX[m] = size;
        for (let k = size; k >= 1; k--) distX[base + k] = (distX[base + k] ?? 0) * (1 - pi) + (distX[base + k - 1] ?? 0) * pi;
        distX[base] = (distX[base] ?? 0) * (1 - pi);
      }
    }
    return true;
  }

  /** Σ_m P(answer at m) · P(X(m) + shift ≥ Y'(m + D)), Y' the busy agents freed (shift = answered − ready). */
  private exactRisk(steps: number, ySteps: number, graceSteps: number, shift: number): number {
    const W = EXACT_MAX + 2;
    const { distX, sizeX, cdfY, sizeY, answerMass } = this;
    let risk = 0;
    for (let m = 0; m <= steps; m++) {
      const w = answerMass[m] ?? 0;
      if (w <= 0) continue;
      const y = Math.min(ySteps, m + graceSteps);
      const sy = sizeY[y] ?? 0;
      let pr = 0;
      const nx = sizeX[m] ?? 0;
      for (let x = 0; x <= nx; x++) {
        const px = distX[m * W + x] ?? 0;
        if (px === 0) continue;
        const k = x + shift;
        pr += px * (k < 0 ? 0 : k >= sy ? 1 : (cdfY[y * W + k] ?? 0));
      }
      risk += w * pr;
    }
    return risk;
  }

  /** Adds `count` independent Bernoullis with probabilities scale·row[m] (m from `from`) to the moment arrays. */
  private addRow(
    mean: Float64Array,
    variance: Float64Array,
    skew: Float64Array,
    row: Float64Array,
    scale: number,
    count: number,
    from: number,
    last: number,
  ): void {
    // Agent rows are non-decreasing in m: an agent who cannot be free by the end of the horizon adds nothing. (Call
    // rows may fall again at the end, when a machine's agent is back.)
    if (count === 0 || (mean !== this.meanX && (row[last] ?? 0) <= 0)) return;
    if (this.exact) {
      if (mean === this.meanX) this.xItems.push({ row, scale, count, from });
      else this.yItems.push({ row, count });
    }
    for (let m = from; m <= last; m++) {
      const f = scale * (row[m] ?? 0);
      if (f <= 0) continue;
      const v = f * (1 - f);
      mean[m] = (mean[m] ?? 0) + count * f;
      variance[m] = (variance[m] ?? 0) + count * v;
      skew[m] = (skew[m] ?? 0) + count * v * (1 - 2 * f);
    }
  }

  /** For a call ringing for `step` grid steps: P(request by +m | it will come) for m ≤ steps, then S_A and S_F at its age. */
  private ringRow(step: number, steps: number, grid: number): Float64Array {
    let row = this.ringRows[step];
    if (row !== undefined) return row;
    const t = this.tracker;
    row = new Float64Array(steps + 3);
    t.answerTime.fillSurvival(step * grid, grid, steps, row);
    const sA = row[0] ?? 0;
    for (let m = 0; m <= steps; m++) row[m] = sA > 1e-12 ? (sA - (row[m] ?? 0)) / sA : 0;
    const back = this.machineBack;
    if (back > 0 && sA > 1e-12) {
      // A machine answered by step + m − back holds its agent no longer: it is no demand at m.
      const base = this.machineAt(step);
      for (let m = back + 1; m <= steps; m++) row[m] = Math.max(0, (row[m] ?? 0) - (this.machineAt(step + m - back) - base) / sA);
    }
    row[steps + 1] = sA;
    row[steps + 2] = t.failureTime.survival(step * grid);
    this.ringRows[step] = row;
    return row;
  }

  /** Rebuilds `machineCum` and `machineBack` when the answer-time distribution or the machine share changes. */
  private refreshMachineReturns(grid: number, graceSteps: number): void {
    const t = this.tracker;
    const share = t.machineShare;
    const holdMs = share.holdMs();
    if (holdMs === undefined || share.count === 0) {
      this.machineBack = -1;
      return;
    }
    this.machineBack = Math.max(1, Math.ceil(holdMs / grid) - graceSteps);
    if (!this.machineStamp.changed(t.answerTime.version, share.version, grid)) return;
    this.machineCumVersion++;
    const cum = this.machineCum;
    let previous = t.answerTime.cdf(0);
    cum[0] = 0;
    for (let k = 1; k <= MACHINE_STEPS; k++) {
      const c = t.answerTime.cdf(k * grid);
      cum[k] = (cum[k - 1] ?? 0) + (c - previous) * share.machineProbability((k - 0.5) * grid);
      previous = c;
    }
  }

  /** P(asks for an agent by step k and is a machine | asks). */
  private machineAt(k: number): number {
    return this.machineCum[Math.min(MACHINE_STEPS, Math.max(0, k))] ?? 0;
  }

  /** For an agent in wrap-up, key = class · MAX_AGE_STEPS + elapsed steps: P(free by +m). */
  private wrapRow(key: number, ySteps: number, grid: number): Float64Array {
    let row = this.wrapRows[key];
    if (row !== undefined) return row;
    const cls = Math.floor(key / MAX_AGE_STEPS);
    const step = key - cls * MAX_AGE_STEPS;
    row = new Float64Array(ySteps + 1);
    (this.tracker.wrapAfter[cls] ?? this.tracker.wrap).fillSurvival(step * grid, grid, ySteps, row);
    const s0 = row[0] ?? 0;
    for (let m = 0; m <= ySteps; m++) row[m] = s0 > 1e-12 ? 1 - (row[m] ?? 0) / s0 : 1;
    this.wrapRows[key] = row;
    return row;
  }

  /**
   * For an agent `step` grid steps into a call: P(free by +m) = P(talk ends at k ≤ m and wrap ≤ m − k), the wrap taken
   * from the class of a call that long (short calls are often followed by no wrap-up). Talk ends more than
   * `wrapSupport` steps before m count in full (the wrap is over by then).
   */
  private talkRow(step: number, ySteps: number, grid: number, wrapSupport: number, kind?: 0 | 1): Float64Array {
    const cache = kind === undefined ? this.talkRows : (this.kindRows[kind] as Array<Float64Array | undefined>);
    let row = cache[step];
    if (row !== undefined) return row;
    const t = this.tracker;
    const talk = kind === undefined ? t.talk : kind === 0 ? t.talkPerson : t.talkMachine;
    const { talkEnd, wrapCdfs } = this;
    const shortCdf = wrapCdfs[0] as Float64Array;
    const longCdf = wrapCdfs[WRAP_CLASSES - 1] as Float64Array;
    // Talk ends at k < shortUntil are short calls (class 0).
    const shortUntil = Math.ceil(SHORT_TALK_MS / grid) - step;
    row = new Float64Array(ySteps + 1);
    talk.fillSurvival(step * grid, grid, ySteps, talkEnd);
    const s0 = talkEnd[0] ?? 0;
    if (s0 > 1e-12 && 1 - (talkEnd[ySteps] ?? 0) / s0 >= 1e-4) {
      for (let k = 0; k <= ySteps; k++) talkEnd[k] = 1 - (talkEnd[k] ?? 0) / s0;
      convolveTalkWithWrap(talkEnd, shortCdf, longCdf, shortUntil, wrapSupport, ySteps, this.talkMass, row);
    }
    cache[step] = row;
    return row;
  }
}
