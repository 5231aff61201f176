import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { ConsentsTable } from '../schema.ts';

export type ConsentRecordKind = ConsentsTable['kind'];

/** Consent a person gave a seller to be called (kind and scope as in the compliance contract). */
export interface ConsentRecord {
  id: string;
  contactId: string | null;
  phone: string;
  seller: string;
  kind: ConsentRecordKind;
  scope: string;
  givenAt: number;
  revokedAt: number | null;
  /** Where the consent came from (web form URL, recording id, list import). */
  source: string | null;
}

export interface NewConsent {
  id?: string;
  contactId?: string | null;
  phone: string;
  seller: string;
  kind: ConsentRecordKind;
  scope: string;
  givenAt: number;
  source?: string | null;
}

function toConsent(row: Selectable<ConsentsTable>): ConsentRecord {
  return {
    id: row.id, contactId: row.contact_id, phone: row.phone, seller: row.seller, kind: row.kind, scope: row.scope,
    givenAt: row.given_at, revokedAt: row.revoked_at, source: row.source,
  };
}

export class ConsentsRepository {
  constructor(private readonly db: Db) {}

  async add(input: NewConsent): Promise<ConsentRecord> {
    const row: Selectable<ConsentsTable> = {
      id: input.id ?? randomUUID(), contact_id: input.contactId ?? null, phone: input.phone, seller: input.seller,
      kind: input.kind, scope: input.scope, given_at: input.givenAt, revoked_at: null, source: input.source ?? null,
    };
    await this.db.insertInto('consents').values(row).execute();
    return toConsent(row);
  }

  /** Revokes one consent; false if unknown or already revoked. */
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('consents').set({ revoked_at: at })
      .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Revokes every consent of a phone for a seller (a "stop calling me"); returns how many. */
  async revokeAll(phone: string, seller: string, at: number): Promise<number> {
    const result = await this.db.updateTable('consents').set({ revoked_at: at })
      .where('phone', '=', phone).where('seller', '=', seller).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Every consent (revoked ones too: the compliance engine judges them) of a phone for a seller, oldest first. */
  async forPhone(phone: string, seller: string): Promise<ConsentRecord[]> {
    const rows = await this.db.selectFrom('consents').selectAll()
      .where('phone', '=', phone).where('seller', '=', seller).orderBy('given_at').orderBy('id').execute();
    return rows.map(toConsent);
  }
}
