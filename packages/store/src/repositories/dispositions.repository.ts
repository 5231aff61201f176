import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { DispositionsTable } from '../schema.ts';
import { constraintDetail, constraintKind } from '../constraint-error.ts';
import { fail, ok } from '../store-result.ts';
import { guarded } from '../transaction.ts';

export interface Disposition {
  id: string;
  /** null for a disposition set without a call (e.g. a manual note on a contact). */
  attemptId: string | null;
  contactId: string;
  campaignId: string;
  agentId: string | null;
  code: string;
  notes: string | null;
  callbackAt: number | null;
  createdAt: number;
}

export type NewDisposition = Omit<Disposition, 'id' | 'createdAt' | 'notes' | 'callbackAt' | 'agentId'> & {
  id?: string;
  agentId?: string | null;
  notes?: string | null;
  callbackAt?: number | null;
  now: number;
};

/** A second disposition for the same attempt is an expected outcome (a double click, a retry after a crash). */
export type DispositionInsertResult =
  | { ok: true; value: Disposition }
  | { ok: false; error: 'already_disposed'; message: string; existing: Disposition }
  | { ok: false; error: 'duplicate_id'; message: string };

function toDisposition(row: Selectable<DispositionsTable>): Disposition {
  return {
    id: row.id,
    attemptId: row.attempt_id,
    contactId: row.contact_id,
    campaignId: row.campaign_id,
    agentId: row.agent_id,
    code: row.code,
    notes: row.notes,
    callbackAt: row.callback_at,
    createdAt: row.created_at,
  };
}

export class DispositionsRepository {
  constructor(private readonly db: Db) {}

  /** Stores the disposition; at most one per attempt (the unique index decides, also between two nodes). */
  async insert(input: NewDisposition): Promise<DispositionInsertResult> {
    const row: Selectable<DispositionsTable> = {
      id: input.id ?? randomUUID(),
      attempt_id: input.attemptId,
      contact_id: input.contactId,
      campaign_id: input.campaignId,
      agent_id: input.agentId ?? null,
      code: input.code,
      notes: input.notes ?? null,
      callback_at: input.callbackAt ?? null,
      created_at: input.now,
    };
    try {
      await guarded(this.db, (db) => db.insertInto('dispositions').values(row).execute());
    } catch (error) {
      if (constraintKind(error) !== 'unique') throw error;
      if (input.attemptId !== null) {
        const existing = await this.forAttempt(input.attemptId);
        if (existing) return { ok: false, error: 'already_disposed', message: `attempt ${input.attemptId} already has a disposition`, existing };
      }
      if (/dispositions_pkey|dispositions\.id/.test(constraintDetail(error))) return fail('duplicate_id', `disposition ${row.id} exists`);
      throw error;
    }
    return ok(toDisposition(row));
  }

  async get(id: string): Promise<Disposition | undefined> {
    const row = await this.db.selectFrom('dispositions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDisposition(row);
  }

  async forAttempt(attemptId: string): Promise<Disposition | undefined> {
    const row = await this.db.selectFrom('dispositions').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();
    return row && toDisposition(row);
  }

  /** A contact's dispositions, newest first. */
  async forContact(contactId: string): Promise<Disposition[]> {
    const rows = await this.db.selectFrom('dispositions').selectAll().where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toDisposition);
  }

  /** A campaign's dispositions in [from, to), oldest first (reports). */
  async forCampaign(campaignId: string, range: { from?: number; to?: number; limit?: number } = {}): Promise<Disposition[]> {
    let query = this.db.selectFrom('dispositions').selectAll().where('campaign_id', '=', campaignId);
    if (range.from !== undefined) query = query.where('created_at', '>=', range.from);
    if (range.to !== undefined) query = query.where('created_at', '<', range.to);
    const rows = await query.orderBy('created_at').orderBy('id').limit(range.limit ?? 10_000).execute();
    return rows.map(toDisposition);
  }
}
