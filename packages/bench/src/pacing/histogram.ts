/** A fixed-width histogram with an overflow bin: percentiles over millions of values without keeping them. */
export class Histogram {
  readonly counts: Float64Array;
  count = 0;
  sum = 0;
  max = 0;

  constructor(
    readonly width: number,
    readonly bins: number,
  ) {
    this.counts = new Float64Array(bins + 1);
  }

  add(value: number): void {
    const v = Math.max(0, value);
    const i = Math.min(this.bins, Math.floor(v / this.width));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  merge(other: { counts: ArrayLike<number>; count: number; sum: number; max: number }): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** Mean of the values inside the bins (the overflow bin left out: for timings, pre-emption and GC pauses). */
  meanWithinRange(): number {
    let n = 0;
    let sum = 0;
    for (let i = 0; i < this.bins; i++) {
      const c = this.counts[i] ?? 0;
      n += c;
      sum += c * (i + 0.5) * this.width;
    }
    return n > 0 ? sum / n : 0;
  }

  /** The q-quantile (upper edge of the bin that reaches it; the maximum for the overflow bin). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = q * this.count;
    let acc = 0;
    for (let i = 0; i < this.bins; i++) {
      acc += this.counts[i] ?? 0;
      if (acc >= target) return (i + 1) * this.width;
    }
    return this.max;
  }

  toJSON(): { width: number; bins: number; counts: number[]; count: number; sum: number; max: number } {
    return { width: this.width, bins: this.bins, counts: Array.from(this.counts), count: this.count, sum: this.sum, max: this.max };
  }
}
