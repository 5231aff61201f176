import type { AgentSnapshot, PacingSnapshot } from '@outdial/core/pacing/policy';

/** A hand-built floor: `states` lists each agent's state and how long it has been in it (ms). */
export function floor(
  now: number,
  states: ReadonlyArray<readonly [AgentSnapshot['state'], number]>,
  extra: Partial<PacingSnapshot> = {},
): PacingSnapshot {
  const agents: AgentSnapshot[] = states.map(([state, elapsed], i) => ({ agentId: `a${i}`, state, since: now - elapsed }));
  return {
    now,
    campaignId: 'c',
    agents,
    readyAgents: agents.filter((a) => a.state === 'ready').length,
    ringing: 0,
    waiting: 0,
    analysing: 0,
    dialable: 10_000,
    linesFree: 10_000,
    abandonTarget: 0.03,
    ...extra,
  };
}

export function repeat<T>(n: number, item: T): T[] {
  return Array.from({ length: n }, () => item);
}
