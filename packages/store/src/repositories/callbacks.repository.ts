import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { CallbacksTable } from '../schema.ts';

export type CallbackStatus = CallbacksTable['status'];

export interface Callback {
  id: string;
  contactId: string;
  campaignId: string;
  /** null = any agent of the campaign; otherwise only this agent (a personal callback). */
  agentId: string | null;
  dueAt: number;
  status: CallbackStatus;
  createdAt: number;
}

export interface NewCallback {
  id?: string;
  contactId: string;
  campaignId: string;
  agentId?: string | null;
  dueAt: number;
  now: number;
}

function toCallback(row: Selectable<CallbacksTable>): Callback {
  return {
    id: row.id, contactId: row.contact_id, campaignId: row.campaign_id, agentId: row.agent_id,
    dueAt: row.due_at, status: row.status, createdAt: row.created_at,
  };
}

export class CallbacksRepository {
  constructor(private readonly db: Db) {}

  async create(input: NewCallback): Promise<Callback> {
    const row: Selectable<CallbacksTable> = {
      id: input.id ?? randomUUID(), contact_id: input.contactId, campaign_id: input.campaignId,
      agent_id: input.agentId ?? null, due_at: input.dueAt, status: 'pending', created_at: input.now,
    };
    await this.db.insertInto('callbacks').values(row).execute();
    return toCallback(row);
  }

  async get(id: string): Promise<Callback | undefined> {
    const row = await this.db.selectFrom('callbacks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCallback(row);
  }

  /**
   * Pending callbacks of a campaign due at or before `now`, earliest first. With `agentId`: that agent's personal
   * callbacks plus the campaign-wide ones; without: all of them.
   */
  async due(options: { campaignId: string; now: number; agentId?: string; limit?: number }): Promise<Callback[]> {
    let query = this.db.selectFrom('callbacks').selectAll()
      .where('campaign_id', '=', options.campaignId)
      .where('status', '=', 'pending')
      .where('due_at', '<=', options.now);
    const agentId = options.agentId;
    if (agentId !== undefined) query = query.where((eb) => eb.or([eb('agent_id', 'is', null), eb('agent_id', '=', agentId)]));
    const rows = await query.orderBy('due_at').orderBy('id').limit(options.limit ?? 100).execute();
    return rows.map(toCallback);
  }

  /** Pending callbacks of a contact (to show, or to cancel when the contact asks not to be called). */
  async pendingForContact(contactId: string): Promise<Callback[]> {
    const rows = await this.db.selectFrom('callbacks').selectAll()
      .where('contact_id', '=', contactId).where('status', '=', 'pending').orderBy('due_at').orderBy('id').execute();
    return rows.map(toCallback);
  }

  /** Marks a pending callback done; false if it was not pending (already done or cancelled). */
  async complete(id: string): Promise<boolean> {
    return this.finish(id, 'done');
  }

  async cancel(id: string): Promise<boolean> {
    return this.finish(id, 'cancelled');
  }

  /** Cancels every pending callback of a contact (a do-not-call request); returns how many. */
  async cancelForContact(contactId: string): Promise<number> {
    const result = await this.db.updateTable('callbacks').set({ status: 'cancelled' })
      .where('contact_id', '=', contactId).where('status', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private async finish(id: string, status: 'done' | 'cancelled'): Promise<boolean> {
    const result = await this.db.updateTable('callbacks').set({ status })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
