import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { DncEntriesTable, DncSyncsTable } from '../schema.ts';

export type DncKind = DncEntriesTable['kind'];

/** One do-not-call entry with its history: who added it, when and why; if removed, who removed it and why. */
export interface DncRecord {
  id: string;
  kind: DncKind;
  /** State code for state lists, seller for internal entries, null otherwise. */
  region: string | null;
  phone: string;
  addedAt: number;
  addedBy: string | null;
  reason: string | null;
  removedAt: number | null;
  removedBy: string | null;
  removedReason: string | null;
}

export interface NewDncRecord {
  kind: DncKind;
  region?: string | null;
  phone: string;
  by: string | null;
  reason: string | null;
  now: number;
}

export interface DncSyncRecord {
  kind: string;
  /** Area code for the national registry, state code for state lists. */
  scope: string;
  /** The list's own date (ISO) as published by its keeper. */
  syncedAt: string;
  numbers: number;
  updatedAt: number;
}

export interface DncSearch {
  /** Phone prefix (E.164, e.g. "+1212"); omitted = every phone. */
  phonePrefix?: string;
  kinds?: readonly DncKind[];
  includeRemoved?: boolean;
  limit: number;
  offset?: number;
}

function toRecord(row: Selectable<DncEntriesTable>): DncRecord {
  return {
    id: row.id, kind: row.kind, region: row.region, phone: row.phone, addedAt: row.added_at, addedBy: row.added_by,
    reason: row.reason, removedAt: row.removed_at, removedBy: row.removed_by, removedReason: row.removed_reason,
  };
}

const LOOKUP_CHUNK = 500;

/** Entry-by-entry do-not-call records (a request taken on a call, an admin edit). Removal is soft: history stays. */
export class DncRepository {
  constructor(private readonly db: Db) {}

  /** Adds the entry, or returns the active entry already on the same list (kind + region) for that phone. */
  async add(input: NewDncRecord): Promise<{ record: DncRecord; created: boolean }> {
    const region = input.region ?? null;
    let existing = this.db.selectFrom('dnc_entries').selectAll()
      .where('phone', '=', input.phone).where('kind', '=', input.kind).where('removed_at', 'is', null);
    existing = region === null ? existing.where('region', 'is', null) : existing.where('region', '=', region);
    const found = await existing.orderBy('added_at').executeTakeFirst();
    if (found) return { record: toRecord(found), created: false };
    const row: Selectable<DncEntriesTable> = {
      id: randomUUID(), kind: input.kind, region, phone: input.phone, added_at: input.now, added_by: input.by,
      reason: input.reason, removed_at: null, removed_by: null, removed_reason: null,
    };
    await this.db.insertInto('dnc_entries').values(row).execute();
    return { record: toRecord(row), created: true };
  }

  /** Removes an active entry (soft: the row keeps who removed it and why). False if unknown or already removed. */
  async remove(id: string, removal: { by: string | null; reason: string | null; now: number }): Promise<boolean> {
    const result = await this.db.updateTable('dnc_entries')
      .set({ removed_at: removal.now, removed_by: removal.by, removed_reason: removal.reason })
      .where('id', '=', id).where('removed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async get(id: string): Promise<DncRecord | undefined> {
    const row = await this.db.selectFrom('dnc_entries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Active entries for any of the phones (every kind unless `kinds`), oldest first. */
  async findActive(phones: readonly string[], kinds?: readonly DncKind[]): Promise<DncRecord[]> {
    const unique = [...new Set(phones)];
    if (unique.length === 0 || (kinds !== undefined && kinds.length === 0)) return [];
    const out: DncRecord[] = [];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      let query = this.db.selectFrom('dnc_entries').selectAll()
        .where('phone', 'in', unique.slice(i, i + LOOKUP_CHUNK)).where('removed_at', 'is', null);
      if (kinds !== undefined) query = query.where('kind', 'in', kinds);
      out.push(...(await query.orderBy('added_at').orderBy('id').execute()).map(toRecord));
    }
    return out;
  }

  /** A page of entries, newest first, with the total for the pager. */
  async search(search: DncSearch): Promise<{ total: number; entries: DncRecord[] }> {
    let query = this.db.selectFrom('dnc_entries');
    if (search.phonePrefix !== undefined && search.phonePrefix !== '') {
      // LIKE wildcards in the prefix are dropped: a phone is digits and "+".
      query = query.where('phone', 'like', `${search.phonePrefix.replace(/[%_\\]/g, '')}%`);
    }
    if (search.kinds !== undefined) {
      if (search.kinds.length === 0) return { total: 0, entries: [] };
      query = query.where('kind', 'in', search.kinds);
    }
    if (search.includeRemoved !== true) query = query.where('removed_at', 'is', null);
    const totalRow = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('added_at', 'desc').orderBy('id', 'desc')
      .limit(search.limit).offset(search.offset ?? 0).execute();
    return { total: Number(totalRow.n), entries: rows.map(toRecord) };
  }

  /** Records that a list (kind) was synced for a scope, replacing the previous record. */
  async upsertSync(sync: DncSyncRecord): Promise<void> {
    const row: Selectable<DncSyncsTable> = {
      kind: sync.kind, scope: sync.scope, synced_at: sync.syncedAt, numbers: sync.numbers, updated_at: sync.updatedAt,
    };
    await this.db.insertInto('dnc_syncs').values(row)
      .onConflict((oc) => oc.columns(['kind', 'scope']).doUpdateSet({
        synced_at: sync.syncedAt, numbers: sync.numbers, updated_at: sync.updatedAt,
      }))
      .execute();
  }

  async getSync(kind: string, scope: string): Promise<DncSyncRecord | undefined> {
    const row = await this.db.selectFrom('dnc_syncs').selectAll().where('kind', '=', kind).where('scope', '=', scope).executeTakeFirst();
    return row && { kind: row.kind, scope: row.scope, syncedAt: row.synced_at, numbers: row.numbers, updatedAt: row.updated_at };
  }

  async listSyncs(kind?: string): Promise<DncSyncRecord[]> {
    let query = this.db.selectFrom('dnc_syncs').selectAll();
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const rows = await query.orderBy('kind').orderBy('scope').execute();
    return rows.map((row) => ({ kind: row.kind, scope: row.scope, syncedAt: row.synced_at, numbers: row.numbers, updatedAt: row.updated_at }));
  }
}
