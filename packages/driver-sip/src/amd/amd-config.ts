/**
 * Every AMD parameter, with units in the names. The energy detector follows Asterisk app_amd's decision rules
 * (reference telephony.md §4.1) on an adaptive noise floor instead of a fixed threshold; the tone detector finds
 * beeps and SIT tri-tones with a zero-crossing estimate refined by Goertzel filters.
 */
export interface AmdConfig {
  frameMs: number;
  /** Silence before anyone speaks that means a machine (app_amd: INITIALSILENCE). */
  initialSilenceMs: number;
  /** Total voice longer than this is a machine's greeting (LONGGREETING). */
  greetingMs: number;
  /** Silence after speech that means a human finished their hello (HUMAN). */
  afterGreetingSilenceMs: number;
  /** No decision by then → unknown (TOOLONG). */
  totalAnalysisMs: number;
  minWordLengthMs: number;
  betweenWordsSilenceMs: number;
  /** More words than this → machine (MAXWORDS). */
  maxWords: number;
  /** One utterance longer than this → machine (MAXWORDLENGTH). */
  maxWordLengthMs: number;
  /** Mean |sample| below which a frame is silence whatever the floor says (app_amd's silence_threshold). */
  silenceThreshold: number;
  /** Voice is this many dB above the tracked noise floor. */
  noiseMarginDb: number;
  /** How fast the floor may rise per frame while sound lasts (fraction; it falls at once). */
  noiseFloorRisePerFrame: number;
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
  totalAnalysisMs: 5000,
  minWordLengthMs: 100,
  betweenWordsSilenceMs: 50,
  maxWords: 7,
  maxWordLengthMs: 5000,
  silenceThreshold: 256,
  noiseMarginDb: 6,
  noiseFloorRisePerFrame: 0.005,
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
