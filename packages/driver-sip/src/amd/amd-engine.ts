import type { AmdConfig } from './amd-config.ts';
import { EnergyAmd } from './energy-amd.ts';
import type { EnergyAmdEvent } from './energy-amd.ts';
import type { ToneEvent } from './tone-detector.ts';
import { ToneDetector } from './tone-detector.ts';

export type AmdEvent = EnergyAmdEvent | ToneEvent;

/**
 * The detectors one call runs on the called party's audio: the energy verdict until it is reached, and the tone
 * detector (beep, SIT) as long as it is wanted, e.g. after a machine verdict until the beep for a voicemail drop.
 */
export class AmdEngine {
  private readonly energy: EnergyAmd;
  private readonly tones: ToneDetector;
  listenForTones = true;

  constructor(readonly config: AmdConfig) {
    this.energy = new EnergyAmd(config);
    this.tones = new ToneDetector(config);
  }

  get verdictReached(): boolean {
    return this.energy.done;
  }

  feed(frame: Int16Array | undefined): AmdEvent[] {
    const events: AmdEvent[] = [...this.energy.feed(frame)];
    if (this.listenForTones && frame) events.push(...this.tones.feed(frame));
    return events;
  }
}
