/**
 * The distribution of frame levels (dB) over a sliding window of frames, as a histogram of `binDb`-wide bins fed
 * from a ring of the last `frames` bins: adding a frame and asking a percentile cost a few hundred operations, with
 * no allocation and no sort.
 */
export class LevelHistogram {
  private readonly counts: Uint16Array;
  private readonly ring: Int16Array;
  private next = 0;
  private filled = 0;

  /**
   * @param frames window length in frames
   * @param binDb bin width in dB
   * @param maxDb levels above are counted in the top bin (16-bit PCM power is below ≈ 90 dB)
   */
  constructor(
    frames: number,
    private readonly binDb = 0.5,
    maxDb = 100,
  ) {
    this.counts = new Uint16Array(Math.ceil(maxDb / binDb) + 1);
    this.ring = new Int16Array(Math.max(1, frames));
  }

  get size(): number {
    return this.filled;
  }

  /** Adds a frame of mean power `power` (linear), dropping the oldest once the window is full. */
  add(power: number): void {
    const db = power > 1 ? 10 * Math.log10(power) : 0;
    const bin = Math.min(this.counts.length - 1, Math.floor(db / this.binDb));
    if (this.filled === this.ring.length) {
      const old = this.ring[this.next] ?? 0;
      this.counts[old] = (this.counts[old] ?? 1) - 1;
    } else {
      this.filled++;
    }
    this.ring[this.next] = bin;
    this.counts[bin] = (this.counts[bin] ?? 0) + 1;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The level (linear power, the bin's middle) below which `percent` % of the window's frames lie; 0 when empty. */
  percentile(percent: number): number {
    if (this.filled === 0) return 0;
    const want = Math.max(1, Math.ceil((percent / 100) * this.filled));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] ?? 0;
      if (seen >= want) return 10 ** (((b + 0.5) * this.binDb) / 10);
    }
    return 10 ** ((this.counts.length * this.binDb) / 10);
  }
}
