import { describe, expect, it } from 'vitest';
import { dialEverything } from './dial-everything-policy.ts';
import { TestDialer } from './test-dialer.ts';

describe('routing: each answered call goes to the longest-idle ready agent', () => {
  it('connects calls in the order the agents became ready, not sign-in or id order', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 10_000 })
      .contact('k2', { kind: 'answer', party: 'human', afterMs: 11_000 })
      .contact('k3', { kind: 'answer', party: 'human', afterMs: 12_000 });
    d.signIn('a1').signIn('a2').signIn('a3');
    d.agentReady('a3').tick(1000).agentReady('a1').tick(1000).agentReady('a2');
    d.tick(15_000);
    expect(d.of('attempt.connected').map((e) => [e.contactId, e.agentId])).toEqual([
      ['k1', 'a3'],
      ['k2', 'a1'],
      ['k3', 'a2'],
    ]);
  });

  it('an agent who pauses and comes back goes to the end of the line', () => {
    const d = new TestDialer({ policyFor: dialEverything }).campaign({ dialMode: 'predictive', amd: false });
    d.signIn('a1').signIn('a2').agentReady('a1').tick(1000).agentReady('a2');
    d.agentPause('a1').agentReady('a1');
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000 }).tick(1000);
    d.engine.poke();
    d.tick(1100);
    expect(d.of('attempt.connected').map((e) => e.agentId)).toEqual(['a2']);
  });

  it('a waiting call is taken by the agent who becomes free first', () => {
    const d = new TestDialer({ policyFor: dialEverything }).campaign({ dialMode: 'predictive', amd: false }, { graceMs: 60_000 });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000, talkMs: 5000 });
    d.contact('k2', { kind: 'answer', party: 'human', afterMs: 2000, talkMs: 5000 });
    d.agentReady('a1').tick(2500);
    expect(d.engine.snapshot().campaigns[0]).toMatchObject({ waiting: 1 });
    d.tick(5000).disposition('a1', 'sale').tick(50);
    expect(d.of('attempt.connected').map((e) => [e.contactId, e.agentId])).toEqual([
      ['k1', 'a1'],
      ['k2', 'a1'],
    ]);
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call', 'wrap_up', 'ready', 'reserved', 'on_call']);
  });
});
