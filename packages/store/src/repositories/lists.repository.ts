import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { ListsTable } from '../schema.ts';
import { constraintKind } from '../constraint-error.ts';
import { fromNullableJson, toJson } from '../json-column.ts';
import { guarded } from '../transaction.ts';
import { fail, ok } from '../store-result.ts';
import type { StoreResult } from '../store-result.ts';

/** A contact list as bought or collected: where it came from, what it cost, on what basis its people may be called. */
export interface ContactList {
  id: string;
  name: string;
  vendor: string | null;
  /** ISO date (YYYY-MM-DD) the list was bought. */
  purchasedAt: string | null;
  costCents: number | null;
  consentBasis: string | null;
  consentMethod: string | null;
  /** ISO 3166 country assumed for numbers without a country code. */
  defaultCountry: string;
  /** The column mapping saved at the last import: source header → contact field. */
  columnMapping: Record<string, string> | null;
  createdAt: number;
}

export interface NewContactList {
  id?: string;
  name: string;
  vendor?: string | null;
  purchasedAt?: string | null;
  costCents?: number | null;
  consentBasis?: string | null;
  consentMethod?: string | null;
  defaultCountry?: string;
  columnMapping?: Record<string, string> | null;
  now: number;
}

export type ListPatch = Partial<Omit<NewContactList, 'id' | 'now'>>;

function toList(row: Selectable<ListsTable>): ContactList {
  return {
    id: row.id,
    name: row.name,
    vendor: row.vendor,
    purchasedAt: row.purchased_at,
    costCents: row.cost_cents,
    consentBasis: row.consent_basis,
    consentMethod: row.consent_method,
    defaultCountry: row.default_country,
    columnMapping: fromNullableJson<Record<string, string> | null>(row.column_mapping_json, null),
    createdAt: row.created_at,
  };
}

export class ListsRepository {
  constructor(private readonly db: Db) {}

  async create(input: NewContactList): Promise<StoreResult<ContactList, 'duplicate_name'>> {
    const row: Selectable<ListsTable> = {
      id: input.id ?? randomUUID(),
      name: input.name,
      vendor: input.vendor ?? null,
      purchased_at: input.purchasedAt ?? null,
      cost_cents: input.costCents ?? null,
      consent_basis: input.consentBasis ?? null,
      consent_method: input.consentMethod ?? null,
      default_country: input.defaultCountry ?? 'US',
      column_mapping_json: input.columnMapping == null ? null : toJson(input.columnMapping),
      created_at: input.now,
    };
    try {
      await guarded(this.db, (db) => db.insertInto('lists').values(row).execute());
    } catch (error) {
      if (constraintKind(error) === 'unique') return fail('duplicate_name', `a list named "${input.name}" (or with id ${row.id}) exists`);
      throw error;
    }
    return ok(toList(row));
  }

  async get(id: string): Promise<ContactList | undefined> {
    const row = await this.db.selectFrom('lists').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toList(row);
  }

  async findByName(name: string): Promise<ContactList | undefined> {
    const row = await this.db.selectFrom('lists').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toList(row);
  }

  async list(): Promise<ContactList[]> {
    const rows = await this.db.selectFrom('lists').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toList);
  }

  async update(id: string, patch: ListPatch): Promise<StoreResult<ContactList, 'not_found' | 'duplicate_name'>> {
    const set: Partial<Selectable<ListsTable>> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.vendor !== undefined) set.vendor = patch.vendor;
    if (patch.purchasedAt !== undefined) set.purchased_at = patch.purchasedAt;
    if (patch.costCents !== undefined) set.cost_cents = patch.costCents;
    if (patch.consentBasis !== undefined) set.consent_basis = patch.consentBasis;
    if (patch.consentMethod !== undefined) set.consent_method = patch.consentMethod;
    if (patch.defaultCountry !== undefined) set.default_country = patch.defaultCountry;
    if (patch.columnMapping !== undefined) set.column_mapping_json = patch.columnMapping === null ? null : toJson(patch.columnMapping);
    if (Object.keys(set).length > 0) {
      try {
        await guarded(this.db, (db) => db.updateTable('lists').set(set).where('id', '=', id).execute());
      } catch (error) {
        if (constraintKind(error) === 'unique') return fail('duplicate_name', `a list named "${patch.name ?? ''}" exists`);
        throw error;
      }
    }
    const list = await this.get(id);
    return list ? ok(list) : fail('not_found', `no list ${id}`);
  }

  /** Saves the column mapping an import used, so the next file from the same vendor starts from it. */
  async saveColumnMapping(id: string, mapping: Record<string, string>): Promise<boolean> {
    const result = await this.db.updateTable('lists').set({ column_mapping_json: toJson(mapping) }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
