/**
 * A 2nd-order Butterworth high-pass or low-pass section (bilinear transform) at 8 kHz, with its state, so a stream
 * can be filtered frame by frame. Cascade a high-pass and a low-pass for a band.
 */
export class Biquad {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  constructor(type: 'highpass' | 'lowpass', cornerHz: number, sampleRate = 8000) {
    const w = (2 * Math.PI * cornerHz) / sampleRate;
    const alpha = Math.sin(w) / Math.SQRT2;
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    const edge = type === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
    this.b0 = edge / a0;
    this.b1 = ((type === 'lowpass' ? 2 : -2) * edge) / a0;
    this.b2 = edge / a0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  /** Filters one sample. */
  step(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}
