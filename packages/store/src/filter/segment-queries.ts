import { sql } from 'kysely';
import type { TypedFilter } from '@outdial/core/contacts/filter/filter-ast';
import type { Db } from '../database.ts';
import { dialectOf } from '../transaction.ts';
import { filterToSql } from './filter-sql.ts';

/** Segment queries: how many contacts of some lists a filter selects, and which. */
export class SegmentQueries {
  constructor(private readonly db: Db) {}

  async count(filter: TypedFilter | null, listIds: readonly string[] | null): Promise<number> {
    let query = this.db.selectFrom('contacts').select(sql<number>`count(*)`.as('n'));
    if (listIds !== null) {
      if (listIds.length === 0) return 0;
      query = query.where('contacts.list_id', 'in', listIds);
    }
    if (filter !== null) query = query.where(filterToSql(filter, dialectOf(this.db)));
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async ids(filter: TypedFilter | null, listIds: readonly string[] | null, limit = 100_000): Promise<string[]> {
    let query = this.db.selectFrom('contacts').select('contacts.id').orderBy('contacts.id').limit(limit);
    if (listIds !== null) {
      if (listIds.length === 0) return [];
      query = query.where('contacts.list_id', 'in', listIds);
    }
    if (filter !== null) query = query.where(filterToSql(filter, dialectOf(this.db)));
    return (await query.execute()).map((r) => r.id);
  }

  /** The typed custom attributes of some lists, from their saved column mappings (`income:number`). */
  async attributeTypes(listIds: readonly string[] | null): Promise<Record<string, 'number' | 'boolean' | 'date' | 'text'>> {
    let query = this.db.selectFrom('lists').select('column_mapping_json');
    if (listIds !== null) {
      if (listIds.length === 0) return {};
      query = query.where('id', 'in', listIds);
    }
    const types: Record<string, 'number' | 'boolean' | 'date' | 'text'> = {};
    for (const row of await query.execute()) {
      if (row.column_mapping_json === null) continue;
      let mapping: Record<string, string>;
      try {
        mapping = JSON.parse(row.column_mapping_json) as Record<string, string>;
      } catch {
        continue;
      }
      for (const target of Object.values(mapping)) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*):(number|boolean|date|text)$/.exec(target);
        if (match !== null) types[match[1] as string] = match[2] as 'number' | 'boolean' | 'date' | 'text';
      }
    }
    return types;
  }
}
