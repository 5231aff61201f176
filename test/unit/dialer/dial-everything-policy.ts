import type { PacingPolicy, PacingSnapshot } from '@outdial/core/pacing/policy';

/** A deliberately over-dialing test policy: every dialable contact at once while an agent is ready. */
export const dialEverything = (): PacingPolicy => ({
  name: 'dial-everything',
  decide: (s: PacingSnapshot) => (s.readyAgents > 0 ? s.dialable : 0),
  observe: () => {},
});
