import type { AgentState, CallView } from '../api/types.ts';

/** The word the status element shows (contract: Ready, Paused, Ringing, On call, Wrap-up). */
export type AgentStatusWord = 'ready' | 'paused' | 'ringing' | 'onCall' | 'wrapUp' | 'signedOut';

export function agentStatusWord(state: AgentState, call: Pick<CallView, 'state'> | null, previewing = false): AgentStatusWord {
  if (state === 'wrap_up' || call?.state === 'wrap_up') return 'wrapUp';
  // reserved for a previewed contact: the agent is ready and deciding; nothing rings yet
  if (call === null && previewing && state === 'reserved') return 'ready';
  if (call?.state === 'ringing' || state === 'reserved') return 'ringing';
  switch (state) {
    case 'ready':
      return 'ready';
    case 'paused':
      return 'paused';
    case 'on_call':
      return 'onCall';
    case 'signed_out':
      return 'signedOut';
  }
}
