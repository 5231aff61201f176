import type { ComplianceHistoryEntry, HistoryOutcome } from '@outdial/core/compliance/types';
import type { ContactSource, DialTarget } from '@outdial/core/dialer/ports';
import type { AttemptOutcome, CampaignSettings } from '@outdial/core/campaign/types';
import { chargesAttempt } from '@outdial/core/call/outcome-mapping';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { CallbacksRepository, notHeldForAnAgent } from '@outdial/store/repositories/callbacks.repository';
import type { PhoneHistoryEntry } from '@outdial/store/repositories/attempts.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import type { Contact } from '@outdial/store/repositories/contacts.repository';
import type { Db, DialectName } from '@outdial/store/database';
import { filterToSql } from '@outdial/store/filter/filter-sql';
import { campaignSegment } from './campaign-segment.ts';
import type { ContactFacts } from './contact-facts.ts';

/** What the gate must know from outside the contact row (lists, consents), looked up at claim time. */
export interface ListLookup {
  facts(phone: string, seller: string): Promise<ContactFacts>;
}

const HISTORY_WINDOW_MS = 90 * 24 * 3_600_000;
// An attempt whose end is unknown (still ringing elsewhere, interrupted by a crash) counts as a dial: frequency caps
// must see it. Only network failures that never reached the person are `failed`.
const HISTORY_OUTCOMES: Record<string, HistoryOutcome> = {
  answered: 'answered', abandoned: 'abandoned', machine: 'machine', voicemail: 'voicemail', amd_hangup: 'amd_hangup',
  no_answer: 'no_answer', busy: 'busy', cancelled: 'no_answer', unavailable: 'no_answer', interrupted: 'no_answer',
  rejected: 'no_answer',
};

function historyEntry(h: PhoneHistoryEntry): ComplianceHistoryEntry {
  return {
    at: new Date(h.dialedAt).toISOString(),
    seller: h.seller,
    subject: h.subject,
    dialMode: h.dialMode as ComplianceHistoryEntry['dialMode'],
    prerecorded: h.prerecorded,
    outcome: h.abandoned ? 'abandoned' : h.outcome === null ? 'no_answer' : (HISTORY_OUTCOMES[h.outcome] ?? 'failed'),
    conversation: h.connectedAt !== null,
    attemptId: h.attemptId,
  };
}

export function displayOf(contact: Contact): Record<string, unknown> {
  return {
    contactId: contact.id,
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    city: contact.city,
    region: contact.region,
    postalCode: contact.postalCode,
    timezone: contact.timezones[0] ?? null,
    attributes: contact.attributes,
  };
}

/**
 * The hopper: a small in-memory buffer per campaign of contacts this node has claimed in the store, refilled in the
 * background. The engine takes from it synchronously. Claims carry a lease, so after a crash another node (or this
 * one after restart) can claim the contacts again: nothing here is the only copy of anything.
 */
/** Facts for the gate older than this are read again before the contact is dialed (a do-not-call entry may have landed). */
const FRESH_MS = 30_000;

interface Buffered {
  target: DialTarget;
  claimedAt: number;
  /** The contact is a due callback (campaign-wide, or personal with `callbackId`): dialing it completes the callback. */
  callback: boolean;
  callbackId?: string;
}

/** Due personal callbacks buffered per campaign at most (they wait for their owner, so they are few). */
const OWNED_BATCH = 20;
/** How long a personal callback its owner skipped in preview waits before it is offered to them again. */
export const SKIPPED_CALLBACK_DELAY_MS = 15 * 60_000;
const NO_OWNERS: readonly string[] = [];
/** Manual dials of numbers that are no stored contact carry this prefix (the engine's `manual:<phone>`). */
const MANUAL_CONTACT = 'manual:';

export class StoreHopper implements ContactSource {
  private readonly buffers = new Map<string, Buffered[]>();
  /** Due personal callbacks claimed per campaign, each waiting for its owner (`target.ownerAgentId`). */
  private readonly owned = new Map<string, Buffered[]>();
  /** Per campaign, the owners of `owned` (what the engine reads on every decision). */
  private readonly owners = new Map<string, readonly string[]>();
  /** Contacts handed out that are due callbacks: when dialed, their callbacks are done. */
  private readonly callbackContacts = new Set<string>();
  /** Callbacks to mark done in the store (contact id → when it was dialed), written on the next refill. */
  private readonly completions = new Map<string, number>();
  /**
   * Dials that completed callbacks, until their result is known: a result that never reached the person (a network
   * or local failure) gives the callbacks back (`ids`: what the completion closed, once written; `undo`: the result
   * came first, so the completion is undone as soon as it is written).
   */
  private readonly unconfirmed = new Map<string, { ids: string[] | null; undo: boolean }>();
  /** Callbacks to set pending again (their dial failed before reaching anyone), written after the completions. */
  private readonly reopens: string[][] = [];
  /** Personal callbacks handed to their owner, by contact: a skip in preview postpones the callback. */
  private readonly personalHandedOut = new Map<string, string>();
  /** Personal callbacks their owner skipped in preview, with their new due time (written with the completions). */
  private readonly postponements = new Map<string, number>();
  private readonly refilling = new Set<string>();
  /** Buffers replaced since a refill started (drained): that refill's claims are given back, not buffered. */
  private readonly generation = new Map<string, number>();
  /** Contacts handed to the engine whose attempt has not ended: their claims are kept alive until it does. */
  private readonly held = new Set<string>();
  private readonly contacts: ContactsRepository;
  private readonly attempts: AttemptsRepository;
  private readonly callbacks: CallbacksRepository;

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    private readonly nodeId: string,
    private readonly lookup: ListLookup,
    private readonly options: { leaseMs: number; batch: number },
  ) {
    this.contacts = new ContactsRepository(db);
    this.attempts = new AttemptsRepository(db);
    this.callbacks = new CallbacksRepository(db);
  }

  take(campaignId: string, max: number, _now: number): DialTarget[] {
    const buffer = this.buffers.get(campaignId);
    if (!buffer || buffer.length === 0 || max <= 0) return [];
    return buffer.splice(0, max).map((b) => this.handOut(b));
  }

  ownersDue(campaignId: string, _now: number): readonly string[] {
    return this.owners.get(campaignId) ?? NO_OWNERS;
  }

  takeOwned(campaignId: string, agentId: string, _now: number): DialTarget | undefined {
    const buffer = this.owned.get(campaignId);
    const i = buffer?.findIndex((b) => b.target.ownerAgentId === agentId) ?? -1;
    if (buffer === undefined || i < 0) return undefined;
    const [entry] = buffer.splice(i, 1);
    this.ownersChanged(campaignId);
    return entry === undefined ? undefined : this.handOut(entry);
  }

  private handOut(b: Buffered): DialTarget {
    this.held.add(b.target.contactId);
    if (b.callback) this.callbackContacts.add(b.target.contactId);
    if (b.callbackId !== undefined) this.personalHandedOut.set(b.target.contactId, b.callbackId);
    return b.target;
  }

  private ownersChanged(campaignId: string): void {
    const buffer = this.owned.get(campaignId) ?? [];
    this.owners.set(campaignId, buffer.length === 0 ? NO_OWNERS : [...new Set(buffer.map((b) => b.target.ownerAgentId ?? ''))]);
  }

  /**
   * The engine placed a call to the contact: the callbacks due for it are done (stored on the next refill) when it was
   * handed out as a callback, or dialed by hand (a stored contact this hopper did not hand out: a manual dial).
   */
  /** The contact is with the engine on this node (ringing, in a call, or in an agent's preview). */
  handedOut(contactId: string): boolean {
    return this.held.has(contactId);
  }

  dialed(contactId: string, at: number): void {
    const byHand = !this.held.has(contactId) && !contactId.startsWith(MANUAL_CONTACT);
    if (this.callbackContacts.delete(contactId) || byHand) {
      this.completions.set(contactId, at);
      this.unconfirmed.set(contactId, { ids: null, undo: false });
    }
    if (byHand) {
      // If it waited here (for its owner, or in the pool) it must not be dialed a second time. Its claim (taken for the
      // agent's dial, or the buffer's) lives on through the call (`held`) and ends with the attempt's result.
      this.unbuffer(contactId);
      this.held.add(contactId);
    }
  }

  /** Takes a contact out of every buffer; true if it was in one. */
  private unbuffer(contactId: string): boolean {
    let found = false;
    for (const [campaignId, buffer] of this.owned) {
      const i = buffer.findIndex((b) => b.target.contactId === contactId);
      if (i < 0) continue;
      buffer.splice(i, 1);
      this.ownersChanged(campaignId);
      found = true;
    }
    for (const buffer of this.buffers.values()) {
      const i = buffer.findIndex((b) => b.target.contactId === contactId);
      if (i < 0) continue;
      buffer.splice(i, 1);
      found = true;
    }
    return found;
  }

  /**
   * The engine is done with a contact (its attempt ended with `outcome`, or it was deferred or closed): the store row
   * says what next. A callback its dial completed stays done only if the dial counts as an attempt on the person.
   */
  settled(contactId: string, outcome?: AttemptOutcome | null, skippedAt?: number): void {
    this.held.delete(contactId);
    // Not dialed (deferred by the gate, skipped in preview): its callback stays pending and comes due again.
    this.callbackContacts.delete(contactId);
    const personal = this.personalHandedOut.get(contactId);
    this.personalHandedOut.delete(contactId);
    // Offered again at once, a skipped callback would come straight back to the owner's preview: it waits a while.
    if (personal !== undefined && skippedAt !== undefined) this.postponements.set(personal, skippedAt + SKIPPED_CALLBACK_DELAY_MS);
    const dial = this.unconfirmed.get(contactId);
    if (dial === undefined) return;
    if (outcome === undefined || outcome === null || chargesAttempt(outcome)) {
      this.unconfirmed.delete(contactId);
    } else if (dial.ids !== null) {
      this.unconfirmed.delete(contactId);
      this.reopens.push(dial.ids);
    } else {
      dial.undo = true;
    }
  }

  /** Writes the callbacks completed by dials since the last call, then gives back those of failed dials. */
  private async completeCallbacks(): Promise<void> {
    for (const [contactId, at] of [...this.completions]) {
      const ids = await this.callbacks.completeDue(contactId, at);
      this.completions.delete(contactId);
      const dial = this.unconfirmed.get(contactId);
      if (dial === undefined) continue;
      if (dial.undo) {
        this.unconfirmed.delete(contactId);
        this.reopens.push(ids);
      } else {
        dial.ids = ids;
      }
    }
    while (this.reopens.length > 0) {
      const ids = this.reopens[0] as string[];
      await this.callbacks.reopen(ids);
      this.reopens.shift();
    }
    for (const [callbackId, dueAt] of [...this.postponements]) {
      await this.callbacks.postpone(callbackId, dueAt);
      this.postponements.delete(callbackId);
    }
  }

  /**
   * Keeps claims alive for contacts buffered or in a call (a call may outlast the claim lease), and gives back buffered
   * contacts whose compliance facts are stale, so they are claimed again with fresh facts.
   */
  async maintain(now: number): Promise<void> {
    // Refills run only for campaigns running here: a dial made just before its campaign paused (or moved to another
    // node) must still complete its callbacks, or they would be dialed again.
    await this.completeCallbacks();
    const stale: string[] = [];
    const keep: string[] = [...this.held];
    for (const buffer of [...this.owned.values(), ...this.buffers.values()]) {
      for (let i = buffer.length - 1; i >= 0; i--) {
        const entry = buffer[i] as Buffered;
        if (now - entry.claimedAt > FRESH_MS) {
          stale.push(entry.target.contactId);
          buffer.splice(i, 1);
        } else {
          keep.push(entry.target.contactId);
        }
      }
    }
    for (const campaignId of this.owned.keys()) this.ownersChanged(campaignId);
    if (stale.length > 0) await this.contacts.releaseClaim(stale, this.nodeId);
    if (keep.length > 0) await this.contacts.extendClaims(keep, this.nodeId, now, this.options.leaseMs);
  }

  /** A number was just put on a do-not-call list: no buffered contact with it may be dialed from the old facts. */
  async dropPhone(phone: string): Promise<void> {
    const dropped: string[] = [];
    for (const buffer of [...this.buffers.values(), ...this.owned.values()]) {
      for (let i = buffer.length - 1; i >= 0; i--) {
        if (buffer[i]?.target.phone === phone) dropped.push(...buffer.splice(i, 1).map((b) => b.target.contactId));
      }
    }
    for (const campaignId of this.owned.keys()) this.ownersChanged(campaignId);
    if (dropped.length > 0) await this.contacts.releaseClaim(dropped, this.nodeId);
  }

  available(campaignId: string, _now: number): number {
    return this.buffers.get(campaignId)?.length ?? 0;
  }

  /** Tops the campaign's buffers (personal callbacks, then the pool) up from the store; returns how many contacts were added. */
  async refill(campaign: CampaignSettings, now: number): Promise<number> {
    if (this.refilling.has(campaign.id)) return 0;
    await this.completeCallbacks();
    await this.releaseHeldForAnAgent(campaign.id);
    const owned = await this.refillOwned(campaign, now);
    return owned + await this.refillPool(campaign, now);
  }

  /**
   * Pool-buffered callbacks a personal callback now holds (a campaign-wide callback given to an agent) go back to the
   * store: `refillOwned` claims them for their owner only.
   */
  private async releaseHeldForAnAgent(campaignId: string): Promise<void> {
    // Only due callbacks can turn personal while buffered (a contact in a call is claimed, so in no other buffer): most
    // refills find none and ask the store nothing.
    const callbacks = (this.buffers.get(campaignId) ?? []).filter((b) => b.callback).map((b) => b.target.contactId);
    if (callbacks.length === 0) return;
    const held = new Set(await this.callbacks.heldForAnAgent(callbacks));
    if (held.size === 0) return;
    // Read the buffer again: `take` may have handed some out meanwhile (those are the engine's now).
    const current = this.buffers.get(campaignId) ?? [];
    const released: string[] = [];
    for (let i = current.length - 1; i >= 0; i--) {
      const id = (current[i] as Buffered).target.contactId;
      if (held.has(id)) {
        released.push(id);
        current.splice(i, 1);
      }
    }
    if (released.length > 0) await this.contacts.releaseClaim(released, this.nodeId);
  }

  private async refillPool(campaign: CampaignSettings, now: number): Promise<number> {
    if (this.refilling.has(campaign.id)) return 0;
    const buffer = this.buffers.get(campaign.id) ?? [];
    this.buffers.set(campaign.id, buffer);
    const want = this.options.batch - buffer.length;
    if (want <= this.options.batch / 2) return 0;
    this.refilling.add(campaign.id);
    const generation = this.generation.get(campaign.id) ?? 0;
    let claimed: Contact[] = [];
    const targets: Buffered[] = [];
    try {
      const segment = await campaignSegment(this.db, campaign, now);
      // A filter that no longer type-checks (an attribute's type changed) selects nobody rather than everybody.
      if (!segment.ok) return 0;
      // A contact held by a pending personal callback is never pooled: it is claimed for its owner by `refillOwned`.
      claimed = await this.contacts.claimDialable({
        campaignId: campaign.id, nodeId: this.nodeId, now, limit: want, leaseMs: this.options.leaseMs, maxAttempts: campaign.maxAttempts,
        segment: notHeldForAnAgent(segment.filter ? filterToSql(segment.filter, this.dialect) : undefined),
      });
      for (const contact of claimed) {
        targets.push({ target: await this.target(contact, campaign, now), claimedAt: now, callback: contact.status === 'callback' });
      }
    } catch (error) {
      // Whatever was claimed goes back: a half-built batch must not hold contacts until their lease runs out.
      if (claimed.length > 0) await this.contacts.releaseClaim(claimed.map((c) => c.id), this.nodeId);
      throw error;
    } finally {
      this.refilling.delete(campaign.id);
    }
    if ((this.generation.get(campaign.id) ?? 0) !== generation || this.buffers.get(campaign.id) !== buffer) {
      if (claimed.length > 0) await this.contacts.releaseClaim(claimed.map((c) => c.id), this.nodeId);
      return 0;
    }
    buffer.push(...targets);
    return targets.length;
  }

  /**
   * Keeps the campaign's due personal callbacks buffered for their owners: entries the store no longer holds for an
   * agent (made campaign-wide, cancelled) go back to the pool, reassigned ones follow their new owner, and newly due
   * ones are claimed. Who may take each one is the engine's business (`ownersDue`, `takeOwned`).
   */
  private async refillOwned(campaign: CampaignSettings, now: number): Promise<number> {
    const buffer = this.owned.get(campaign.id) ?? [];
    this.owned.set(campaign.id, buffer);
    const generation = this.generation.get(campaign.id) ?? 0;
    this.refilling.add(campaign.id);
    let claimedIds: string[] = [];
    const added: Buffered[] = [];
    try {
      if (buffer.length > 0) {
        const current = new Map((await this.callbacks.getMany(buffer.map((b) => b.callbackId ?? ''))).map((c) => [c.id, c]));
        const released: string[] = [];
        for (let i = buffer.length - 1; i >= 0; i--) {
          const entry = buffer[i] as Buffered;
          const cb = current.get(entry.callbackId ?? '');
          if (cb === undefined || cb.status !== 'pending' || cb.agentId === null) {
            released.push(entry.target.contactId);
            buffer.splice(i, 1);
          } else {
            entry.target.ownerAgentId = cb.agentId;
          }
        }
        if (released.length > 0) await this.contacts.releaseClaim(released, this.nodeId);
      }
      const claims = await this.callbacks.claimDuePersonal({
        campaignId: campaign.id, nodeId: this.nodeId, now, leaseMs: this.options.leaseMs, maxAttempts: campaign.maxAttempts,
        limit: OWNED_BATCH - buffer.length,
      });
      claimedIds = claims.map((c) => c.contactId);
      const contacts = new Map((await this.contacts.getMany(claimedIds)).map((c) => [c.id, c]));
      for (const claim of claims) {
        const contact = contacts.get(claim.contactId);
        if (contact === undefined) continue;
        const target = await this.target(contact, campaign, now);
        target.ownerAgentId = claim.agentId;
        added.push({ target, claimedAt: now, callback: true, callbackId: claim.callbackId });
      }
    } catch (error) {
      if (claimedIds.length > 0) await this.contacts.releaseClaim(claimedIds, this.nodeId);
      throw error;
    } finally {
      this.refilling.delete(campaign.id);
    }
    if ((this.generation.get(campaign.id) ?? 0) !== generation || this.owned.get(campaign.id) !== buffer) {
      if (claimedIds.length > 0) await this.contacts.releaseClaim(claimedIds, this.nodeId);
      return 0;
    }
    buffer.push(...added);
    this.ownersChanged(campaign.id);
    return added.length;
  }

  /** Gives back every contact still buffered for a campaign (paused, lease lost, shutdown). */
  async drain(campaignId: string): Promise<void> {
    const buffer = [...(this.buffers.get(campaignId) ?? []), ...(this.owned.get(campaignId) ?? [])];
    this.buffers.delete(campaignId);
    this.owned.delete(campaignId);
    this.owners.delete(campaignId);
    this.generation.set(campaignId, (this.generation.get(campaignId) ?? 0) + 1);
    if (buffer.length > 0) await this.contacts.releaseClaim(buffer.map((b) => b.target.contactId), this.nodeId);
  }

  async drainAll(): Promise<void> {
    await this.completeCallbacks();
    for (const id of new Set([...this.buffers.keys(), ...this.owned.keys()])) await this.drain(id);
  }

  private async target(contact: Contact, campaign: CampaignSettings, now: number): Promise<DialTarget> {
    return {
      contactId: contact.id,
      phone: contact.phone,
      attemptNo: contact.attempts + 1,
      priority: contact.priority,
      display: displayOf(contact),
      compliance: await this.compliance(contact.phone, contact, campaign, now),
    };
  }

  /** What the gate must know about a phone (and its stored contact, if any) for a campaign's seller. */
  async compliance(phone: string, contact: Contact | null, campaign: CampaignSettings, now: number): Promise<DialTarget['compliance']> {
    const history = await this.attempts.historyForPhone(phone, now - HISTORY_WINDOW_MS);
    const facts = await this.lookup.facts(phone, campaign.seller);
    const lineType = contact !== null && (contact.lineType === 'wireless' || contact.lineType === 'landline') ? contact.lineType : 'unknown';
    return {
      ...(contact?.country ? { country: contact.country } : {}),
      contact: { postalCode: contact?.postalCode ?? null, region: contact?.region ?? null, lineType, consents: facts.consents },
      lists: facts.lists,
      history: history.map(historyEntry),
    };
  }
}
