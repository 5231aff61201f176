import type { EngineEvent } from './events.ts';
import type { ContactSource, DialTarget, EngineSink } from './ports.ts';

interface Entry {
  target: DialTarget;
  dueAt: number;
  seq: number;
  /** The heap's first key: `dueAt` while scheduled, −priority once due (set when the entry changes heap). */
  key: number;
}

/**
 * A small binary heap over entries ordered by (key, seq), both numbers: one comparison for both of a hopper's heaps,
 * so the sift loops stay monomorphic (a comparator closure per heap showed in the benchmark's profile).
 */
class EntryHeap {
  private readonly items: Entry[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  push(e: Entry): void {
    const h = this.items;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Entry;
      if (!before(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }
  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r] as Entry, h[l] as Entry) ? r : l;
      const c = h[child] as Entry;
      if (!before(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}

class CampaignHopper {
  /** Not yet due, by due time (key = dueAt), then first in. */
  readonly future = new EntryHeap();
  /** Due now, by priority (higher first: key = −priority), then first in. */
  readonly due = new EntryHeap();
  freshSeq = 0;
  /** Contacts handed to the engine and not yet settled, by contact id. */
  readonly claimed = new Map<string, DialTarget>();
}

export interface MemoryContactSourceOptions {
  /** Unlimited fresh leads (the pacing benchmark): called when nothing scheduled is due. */
  freshLead?: (campaignId: string, seq: number) => DialTarget;
}

/**
 * An in-memory hopper for tests, the benchmark and the demo. It is also a sink: fed the engine's events, it
 * schedules retries (`contact.updated`) and deferrals (`contact.deferred`) and drops closed contacts.
 */
export class MemoryContactSource implements ContactSource, EngineSink {
  private readonly campaigns = new Map<string, CampaignHopper>();
  private seq = 0;
  private readonly freshLead: MemoryContactSourceOptions['freshLead'];

  constructor(options: MemoryContactSourceOptions = {}) {
    this.freshLead = options.freshLead;
  }

  /** Schedules a contact (first attempt, or a host-known retry) at `dueAt`. */
  add(campaignId: string, target: DialTarget, dueAt = Number.NEGATIVE_INFINITY): void {
    this.hopper(campaignId).future.push({ target, dueAt, seq: this.seq++, key: dueAt });
  }

  take(campaignId: string, max: number, now: number): DialTarget[] {
    const h = this.hopper(campaignId);
    this.promote(h, now);
    const out: DialTarget[] = [];
    while (out.length < max) {
      const e = h.due.pop();
      let target: DialTarget;
      if (e !== undefined) target = e.target;
      else if (this.freshLead !== undefined) target = this.freshLead(campaignId, h.freshSeq++);
      else break;
      h.claimed.set(target.contactId, target);
      out.push(target);
    }
    return out;
  }

  available(campaignId: string, now: number): number {
    const h = this.hopper(campaignId);
    this.promote(h, now);
    return this.freshLead !== undefined ? Number.MAX_SAFE_INTEGER : h.due.size;
  }

  /** Scheduled contacts (due or not) of a campaign. */
  scheduled(campaignId: string): number {
    const h = this.campaigns.get(campaignId);
    return h === undefined ? 0 : h.due.size + h.future.size;
  }

  /** Contacts claimed by the engine and not yet settled. */
  inProgress(): number {
    let n = 0;
    for (const h of this.campaigns.values()) n += h.claimed.size;
    return n;
  }

  wants(type: EngineEvent['type']): boolean {
    return type === 'contact.updated' || type === 'contact.deferred';
  }

  emit(event: EngineEvent): void {
    if (event.type === 'contact.updated') {
      const u = event.update;
      const claimed = this.campaigns.get(u.campaignId)?.claimed;
      const target = claimed?.get(u.contactId);
      if (claimed === undefined || target === undefined) return;
      claimed.delete(u.contactId);
      if ((u.status === 'dialable' || u.status === 'callback') && u.nextDialAt !== null) {
        this.add(u.campaignId, withAttempt(target, u.attempts + 1), u.nextDialAt);
      }
    } else if (event.type === 'contact.deferred') {
      const claimed = this.campaigns.get(event.campaignId)?.claimed;
      const target = claimed?.get(event.contactId);
      if (claimed === undefined || target === undefined) return;
      claimed.delete(event.contactId);
      this.add(event.campaignId, target, event.notBefore);
    }
  }

  private hopper(campaignId: string): CampaignHopper {
    let h = this.campaigns.get(campaignId);
    if (h === undefined) {
      h = new CampaignHopper();
      this.campaigns.set(campaignId, h);
    }
    return h;
  }

  private promote(h: CampaignHopper, now: number): void {
    for (;;) {
      const top = h.future.peek();
      if (top === undefined || top.dueAt > now) return;
      h.future.pop();
      top.key = -top.target.priority;
      h.due.push(top);
    }
  }
}

function withAttempt(t: DialTarget, attemptNo: number): DialTarget {
  const next: DialTarget = { contactId: t.contactId, phone: t.phone, attemptNo, priority: t.priority, compliance: t.compliance };
  if (t.display !== undefined) next.display = t.display;
  return next;
}
