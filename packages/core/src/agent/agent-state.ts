/**
 * The agent state machine. Every state change goes through {@link canTransition}; the engine refuses anything the
 * table does not list, and tests replay `agent.state` events through the same table.
 */

export type AgentState = 'signed_out' | 'ready' | 'reserved' | 'on_call' | 'wrap_up' | 'paused';

export const AGENT_STATES: readonly AgentState[] = ['signed_out', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused'];

/**
 * From → allowed next states.
 * - signed_out → paused: signing in leaves the agent paused until they say they are ready.
 * - reserved: held for one call (bridging an answered call, a preview, a manual dial); falls back when it fails.
 * - on_call → wrap_up only: a call always ends in wrap-up, and wrap-up ends only with a disposition.
 */
export const AGENT_TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  signed_out: ['paused'],
  paused: ['ready', 'reserved', 'signed_out'],
  ready: ['reserved', 'paused', 'signed_out'],
  reserved: ['on_call', 'ready', 'paused', 'signed_out'],
  on_call: ['wrap_up'],
  wrap_up: ['ready', 'paused'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return AGENT_TRANSITIONS[from].includes(to);
}

/** Why an agent changed state, as carried by `agent.state` events. Pause reasons are free text from the agent. */
export type AgentStateCause =
  | 'sign_in'
  | 'sign_out'
  | 'ready'
  | 'pause'
  | 'call_assigned'
  | 'bridged'
  | 'call_ended'
  | 'call_failed'
  | 'disposition'
  | 'preview'
  | 'preview_skipped'
  | 'manual_dial'
  | 'leg_down';

/**
 * Replays a list of states (the `to` of successive `agent.state` events, starting from signed_out) and returns the
 * first invalid step, or null when the whole path is valid.
 */
export function firstInvalidStep(
  path: ReadonlyArray<{ from: AgentState; to: AgentState }>,
): { index: number; from: AgentState; to: AgentState; reason: 'not_allowed' | 'discontinuous' } | null {
  let current: AgentState = 'signed_out';
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as { from: AgentState; to: AgentState };
    if (step.from !== current) return { index: i, from: step.from, to: step.to, reason: 'discontinuous' };
    if (!canTransition(step.from, step.to)) return { index: i, from: step.from, to: step.to, reason: 'not_allowed' };
    current = step.to;
  }
  return null;
}
