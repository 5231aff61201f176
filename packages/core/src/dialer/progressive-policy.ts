import type { PacingObservation, PacingPolicy, PacingSnapshot } from '../pacing/policy.ts';

/**
 * Progressive (power 1:1): one call in progress per free agent, never more. Calls being analysed by AMD and calls
 * waiting for an agent count as in progress, so the abandon rate is zero except for races.
 */
export class ProgressivePolicy implements PacingPolicy {
  readonly name = 'progressive';
  readonly observes = false;

  decide(s: PacingSnapshot): number {
    const pending = s.ringing + s.waiting + (s.analysing ?? 0);
    return Math.max(0, s.readyAgents - pending);
  }

  observe(_observation: PacingObservation): void {}

  dialLevel(): number {
    return 1;
  }
}

export function progressivePolicy(): PacingPolicy {
  return new ProgressivePolicy();
}
