import { describe, expect, it } from 'vitest';
import type { AgentMe, ContactView, StreamEvent } from '../../../packages/web/src/api/types.ts';
import { agentStatusWord } from '../../../packages/web/src/lib/agent-status.ts';
import { applyAgentEvent } from '../../../packages/web/src/lib/agent-view-reducer.ts';
import { refusalReasons } from '../../../packages/web/src/lib/compliance-reasons.ts';
import { fillScript } from '../../../packages/web/src/lib/script-template.ts';
import { actionForKey } from '../../../packages/web/src/lib/shortcuts.ts';

const contact: ContactView = {
  id: 'c1', phone: '+12125550100', firstName: 'Maria', lastName: 'Smith', city: 'New York', region: 'NY', postalCode: '10001', timezone: 'America/New_York',
  attributes: { homeOwner: true, income: 52000 },
};

function me(partial: Partial<AgentMe> = {}): AgentMe {
  return {
    agentId: 'a1', username: 'agent1', displayName: 'Alex Agent', state: 'ready', since: 0, reason: null, campaignIds: ['k1'], call: null,
    campaigns: [], pauseReasons: ['Break'], preview: null, ...partial,
  };
}

function event(type: string, payload: Record<string, unknown>, at = 1000, seq = 1): StreamEvent {
  return { seq, at, type, campaignId: 'k1', payload };
}

describe('agent status word', () => {
  it('reads the contract words from engine states and the call', () => {
    expect(agentStatusWord('ready', null)).toBe('ready');
    expect(agentStatusWord('paused', null)).toBe('paused');
    expect(agentStatusWord('reserved', null)).toBe('ringing');
    expect(agentStatusWord('on_call', { state: 'ringing' })).toBe('ringing');
    expect(agentStatusWord('on_call', { state: 'connected' })).toBe('onCall');
    expect(agentStatusWord('wrap_up', { state: 'wrap_up' })).toBe('wrapUp');
    expect(agentStatusWord('on_call', { state: 'wrap_up' })).toBe('wrapUp');
    expect(agentStatusWord('signed_out', null)).toBe('signedOut');
  });
});

describe('applyAgentEvent (screen pop from the event itself)', () => {
  it('pops the contact on attempt.connected, then wrap-up, then clears after the disposition', () => {
    let view = applyAgentEvent(me(), event('attempt.connected', { agentId: 'a1', attemptId: 't1', campaignId: 'k1', contact }, 5000));
    expect(view.state).toBe('on_call');
    expect(view.call?.contact.firstName).toBe('Maria');
    expect(view.call?.connectedAt).toBe(5000);
    view = applyAgentEvent(view, event('agent.state', { agentId: 'a1', from: 'on_call', to: 'wrap_up', reason: null }, 9000));
    expect(view.state).toBe('wrap_up');
    expect(view.call?.state).toBe('wrap_up');
    expect(view.since).toBe(9000);
    view = applyAgentEvent(view, event('disposition.saved', { agentId: 'a1', attemptId: 't1', code: 'sale' }));
    expect(view.call).toBeNull();
    view = applyAgentEvent(view, event('agent.state', { agentId: 'a1', from: 'wrap_up', to: 'ready', reason: null }, 9500));
    expect(view.state).toBe('ready');
  });

  it('ignores other agents’ events and unknown states', () => {
    const start = me();
    expect(applyAgentEvent(start, event('attempt.connected', { agentId: 'a2', attemptId: 't9', contact }))).toBe(start);
    expect(applyAgentEvent(start, event('agent.state', { agentId: 'a1', to: 'dancing' }))).toBe(start);
  });

  it('keeps the pause reason', () => {
    const view = applyAgentEvent(me(), event('agent.state', { agentId: 'a1', from: 'ready', to: 'paused', reason: 'Lunch' }));
    expect([view.state, view.reason]).toEqual(['paused', 'Lunch']);
  });
});

describe('fillScript', () => {
  const ctx = { contact, agentName: 'Alex Agent', campaignName: 'Solar' };
  it('fills contact fields, custom attributes, agent and campaign', () => {
    expect(fillScript('Hello {{firstName}}, this is {{agentName}} for {{ campaign }}. Owner: {{homeOwner}}, {{city}}, {{contact.region}}', ctx))
      .toBe('Hello Maria, this is Alex Agent for Solar. Owner: true, New York, NY');
  });
  it('leaves an unknown variable visible', () => {
    expect(fillScript('Hi {{nickname}}', ctx)).toBe('Hi {{nickname}}');
  });
});

describe('keyboard shortcuts', () => {
  const key = (code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = { altKey: true }) =>
    actionForKey({ code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });
  it('maps Alt+letters and Alt+digits, by physical key', () => {
    expect(key('KeyR')).toEqual({ type: 'ready' });
    expect(key('KeyH')).toEqual({ type: 'hangup' });
    expect(key('Digit3')).toEqual({ type: 'disposition', index: 2 });
  });
  it('ignores plain letters and Ctrl combinations', () => {
    expect(key('KeyR', {})).toBeNull();
    expect(key('KeyR', { altKey: true, ctrlKey: true })).toBeNull();
    expect(key('KeyQ')).toBeNull();
  });
});

describe('refusalReasons', () => {
  it('turns decision reasons into catalog keys', () => {
    const details = { decision: { verdict: 'block', reasons: [{ category: 'dnc_internal', rule: 'dnc.internal', jurisdiction: 'US' }, { category: 'weird', rule: 'x', jurisdiction: 'US' }] } };
    expect(refusalReasons(details).map((r) => r.key)).toEqual(['reason.dnc_internal', 'reason.other']);
    expect(refusalReasons(undefined)).toEqual([]);
  });
});
