import { describe, expect, it } from 'vitest';
import { dialEverything } from './dial-everything-policy.ts';
import { T0, TestDialer } from './test-dialer.ts';

/** One agent, two live answers (k1 at 3 s, k2 at 4 s with a 1-s greeting): k2 waits for the agent. */
function twoLiveAnswers(regime: 'us30d' | 'uk24h', firstTalkMs = 60_000, graceMs?: number): TestDialer {
  const d = new TestDialer({ policyFor: dialEverything });
  d.campaign({ dialMode: 'predictive', amd: false, regime }, graceMs === undefined ? {} : { graceMs });
  d.contact('k1', { kind: 'answer', party: 'human', afterMs: 3000, greetingMs: 1000, talkMs: firstTalkMs });
  d.contact('k2', { kind: 'answer', party: 'human', afterMs: 4000, greetingMs: 1000, talkMs: 30_000 });
  d.agentReady('a1');
  return d;
}

describe('abandonment: no agent within the grace → the abandon message plays and the attempt counts as abandoned', () => {
  it('us30d counts 2 s from the END of the greeting (answer 4 s + greeting 1 s + 2 s = 7 s)', () => {
    const d = twoLiveAnswers('us30d');
    d.at(6999);
    expect(d.of('attempt.abandoned')).toHaveLength(0);
    d.at(7000);
    expect(d.of('attempt.abandoned')).toMatchObject([
      { at: T0 + 7000, contactId: 'k2', promptId: 'abandon-default', graceStartedAt: T0 + 5000 },
    ]);
    d.at(7000 + 8000 + 1);
    const ended = d.of('attempt.ended').find((e) => e.contactId === 'k2');
    expect(ended).toMatchObject({ outcome: 'abandoned', abandoned: true, abandonMessagePlayed: true, liveAnswer: true, agentId: null });
    expect(d.engine.snapshot().campaigns[0]).toMatchObject({ abandoned: 1, liveAnswers: 2, abandonRate: 0.5 });
  });

  it('uk24h counts 2 s from the START of the greeting (answer 4 s + 2 s = 6 s)', () => {
    const d = twoLiveAnswers('uk24h');
    d.at(5999);
    expect(d.of('attempt.abandoned')).toHaveLength(0);
    d.at(6000);
    expect(d.of('attempt.abandoned')).toMatchObject([{ at: T0 + 6000, contactId: 'k2', graceStartedAt: T0 + 4000 }]);
  });

  it('an agent free 1 ms before the deadline takes the call; 1 ms after, it is already abandoned', () => {
    // k1 talks 1 s after the bridge (3.02 s → 4.02 s); the agent dispositions at 6.999 s or 7.001 s.
    const inTime = twoLiveAnswers('us30d', 1000);
    inTime.at(6999).disposition('a1', 'sale').at(20_000);
    expect(inTime.of('attempt.abandoned')).toHaveLength(0);
    expect(inTime.of('attempt.connected').map((e) => e.contactId)).toEqual(['k1', 'k2']);

    const late = twoLiveAnswers('us30d', 1000);
    late.at(7001).disposition('a1', 'sale').at(20_000);
    expect(late.of('attempt.abandoned').map((e) => e.contactId)).toEqual(['k2']);
    expect(late.of('attempt.connected').map((e) => e.contactId)).toEqual(['k1']);
  });

  it('a scenario grace of 0 abandons at the instant of the answer', () => {
    const d = twoLiveAnswers('us30d', 60_000, 0);
    d.at(5000);
    expect(d.of('attempt.abandoned')).toMatchObject([{ at: T0 + 5000, contactId: 'k2' }]);
  });

  it('the campaign prompt is the message played', () => {
    const d = new TestDialer({ policyFor: dialEverything });
    d.campaign({ dialMode: 'predictive', amd: false, abandonMessagePromptId: 'acme-abandon' }, { graceMs: 0 });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000, greetingMs: 0 });
    d.signIn('a1').tick(1) // signed in but paused: nobody free
      .agentReady('a1')
      .agentPause('a1');
    d.engine.poke();
    d.tick(2000);
    expect(d.of('attempt.abandoned')).toMatchObject([{ promptId: 'acme-abandon' }]);
  });
});

describe('a machine the agent heard (AMD off) is no live answer', () => {
  it('a disposition marked machine takes the call out of the live answers; one not marked keeps it', () => {
    const run = (machine: boolean): TestDialer => {
      const d = new TestDialer({ policyFor: dialEverything });
      d.campaign({
        dialMode: 'predictive', amd: false,
        dispositions: [{ code: 'beep', label: 'Left no message', action: 'retry', machine }, { code: 'sale', label: 'Sale', action: 'final' }],
      });
      d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000, greetingMs: 0, talkMs: 5000 });
      d.agentReady('a1').at(1000);
      expect(d.engine.snapshot().campaigns[0]).toMatchObject({ liveAnswers: 1 });
      d.at(8000).disposition('a1', 'beep').at(9000);
      expect(d.of('disposition.saved')).toMatchObject([{ code: 'beep', machine }]);
      return d;
    };
    expect(run(true).engine.snapshot().campaigns[0]).toMatchObject({ liveAnswers: 0, abandoned: 0 });
    expect(run(false).engine.snapshot().campaigns[0]).toMatchObject({ liveAnswers: 1, abandoned: 0 });
  });
});

describe('a bridge the driver refuses', () => {
  it('frees the agent and plays the abandon message to the caller, once (no retry loop)', () => {
    const d = new TestDialer().campaign({ amd: false });
    d.hopper.add('c1', { contactId: 'k1', phone: '+12025550888', attemptNo: 1, priority: 0, compliance: {} });
    d.driver.scriptNext('+12025550888', { kind: 'answer', party: 'human', afterMs: 1000 }, { refuseBridge: true });
    d.agentReady('a1').at(1000).expectAgent('a1', 'ready');
    expect(d.of('attempt.abandoned')).toMatchObject([{ contactId: 'k1', at: T0 + 1000 }]);
    d.at(20_000);
    expect(d.of('attempt.ended')).toMatchObject([{ contactId: 'k1', outcome: 'abandoned', abandonMessagePlayed: true, agentId: null }]);
    expect(d.engine.snapshot().campaigns[0]).toMatchObject({ connected: 0, abandoned: 1 });
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'ready']);
  });
});

describe('AMD', () => {
  it('a machine verdict hangs up without an agent; the attempt ends as amd_hangup', () => {
    const d = new TestDialer().campaign({ amd: true });
    d.contact('k1', { kind: 'answer', party: 'machine', afterMs: 3000, greetingMs: 5000, amdAfterMs: 2500 });
    d.agentReady('a1').at(10_000);
    expect(d.of('attempt.amd')).toMatchObject([{ result: 'machine' }]);
    expect(d.of('attempt.ended')).toMatchObject([{ outcome: 'amd_hangup', agentId: null, liveAnswer: false, by: 'local' }]);
    d.expectPath('a1', ['paused', 'ready']);
  });

  it('a human verdict connects the call after the verdict, not before', () => {
    const d = new TestDialer().campaign({ amd: true });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 3000, greetingMs: 1000, amdAfterMs: 2000 });
    d.agentReady('a1').at(4999).expectAgent('a1', 'ready').at(5000).expectAgent('a1', 'reserved').at(5020).expectAgent('a1', 'on_call');
    expect(d.of('attempt.connected')).toMatchObject([{ agentId: 'a1', waitMs: 1000 }]);
  });

  it('with AMD off a machine reaches the agent and holds them until it hangs up', () => {
    const d = new TestDialer().campaign({ amd: false });
    d.contact('k1', { kind: 'answer', party: 'machine', afterMs: 3000, talkMs: 15_000 });
    d.agentReady('a1').at(3020).expectAgent('a1', 'on_call').at(18_020).expectAgent('a1', 'wrap_up');
  });
});
