import type { Codec } from './g711.ts';
import { decodeTable } from './g711.ts';

/**
 * Records a call as two channels (left: the called party, right: what we sent them — agent or prompt), each placed
 * by its own 8 kHz sample clock relative to the start, so jitter and reordering do not shift audio and lost packets
 * leave silence instead of pulling the rest forward. Samples are kept interleaved (L R L R …, as the WAV stores
 * them) in one buffer that doubles when full; G.711 is decoded straight into it through the codec's 256-entry table,
 * with no frame-sized scratch and no second copy.
 */
export class StereoRecorder {
  private pcm = new Int16Array(2 * 8000 * 10);
  private readonly origins: [number | undefined, number | undefined] = [undefined, undefined];
  /** Frames (sample pairs) recorded so far: the furthest any channel reached. */
  private length = 0;

  constructor(private readonly maxSamples = 8000 * 3600) {}

  /**
   * Places PCM at `timestamp` on the channel's RTP clock; `startOffset` is where that channel's first sample falls
   * (samples since recording start), for a stream that begins later than the recording.
   */
  write(channel: 0 | 1, timestamp: number, pcm: Int16Array, startOffset: number): void {
    const pos = this.place(channel, timestamp, startOffset, pcm.length);
    if (pos < 0) return;
    const out = this.pcm;
    for (let i = 0, j = 2 * pos + channel; i < pcm.length; i++, j += 2) out[j] = pcm[i] as number;
  }

  /** The same for a G.711 payload, decoded on the way in. */
  writeG711(channel: 0 | 1, timestamp: number, codec: Codec, payload: Uint8Array, startOffset: number): void {
    const pos = this.place(channel, timestamp, startOffset, payload.length);
    if (pos < 0) return;
    const table = decodeTable(codec);
    const out = this.pcm;
    for (let i = 0, j = 2 * pos + channel; i < payload.length; i++, j += 2) out[j] = table[payload[i] as number] as number;
  }

  get durationMs(): number {
    return Math.round(this.length / 8);
  }

  /** The two channels, separated (once, at the end of the call). */
  finish(): [Int16Array, Int16Array] {
    const left = new Int16Array(this.length);
    const right = new Int16Array(this.length);
    const pcm = this.pcm;
    for (let i = 0; i < this.length; i++) {
      left[i] = pcm[2 * i] as number;
      right[i] = pcm[2 * i + 1] as number;
    }
    return [left, right];
  }

  /** Where `count` samples at `timestamp` go on the channel (in frames), the buffer grown to hold them; -1: nowhere. */
  private place(channel: 0 | 1, timestamp: number, startOffset: number, count: number): number {
    let origin = this.origins[channel];
    if (origin === undefined) {
      origin = (timestamp - startOffset) >>> 0;
      this.origins[channel] = origin;
    }
    const pos = (timestamp - origin) >>> 0;
    if (pos > this.maxSamples) return -1; // far in the past (wrapped) or absurdly far ahead
    const end = pos + count;
    if (2 * end > this.pcm.length) {
      const next = new Int16Array(Math.max(2 * end, this.pcm.length * 2));
      next.set(this.pcm);
      this.pcm = next;
    }
    if (end > this.length) this.length = end;
    return pos;
  }
}
