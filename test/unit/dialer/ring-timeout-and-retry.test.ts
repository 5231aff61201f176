import { describe, expect, it } from 'vitest';
import { UK_ABANDON_NO_REDIAL_MS } from '@outdial/core/dialer/contact-rules';
import { dialEverything } from './dial-everything-policy.ts';
import { T0, TestDialer } from './test-dialer.ts';

const MIN = 60_000;

describe('ring timeout', () => {
  it('is never shorter than 15 s, whatever the campaign says', () => {
    const d = new TestDialer().campaign({ ringTimeoutSeconds: 5 }).contact('k1', { kind: 'no-answer' });
    d.agentReady('a1').at(14_999);
    expect(d.of('attempt.dialed')[0]?.attempt.ringTimeoutMs).toBe(15_000);
    expect(d.of('attempt.ended')).toHaveLength(0);
    d.at(15_000);
    expect(d.of('attempt.ended')).toMatchObject([
      { outcome: 'no_answer', callOutcome: 'no-answer', by: 'timeout', timings: { ringMs: 15_000, endedAt: T0 + 15_000 } },
    ]);
  });

  it('uses the campaign ring timeout above the minimum', () => {
    const d = new TestDialer().campaign({ ringTimeoutSeconds: 25 }).contact('k1', { kind: 'no-answer' });
    d.agentReady('a1').at(24_999);
    expect(d.of('attempt.ended')).toHaveLength(0);
    d.at(25_000);
    expect(d.of('attempt.ended')).toMatchObject([{ by: 'timeout', timings: { ringMs: 25_000 } }]);
  });
});

describe('retry scheduling', () => {
  it('a busy contact is redialed after the rule delay, not before, as attempt 2', () => {
    const d = new TestDialer().campaign({ retryRules: [{ outcome: 'busy', action: 'retry', delayMinutes: 30 }] });
    d.contact('k1', { kind: 'busy', afterMs: 2000 }, { phone: '+12025550100' });
    d.script('+12025550100', { kind: 'busy', afterMs: 2000 });
    d.agentReady('a1').at(2000);
    expect(d.of('contact.updated')).toMatchObject([
      { update: { contactId: 'k1', status: 'dialable', nextDialAt: T0 + 2000 + 30 * MIN, attempts: 1, lastOutcome: 'busy' } },
    ]);
    d.at(2000 + 30 * MIN - 1);
    expect(d.of('attempt.dialed')).toHaveLength(1);
    d.at(2000 + 30 * MIN + 1000);
    // Picked up by the first decision (1-s tick) at or after the due time.
    expect(d.of('attempt.dialed').map((e) => [e.attempt.contactId, e.attempt.attemptNo, e.at])).toEqual([
      ['k1', 1, T0],
      ['k1', 2, T0 + 2000 + 30 * MIN],
    ]);
  });

  it('closes the contact after max attempts and marks invalid numbers', () => {
    const d = new TestDialer().campaign({ maxAttempts: 2 });
    d.contact('k1', { kind: 'busy', afterMs: 1000 }, { attemptNo: 2 });
    d.contact('k2', { kind: 'invalid', afterMs: 1000 });
    d.signIn('a1').signIn('a2').agentReady('a1').agentReady('a2').at(5000);
    const updates = Object.fromEntries(d.of('contact.updated').map((e) => [e.update.contactId, e.update]));
    expect(updates.k1).toMatchObject({ status: 'done', reason: 'max_attempts', attempts: 2, nextDialAt: null });
    expect(updates.k2).toMatchObject({ status: 'invalid', nextDialAt: null });
  });

  it('uk24h: an abandoned contact is not redialed within 72 hours', () => {
    const d = new TestDialer({ policyFor: dialEverything });
    d.campaign({ dialMode: 'predictive', amd: false, regime: 'uk24h' }, { graceMs: 0 });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000, greetingMs: 0 });
    d.contact('k2', { kind: 'answer', party: 'human', afterMs: 1500, greetingMs: 0 });
    d.agentReady('a1').at(20_000);
    const u = d.of('contact.updated').find((e) => e.update.contactId === 'k2')?.update;
    expect(u).toMatchObject({ lastOutcome: 'abandoned', status: 'dialable' });
    expect(u?.nextDialAt).toBeGreaterThanOrEqual(T0 + 1500 + UK_ABANDON_NO_REDIAL_MS);
  });

  it('dispositions apply the campaign rules: retry after its delay, callback at its time, do-not-call', () => {
    const d = new TestDialer().campaign({ amd: false });
    for (const k of ['k1', 'k2', 'k3']) d.contact(k, { kind: 'answer', party: 'human', afterMs: 1000, talkMs: 1000 });
    d.agentReady('a1');
    d.at(3000).disposition('a1', 'answering_machine').expectOk();
    d.at(6000).disposition('a1', { code: 'call_back', callbackAt: T0 + 86_400_000, callbackScope: 'agent' }).expectOk();
    d.at(9000).disposition('a1', 'do_not_call').expectOk();
    expect(d.of('disposition.saved').map((e) => [e.contactId, e.action, e.contact.status, e.contact.nextDialAt])).toEqual([
      ['k1', 'retry', 'dialable', T0 + 3000 + 240 * MIN],
      ['k2', 'callback', 'callback', T0 + 86_400_000],
      ['k3', 'dnc', 'dnc', null],
    ]);
    expect(d.of('disposition.saved')[1]).toMatchObject({ callbackScope: 'agent', callbackAt: T0 + 86_400_000 });
  });
});
