/**
 * Every AMD parameter, with units in the names. The energy detector follows Asterisk app_amd's decision rules
 * (reference telephony.md §4.1) on a signal-to-noise decision against a minimum-statistics noise floor instead of a
 * fixed threshold; the tone detector finds beeps and SIT tri-tones with a frequency estimate refined by Goertzel
 * filters. docs/sip.md lists them with the evaluation that chose the defaults.
 */
export interface AmdConfig {
  frameMs: number;
  /** Silence before anyone speaks that means a machine (app_amd: INITIALSILENCE). */
  initialSilenceMs: number;
  /** Total voice longer than this is a machine's greeting (LONGGREETING). */
  greetingMs: number;
  /** Silence after speech that means a human finished their hello (HUMAN). */
  afterGreetingSilenceMs: number;
  /** A greeting with at most this much voice ("Hello?")… */
  shortGreetingMs: number;
  /** …is a human after this much silence (SHORTGREETING), sooner than `afterGreetingSilenceMs`. */
  shortGreetingSilenceMs: number;
  /** A first utterance (words with no pause of `utteranceGapMs`) longer than this is a machine (LONGFIRSTUTTERANCE). */
  maxFirstUtteranceMs: number;
  utteranceGapMs: number;
  /** No decision by then → unknown (TOOLONG). */
  totalAnalysisMs: number;
  minWordLengthMs: number;
  betweenWordsSilenceMs: number;
  /** More words than this → machine (MAXWORDS). */
  maxWords: number;
  /** One utterance longer than this → machine (MAXWORDLENGTH). */
  maxWordLengthMs: number;
  /** RMS below which a frame is silence whatever the noise floor says (app_amd's silence_threshold). */
  silenceThreshold: number;
  /**
   * The band whose energy is weighed against the noise: voiced speech (the first formant) is strongest in a few
   * hundred Hz to ≈ 1 kHz, while hiss spreads over the whole 300–3400 Hz channel, so a narrower band gains SNR.
   */
  bandLowHz: number;
  bandHighHz: number;
  /** Voice starts this many dB above the noise floor… */
  noiseMarginDb: number;
  /** …and lasts while the frame stays this many dB above it (hysteresis). */
  voiceHoldMarginDb: number;
  /** The noise floor is the least smoothed frame power over this window (minimum statistics)… */
  noiseWindowMs: number;
  /** …kept as the minima of this many sub-windows. */
  noiseSubwindows: number;
  /** Which sub-window minimum is the floor (0: the least; higher suits swinging noise such as babble). */
  noiseFloorRank: number;
  /** Weight of the past in the frame-power smoothing (0–1). */
  noiseSmoothing: number;
  /**
   * The swing gate (swing-gate.ts) for noise whose level swings like speech (babble). Swing: the least band power
   * averaged over `swingAverageMs` (minimum over `swingWindowMs`) against the noise floor, in dB; once it reaches
   * `swingThresholdDb` the gate applies for the rest of the call.
   */
  swingAverageMs: number;
  swingWindowMs: number;
  swingThresholdDb: number;
  /**
   * With the gate on, voice must also start `backgroundMarginDb` and last `backgroundHoldMarginDb` above this
   * percentile (0–100; 0: no gate) of the levels heard where nobody talks: the first `backgroundLeadInMs`, then
   * pauses of `backgroundGapMs` or more, over the last `backgroundWindowMs` of such frames; the reference is capped at
   * `backgroundMaxAboveFloorDb` over the noise floor.
   */
  backgroundPercentile: number;
  backgroundMarginDb: number;
  backgroundHoldMarginDb: number;
  backgroundLeadInMs: number;
  backgroundGapMs: number;
  backgroundWindowMs: number;
  backgroundMaxAboveFloorDb: number;
  /**
   * Quiet greetings under babble (the swing gate on): when the loudest voice the gate let through stayed less than
   * `quietGreetingPeakDb` (0: off) over its background reference, a human verdict needs `quietGreetingSilenceMs` of
   * silence instead of `afterGreetingSilenceMs` (a machine a few dB over the crowd is cut by the gate into a word and
   * "silence"; it goes on talking), and `totalAnalysisMs` reached without a verdict is a machine (QUIETTOOLONG) if
   * `quietGreetingTooLongIsMachine`, else unknown.
   */
  quietGreetingPeakDb: number;
  quietGreetingSilenceMs: number;
  quietGreetingTooLongIsMachine: boolean;
  beep: {
    minHz: number;
    maxHz: number;
    minDurationMs: number;
    /** Share of the frame's energy in the tone's frequency. */
    minPurity: number;
    /** Largest drift of the tone's frequency between frames. */
    maxDriftHz: number;
  };
  sit: { enabled: boolean };
}

export const DEFAULT_AMD_CONFIG: AmdConfig = {
  frameMs: 20,
  initialSilenceMs: 2500,
  greetingMs: 2500,
  afterGreetingSilenceMs: 800,
  shortGreetingMs: 0,
  shortGreetingSilenceMs: 800,
  maxFirstUtteranceMs: 10_000,
  utteranceGapMs: 300,
  totalAnalysisMs: 5000,
  minWordLengthMs: 100,
  betweenWordsSilenceMs: 50,
  maxWords: 7,
  maxWordLengthMs: 5000,
  silenceThreshold: 256,
  bandLowHz: 250,
  bandHighHz: 1200,
  noiseMarginDb: 4.5,
  voiceHoldMarginDb: 2.5,
  noiseWindowMs: 2000,
  noiseSubwindows: 8,
  noiseSmoothing: 0.5,
  noiseFloorRank: 0,
  swingAverageMs: 200,
  swingWindowMs: 5000,
  swingThresholdDb: 2.5,
  backgroundPercentile: 80,
  backgroundMarginDb: 3,
  backgroundHoldMarginDb: 1,
  backgroundLeadInMs: 200,
  backgroundGapMs: 300,
  backgroundWindowMs: 2000,
  backgroundMaxAboveFloorDb: 10,
  quietGreetingPeakDb: 11,
  quietGreetingSilenceMs: 1500,
  quietGreetingTooLongIsMachine: true,
  beep: { minHz: 400, maxHz: 2000, minDurationMs: 160, minPurity: 0.7, maxDriftHz: 50 },
  sit: { enabled: true },
};

export type AmdOverrides = Partial<Omit<AmdConfig, 'beep' | 'sit'>> & { beep?: Partial<AmdConfig['beep']>; sit?: Partial<AmdConfig['sit']> };

export function amdConfig(overrides: AmdOverrides = {}): AmdConfig {
  return {
    ...DEFAULT_AMD_CONFIG,
    ...overrides,
    beep: { ...DEFAULT_AMD_CONFIG.beep, ...overrides.beep },
    sit: { ...DEFAULT_AMD_CONFIG.sit, ...overrides.sit },
  };
}
