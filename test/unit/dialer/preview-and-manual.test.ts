import { describe, expect, it } from 'vitest';
import { TestDialer } from './test-dialer.ts';

describe('preview mode', () => {
  it('the agent asks for the next contact, dials it and talks: ready → reserved → on_call', () => {
    const d = new TestDialer().campaign({ dialMode: 'preview', amd: false });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 4000 });
    d.agentReady('a1').tick(10_000);
    expect(d.of('attempt.dialed')).toHaveLength(0);
    const next = d.engine.previewNext('a1');
    expect(next).toMatchObject({ ok: true, value: { target: { contactId: 'k1' }, campaignId: 'c1' } });
    d.expectAgent('a1', 'reserved');
    expect(d.of('preview.offered')).toMatchObject([{ agentId: 'a1', contactId: 'k1' }]);
    expect(d.engine.previewDial('a1')).toMatchObject({ ok: true });
    expect(d.gate.requests.at(-1)?.campaign).toMatchObject({ dialMode: 'preview', agentGuaranteed: true });
    d.tick(4100).expectAgent('a1', 'on_call');
    expect(d.of('attempt.connected')).toMatchObject([{ agentId: 'a1', contactId: 'k1' }]);
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call']);
  });

  it('skipping returns the contact undialed and frees the agent', () => {
    const d = new TestDialer().campaign({ dialMode: 'preview' });
    d.contact('k1', { kind: 'no-answer' });
    d.agentReady('a1');
    d.engine.previewNext('a1');
    expect(d.engine.previewSkip('a1')).toEqual({ ok: true, value: undefined });
    d.expectAgent('a1', 'ready');
    expect(d.of('contact.updated')).toMatchObject([{ update: { contactId: 'k1', status: 'dialable', reason: 'preview_skip', attempts: 0 } }]);
    expect(d.engine.previewNext('a1')).toMatchObject({ ok: true, value: { target: { contactId: 'k1', attemptNo: 1 } } });
  });

  it('signing out while previewing gives the contact back; a pause asked while previewing applies after the skip', () => {
    const d = new TestDialer().campaign({ dialMode: 'preview' });
    d.contact('k1', { kind: 'no-answer' });
    d.agentReady('a1');
    d.engine.previewNext('a1');
    d.signOut('a1').expectOk().expectAgent('a1', 'signed_out');
    expect(d.of('contact.updated')).toMatchObject([{ update: { contactId: 'k1', reason: 'preview_skip' } }]);
    d.agentReady('a1');
    d.engine.previewNext('a1');
    d.agentPause('a1', 'coffee');
    expect(d.lastResult).toEqual({ ok: true, value: { pending: true } });
    d.engine.previewSkip('a1');
    d.expectAgent('a1', 'paused');
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'signed_out', 'paused', 'ready', 'reserved', 'paused']);
  });

  it('refuses preview on a campaign in another mode, and with no contact left', () => {
    const progressive = new TestDialer().campaign({ dialMode: 'progressive' }).agentReady('a1');
    expect(progressive.engine.previewNext('a1')).toMatchObject({ ok: false, error: 'wrong_mode' });
    const empty = new TestDialer().campaign({ dialMode: 'preview' }).agentReady('a1');
    expect(empty.engine.previewNext('a1')).toMatchObject({ ok: false, error: 'no_contact' });
    empty.expectAgent('a1', 'ready');
  });

  it('a refused preview dial returns the decision and frees the agent', () => {
    const d = new TestDialer().campaign({ dialMode: 'preview' });
    d.gate.blocked.add('+12025550777');
    d.contact('k1', { kind: 'no-answer' }, { phone: '+12025550777' });
    d.agentReady('a1');
    d.engine.previewNext('a1');
    expect(d.engine.previewDial('a1')).toMatchObject({ ok: false, error: 'compliance_refused', decision: { verdict: 'block' } });
    d.expectAgent('a1', 'ready');
  });
});

describe('manual dial', () => {
  it('is refused with the compliance decision and its reasons; the agent stays where they were', () => {
    const d = new TestDialer().campaign().agentReady('a1');
    d.gate.blocked.add('+12025550666');
    const r = d.engine.manualDial('a1', '+12025550666');
    expect(r).toMatchObject({
      ok: false,
      error: 'compliance_refused',
      decision: { verdict: 'block', reasons: [{ category: 'dnc_internal', rule: 'TEST-DNC' }] },
    });
    d.expectPath('a1', ['paused', 'ready']);
    expect(d.gate.requests.at(-1)?.campaign).toMatchObject({ dialMode: 'manual', agentGuaranteed: true });
  });

  it('a deferred manual dial is refused too (with notBefore)', () => {
    const d = new TestDialer().campaign().agentReady('a1');
    d.gate.deferredUntil.set('+12025550555', Date.parse('2030-01-01T00:00:00Z'));
    expect(d.engine.manualDial('a1', '+12025550555')).toMatchObject({
      ok: false,
      error: 'compliance_refused',
      decision: { verdict: 'defer', notBefore: '2030-01-01T00:00:00.000Z' },
    });
  });

  it('an allowed manual dial reserves the agent and connects them on answer; a paused agent returns to the pause', () => {
    const d = new TestDialer().campaign({ amd: true }).signIn('a1');
    d.script('+12025550444', { kind: 'answer', party: 'human', afterMs: 3000, talkMs: 2000 });
    expect(d.engine.manualDial('a1', '+12025550444')).toMatchObject({ ok: true });
    d.expectAgent('a1', 'reserved').tick(3100).expectAgent('a1', 'on_call');
    expect(d.of('attempt.dialed')[0]?.attempt).toMatchObject({ kind: 'manual', agentId: 'a1', amd: false });
    d.tick(2000).expectAgent('a1', 'wrap_up').disposition('a1', 'sale').expectAgent('a1', 'paused');
    d.expectPath('a1', ['paused', 'reserved', 'on_call', 'wrap_up', 'paused']);
  });

  it('is refused while the agent is busy', () => {
    const d = new TestDialer().campaign({ amd: false });
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000 });
    d.agentReady('a1').tick(1100).expectAgent('a1', 'on_call');
    expect(d.engine.manualDial('a1', '+12025550333')).toMatchObject({ ok: false, error: 'wrong_state', state: 'on_call' });
  });
});
