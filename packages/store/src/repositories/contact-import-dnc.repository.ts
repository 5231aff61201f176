import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { DncEntriesTable } from '../schema.ts';
import { inTransaction } from '../transaction.ts';

export type DncListKind = DncEntriesTable['kind'];

export interface DncEntry {
  id: string;
  kind: DncListKind;
  region: string | null;
  phone: string;
  addedAt: number;
  addedBy: string | null;
  reason: string | null;
}

export interface DncSync {
  kind: string;
  scope: string;
  syncedAt: string;
  numbers: number;
}

function toEntry(row: DncEntriesTable): DncEntry {
  return { id: row.id, kind: row.kind, region: row.region, phone: row.phone, addedAt: row.added_at, addedBy: row.added_by, reason: row.reason };
}

/**
 * The do-not-call lists kept in the store (state lists, the internal list, TPS) and the sync dates of every list,
 * national area codes included. Entries are never deleted by hand: removal records who, when and why.
 */
export class DncListsRepository {
  constructor(private readonly db: Db) {}

  /** Active entries (not removed), optionally of some kinds only. */
  async active(kinds?: readonly DncListKind[]): Promise<DncEntry[]> {
    let query = this.db.selectFrom('dnc_entries').selectAll().where('removed_at', 'is', null);
    if (kinds !== undefined && kinds.length > 0) query = query.where('kind', 'in', kinds);
    return (await query.execute()).map(toEntry);
  }

  async activeFor(phones: readonly string[]): Promise<DncEntry[]> {
    if (phones.length === 0) return [];
    const out: DncEntry[] = [];
    for (let i = 0; i < phones.length; i += 500) {
      const rows = await this.db.selectFrom('dnc_entries').selectAll().where('removed_at', 'is', null)
        .where('phone', 'in', phones.slice(i, i + 500)).execute();
      out.push(...rows.map(toEntry));
    }
    return out;
  }

  /** Searches active entries by phone prefix (E.164), newest first. */
  async search(phonePrefix: string, limit: number): Promise<DncEntry[]> {
    const rows = await this.db.selectFrom('dnc_entries').selectAll().where('removed_at', 'is', null)
      .where('phone', 'like', `${phonePrefix.replace(/[%_\\]/g, '')}%`).orderBy('added_at', 'desc').limit(limit).execute();
    return rows.map(toEntry);
  }

  /** Adds entries; a phone already active on the same list (kind + region) is left as it is. Returns how many were new. */
  async add(kind: DncListKind, region: string | null, phones: readonly string[], by: string | null, reason: string | null, now: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const existing = new Set<string>();
      for (let i = 0; i < phones.length; i += 500) {
        let q = trx.selectFrom('dnc_entries').select('phone').where('kind', '=', kind).where('removed_at', 'is', null)
          .where('phone', 'in', phones.slice(i, i + 500));
        q = region === null ? q.where('region', 'is', null) : q.where('region', '=', region);
        for (const r of await q.execute()) existing.add(r.phone);
      }
      const fresh = [...new Set(phones)].filter((p) => !existing.has(p));
      for (let i = 0; i < fresh.length; i += 1000) {
        await trx.insertInto('dnc_entries').values(fresh.slice(i, i + 1000).map((phone) => ({
          id: randomUUID(), kind, region, phone, added_at: now, added_by: by, reason, removed_at: null, removed_by: null, removed_reason: null,
        }))).execute();
      }
      return fresh.length;
    });
  }

  /** Marks the phone's active entries on a list as removed, keeping who, when and why. Returns how many. */
  async remove(kind: DncListKind, region: string | null, phone: string, by: string | null, reason: string, now: number): Promise<number> {
    let q = this.db.updateTable('dnc_entries').set({ removed_at: now, removed_by: by, removed_reason: reason })
      .where('kind', '=', kind).where('phone', '=', phone).where('removed_at', 'is', null);
    q = region === null ? q.where('region', 'is', null) : q.where('region', '=', region);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A full list (state, TPS) replaces the previous one of the same kind and region: old entries are marked removed. */
  async replace(kind: DncListKind, region: string | null, phones: readonly string[], by: string | null, reason: string, now: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      let q = trx.updateTable('dnc_entries').set({ removed_at: now, removed_by: by, removed_reason: 'replaced by a newer full list' })
        .where('kind', '=', kind).where('removed_at', 'is', null);
      q = region === null ? q.where('region', 'is', null) : q.where('region', '=', region);
      await q.execute();
      return new DncListsRepository(trx).add(kind, region, phones, by, reason, now);
    });
  }

  async recordSync(kind: string, scope: string, syncedAt: string, numbers: number, now: number): Promise<void> {
    await this.db.insertInto('dnc_syncs').values({ kind, scope, synced_at: syncedAt, numbers, updated_at: now })
      .onConflict((oc) => oc.columns(['kind', 'scope']).doUpdateSet({ synced_at: syncedAt, numbers, updated_at: now })).execute();
  }

  async syncs(kind?: string): Promise<DncSync[]> {
    let q = this.db.selectFrom('dnc_syncs').selectAll();
    if (kind !== undefined) q = q.where('kind', '=', kind);
    return (await q.execute()).map((r) => ({ kind: r.kind, scope: r.scope, syncedAt: r.synced_at, numbers: r.numbers }));
  }
}
