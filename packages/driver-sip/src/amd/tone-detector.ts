import type { AmdConfig } from './amd-config.ts';

/** Power of one frequency over a frame (Goertzel); any real frequency, not only DFT bins. */
export function goertzelPower(frame: Int16Array, freqHz: number, sampleRate = 8000): number {
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < frame.length; i++) {
    const s0 = (frame[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * The frame's dominant pure tone, if its energy is concentrated there; undefined for speech, noise or silence.
 * The frequency is first estimated from the autocorrelation at lags 0–2 solved for one sinusoid in white noise
 * (Pisarenko's method: unbiased by white noise, where counting zero crossings is thrown off by every noise
 * crossing), then refined with Goertzel filters around it, which also give the tone's share of the energy.
 */
export function toneOf(frame: Int16Array, minPurity: number, minMeanAbs: number): { hz: number; purity: number } | undefined {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let sumAbs = 0;
  let x1 = 0;
  let x2 = 0;
  for (let i = 0; i < frame.length; i++) {
    const x = frame[i] ?? 0;
    r0 += x * x;
    r1 += x * x1;
    r2 += x * x2;
    sumAbs += x < 0 ? -x : x;
    x2 = x1;
    x1 = x;
  }
  if (sumAbs / frame.length < minMeanAbs || r0 === 0) return undefined;
  const cos = Math.abs(r1) < 1e-9 * r0 ? 0 : (r2 + Math.sqrt(r2 * r2 + 8 * r1 * r1)) / (4 * r1);
  const estimate = (Math.acos(Math.max(-1, Math.min(1, cos))) * 8000) / (2 * Math.PI);
  let best = 0;
  let bestHz = estimate;
  for (let hz = estimate - 37.5; hz <= estimate + 37.5; hz += 12.5) {
    const p = goertzelPower(frame, hz);
    if (p > best) {
      best = p;
      bestHz = hz;
    }
  }
  const purity = (2 * best) / (frame.length * r0);
  return purity >= minPurity ? { hz: bestHz, purity } : undefined;
}

export type ToneEvent = { kind: 'beep'; hz: number; durationMs: number } | { kind: 'sit'; detail: string };

const SIT_BANDS: Array<[number, number]> = [
  [880, 1020],
  [1330, 1470],
  [1730, 1820],
];

/**
 * Follows tones frame by frame and reports a beep when a steady tone ends, and a SIT when three tones climb
 * through the SIT bands (ITU-T E.180: ≈914/985, 1371/1429, 1777 Hz). A tone in the first SIT band is held back a
 * few frames so that the start of an intercept is not mistaken for a voicemail beep.
 */
export class ToneDetector {
  private current: { hz: number; frames: number } | undefined;
  private segments: Array<{ hz: number; ms: number; endFrame: number }> = [];
  private pendingBeep: { hz: number; durationMs: number; until: number } | undefined;
  private frameNo = 0;

  constructor(private readonly config: AmdConfig) {}

  feed(frame: Int16Array): ToneEvent[] {
    const out: ToneEvent[] = [];
    const c = this.config;
    this.frameNo++;
    const tone = toneOf(frame, c.beep.minPurity, c.silenceThreshold);
    if (tone && this.current && Math.abs(tone.hz - this.current.hz) <= c.beep.maxDriftHz) {
      this.current.frames++;
    } else {
      if (this.current) this.endTone(out);
      this.current = tone ? { hz: tone.hz, frames: 1 } : undefined;
    }
    if (this.pendingBeep && this.frameNo >= this.pendingBeep.until) {
      out.push({ kind: 'beep', hz: this.pendingBeep.hz, durationMs: this.pendingBeep.durationMs });
      this.pendingBeep = undefined;
    }
    return out;
  }

  private endTone(out: ToneEvent[]): void {
    const seg = this.current;
    if (!seg) return;
    const c = this.config;
    const ms = seg.frames * c.frameMs;
    if (ms >= 100) this.segments.push({ hz: seg.hz, ms, endFrame: this.frameNo });
    if (this.segments.length > 3) this.segments.shift();
    if (c.sit.enabled && this.isSit()) {
      this.pendingBeep = undefined;
      out.push({ kind: 'sit', detail: this.segments.map((s) => `${Math.round(s.hz)}Hz/${s.ms}ms`).join(' ') });
      this.segments = [];
      return;
    }
    if (ms >= c.beep.minDurationMs && seg.hz >= c.beep.minHz && seg.hz <= c.beep.maxHz) {
      const sitLike = c.sit.enabled && SIT_BANDS.slice(0, 2).some(([lo, hi]) => seg.hz >= lo && seg.hz <= hi) && ms <= 450;
      const beep = { hz: seg.hz, durationMs: ms };
      if (sitLike) this.pendingBeep = { ...beep, until: this.frameNo + 30 };
      else out.push({ kind: 'beep', ...beep });
    }
  }

  private isSit(): boolean {
    if (this.segments.length < 3) return false;
    return this.segments.every((s, i) => {
      const band = SIT_BANDS[i];
      const prev = this.segments[i - 1];
      return band !== undefined && s.hz >= band[0] && s.hz <= band[1] && s.ms <= 450 && (!prev || s.endFrame - prev.endFrame <= 30);
    });
  }
}
