import type { ComplianceConsent } from '@outdial/core/compliance/types';
import type { DialTarget } from '@outdial/core/dialer/ports';
import type { Db } from '@outdial/store/database';
import { ConsentsRepository } from '@outdial/store/repositories/consents.repository';
import { DncRepository } from '@outdial/store/repositories/dnc.repository';

/** The national registry as the host sees it (the in-memory bitset of @outdial/contacts, when loaded). */
export interface NationalRegistry {
  /** Whether the number is listed, and the sync date of the copy that covers its area code (null: no copy covers it). */
  lookup(phone: string): { listed: boolean; syncedAt: string | null };
}

export interface ContactFacts {
  lists: NonNullable<DialTarget['compliance']['lists']>;
  consents: ComplianceConsent[];
}

/**
 * Gathers, for one phone and seller, what the compliance gate must know from outside the contact row: do-not-call
 * lists (internal, state, TPS, litigator entries; the national registry) and the consents on record.
 */
export class StoreContactFacts {
  private readonly dnc: DncRepository;
  private readonly consents: ConsentsRepository;

  constructor(db: Db, private readonly registry: NationalRegistry | null) {
    this.dnc = new DncRepository(db);
    this.consents = new ConsentsRepository(db);
  }

  async facts(phone: string, seller: string): Promise<ContactFacts> {
    const entries = await this.dnc.findActive([phone]);
    const national = this.registry?.lookup(phone) ?? { listed: false, syncedAt: null };
    const lists: ContactFacts['lists'] = {
      nationalDnc: national.listed || entries.some((e) => e.kind === 'national'),
      nationalDncSyncedAt: national.syncedAt,
      stateDnc: entries.filter((e) => e.kind === 'state' && e.region !== null).map((e) => e.region as string),
      tps: entries.some((e) => e.kind === 'tps'),
      // The internal list is per seller (entity-specific do-not-call); a null region means every seller.
      internalDnc: entries.some((e) => e.kind === 'internal' && (e.region === null || e.region === seller)),
      litigator: entries.some((e) => e.kind === 'litigator'),
    };
    const consents = (await this.consents.forPhone(phone, seller)).map((c) => ({
      kind: c.kind,
      at: new Date(c.givenAt).toISOString(),
      scope: c.scope as ComplianceConsent['scope'],
      revokedAt: c.revokedAt === null ? null : new Date(c.revokedAt).toISOString(),
    }));
    return { lists, consents };
  }
}

/**
 * The national registry's coverage from the store's sync records (area code → date of the copy in use). Numbers
 * listed entry by entry (dnc_entries, kind national) are found by StoreContactFacts; the bulk registry of
 * @outdial/contacts plugs in through the same interface.
 */
export class SyncDateRegistry implements NationalRegistry {
  private syncedAt = new Map<string, string>();

  constructor(private readonly db: Db, private readonly bulk: NationalRegistry | null = null) {}

  async reload(): Promise<void> {
    const repo = new DncRepository(this.db);
    const syncs = [...(await repo.listSyncs('national')), ...(await repo.listSyncs('tps'))];
    this.syncedAt = new Map(syncs.map((s) => [`${s.kind}:${s.scope}`, s.syncedAt]));
  }

  /** US numbers: the national registry's copy for the area code. UK numbers: the last TPS screening. */
  lookup(phone: string): { listed: boolean; syncedAt: string | null } {
    const bulk = this.bulk?.lookup(phone);
    let key: string | null = null;
    if (phone.startsWith('+1') && phone.length === 12) key = `national:${phone.slice(2, 5)}`;
    else if (phone.startsWith('+44')) key = 'tps:GB';
    const syncedAt = bulk?.syncedAt ?? (key === null ? null : (this.syncedAt.get(key) ?? null));
    return { listed: bulk?.listed ?? false, syncedAt };
  }
}
