import { describe, expect, it } from 'vitest';
import { TestDialer } from './test-dialer.ts';

const human = (afterMs: number, talkMs: number) => ({ kind: 'answer', party: 'human', afterMs, greetingMs: 1000, talkMs }) as const;

describe('agent state machine, by state path', () => {
  it('a progressive call: paused → ready → reserved → on_call → wrap_up → ready after the disposition', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false }).contact('k1', human(3000, 30_000));
    d.agentReady('a1').expectAgent('a1', 'ready');
    expect(d.of('attempt.dialed')).toHaveLength(1);
    d.tick(3000).expectAgent('a1', 'reserved').tick(20).expectAgent('a1', 'on_call');
    d.tick(30_000).expectAgent('a1', 'wrap_up');
    d.disposition('a1', 'sale').expectOk().expectAgent('a1', 'ready');
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call', 'wrap_up', 'ready']);
    expect(d.of('disposition.saved')).toMatchObject([{ agentId: 'a1', code: 'sale', action: 'final', contact: { status: 'done' } }]);
  });

  it('the agent hangs up: on_call → wrap_up, and the attempt ends as answered with its talk time', () => {
    const d = new TestDialer().campaign({ amd: false }).contact('k1', { kind: 'answer', party: 'human', afterMs: 2000 });
    d.agentReady('a1').tick(2020).expectAgent('a1', 'on_call').tick(10_000).agentHangup('a1').expectOk().tick(0);
    d.expectAgent('a1', 'wrap_up');
    expect(d.of('attempt.ended')).toMatchObject([{ outcome: 'answered', agentId: 'a1', by: 'local', timings: { talkMs: 10_000 } }]);
  });

  it('refuses invalid transitions with typed results and keeps the state', () => {
    const d = new TestDialer().campaign({ amd: false }).contact('k1', human(1000, 60_000));
    d.signIn('a1').signIn('a1').expectRefused('wrong_state');
    d.disposition('a1', 'sale').expectRefused('wrong_state');
    d.agentReady('a1').tick(1020).expectAgent('a1', 'on_call');
    d.agentReady('a1').expectRefused('wrong_state');
    d.signOut('a1').expectRefused('wrong_state');
    d.disposition('a1', 'no_such_code').expectRefused('unknown_disposition').expectAgent('a1', 'on_call');
    d.tick(60_000).expectAgent('a1', 'wrap_up');
    d.disposition('a1', 'no_such_code').expectRefused('unknown_disposition');
    d.disposition('a1', 'call_back').expectRefused('callback_time_required');
    d.signOut('a1').expectRefused('wrong_state');
    d.expectAgent('a1', 'wrap_up');
    d.disposition('a1', 'not_interested').expectOk().signOut('a1').expectOk().expectAgent('a1', 'signed_out');
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call', 'wrap_up', 'ready', 'signed_out']);
    expect(new TestDialer().engine.agentReady('nobody')).toEqual({ ok: false, error: 'unknown_agent' });
  });

  it('a disposition given during the call hangs up, then is applied as soon as the call has ended', () => {
    const d = new TestDialer().campaign({ amd: false }).contact('k1', human(1000, 60_000));
    d.agentReady('a1').tick(5000).expectAgent('a1', 'on_call');
    d.disposition('a1', 'do_not_call');
    expect(d.lastResult).toMatchObject({ ok: true, value: { pending: true, contact: { status: 'dnc' } } });
    d.tick(0).expectAgent('a1', 'ready');
    expect(d.of('disposition.saved')).toMatchObject([{ code: 'do_not_call', contact: { status: 'dnc' }, wrapMs: 0 }]);
    expect(d.of('attempt.ended')).toMatchObject([{ outcome: 'answered', by: 'local' }]);
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call', 'wrap_up', 'ready']);
  });

  it('a pause asked during a call is applied after the disposition', () => {
    const d = new TestDialer().campaign({ amd: false }).contact('k1', human(1000, 5000));
    d.agentReady('a1').tick(1020).agentPause('a1', 'lunch');
    expect(d.lastResult).toEqual({ ok: true, value: { pending: true } });
    d.tick(5000).disposition('a1', 'sale').expectAgent('a1', 'paused');
    expect(d.agentEvents('a1').at(-1)).toMatchObject({ to: 'paused', reason: 'lunch' });
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call', 'wrap_up', 'paused']);
  });

  it('signing in to an unknown campaign is refused', () => {
    const d = new TestDialer().campaign();
    d.signIn('a1', ['nope']).expectRefused('unknown_campaign').expectAgent('a1', 'signed_out');
  });
});
