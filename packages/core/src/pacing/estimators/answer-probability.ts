/**
 * Probability that a dial ends up needing an agent (a live answer, or a machine routed to an agent when AMD is off):
 * a Beta–Binomial estimate with exponential forgetting, so a list switch or a time-of-day drift re-converges within
 * a few hundred dials, plus a one-sided CUSUM that shrinks the memory when the rate jumps.
 */
export class AnswerProbability {
  private hits: number;
  private misses: number;
  private cusumUp = 0;
  private cusumDown = 0;
  private observations = 0;

  constructor(
    prior = 0.1,
    private readonly priorWeight = 20,
    /** Effective memory in dials. */
    private readonly memory = 400,
  ) {
    this.hits = prior * priorWeight;
    this.misses = (1 - prior) * priorWeight;
  }

  get count(): number {
    return this.observations;
  }

  estimate(): number {
    return this.hits / (this.hits + this.misses);
  }

  /** Posterior variance of the estimate (Beta). */
  variance(): number {
    const a = this.hits;
    const b = this.misses;
    return (a * b) / ((a + b) * (a + b) * (a + b + 1));
  }

  add(hit: boolean): void {
    const p = this.estimate();
    const keep = 1 - 1 / this.memory;
    this.hits = this.hits * keep + (hit ? 1 : 0);
    this.misses = this.misses * keep + (hit ? 0 : 1);
    this.observations++;
    // Bernoulli CUSUMs (log-likelihood ratios) against a halving and a 1.5× rise of the rate.
    const down = p / 2;
    const up = Math.min(0.99, p * 1.5);
    this.cusumDown = Math.max(0, this.cusumDown + (hit ? Math.log(down / p) : Math.log((1 - down) / (1 - p))));
    this.cusumUp = Math.max(0, this.cusumUp + (hit ? Math.log(up / p) : Math.log((1 - up) / (1 - p))));
    if (this.cusumUp > 10 || this.cusumDown > 10) {
      this.shrink(100);
      this.cusumUp = 0;
      this.cusumDown = 0;
    }
  }

  /** Keeps the estimate but caps its weight at `weight` dials, so new data dominate. */
  private shrink(weight: number): void {
    const total = this.hits + this.misses;
    if (total <= weight) return;
    const scale = weight / total;
    this.hits *= scale;
    this.misses *= scale;
  }
}
