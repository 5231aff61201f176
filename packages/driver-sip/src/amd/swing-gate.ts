import type { AmdConfig } from './amd-config.ts';
import { LevelHistogram } from './level-histogram.ts';
import { NoiseFloor } from './noise-floor.ts';

/**
 * A second test for voice under noise whose level swings like speech (babble: a crowd of talkers), where a margin
 * over the noise's minimum calls the noise itself voice.
 *
 * - **Swing**: the minimum of the band power averaged over `swingAverageMs` (minimum statistics over
 *   `swingWindowMs`) against the minimum of the frame power (the noise floor). Both minima stay on the noise while
 *   someone talks. Steady noise (hiss, hum) averages to about its minimum: a swing of ≈ 0.5–1 dB for white and pink
 *   noise; a crowd's short frames dip far below its average: ≈ 3 dB and more.
 * - **Background**: the distribution of frame levels where nobody talks — every frame of the first
 *   `backgroundLeadInMs` after the answer (the pick-up before the hello), then the frames of pauses longer than a
 *   word gap (`backgroundGapMs` without voice) — kept over its last `backgroundWindowMs` of frames.
 * - Once the swing has reached `swingThresholdDb`, voice must also be `backgroundMarginDb` (to start) or
 *   `backgroundHoldMarginDb` (to go on) above the `backgroundPercentile` of the background, i.e. above what the crowd
 *   itself reaches most of the time, not merely above its dips. That reference is capped at
 *   `backgroundMaxAboveFloorDb` over the noise floor, so a call whose first frames are already speech (no lead-in) is
 *   not judged against speech for long: the floor sets the cap, and pauses soon fill the background.
 *
 * Under steady noise the gate stays open and the detector is the plain floor-and-margin one.
 */
export class SwingGate {
  private readonly background: LevelHistogram;
  private readonly averageFloor: NoiseFloor;
  /** The last `swingAverageMs` of frame powers, and where the next one goes. */
  private readonly ring: Float64Array;
  private readonly ringState = { at: 0, filled: 0, sum: 0 };
  /** The dB settings as power ratios. */
  private readonly ratio: { swing: number; on: number; hold: number; cap: number };
  /** The last swing measured, in dB (0 until both minima exist). */
  swingDb = 0;
  /** Whether the swing has reached the threshold in this call (the gate applies from then on). */
  swinging = false;
  /** The background reference (power) the last voice frame was held to while the gate applied; 0 before any. */
  reference = 0;

  constructor(private readonly config: AmdConfig) {
    const c = config;
    this.background = new LevelHistogram(Math.round(c.backgroundWindowMs / c.frameMs));
    this.ring = new Float64Array(Math.max(1, Math.round(c.swingAverageMs / c.frameMs)));
    const windowFrames = Math.max(1, Math.round(c.swingWindowMs / c.frameMs));
    this.averageFloor = new NoiseFloor(Math.max(1, Math.round(windowFrames / 10)), 10, 0);
    const ratio = (db: number): number => 10 ** (db / 10);
    this.ratio = {
      swing: ratio(c.swingThresholdDb),
      on: ratio(c.backgroundMarginDb),
      hold: ratio(Math.min(c.backgroundHoldMarginDb, c.backgroundMarginDb)),
      cap: ratio(c.backgroundMaxAboveFloorDb),
    };
  }

  /**
   * Takes every frame (silent ones too) and returns whether a frame the floor test called voice stays voice.
   * @param power the frame's band power; `smoothed` as the noise floor smoothed it; `floor` the noise floor before it
   * @param voice the floor test's answer; `holding` whether voice was already on (the hold margin applies)
   * @param silenceMs silence before this frame; `timeMs` media time at the end of this frame
   */
  admit(power: number, smoothed: number, floor: number, voice: boolean, holding: boolean, silenceMs: number, timeMs: number): boolean {
    const c = this.config;
    // The swing, from the minima before this frame. Once seen, the gate stays on for the call: the two minima are
    // taken over different windows and drift apart at different moments, so a crowd's measured swing can dip under
    // the threshold for a while (it did, and babble became voice again), while a crowd does not fall silent within
    // the few seconds of analysis.
    const averageFloor = this.averageFloor.floor;
    const known = averageFloor !== Infinity && averageFloor > 1 && floor > 1;
    this.swingDb = known ? 10 * Math.log10(averageFloor / floor) : 0;
    if (known && averageFloor >= floor * this.ratio.swing) this.swinging = true;
    const n = this.ring.length;
    const r = this.ringState;
    r.sum += power - (this.ring[r.at] ?? 0);
    this.ring[r.at] = power;
    r.at = (r.at + 1) % n;
    if (r.filled < n) r.filled++;
    if (r.filled === n) this.averageFloor.update(Math.max(0, r.sum) / n);

    let admitted = voice;
    if (voice && this.swinging && this.background.size > 0) {
      const reference = Math.min(this.background.percentile(c.backgroundPercentile), floor * this.ratio.cap);
      admitted = smoothed >= reference * (holding ? this.ratio.hold : this.ratio.on);
      this.reference = reference;
    }
    if (timeMs <= c.backgroundLeadInMs || (!admitted && silenceMs >= c.backgroundGapMs)) this.background.add(smoothed);
    return admitted;
  }
}
