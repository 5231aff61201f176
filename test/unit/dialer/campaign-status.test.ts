import { describe, expect, it } from 'vitest';
import { TestDialer } from './test-dialer.ts';

describe('campaign status and snapshot', () => {
  it('a paused campaign places no call; running again dials at once; calls in progress go on', () => {
    const d = new TestDialer().campaign({ status: 'paused', amd: false });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 2000, talkMs: 5000 });
    d.agentReady('a1').tick(10_000);
    expect(d.of('attempt.dialed')).toHaveLength(0);
    d.campaign({ status: 'running' });
    expect(d.of('attempt.dialed')).toHaveLength(1);
    d.campaign({ status: 'stopped' }).tick(2100).expectAgent('a1', 'on_call');
  });

  it('snapshot shows agents and campaign counters for the supervisor', () => {
    const d = new TestDialer().campaign({ amd: false });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 2000 });
    d.contact('k2', { kind: 'no-answer' });
    d.signIn('a1').signIn('a2').agentReady('a1').agentReady('a2').tick(2100);
    const snap = d.engine.snapshot();
    expect(snap.agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agentId: 'a1', state: 'on_call', campaignIds: ['c1'], contactId: 'k1' }),
        expect.objectContaining({ agentId: 'a2', state: 'ready', callId: null }),
      ]),
    );
    expect(snap.campaigns).toMatchObject([
      { campaignId: 'c1', status: 'running', mode: 'progressive', policy: 'progressive', ringing: 1, calls: 2, dialed: 2, liveAnswers: 1, connected: 1, abandoned: 0, abandonRate: 0 },
    ]);
  });

  it('an agent signed in to two campaigns takes calls from both', () => {
    const d = new TestDialer().campaign({ amd: false });
    const second = { ...d.settings, id: 'c2', name: 'Second' };
    d.engine.upsertCampaign(second);
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000, talkMs: 1000 });
    d.hopper.add('c2', { contactId: 'k2', phone: '+12025559999', attemptNo: 1, priority: 0, compliance: {} });
    d.script('+12025559999', { kind: 'answer', party: 'human', afterMs: 1500, talkMs: 1000 });
    d.signIn('a1', ['c1', 'c2']).agentReady('a1').tick(1100).expectAgent('a1', 'on_call');
    d.tick(1000).disposition('a1', 'sale').tick(200);
    expect(d.of('attempt.connected').map((e) => [e.campaignId, e.agentId])).toEqual([
      ['c1', 'a1'],
      ['c2', 'a1'],
    ]);
  });
});
