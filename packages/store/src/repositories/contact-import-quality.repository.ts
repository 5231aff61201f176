import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** What a list bought from a vendor turned out to be worth. */
export interface ListQuality {
  listId: string;
  vendor: string | null;
  purchasedAt: string | null;
  costCents: number | null;
  consentBasis: string | null;
  consentMethod: string | null;
  contacts: number;
  /** Contacts with at least one attempt. */
  attempted: number;
  /** Contacts connected to an agent at least once. */
  contacted: number;
  /** contacted / attempted, or null before any attempt. */
  contactRate: number | null;
  /** Contacts with a disposition whose campaign marks it as a sale. */
  conversions: number;
  dncHits: number;
  /** Rows the imports rejected for an invalid or missing phone, plus contacts later marked invalid. */
  invalidNumbers: number;
  costPerSaleCents: number | null;
}

/** The list-vendor quality report: one query per figure, all on indexed columns. */
export class ListQualityRepository {
  constructor(private readonly db: Db) {}

  async report(listId: string): Promise<ListQuality | undefined> {
    const list = await this.db.selectFrom('lists').selectAll().where('id', '=', listId).executeTakeFirst();
    if (list === undefined) return undefined;
    const counts = await this.db.selectFrom('contacts')
      .select([
        sql<number>`count(*)`.as('contacts'),
        sql<number>`coalesce(sum(dnc_flag), 0)`.as('dnc'),
        sql<number>`coalesce(sum(case when status = 'invalid' then 1 else 0 end), 0)`.as('invalid'),
        sql<number>`coalesce(sum(case when attempts > 0 then 1 else 0 end), 0)`.as('attempted'),
      ])
      .where('list_id', '=', listId).executeTakeFirst();
    const contacted = await this.db.selectFrom('attempts')
      .innerJoin('contacts', 'contacts.id', 'attempts.contact_id')
      .select(sql<number>`count(distinct attempts.contact_id)`.as('n'))
      .where('contacts.list_id', '=', listId).where('attempts.connected_at', 'is not', null).executeTakeFirst();
    const attemptedByRows = await this.db.selectFrom('attempts')
      .innerJoin('contacts', 'contacts.id', 'attempts.contact_id')
      .select(sql<number>`count(distinct attempts.contact_id)`.as('n'))
      .where('contacts.list_id', '=', listId).executeTakeFirst();
    // Sale codes per campaign come from the campaigns' disposition definitions (JSON), read here, not in SQL.
    const campaigns = await this.db.selectFrom('campaigns').select(['id', 'dispositions_json']).execute();
    const saleCodes = new Map<string, string[]>();
    for (const c of campaigns) {
      let defs: { code?: unknown; sale?: unknown }[] = [];
      try { defs = JSON.parse(c.dispositions_json) as typeof defs; } catch { defs = []; }
      const codes = defs.filter((d) => d.sale === true && typeof d.code === 'string').map((d) => d.code as string);
      if (codes.length > 0) saleCodes.set(c.id, codes);
    }
    let conversions = 0;
    if (saleCodes.size > 0) {
      const sold = new Set<string>();
      for (const [campaignId, codes] of saleCodes) {
        const rows = await this.db.selectFrom('dispositions').innerJoin('contacts', 'contacts.id', 'dispositions.contact_id')
          .select('dispositions.contact_id').distinct()
          .where('contacts.list_id', '=', listId).where('dispositions.campaign_id', '=', campaignId).where('dispositions.code', 'in', codes).execute();
        for (const r of rows) sold.add(r.contact_id);
      }
      conversions = sold.size;
    }
    const imports = await this.db.selectFrom('imports').select('summary_json').where('list_id', '=', listId).where('status', '=', 'done').execute();
    let rejectedPhones = 0;
    for (const i of imports) {
      try {
        const summary = JSON.parse(i.summary_json ?? '{}') as { rejectReasons?: Record<string, number>; imported?: number };
        // A re-run re-counts the same rejected rows: count an import only when it imported something.
        if ((summary.imported ?? 0) > 0) rejectedPhones += (summary.rejectReasons?.['invalid_phone'] ?? 0) + (summary.rejectReasons?.['missing_phone'] ?? 0);
      } catch { /* an unreadable summary adds nothing */ }
    }
    const attempted = Math.max(Number(counts?.attempted ?? 0), Number(attemptedByRows?.n ?? 0));
    const contactedCount = Number(contacted?.n ?? 0);
    return {
      listId, vendor: list.vendor, purchasedAt: list.purchased_at, costCents: list.cost_cents, consentBasis: list.consent_basis,
      consentMethod: list.consent_method, contacts: Number(counts?.contacts ?? 0), attempted, contacted: contactedCount,
      contactRate: attempted > 0 ? contactedCount / attempted : null, conversions, dncHits: Number(counts?.dnc ?? 0),
      invalidNumbers: rejectedPhones + Number(counts?.invalid ?? 0),
      costPerSaleCents: list.cost_cents !== null && conversions > 0 ? Math.round(list.cost_cents / conversions) : null,
    };
  }
}
