import { describe, expect, it } from 'vitest';
import { T0, TestDialer } from './test-dialer.ts';

describe('the compliance gate is consulted before every dial and obeyed', () => {
  it('a blocked contact is closed with the reason and never dialed', () => {
    const d = new TestDialer().campaign();
    d.gate.blocked.add('+12025550199');
    d.contact('k1', { kind: 'no-answer' }, { phone: '+12025550199' });
    d.agentReady('a1').tick(100);
    expect(d.of('attempt.dialed')).toHaveLength(0);
    expect(d.of('contact.updated')).toMatchObject([
      { update: { contactId: 'k1', status: 'done', reason: 'compliance_block:dnc_internal' }, decision: { verdict: 'block' } },
    ]);
  });

  it('a deferred contact is handed back with notBefore and dialed then, not before (no polling)', () => {
    const d = new TestDialer().campaign();
    const until = T0 + 3_600_000;
    d.gate.deferredUntil.set('+12025550123', until);
    d.contact('k1', { kind: 'busy', afterMs: 1000 }, { phone: '+12025550123' });
    d.agentReady('a1').tick(100);
    expect(d.of('contact.deferred')).toMatchObject([{ contactId: 'k1', notBefore: until, decision: { verdict: 'defer' } }]);
    const asked = d.gate.requests.length;
    d.at(3_600_000 - 1);
    expect(d.of('attempt.dialed')).toHaveLength(0);
    expect(d.gate.requests.length).toBe(asked);
    d.at(3_600_000 + 1000);
    expect(d.of('attempt.dialed')).toMatchObject([{ attempt: { contactId: 'k1', attemptNo: 1 } }]);
  });

  it('the request carries the campaign, the contact parts the host knows and the window counters; the decision is on the attempt', () => {
    const d = new TestDialer().campaign({ seller: 'Acme', subject: 'solar', purpose: 'telemarketing' }, { window: { liveAnswers: 120, abandoned: 3 } });
    d.contact('k1', { kind: 'busy', afterMs: 500 });
    d.agentReady('a1');
    expect(d.gate.requests[0]).toMatchObject({
      at: new Date(T0).toISOString(),
      campaign: { purpose: 'telemarketing', seller: 'Acme', subject: 'solar', dialMode: 'progressive', agentGuaranteed: false },
      campaignWindow: { liveAnswers: 120, abandoned: 3 },
    });
    expect(d.of('attempt.dialed')[0]?.attempt.decision).toMatchObject({ verdict: 'allow', id: d.gate.requests[0]?.id });
    d.contact('k2', { kind: 'busy', afterMs: 500 }, { dueAt: T0 + 61_007 }).at(61_007);
    d.engine.poke();
    expect(d.gate.requests.at(-1)?.at).toBe(new Date(T0 + 61_007).toISOString());
  });
});
