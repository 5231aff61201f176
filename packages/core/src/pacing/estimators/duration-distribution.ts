import { lognormalFromMeanCv, lognormalSurvival } from './normal-cdf.ts';

export interface DurationPrior {
  /** Prior mean in ms. */
  meanMs: number;
  /** Prior coefficient of variation (lognormal shape). */
  cv: number;
  /** Weight of the prior in pseudo-observations. */
  weight: number;
}

/**
 * An online empirical duration distribution on a fixed grid, shrunk towards a lognormal prior whose mean and CV
 * follow the running moments of the data. Survival is tabulated and refreshed every `refreshEvery` observations, so a
 * lookup is O(1): the pacer calls it for every agent and every ringing call at every decision epoch.
 */
export class DurationDistribution {
  private readonly counts: Float64Array;
  private readonly survivalTable: Float64Array;
  /** ∫_{i·bin}^{∞} S(x) dx, for the mean residual duration. */
  private readonly tailArea: Float64Array;
  private observed = 0;
  private sum = 0;
  private sumSquares = 0;
  private pendingSinceRefresh = 0;
  /** Bumped whenever the tables change, so callers can cache what they derive from them. */
  version = 0;

  constructor(
    readonly binMs: number,
    readonly bins: number,
    private readonly prior: DurationPrior,
    private readonly refreshEvery = 25,
  ) {
    this.counts = new Float64Array(bins);
    this.survivalTable = new Float64Array(bins + 1);
    this.tailArea = new Float64Array(bins + 1);
    this.refresh();
  }

  get count(): number {
    return this.observed;
  }

  add(ms: number): void {
    const value = Math.max(0, ms);
    const bin = Math.min(this.bins - 1, Math.floor(value / this.binMs));
    this.counts[bin] = (this.counts[bin] ?? 0) + 1;
    this.observed++;
    this.sum += value;
    this.sumSquares += value * value;
    // Refresh less often as data accumulate (every 5 % of the sample, at least `refreshEvery`): O(bins) each time.
    const every = Math.max(this.refreshEvery, this.observed / 20);
    if (++this.pendingSinceRefresh >= every || this.observed <= 10) this.refresh();
  }

  /** Mean of the data (shrunk towards the prior mean while data are few). */
  mean(): number {
    const w = this.prior.weight * Math.min(1, 200 / Math.max(this.observed, 1));
    return (this.sum + w * this.prior.meanMs) / (this.observed + w);
  }

  /** P(duration > ms), interpolated on the grid. */
  survival(ms: number): number {
    if (ms <= 0) return 1;
    const x = ms / this.binMs;
    const i = Math.floor(x);
    if (i >= this.bins) return this.survivalTable[this.bins] ?? 0;
    const a = this.survivalTable[i] ?? 0;
    const b = this.survivalTable[i + 1] ?? 0;
    return a + (b - a) * (x - i);
  }

  cdf(ms: number): number {
    return 1 - this.survival(ms);
  }

  /** P(remaining ≤ u | elapsed e) = 1 − S(e+u)/S(e). */
  remainingCdf(elapsedMs: number, uMs: number): number {
    const se = this.survival(elapsedMs);
    if (se <= 1e-12) return 1;
    return Math.max(0, 1 - this.survival(elapsedMs + uMs) / se);
  }

  /** E[D − e | D > e]: the mean residual duration given the elapsed time (tabulated; O(1)). */
  meanResidual(elapsedMs: number): number {
    const se = this.survival(elapsedMs);
    if (se <= 1e-12) return this.binMs;
    const x = Math.min(elapsedMs / this.binMs, this.bins);
    const i = Math.floor(x);
    const a = this.tailArea[i] ?? 0;
    const b = this.tailArea[Math.min(i + 1, this.bins)] ?? 0;
    const area = a + (b - a) * (x - i);
    return Math.max(this.binMs / 2, area / se);
  }

  /** The smallest duration whose CDF reaches q. */
  quantile(q: number): number {
    for (let i = 0; i <= this.bins; i++) if ((this.survivalTable[i] ?? 0) <= 1 - q) return i * this.binMs;
    return this.bins * this.binMs;
  }

  /** out[k] = S(start + k·step) for k = 0..count: the tight loop of the pacer, without per-call overhead. */
  fillSurvival(startMs: number, stepMs: number, count: number, out: Float64Array): void {
    const table = this.survivalTable;
    const bins = this.bins;
    const tail = table[bins] ?? 0;
    const inv = 1 / this.binMs;
    for (let k = 0; k <= count; k++) {
      const ms = startMs + k * stepMs;
      if (ms <= 0) {
        out[k] = 1;
        continue;
      }
      const x = ms * inv;
      const i = x | 0;
      if (i >= bins) {
        out[k] = tail;
        continue;
      }
      const a = table[i] as number;
      out[k] = a + ((table[i + 1] as number) - a) * (x - i);
    }
  }

  /** The survival table on the grid (index i ↔ i·binMs), for callers that interpolate in tight loops. */
  table(): Float64Array {
    return this.survivalTable;
  }

  private refresh(): void {
    this.version++;
    this.pendingSinceRefresh = 0;
    const n = this.observed;
    // The prior fades once data abound, so a degenerate distribution (no wrap at all) is learnt exactly.
    const w = this.prior.weight * Math.min(1, 200 / Math.max(n, 1));
    const mean = this.mean();
    let cv = this.prior.cv;
    if (n >= 5) {
      const m = this.sum / n;
      const variance = Math.max(0, this.sumSquares / n - m * m);
      const dataCv = m > 0 ? Math.sqrt(variance) / m : cv;
      cv = (n * dataCv + w * this.prior.cv) / (n + w);
    }
    const { mu, sigma } = lognormalFromMeanCv(mean, Math.max(cv, 0.05));
    let above = n;
    this.survivalTable[0] = 1;
    for (let i = 1; i <= this.bins; i++) {
      above -= this.counts[i - 1] ?? 0;
      const priorS = lognormalSurvival(i * this.binMs, mu, sigma);
      this.survivalTable[i] = (Math.max(0, above) + w * priorS) / (n + w);
    }
    // Beyond the grid the tail is taken as exponential with the prior-shrunk mean.
    this.tailArea[this.bins] = (this.survivalTable[this.bins] ?? 0) * mean;
    for (let i = this.bins - 1; i >= 0; i--) {
      const trapezoid = (((this.survivalTable[i] ?? 0) + (this.survivalTable[i + 1] ?? 0)) / 2) * this.binMs;
      this.tailArea[i] = (this.tailArea[i + 1] ?? 0) + trapezoid;
    }
  }
}
