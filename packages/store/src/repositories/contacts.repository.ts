import { randomUUID } from 'node:crypto';
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import type { Db } from '../database.ts';
import type { ContactsTable, Database } from '../schema.ts';
import { constraintKind } from '../constraint-error.ts';
import { fromFlag, fromJson, toFlag, toJson } from '../json-column.ts';
import { fail, ok } from '../store-result.ts';
import type { StoreResult } from '../store-result.ts';
import { atomically, dialectOf } from '../transaction.ts';

export type ContactStatus = ContactsTable['status'];

export interface ContactPhone {
  phone: string;
  ext?: string;
  kind?: string;
}

export interface Contact {
  id: string;
  listId: string;
  /** Primary phone, E.164. */
  phone: string;
  phones: ContactPhone[];
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  timezones: string[];
  jurisdictions: string[];
  lineType: string;
  attributes: Record<string, unknown>;
  status: ContactStatus;
  priority: number;
  attempts: number;
  nextDialAt: number;
  lastOutcome: string | null;
  lastAttemptAt: number | null;
  claimedBy: string | null;
  claimExpiresAt: number | null;
  dncFlag: boolean;
  importKey: string | null;
  sourceRow: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A contact to insert (tests, demo seeding; imports have their own repository). Omitted fields take defaults. */
export interface NewContact {
  id?: string;
  listId: string;
  phone: string;
  phones?: ContactPhone[];
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  address?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  timezones?: string[];
  jurisdictions?: string[];
  lineType?: string;
  attributes?: Record<string, unknown>;
  status?: ContactStatus;
  priority?: number;
  attempts?: number;
  /** Defaults to `now`: dialable at once. */
  nextDialAt?: number;
  dncFlag?: boolean;
  importKey?: string | null;
  sourceRow?: number | null;
}

export interface ClaimRequest {
  campaignId: string;
  /** The lists to draw from; omitted = the lists attached to the campaign. */
  listIds?: readonly string[];
  nodeId: string;
  now: number;
  limit: number;
  /** How long the claim holds if the node never reports back (crash): then another claim may take the contact. */
  leaseMs: number;
  maxAttempts: number;
  /**
   * An extra condition on `contacts` every claimed contact must meet: the campaign's segmentation filter, as
   * `filterToSql(filter, dialect)` from `@outdial/store/filter/filter-sql` builds it (bound parameters only).
   */
  segment?: Expression<SqlBool>;
}

export interface AttemptUpdate {
  contactId: string;
  status: ContactStatus;
  nextDialAt: number;
  attempts: number;
  lastOutcome: string | null;
  lastAttemptAt: number;
  /** When the update happens (updated_at); defaults to `lastAttemptAt`. */
  now?: number;
}

const INSERT_CHUNK = 500;

export function toContact(row: Selectable<ContactsTable>): Contact {
  return {
    id: row.id,
    listId: row.list_id,
    phone: row.phone,
    phones: fromJson<ContactPhone[]>(row.phones_json, []),
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    address: row.address,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    timezones: fromJson<string[]>(row.timezones_json, []),
    jurisdictions: fromJson<string[]>(row.jurisdictions_json, []),
    lineType: row.line_type,
    attributes: fromJson<Record<string, unknown>>(row.attributes_json, {}),
    status: row.status,
    priority: row.priority,
    attempts: row.attempts,
    nextDialAt: row.next_dial_at,
    lastOutcome: row.last_outcome,
    lastAttemptAt: row.last_attempt_at,
    claimedBy: row.claimed_by,
    claimExpiresAt: row.claim_expires_at,
    dncFlag: fromFlag(row.dnc_flag),
    importKey: row.import_key,
    sourceRow: row.source_row,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(input: NewContact, now: number): Selectable<ContactsTable> {
  return {
    id: input.id ?? randomUUID(),
    list_id: input.listId,
    phone: input.phone,
    phones_json: toJson(input.phones ?? [{ phone: input.phone }]),
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    city: input.city ?? null,
    region: input.region ?? null,
    postal_code: input.postalCode ?? null,
    country: input.country ?? null,
    timezones_json: toJson(input.timezones ?? []),
    jurisdictions_json: toJson(input.jurisdictions ?? []),
    line_type: input.lineType ?? 'unknown',
    attributes_json: toJson(input.attributes ?? {}),
    status: input.status ?? 'dialable',
    priority: input.priority ?? 0,
    attempts: input.attempts ?? 0,
    next_dial_at: input.nextDialAt ?? now,
    last_outcome: null,
    last_attempt_at: null,
    claimed_by: null,
    claim_expires_at: null,
    dnc_flag: toFlag(input.dncFlag ?? false),
    import_key: input.importKey ?? null,
    source_row: input.sourceRow ?? null,
    created_at: now,
    updated_at: now,
  };
}

/** Hopper order: higher priority first, then the longest-due, then id for a stable order. */
function byHopperOrder(a: Contact, b: Contact): number {
  return b.priority - a.priority || a.nextDialAt - b.nextDialAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class ContactsRepository {
  constructor(private readonly db: Db) {}

  async insert(input: NewContact, now: number): Promise<StoreResult<Contact, 'unknown_list' | 'duplicate'>> {
    const result = await this.insertMany([input], now);
    if (!result.ok) return result;
    const [contact] = result.value;
    if (!contact) throw new Error('insertMany returned no contact');
    return ok(contact);
  }

  /** Inserts all the contacts or none (unknown list, duplicate id, or the same phone with the same import key in the list). */
  async insertMany(inputs: readonly NewContact[], now: number): Promise<StoreResult<Contact[], 'unknown_list' | 'duplicate'>> {
    const rows = inputs.map((input) => toRow(input, now));
    try {
      await atomically(this.db, async (trx) => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await trx.insertInto('contacts').values(rows.slice(i, i + INSERT_CHUNK)).execute();
        }
      });
    } catch (error) {
      const kind = constraintKind(error);
      if (kind === 'foreign_key') return fail('unknown_list', 'a contact names a list that does not exist');
      if (kind === 'unique') return fail('duplicate', 'a contact id, or this phone with this import key in the list, exists already');
      throw error;
    }
    return ok(rows.map(toContact));
  }

  async get(id: string): Promise<Contact | undefined> {
    const row = await this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toContact(row);
  }

  async getMany(ids: readonly string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('contacts').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.map(toContact);
  }

  /** Contacts whose primary phone is `phone` (E.164), oldest first. */
  async findByPhone(phone: string): Promise<Contact[]> {
    const rows = await this.db.selectFrom('contacts').selectAll().where('phone', '=', phone)
      .orderBy('created_at').orderBy('id').execute();
    return rows.map(toContact);
  }

  /** A page of a list's contacts in insertion order, for the API. */
  async listByList(listId: string, page: { limit: number; offset?: number }): Promise<Contact[]> {
    const rows = await this.db.selectFrom('contacts').selectAll().where('list_id', '=', listId)
      .orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset ?? 0).execute();
    return rows.map(toContact);
  }

  /**
   * The hopper: claims up to `limit` contacts due for dialing for `nodeId` until `now + leaseMs`, in hopper order
   * (priority desc, next_dial_at asc, id). Due = status dialable or callback, next_dial_at <= now,
   * attempts < maxAttempts, and no live claim (none, or expired). Two nodes claiming at once never get the same
   * contact: PostgreSQL locks candidate rows with FOR UPDATE SKIP LOCKED inside a transaction; SQLite runs one
   * UPDATE statement, which holds the database's write lock from start to end.
   *
   * Speed: one branch per (list, status), each read in hopper order from the contacts_claim index and cut at
   * `limit`, so a claim reads about lists x 2 x limit index entries instead of sorting every due contact.
   */
  async claimDialable(request: ClaimRequest): Promise<Contact[]> {
    if (request.limit <= 0) return [];
    const listIds = request.listIds ?? await this.campaignListIds(request.campaignId);
    if (listIds.length === 0) return [];
    const r = { ...request, listIds: [...new Set(listIds)] };
    const claimed = dialectOf(this.db) === 'postgres' ? await this.claimPostgres(r) : await this.claimSqlite(r);
    return claimed.map(toContact).sort(byHopperOrder);
  }

  private claimSqlite(r: ResolvedClaim): Promise<Selectable<ContactsTable>[]> {
    const candidates = unionOfBranches(this.db, r, false);
    return this.db.updateTable('contacts')
      .set({ claimed_by: r.nodeId, claim_expires_at: r.now + r.leaseMs })
      .where('id', 'in', this.db.selectFrom(candidates.as('candidates')).select('candidates.id')
        .orderBy('candidates.priority', 'desc').orderBy('candidates.next_dial_at', 'asc').orderBy('candidates.id', 'asc')
        .limit(r.limit))
      .returningAll()
      .execute();
  }

  private claimPostgres(r: ResolvedClaim): Promise<Selectable<ContactsTable>[]> {
    return atomically(this.db, async (trx) => {
      // Each branch locks its rows (skipping rows another claimer holds); the rows beyond `limit` are unlocked again
      // at commit, a few milliseconds later.
      const locked = await unionOfBranches(trx, r, true).execute();
      if (locked.length === 0) return [];
      const chosen = locked.sort((a, b) => b.priority - a.priority || a.next_dial_at - b.next_dial_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, r.limit).map((c) => c.id);
      return trx.updateTable('contacts')
        .set({ claimed_by: r.nodeId, claim_expires_at: r.now + r.leaseMs })
        .where('id', 'in', chosen)
        .returningAll()
        .execute();
    });
  }

  private async campaignListIds(campaignId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('campaign_lists').select('list_id').where('campaign_id', '=', campaignId).execute();
    return rows.map((row) => row.list_id);
  }

  /**
   * Claims one contact for a dial an agent asked for (a manual dial of a stored contact): taken if unclaimed, expired,
   * or already held by `nodeId`. `fresh` tells whether this call took it (a refused dial gives only such a claim
   * back); false → another node holds it (its dialer may be calling the person right now).
   */
  async claimForAgentDial(contactId: string, nodeId: string, now: number, leaseMs: number): Promise<{ claimed: boolean; fresh: boolean }> {
    const before = await this.db.selectFrom('contacts').select(['claimed_by', 'claim_expires_at']).where('id', '=', contactId).executeTakeFirst();
    if (before === undefined) return { claimed: false, fresh: false };
    const ours = before.claimed_by === nodeId && (before.claim_expires_at ?? 0) > now;
    const result = await this.db.updateTable('contacts')
      .set({ claimed_by: nodeId, claim_expires_at: now + leaseMs })
      .where('id', '=', contactId)
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claim_expires_at', '<=', now), eb('claimed_by', '=', nodeId)]))
      .executeTakeFirst();
    const claimed = result.numUpdatedRows > 0n;
    return { claimed, fresh: claimed && !ours };
  }

  /** Gives claimed contacts back to the hopper without an attempt (the node stopped, or the gate deferred them). */
  async releaseClaim(contactIds: readonly string[], nodeId: string): Promise<number> {
    if (contactIds.length === 0) return 0;
    const result = await this.db.updateTable('contacts')
      .set({ claimed_by: null, claim_expires_at: null })
      .where('id', 'in', contactIds).where('claimed_by', '=', nodeId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Extends claims `nodeId` still holds to `now + leaseMs` (a hopper buffering contacts longer than the lease keeps
   * them). Returns the ids still held; a contact missing from it was lost (expired and claimed elsewhere).
   */
  async extendClaims(contactIds: readonly string[], nodeId: string, now: number, leaseMs: number): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.updateTable('contacts')
      .set({ claim_expires_at: now + leaseMs })
      .where('id', 'in', contactIds).where('claimed_by', '=', nodeId)
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort();
  }

  /** Releases every claim a node holds: at its start after a crash, or at a clean stop. */
  async releaseClaimsOf(nodeId: string): Promise<number> {
    const result = await this.db.updateTable('contacts')
      .set({ claimed_by: null, claim_expires_at: null })
      .where('claimed_by', '=', nodeId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Records the result of a dial on the contact and clears its claim. */
  async updateAfterAttempt(update: AttemptUpdate): Promise<boolean> {
    const result = await this.db.updateTable('contacts')
      .set({
        status: update.status,
        next_dial_at: update.nextDialAt,
        attempts: update.attempts,
        last_outcome: update.lastOutcome,
        last_attempt_at: update.lastAttemptAt,
        claimed_by: null,
        claim_expires_at: null,
        updated_at: update.now ?? update.lastAttemptAt,
      })
      .where('id', '=', update.contactId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Sets the status (a DNC request, an invalid number, a callback) and, optionally, when it may be dialed next. */
  async setStatus(contactId: string, status: ContactStatus, now: number, nextDialAt?: number): Promise<boolean> {
    const result = await this.db.updateTable('contacts')
      .set(nextDialAt === undefined ? { status, updated_at: now } : { status, next_dial_at: nextDialAt, updated_at: now })
      .where('id', '=', contactId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** How many contacts a claim with the same parameters could take now (claimed ones excluded). */
  async countDialable(request: Omit<ClaimRequest, 'nodeId' | 'limit' | 'leaseMs'>): Promise<number> {
    if (request.listIds !== undefined && request.listIds.length === 0) return 0;
    const row = await this.db.selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => dueForDialing(eb, request))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Contacts per status in the given lists (supervisor counters). */
  async countByStatus(listIds: readonly string[]): Promise<Record<ContactStatus, number>> {
    const counts: Record<ContactStatus, number> = { dialable: 0, callback: 0, done: 0, dnc: 0, invalid: 0 };
    if (listIds.length === 0) return counts;
    const rows = await this.db.selectFrom('contacts')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('list_id', 'in', listIds)
      .groupBy('status')
      .execute();
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

type ResolvedClaim = ClaimRequest & { listIds: readonly string[] };
const CLAIMABLE_STATUSES: readonly ContactStatus[] = ['dialable', 'callback'];

/** Conditions every claimable contact meets, besides its list and status. */
function claimable(eb: ExpressionBuilder<Database, 'contacts'>, r: { now: number; maxAttempts: number; segment?: Expression<SqlBool> }) {
  const conditions: Array<Expression<SqlBool>> = [
    eb('next_dial_at', '<=', r.now),
    eb('attempts', '<', r.maxAttempts),
    eb.or([eb('claimed_by', 'is', null), eb('claim_expires_at', '<=', r.now)]),
  ];
  if (r.segment !== undefined) conditions.push(r.segment);
  return eb.and(conditions);
}

/** The best `limit` claimable contacts of each (list, status), in hopper order, as one UNION ALL. */
function unionOfBranches(db: Db, r: ResolvedClaim, lockRows: boolean) {
  const branches = r.listIds.flatMap((listId) => CLAIMABLE_STATUSES.map((status) => {
    const branch = db.selectFrom('contacts')
      .select(['id', 'priority', 'next_dial_at'])
      .where('list_id', '=', listId)
      .where('status', '=', status)
      .where((eb) => claimable(eb, r))
      .orderBy('priority', 'desc').orderBy('next_dial_at', 'asc').orderBy('id', 'asc')
      .limit(r.limit);
    return lockRows ? branch.forUpdate().skipLocked() : branch;
  }));
  const [first, ...rest] = branches.map((branch, i) => db.selectFrom(branch.as(`b${i}`)).selectAll());
  if (!first) throw new Error('claim without lists');
  return rest.reduce((union, next) => union.unionAll(next), first);
}

function dueForDialing(eb: ExpressionBuilder<Database, 'contacts'>, r: Omit<ClaimRequest, 'nodeId' | 'limit' | 'leaseMs'>) {
  const inLists = r.listIds !== undefined
    ? eb('list_id', 'in', r.listIds)
    : eb('list_id', 'in', eb.selectFrom('campaign_lists').select('campaign_lists.list_id').where('campaign_lists.campaign_id', '=', r.campaignId));
  return eb.and([inLists, eb('status', 'in', CLAIMABLE_STATUSES), claimable(eb, r)]);
}
