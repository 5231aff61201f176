import type { EngineEvent } from './events.ts';
import type { ContactSource, DialTarget, EngineSink } from './ports.ts';

interface Entry {
  target: DialTarget;
  dueAt: number;
  seq: number;
}

/**
 * A binary heap of entries ordered by (key, seq), the keys kept in typed arrays beside the entries: the sift loops
 * compare numbers without touching the entries (a retry heap holds thousands, and reading each entry's fields was
 * the hopper's main cost in the benchmark's profile). `key` is the due time in the future heap, −priority in the due
 * heap. Popped slots keep their stale entry until reused (bounded by the largest size).
 */
class EntryHeap {
  private readonly entries: Entry[] = [];
  private keys = new Float64Array(64);
  private seqs = new Float64Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  peek(): Entry | undefined {
    return this.n > 0 ? this.entries[0] : undefined;
  }

  push(e: Entry, key: number): void {
    if (this.n === this.keys.length) this.grow();
    const { entries, keys, seqs } = this;
    const seq = e.seq;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p] as number;
      if (key > pk || (key === pk && seq > (seqs[p] as number))) break;
      entries[i] = entries[p] as Entry;
      keys[i] = pk;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    entries[i] = e;
    keys[i] = key;
    seqs[i] = seq;
  }

  pop(): Entry | undefined {
    if (this.n === 0) return undefined;
    const { entries, keys, seqs } = this;
    const top = entries[0] as Entry;
    const n = --this.n;
    if (n === 0) return top;
    const last = entries[n] as Entry;
    const key = keys[n] as number;
    const seq = seqs[n] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ck = keys[l] as number;
      let cs = seqs[l] as number;
      if (r < n) {
        const rk = keys[r] as number;
        const rs = seqs[r] as number;
        if (rk < ck || (rk === ck && rs < cs)) {
          c = r;
          ck = rk;
          cs = rs;
        }
      }
      if (key < ck || (key === ck && seq < cs)) break;
      entries[i] = entries[c] as Entry;
      keys[i] = ck;
      seqs[i] = cs;
      i = c;
    }
    entries[i] = last;
    keys[i] = key;
    seqs[i] = seq;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
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
  private lastId = '';
  private last: CampaignHopper | null = null;

  constructor(options: MemoryContactSourceOptions = {}) {
    this.freshLead = options.freshLead;
  }

  /** Schedules a contact (first attempt, or a host-known retry) at `dueAt`. */
  add(campaignId: string, target: DialTarget, dueAt = Number.NEGATIVE_INFINITY): void {
    this.hopper(campaignId).future.push({ target, dueAt, seq: this.seq++ }, dueAt);
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
      const claimed = this.known(u.campaignId)?.claimed;
      const target = claimed?.get(u.contactId);
      if (claimed === undefined || target === undefined) return;
      claimed.delete(u.contactId);
      if ((u.status === 'dialable' || u.status === 'callback') && u.nextDialAt !== null) {
        this.add(u.campaignId, withAttempt(target, u.attempts + 1), u.nextDialAt);
      }
    } else if (event.type === 'contact.deferred') {
      const claimed = this.known(event.campaignId)?.claimed;
      const target = claimed?.get(event.contactId);
      if (claimed === undefined || target === undefined) return;
      claimed.delete(event.contactId);
      this.add(event.campaignId, target, event.notBefore);
    }
  }

  /** The campaign's hopper if it has one (not created). */
  private known(campaignId: string): CampaignHopper | undefined {
    if (campaignId === this.lastId && this.last !== null) return this.last;
    return this.campaigns.get(campaignId);
  }

  private hopper(campaignId: string): CampaignHopper {
    // The engine asks about the same campaign several times per dial (every decision reads `available`): the last one
    // is remembered, a string comparison instead of a map lookup.
    if (campaignId === this.lastId && this.last !== null) return this.last;
    let h = this.campaigns.get(campaignId);
    if (h === undefined) {
      h = new CampaignHopper();
      this.campaigns.set(campaignId, h);
    }
    this.lastId = campaignId;
    this.last = h;
    return h;
  }

  private promote(h: CampaignHopper, now: number): void {
    for (;;) {
      const top = h.future.peek();
      if (top === undefined || top.dueAt > now) return;
      h.future.pop();
      h.due.push(top, -top.target.priority);
    }
  }
}

function withAttempt(t: DialTarget, attemptNo: number): DialTarget {
  const next: DialTarget = { contactId: t.contactId, phone: t.phone, attemptNo, priority: t.priority, compliance: t.compliance };
  if (t.display !== undefined) next.display = t.display;
  return next;
}
