import { describe, expect, it } from 'vitest';
import type { DialTarget } from '@outdial/core/dialer/ports';
import type { FarEndBehaviour } from '@outdial/telephony/conformance/far-end';
import { TestDialer } from './test-dialer.ts';

/**
 * Personal callbacks: the hopper hands a due personal callback out only through `takeOwned`, for its owner; the engine
 * dials it only while the owner is ready in the campaign, reserves the owner first, and connects the answer to them.
 */
class OwnedCallbacks {
  private readonly due: Array<{ campaignId: string; target: DialTarget }> = [];
  constructor(private readonly d: TestDialer) {
    const hopper = d.hopper as typeof d.hopper & {
      ownersDue?: (campaignId: string, now: number) => readonly string[];
      takeOwned?: (campaignId: string, agentId: string, now: number) => DialTarget | undefined;
    };
    hopper.ownersDue = (campaignId) => this.due.filter((e) => e.campaignId === campaignId).map((e) => e.target.ownerAgentId ?? '');
    hopper.takeOwned = (campaignId, agentId) => {
      const i = this.due.findIndex((e) => e.campaignId === campaignId && e.target.ownerAgentId === agentId);
      if (i < 0) return undefined;
      return this.due.splice(i, 1)[0]?.target;
    };
  }

  add(
    contactId: string,
    owner: string,
    behaviour: FarEndBehaviour,
    phone = `+1202555${String(7000 + this.due.length)}`,
    options: { refuseBridge?: boolean } = {},
  ): this {
    this.d.driver.scriptNext(phone, behaviour, options);
    this.due.push({ campaignId: this.d.settings.id, target: { contactId, phone, attemptNo: 2, priority: 0, compliance: {}, ownerAgentId: owner } });
    return this;
  }

  get waiting(): number {
    return this.due.length;
  }
}

const human: FarEndBehaviour = { kind: 'answer', party: 'human', afterMs: 3000 };

function dialedFor(d: TestDialer, contactId: string): string | null | undefined {
  return d.of('attempt.dialed').find((e) => e.attempt.contactId === contactId)?.attempt.agentId;
}

describe('personal callbacks', () => {
  it('owner ready: the callback is dialed for the owner, who is reserved for it and gets the answered call', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.agentReady('a2').tick(100);
    owned.add('cb1', 'a1', human);
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.expectAgent('a1', 'reserved').expectAgent('a2', 'ready');
    // The owner's reservation is what the gate sees: an agent is guaranteed for this call.
    expect(d.gate.requests.at(-1)?.campaign).toMatchObject({ agentGuaranteed: true });
    d.tick(3500).expectAgent('a1', 'on_call').expectAgent('a2', 'ready');
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'cb1', agentId: 'a1' }]);
    expect(d.agentEvents('a1').find((e) => e.to === 'reserved')?.reason).toBe('callback');
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'on_call']);
    expect(owned.waiting).toBe(0);
  });

  it('owner busy: the callback is not dialed, the other contacts still are, and it goes out when the owner is free', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 2000 });
    d.agentReady('a1').tick(2500).expectAgent('a1', 'on_call');
    owned.add('cb1', 'a1', human);
    d.contact('k2', { kind: 'answer', party: 'human', afterMs: 2000 });
    d.agentReady('a2').tick(2500);
    expect(dialedFor(d, 'cb1')).toBeUndefined();
    expect(d.of('attempt.connected').map((e) => [e.contactId, e.agentId])).toEqual([['k1', 'a1'], ['k2', 'a2']]);
    // a2 is free again and ready, yet a1's callback still waits for a1.
    d.agentHangup('a2').tick(100).disposition('a2', 'not_interested').tick(5000);
    d.expectAgent('a2', 'ready');
    expect(dialedFor(d, 'cb1')).toBeUndefined();
    expect(owned.waiting).toBe(1);
    d.agentHangup('a1').tick(100).disposition('a1', 'sale');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.tick(3500);
    expect(d.of('attempt.connected').at(-1)).toMatchObject({ contactId: 'cb1', agentId: 'a1' });
    d.expectAgent('a2', 'ready');
  });

  it('owner paused or signed out: it waits (even with other agents ready), then goes out when the owner is back', () => {
    const d = new TestDialer().campaign({ dialMode: 'predictive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.agentReady('a1').agentReady('a2').signOut('a1');
    owned.add('cb1', 'a1', human);
    d.tick(10_000);
    expect(dialedFor(d, 'cb1')).toBeUndefined();
    d.signIn('a1').expectAgent('a1', 'paused').tick(10_000);
    expect(dialedFor(d, 'cb1')).toBeUndefined();
    expect(owned.waiting).toBe(1);
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.tick(3500);
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'cb1', agentId: 'a1' }]);
    d.expectAgent('a2', 'ready');
  });

  it('a callback due while the owner is already ready goes out on the next decision (the tick)', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.agentReady('a1').tick(5000);
    owned.add('cb1', 'a1', human);
    d.tick(1000);
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.expectAgent('a1', 'reserved');
  });

  it('an unanswered callback frees its owner, who then takes pooled calls again', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    owned.add('cb1', 'a1', { kind: 'no-answer' });
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.contact('k1', { kind: 'answer', party: 'human', afterMs: 1000 });
    d.tick(30_000).tick(1500);
    expect(d.of('attempt.ended')[0]).toMatchObject({ contactId: 'cb1', outcome: 'no_answer' });
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'k1', agentId: 'a1' }]);
  });

  it('a callback the gate refuses frees the owner at once (no agent stays reserved)', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.gate.blocked.add('+12025550999');
    owned.add('cb1', 'a1', human, '+12025550999');
    d.agentReady('a1');
    d.expectAgent('a1', 'ready');
    expect(d.of('contact.updated')).toMatchObject([{ update: { contactId: 'cb1', status: 'done' } }]);
    expect(d.of('attempt.dialed')).toHaveLength(0);
  });

  it('campaign-wide callbacks (no owner) come from `take` and go to any ready agent', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    new OwnedCallbacks(d);
    d.contact('cbAny', human);
    d.agentReady('a2');
    expect(dialedFor(d, 'cbAny')).toBeNull();
    d.tick(3500);
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'cbAny', agentId: 'a2' }]);
  });

  it('preview: the owner is offered their own callback first; another agent never is', () => {
    const d = new TestDialer().campaign({ dialMode: 'preview', amd: false });
    const owned = new OwnedCallbacks(d);
    d.contact('k1', { kind: 'no-answer' });
    owned.add('cb1', 'a1', human);
    d.agentReady('a1').agentReady('a2');
    expect(d.engine.previewNext('a2')).toMatchObject({ ok: true, value: { target: { contactId: 'k1' } } });
    expect(d.engine.previewNext('a1')).toMatchObject({ ok: true, value: { target: { contactId: 'cb1', ownerAgentId: 'a1' } } });
    expect(d.engine.previewDial('a1')).toMatchObject({ ok: true });
    d.tick(3500);
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'cb1', agentId: 'a1' }]);
  });

  it('a hopper without personal callbacks is used as before', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    d.contact('k1', human);
    d.agentReady('a1').tick(3500);
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'k1', agentId: 'a1' }]);
  });
});

describe('personal callbacks: the owner is never left reserved', () => {
  it('a bridge the driver refuses frees the owner and the caller hears the abandon message (not a silent hang-up)', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    owned.add('cb1', 'a1', human, '+12025550777', { refuseBridge: true });
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.tick(3100).expectAgent('a1', 'ready');
    expect(d.of('attempt.abandoned')).toMatchObject([{ contactId: 'cb1' }]);
    d.tick(20_000).expectAgent('a1', 'ready');
    expect(d.of('attempt.ended')).toMatchObject([{ contactId: 'cb1', outcome: 'abandoned', abandonMessagePlayed: true }]);
    d.expectPath('a1', ['paused', 'ready', 'reserved', 'ready']);
  });

  it("the owner's phone leg drops while their callback rings: the answer cannot be bridged, the owner ends paused", () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    // A real driver refuses a bridge to a leg that is down (SIP_BRIDGE_NO_AGENT); the sim is scripted to do the same.
    owned.add('cb1', 'a1', human, '+12025550779', { refuseBridge: true });
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.driver.closeAgentLeg('sim-leg-1');
    d.tick(100).expectAgent('a1', 'reserved');
    d.tick(3000).expectAgent('a1', 'paused');
    expect(d.agentEvents('a1').at(-1)?.reason).toBe('leg_down');
    expect(d.of('attempt.abandoned')).toMatchObject([{ contactId: 'cb1' }]);
  });

  it('a manual dial whose bridge is refused frees the agent too', () => {
    const d = new TestDialer().campaign({ dialMode: 'progressive', amd: false });
    d.driver.scriptNext('+12025550778', human, { refuseBridge: true });
    d.agentReady('a1');
    expect(d.engine.manualDial('a1', '+12025550778')).toMatchObject({ ok: true });
    d.tick(25_000).expectAgent('a1', 'ready');
    expect(d.of('attempt.ended')).toMatchObject([{ outcome: 'abandoned', abandonMessagePlayed: true }]);
  });
});

describe('personal callbacks: the decision stays cheap', () => {
  it('callbacks waiting for an away owner do not copy the owners list on every decision', () => {
    const d = new TestDialer().campaign({ dialMode: 'predictive', amd: false });
    let copies = 0;
    const owners = ['a1'];
    // Any copy of the list the engine makes per decision shows here.
    Object.defineProperty(owners, 'slice', { value: (start?: number, end?: number) => (copies++, Array.prototype.slice.call(owners, start, end)) });
    const hopper = d.hopper as typeof d.hopper & { ownersDue?: () => readonly string[]; takeOwned?: () => DialTarget | undefined };
    hopper.ownersDue = () => owners;
    hopper.takeOwned = () => undefined;
    d.signIn('a1').agentReady('a2');
    d.contact('k1', { kind: 'no-answer' });
    d.tick(30_000);
    expect(d.of('attempt.dialed').length).toBeGreaterThan(0);
    expect(copies).toBe(0);
  });
});

describe('personal callbacks: trunk lines', () => {
  it('with every line busy the callback waits for a line (it is not dialed into a refusal that would use it up)', () => {
    const d = new TestDialer({ trunks: 1 }).campaign({ dialMode: 'progressive', amd: false });
    const owned = new OwnedCallbacks(d);
    d.contact('k1', { kind: 'no-answer' });
    d.agentReady('a2');
    expect(dialedFor(d, 'k1')).toBeNull();
    owned.add('cb1', 'a1', human);
    d.agentReady('a1');
    expect(dialedFor(d, 'cb1')).toBeUndefined();
    d.expectAgent('a1', 'ready');
    expect(owned.waiting).toBe(1);
    // The line comes free when k1 stops ringing: the callback goes out then, for its owner.
    d.tick(30_000);
    expect(dialedFor(d, 'cb1')).toBe('a1');
    d.tick(3500);
    expect(d.of('attempt.connected')).toMatchObject([{ contactId: 'cb1', agentId: 'a1' }]);
  });
});
