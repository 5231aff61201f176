import type { AmdVerdict } from '@outdial/core/telephony/driver';
import type { AmdConfig } from './amd-config.ts';

export type EnergyAmdEvent =
  | { kind: 'speech-start'; atMs: number }
  | { kind: 'speech-end'; atMs: number }
  | { kind: 'verdict'; result: AmdVerdict; cause: string; atMs: number };

/**
 * Asterisk app_amd's word and silence counter (telephony.md §4.1), on an adaptive noise floor: a frame is voice when
 * its mean |sample| is `noiseMarginDb` above the floor, which falls at once to quieter frames and creeps up slowly,
 * so steady background noise stops counting as speech. Times are media milliseconds since the answer.
 */
export class EnergyAmd {
  private floor: number | undefined;
  private timeMs = 0;
  private silenceMs = 0;
  private voiceRunMs = 0;
  private voiceTotalMs = 0;
  private words = 0;
  private inWord = false;
  private inGreeting = false;
  private speaking = false;
  private decided = false;
  private readonly margin: number;

  constructor(private readonly config: AmdConfig) {
    this.margin = 10 ** (config.noiseMarginDb / 20);
  }

  get done(): boolean {
    return this.decided;
  }

  /** Feeds one frame (or a lost one, as `undefined`, counted as silence). */
  feed(frame: Int16Array | undefined): EnergyAmdEvent[] {
    if (this.decided) return [];
    const c = this.config;
    const out: EnergyAmdEvent[] = [];
    this.timeMs += c.frameMs;
    const voice = frame !== undefined && this.isVoice(frame);
    if (!voice) {
      this.silenceMs += c.frameMs;
      this.voiceRunMs = 0;
      if (this.inWord && this.silenceMs >= c.betweenWordsSilenceMs) this.inWord = false;
      // The greeting is over when the silence after it is long enough to call a human (the abandonment clock's start).
      if (this.speaking && this.silenceMs >= c.afterGreetingSilenceMs) {
        this.speaking = false;
        out.push({ kind: 'speech-end', atMs: this.timeMs - this.silenceMs });
      }
      if (!this.inGreeting && this.silenceMs >= c.initialSilenceMs) return this.decide(out, 'machine', 'INITIALSILENCE');
      if (this.inGreeting && this.silenceMs >= c.afterGreetingSilenceMs) return this.decide(out, 'human', 'HUMAN');
    } else {
      this.voiceRunMs += c.frameMs;
      this.voiceTotalMs += c.frameMs;
      if (this.voiceRunMs >= c.minWordLengthMs) {
        this.silenceMs = 0;
        if (!this.inWord) {
          this.inWord = true;
          this.words++;
          if (!this.speaking) {
            this.speaking = true;
            out.push({ kind: 'speech-start', atMs: this.timeMs - this.voiceRunMs });
          }
          this.inGreeting = true;
          if (this.words > c.maxWords) return this.decide(out, 'machine', 'MAXWORDS');
        }
      }
      if (this.voiceRunMs >= c.maxWordLengthMs) return this.decide(out, 'machine', 'MAXWORDLENGTH');
      if (this.inGreeting && this.voiceTotalMs >= c.greetingMs) return this.decide(out, 'machine', 'LONGGREETING');
    }
    if (this.timeMs >= c.totalAnalysisMs) return this.decide(out, 'unknown', 'TOOLONG');
    return out;
  }

  private decide(out: EnergyAmdEvent[], result: AmdVerdict, cause: string): EnergyAmdEvent[] {
    this.decided = true;
    out.push({ kind: 'verdict', result, cause, atMs: this.timeMs });
    return out;
  }

  private isVoice(frame: Int16Array): boolean {
    let sum = 0;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i] ?? 0;
      sum += x < 0 ? -x : x;
    }
    const level = sum / Math.max(1, frame.length);
    const floor = this.floor;
    if (floor === undefined || level < floor) this.floor = level;
    else this.floor = Math.min(level, floor * (1 + this.config.noiseFloorRisePerFrame));
    const threshold = Math.max(this.config.silenceThreshold, (this.floor ?? level) * this.margin);
    return level > threshold;
  }
}
