import type { AmdVerdict } from '@outdial/core/telephony/driver';
import type { AmdConfig } from './amd-config.ts';
import { Biquad } from './band-filter.ts';
import { NoiseFloor } from './noise-floor.ts';
import { SwingGate } from './swing-gate.ts';

export type EnergyAmdEvent =
  | { kind: 'speech-start'; atMs: number }
  | { kind: 'speech-end'; atMs: number }
  | { kind: 'verdict'; result: AmdVerdict; cause: string; atMs: number };

/**
 * Asterisk app_amd's word and silence counter (telephony.md §4.1) on a signal-to-noise decision instead of a fixed
 * threshold. The noise floor is a minimum-statistics estimate (noise-floor.ts); a frame starts voice when its
 * smoothed power is `noiseMarginDb` above the floor and keeps it while it stays `voiceHoldMarginDb` above (a
 * hysteresis, so a word's soft end is not cut into two words); a word is voice lasting `minWordLengthMs`, and ends
 * after `betweenWordsSilenceMs` without voice. Decisions, in order: a first utterance longer than
 * `maxFirstUtteranceMs`, more than `maxWords` words or more than `greetingMs` of voice → machine; a short greeting
 * followed by `shortGreetingSilenceMs` of silence, or any greeting followed by `afterGreetingSilenceMs` → human;
 * nobody speaking for `initialSilenceMs` → machine. Under babble (the swing gate on), a quiet greeting (loudest voice
 * within `quietGreetingPeakDb` of the crowd) needs at least `quietGreetingSilenceMs` of silence to be a human, and reaching
 * `totalAnalysisMs` makes it a machine (QUIETTOOLONG) if `quietGreetingTooLongIsMachine`, instead of unknown. Times are
 * media milliseconds since the answer.
 */
export class EnergyAmd {
  private readonly floor: NoiseFloor;
  private readonly onRatio: number;
  private readonly holdRatio: number;
  private readonly minPower: number;
  private readonly gate: SwingGate | undefined;
  private readonly highpass: Biquad;
  private readonly lowpass: Biquad;
  private timeMs = 0;
  private silenceMs = 0;
  private voiceRunMs = 0;
  private voiceTotalMs = 0;
  private words = 0;
  private inWord = false;
  private inGreeting = false;
  private speaking = false;
  private decided = false;
  /** The first utterance: from its first word to the first pause of `utteranceGapMs`; undefined once it ended. */
  private firstUtteranceStartMs: number | undefined;
  private firstUtteranceOver = false;
  /** Loudest voice frame over the swing gate's background reference (power ratio); 0 until voice passes the gate. */
  private peakOverBackground = 0;
  private readonly quietRatio: number;

  constructor(private readonly config: AmdConfig) {
    const c = config;
    this.highpass = new Biquad('highpass', c.bandLowHz);
    this.lowpass = new Biquad('lowpass', c.bandHighHz);
    const perSub = Math.max(1, Math.round(c.noiseWindowMs / c.frameMs / c.noiseSubwindows));
    this.floor = new NoiseFloor(perSub, c.noiseSubwindows, c.noiseSmoothing, c.noiseFloorRank);
    this.onRatio = 10 ** (c.noiseMarginDb / 10);
    this.holdRatio = 10 ** (Math.min(c.voiceHoldMarginDb, c.noiseMarginDb) / 10);
    // app_amd's silence threshold is a mean |sample|; used here as an RMS (within 1–2 dB of it for speech and noise).
    this.minPower = c.silenceThreshold * c.silenceThreshold;
    this.gate = c.backgroundPercentile > 0 ? new SwingGate(c) : undefined;
    this.quietRatio = 10 ** (c.quietGreetingPeakDb / 10);
  }

  get done(): boolean {
    return this.decided;
  }

  /** Feeds one frame (or a lost one, as `undefined`, counted as silence and kept out of the noise estimate). */
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
      if (this.firstUtteranceStartMs !== undefined && this.silenceMs >= c.utteranceGapMs) {
        this.firstUtteranceStartMs = undefined;
        this.firstUtteranceOver = true;
      }
      // The greeting is over when the silence after it is long enough to call a human (the abandonment clock's start).
      if (this.speaking && this.silenceMs >= c.afterGreetingSilenceMs) {
        this.speaking = false;
        out.push({ kind: 'speech-end', atMs: this.timeMs - this.silenceMs });
      }
      if (!this.inGreeting && this.silenceMs >= c.initialSilenceMs) return this.decide(out, 'machine', 'INITIALSILENCE');
      if (this.inGreeting && this.voiceTotalMs <= c.shortGreetingMs && this.silenceMs >= this.humanSilenceMs(c.shortGreetingSilenceMs)) {
        if (this.speaking) out.push({ kind: 'speech-end', atMs: this.timeMs - this.silenceMs });
        return this.decide(out, 'human', 'SHORTGREETING');
      }
      if (this.inGreeting && this.silenceMs >= this.humanSilenceMs(c.afterGreetingSilenceMs)) return this.decide(out, 'human', 'HUMAN');
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
          if (!this.firstUtteranceOver && this.firstUtteranceStartMs === undefined) this.firstUtteranceStartMs = this.timeMs - this.voiceRunMs;
          this.inGreeting = true;
          if (this.words > c.maxWords) return this.decide(out, 'machine', 'MAXWORDS');
        }
      }
      if (this.voiceRunMs >= c.maxWordLengthMs) return this.decide(out, 'machine', 'MAXWORDLENGTH');
      if (this.inGreeting && this.voiceTotalMs >= c.greetingMs) return this.decide(out, 'machine', 'LONGGREETING');
      const first = this.firstUtteranceStartMs;
      if (first !== undefined && this.timeMs - first >= c.maxFirstUtteranceMs) return this.decide(out, 'machine', 'LONGFIRSTUTTERANCE');
    }
    if (this.timeMs >= c.totalAnalysisMs) {
      if (this.config.quietGreetingTooLongIsMachine && this.quietGreeting()) return this.decide(out, 'machine', 'QUIETTOOLONG');
      return this.decide(out, 'unknown', 'TOOLONG');
    }
    return out;
  }

  /**
   * A quiet greeting: the swing gate applies (babble) and the loudest voice it let through stayed less than
   * `quietGreetingPeakDb` over the background reference. A person's "Hello?" stands out of the crowd; a machine that
   * comes down the line a few dB over it lets only its loudest syllables through, and the gate turns the rest into
   * "silence".
   */
  private quietGreeting(): boolean {
    return this.config.quietGreetingPeakDb > 0 && this.gate !== undefined && this.gate.swinging && this.peakOverBackground > 0 && this.peakOverBackground < this.quietRatio;
  }

  /** The silence after a greeting that makes a human: `silenceMs`, or at least `quietGreetingSilenceMs` after a quiet one. */
  private humanSilenceMs(silenceMs: number): number {
    return this.quietGreeting() ? Math.max(silenceMs, this.config.quietGreetingSilenceMs) : silenceMs;
  }

  private decide(out: EnergyAmdEvent[], result: AmdVerdict, cause: string): EnergyAmdEvent[] {
    this.decided = true;
    out.push({ kind: 'verdict', result, cause, atMs: this.timeMs });
    return out;
  }

  private isVoice(frame: Int16Array): boolean {
    let sum = 0;
    let raw = 0;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i] ?? 0;
      raw += x * x;
      const y = this.lowpass.step(this.highpass.step(x));
      sum += y * y;
    }
    const power = sum / Math.max(1, frame.length);
    const silent = raw / Math.max(1, frame.length) < this.minPower;
    // The floor before this frame: a frame is judged against the noise that came before it.
    const floor = Math.max(this.floor.floor, 1);
    const smoothed = this.floor.update(power);
    const ratio = floor === Infinity ? 0 : smoothed / floor;
    const holding = this.inWord || this.voiceRunMs > 0;
    const voice = !silent && ratio >= (holding ? this.holdRatio : this.onRatio);
    if (!this.gate) return voice;
    const admitted = this.gate.admit(power, smoothed, floor, voice, holding, this.silenceMs, this.timeMs);
    if (admitted && this.gate.swinging && this.gate.reference > 0) this.peakOverBackground = Math.max(this.peakOverBackground, smoothed / this.gate.reference);
    return admitted;
  }
}
