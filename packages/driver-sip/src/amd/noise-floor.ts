/**
 * Background-noise power by minimum statistics: frame power is smoothed over a few frames, and the floor is the
 * smallest smoothed power seen in a sliding window (kept as the minima of `subwindows` sub-windows, so the window
 * slides in steps without storing every frame). Speech raises the power but hardly ever its minimum, since even a
 * fluent greeting has gaps between words; so the floor stays on the noise while someone talks, and follows a
 * change of noise within one window. A floor that tracked the level itself (rising slowly under voice) climbed onto
 * long greetings and cut them into short "words" followed by "silence", which is the human pattern.
 */
export class NoiseFloor {
  private smoothed: number | undefined;
  private readonly minima: number[] = [];
  private subMin = Infinity;
  private subFrames = 0;

  /**
   * @param framesPerSubwindow frames per sub-window; the window is `subwindows` of them
   * @param smoothing weight of the past in the recursive smoothing of frame power (0: none)
   * @param rank which sub-window minimum is the floor, 0 the least: above 0, a noise whose level swings (babble)
   *   is judged by a typical quiet moment rather than its quietest one; steady noise is unaffected
   */
  constructor(
    private readonly framesPerSubwindow: number,
    private readonly subwindows: number,
    private readonly smoothing: number,
    private readonly rank = 0,
  ) {}

  /** Takes one frame's mean power and returns the smoothed power of that frame (what is compared with the floor). */
  update(power: number): number {
    const s = this.smoothed === undefined ? power : this.smoothing * this.smoothed + (1 - this.smoothing) * power;
    this.smoothed = s;
    if (s < this.subMin) this.subMin = s;
    if (++this.subFrames >= this.framesPerSubwindow) {
      this.minima.push(this.subMin);
      if (this.minima.length > this.subwindows) this.minima.shift();
      this.subMin = Infinity;
      this.subFrames = 0;
    }
    return s;
  }

  /** The current floor: the least (or `rank`-th least) sub-window minimum in the window; Infinity before any frame. */
  get floor(): number {
    let m = this.subMin;
    for (const x of this.minima) if (x < m) m = x;
    if (this.rank === 0 || this.minima.length <= this.rank) return m;
    const sorted = [...this.minima, this.subMin].sort((a, b) => a - b);
    return sorted[this.rank] ?? m;
  }
}
