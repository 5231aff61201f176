import type { PacingObservation, PacingPolicy, PacingSnapshot } from './policy.ts';
import { FloorTracker } from './estimators/floor-tracker.ts';

export interface SamuelsonSettings {
  /** Safety margin s subtracted from the expected free agents (agents). */
  margin: number;
  graceMs: number;
}

/**
 * Samuelson's rule (US 4,858,120; Interfaces 1999), reconstructed in reference §2.5: count the agents free now plus
 * the busy agents whose expected remaining handle time E[H − e | H > e] is within the mean transit time (dial →
 * answer), minus answered calls waiting; keep that count divided by the hit ratio in flight.
 */
export class SamuelsonPolicy implements PacingPolicy {
  readonly name: string;
  readonly tickMs = 1000;
  readonly tracker: FloorTracker;
  private readonly settings: SamuelsonSettings;
  private level = 1;

  constructor(settings: Partial<SamuelsonSettings> = {}, name = 'samuelson') {
    this.settings = { margin: 0, graceMs: 2000, ...settings };
    this.name = name;
    this.tracker = new FloorTracker(this.settings.graceMs);
  }

  observe(observation: PacingObservation): void {
    this.tracker.observe(observation);
  }

  dialLevel(): number {
    return this.level;
  }

  decide(s: PacingSnapshot): number {
    const t = this.tracker;
    const transit = t.answerTime.mean();
    const wrapMean = t.wrap.mean();
    // A mean residual is never below half a bin: when even that plus the wrap-up exceeds the transit time (talk and
    // wrap-up much longer than ringing, the usual case), no agent on a call can count, and the lookups are skipped.
    const talkCanCount = t.talk.binMs / 2 + wrapMean <= transit;
    let soon = 0;
    const agents = s.agents;
    for (let i = 0; i < agents.length; i++) {
      const a = agents[i] as (typeof agents)[number];
      if (a.state === 'on_call') {
        if (talkCanCount && t.talk.meanResidual(s.now - a.since) + wrapMean <= transit) soon++;
      } else if (a.state === 'wrap_up' && t.wrap.meanResidual(s.now - a.since) <= transit) soon++;
    }
    const expectedFree = s.readyAgents + soon - s.waiting - this.settings.margin;
    const p = Math.max(t.demand.estimate(), 0.01);
    const target = Math.ceil(Math.max(0, expectedFree) / p);
    const inFlight = s.ringing + (s.analysing ?? 0);
    this.level = s.readyAgents > 0 ? target / s.readyAgents : 1;
    return Math.max(0, Math.min(target - inFlight, s.dialable, s.linesFree));
  }
}
