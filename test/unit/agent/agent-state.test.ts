import { describe, expect, it } from 'vitest';
import { AGENT_STATES, AGENT_TRANSITIONS, canTransition, firstInvalidStep } from '@outdial/core/agent/agent-state';

describe('agent transition table', () => {
  it('lists every state and only known targets', () => {
    for (const s of AGENT_STATES) for (const to of AGENT_TRANSITIONS[s]) expect(AGENT_STATES).toContain(to);
  });

  it('a call always ends in wrap-up, and wrap-up ends only with a disposition (ready or paused)', () => {
    expect(AGENT_TRANSITIONS.on_call).toEqual(['wrap_up']);
    expect(canTransition('wrap_up', 'signed_out')).toBe(false);
    expect(canTransition('on_call', 'ready')).toBe(false);
    expect(canTransition('signed_out', 'ready')).toBe(false);
    expect(canTransition('ready', 'on_call')).toBe(false);
  });

  it('finds the first invalid or discontinuous step of a path', () => {
    expect(firstInvalidStep([{ from: 'signed_out', to: 'paused' }, { from: 'paused', to: 'ready' }])).toBeNull();
    expect(firstInvalidStep([{ from: 'signed_out', to: 'ready' }])).toMatchObject({ index: 0, reason: 'not_allowed' });
    expect(firstInvalidStep([{ from: 'signed_out', to: 'paused' }, { from: 'ready', to: 'paused' }])).toMatchObject({
      index: 1,
      reason: 'discontinuous',
    });
  });
});
