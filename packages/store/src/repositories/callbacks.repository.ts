import { randomUUID } from 'node:crypto';
import { expressionBuilder } from 'kysely';
import type { Expression, Selectable, SqlBool } from 'kysely';
import type { Db } from '../database.ts';
import { atomically, dialectOf } from '../transaction.ts';
import type { CallbacksTable, Database } from '../schema.ts';

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

/** A pending callback with what a person needs to see of its contact (the agent's list, the supervisor's table). */
export interface CallbackListing extends Callback {
  firstName: string | null;
  lastName: string | null;
  phone: string;
  /** The contact's candidate IANA zones (its local time is shown). */
  timezones: string[];
}

/** A due personal callback claimed for its owner: the contact is claimed for the node like any hopper contact. */
export interface ClaimedPersonalCallback {
  callbackId: string;
  contactId: string;
  agentId: string;
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

  /**
   * Claims, for `nodeId` until `now + leaseMs`, the contacts of due personal callbacks of a campaign: callback pending,
   * due, the contact due for dialing (status dialable or callback, next_dial_at <= now, attempts < maxAttempts) and not
   * claimed elsewhere. Earliest due first. The owner's id comes with each, so the dialer gives it to that agent only.
   */
  async claimDuePersonal(r: {
    campaignId: string; nodeId: string; now: number; leaseMs: number; maxAttempts: number; limit: number;
  }): Promise<ClaimedPersonalCallback[]> {
    if (r.limit <= 0) return [];
    // PostgreSQL: like the pooled claim, lock the candidate contacts and skip those another claimer holds (no waiting
    // on a row lock, no claim of a row that changed meanwhile). SQLite has one writer at a time: the conditional
    // update below is enough there.
    if (dialectOf(this.db) === 'postgres') return atomically(this.db, (trx) => this.claimPersonal(trx, r, true));
    return this.claimPersonal(this.db, r, false);
  }

  private async claimPersonal(db: Db, r: {
    campaignId: string; nodeId: string; now: number; leaseMs: number; maxAttempts: number; limit: number;
  }, lockRows: boolean): Promise<ClaimedPersonalCallback[]> {
    const query = db.selectFrom('callbacks')
      .innerJoin('contacts', 'contacts.id', 'callbacks.contact_id')
      .select(['callbacks.id as callback_id', 'callbacks.contact_id', 'callbacks.agent_id'])
      .where('callbacks.campaign_id', '=', r.campaignId)
      .where('callbacks.status', '=', 'pending')
      .where('callbacks.agent_id', 'is not', null)
      .where('callbacks.due_at', '<=', r.now)
      .where('contacts.status', 'in', ['dialable', 'callback'])
      .where('contacts.next_dial_at', '<=', r.now)
      .where('contacts.attempts', '<', r.maxAttempts)
      .where((eb) => eb.or([eb('contacts.claimed_by', 'is', null), eb('contacts.claim_expires_at', '<=', r.now)]))
      .orderBy('callbacks.due_at').orderBy('callbacks.id').limit(r.limit);
    const candidates = await (lockRows ? query.forUpdate('contacts').skipLocked() : query).execute();
    if (candidates.length === 0) return [];
    // The claim is conditional on the row still being free and due, with its personal callback still pending: a row
    // dialed, closed or claimed since the read above is left alone.
    const claimed = await db.updateTable('contacts')
      .set({ claimed_by: r.nodeId, claim_expires_at: r.now + r.leaseMs })
      .where('id', 'in', [...new Set(candidates.map((c) => c.contact_id))])
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claim_expires_at', '<=', r.now)]))
      .where('status', 'in', ['dialable', 'callback'])
      .where('next_dial_at', '<=', r.now)
      .where('attempts', '<', r.maxAttempts)
      .where((eb) => eb.exists(eb.selectFrom('callbacks').select('callbacks.id')
        .whereRef('callbacks.contact_id', '=', 'contacts.id')
        .where('callbacks.campaign_id', '=', r.campaignId)
        .where('callbacks.status', '=', 'pending')
        .where('callbacks.agent_id', 'is not', null)
        .where('callbacks.due_at', '<=', r.now)))
      .returning('id')
      .execute();
    const won = new Set(claimed.map((c) => c.id));
    const seen = new Set<string>();
    const out: ClaimedPersonalCallback[] = [];
    for (const c of candidates) {
      // One contact with two personal callbacks is one call (the earliest due decides whose).
      if (!won.has(c.contact_id) || seen.has(c.contact_id) || c.agent_id === null) continue;
      seen.add(c.contact_id);
      out.push({ callbackId: c.callback_id, contactId: c.contact_id, agentId: c.agent_id });
    }
    return out;
  }

  /**
   * The pending callbacks of campaigns with their contacts, earliest due first: with `agentId`, that agent's personal
   * ones only (the agent's "my callbacks"); without, every one (the supervisor's table).
   */
  async listPending(options: { campaignIds: readonly string[]; agentId?: string; limit?: number }): Promise<CallbackListing[]> {
    if (options.campaignIds.length === 0) return [];
    let query = this.db.selectFrom('callbacks')
      .innerJoin('contacts', 'contacts.id', 'callbacks.contact_id')
      .selectAll('callbacks')
      .select(['contacts.first_name', 'contacts.last_name', 'contacts.phone', 'contacts.timezones_json'])
      .where('callbacks.campaign_id', 'in', options.campaignIds)
      .where('callbacks.status', '=', 'pending');
    if (options.agentId !== undefined) query = query.where('callbacks.agent_id', '=', options.agentId);
    const rows = await query.orderBy('callbacks.due_at').orderBy('callbacks.id').limit(options.limit ?? 200).execute();
    return rows.map((row) => ({
      ...toCallback(row),
      firstName: row.first_name, lastName: row.last_name, phone: row.phone, timezones: parseZones(row.timezones_json),
    }));
  }

  /** Of these contacts, those a pending personal callback holds for its agent (never to be dialed from the pool). */
  async heldForAnAgent(contactIds: readonly string[]): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.selectFrom('callbacks').select('contact_id').distinct()
      .where('contact_id', 'in', contactIds).where('status', '=', 'pending').where('agent_id', 'is not', null)
      .orderBy('contact_id').execute();
    return rows.map((r) => r.contact_id);
  }

  /** Callbacks by id (any status). */
  async getMany(ids: readonly string[]): Promise<Callback[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('callbacks').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.map(toCallback);
  }

  /** Gives a pending callback to another agent, or to the whole campaign (`null`); false if it is not pending. */
  async reassign(id: string, agentId: string | null): Promise<boolean> {
    const result = await this.db.updateTable('callbacks').set({ agent_id: agentId })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Moves a pending callback's due time (its owner skipped it in preview); false if it is not pending. */
  async postpone(id: string, dueAt: number): Promise<boolean> {
    const result = await this.db.updateTable('callbacks').set({ due_at: dueAt })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The contact was dialed: its pending callbacks due by `now` are done (a later one, set since, stays). */
  async completeDue(contactId: string, now: number): Promise<string[]> {
    const rows = await this.db.updateTable('callbacks').set({ status: 'done' })
      .where('contact_id', '=', contactId).where('status', '=', 'pending').where('due_at', '<=', now)
      .returning('id').execute();
    return rows.map((r) => r.id).sort();
  }

  /**
   * Undoes `completeDue` for these callbacks: the dial that completed them never reached the person (a network or
   * local failure), so they are pending again. One closed otherwise since (cancelled) stays closed.
   */
  async reopen(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db.updateTable('callbacks').set({ status: 'pending' })
      .where('id', 'in', ids).where('status', '=', 'done').executeTakeFirst();
    return Number(result.numUpdatedRows);
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

/**
 * A condition on `contacts` for the pooled hopper claim: no pending personal callback holds the contact for its agent
 * (those are claimed only for their owner, by `claimDuePersonal`). Combined with the campaign's segment, if any.
 */
export function notHeldForAnAgent(segment?: Expression<SqlBool>): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'contacts'>();
  const free = eb.not(eb.exists(eb.selectFrom('callbacks').select('callbacks.id')
    .whereRef('callbacks.contact_id', '=', 'contacts.id')
    .where('callbacks.status', '=', 'pending')
    .where('callbacks.agent_id', 'is not', null)));
  return segment === undefined ? free : eb.and([segment, free]);
}

function parseZones(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((z): z is string => typeof z === 'string') : [];
  } catch {
    return [];
  }
}
