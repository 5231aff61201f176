/**
 * Records a call as two channels (left: the called party, right: what we sent them — agent or prompt), each placed
 * by its own 8 kHz sample clock relative to the start, so jitter and reordering do not shift audio and lost packets
 * leave silence instead of pulling the rest forward.
 */
export class StereoRecorder {
  private readonly channels: [Int16Array, Int16Array] = [new Int16Array(8000 * 10), new Int16Array(8000 * 10)];
  private readonly origins: [number | undefined, number | undefined] = [undefined, undefined];
  private length = 0;

  constructor(private readonly maxSamples = 8000 * 3600) {}

  /**
   * Places PCM at `timestamp` on the channel's RTP clock; `startOffset` is where that channel's first sample falls
   * (samples since recording start), for a stream that begins later than the recording.
   */
  write(channel: 0 | 1, timestamp: number, pcm: Int16Array, startOffset: number): void {
    let origin = this.origins[channel];
    if (origin === undefined) {
      origin = (timestamp - startOffset) >>> 0;
      this.origins[channel] = origin;
    }
    const pos = (timestamp - origin) >>> 0;
    if (pos > this.maxSamples) return; // far in the past (wrapped) or absurdly far ahead
    const end = pos + pcm.length;
    this.ensure(end);
    this.channels[channel].set(pcm, pos);
    if (end > this.length) this.length = end;
  }

  get durationMs(): number {
    return Math.round(this.length / 8);
  }

  finish(): [Int16Array, Int16Array] {
    return [this.channels[0].subarray(0, this.length), this.channels[1].subarray(0, this.length)];
  }

  private ensure(size: number): void {
    for (const i of [0, 1] as const) {
      const c = this.channels[i];
      if (c.length >= size) continue;
      const next = new Int16Array(Math.max(size, c.length * 2));
      next.set(c);
      this.channels[i] = next;
    }
  }
}
