import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type {
  CallingWindow, CampaignSettings, CampaignStatus, DispositionDef, RetryRule,
} from '@outdial/core/campaign/types';
import type { Db } from '../database.ts';
import type { CampaignsTable } from '../schema.ts';
import { constraintKind } from '../constraint-error.ts';
import { fromFlag, fromJson, fromNullableJson, toFlag, toJson } from '../json-column.ts';
import { fail, ok } from '../store-result.ts';
import type { StoreResult } from '../store-result.ts';
import { atomically, guarded } from '../transaction.ts';

export type NewCampaign = Omit<CampaignSettings, 'id' | 'status'> & { id?: string; status?: CampaignStatus; now: number };
export type CampaignPatch = Partial<Omit<CampaignSettings, 'id'>>;
export type CampaignWriteError = 'duplicate_name' | 'unknown_list';

/** Who runs a campaign now (scale-out): one node holds its lease until `expiresAt` unless it renews. */
export interface CampaignLease {
  ownerNode: string | null;
  expiresAt: number | null;
}

export type LeaseResult =
  | { acquired: true; expiresAt: number }
  | { acquired: false; reason: 'held'; ownerNode: string; expiresAt: number }
  | { acquired: false; reason: 'not_found' };

type CampaignRow = Selectable<CampaignsTable>;
type CampaignColumns = Omit<CampaignRow, 'id' | 'owner_node' | 'lease_expires_at' | 'created_at' | 'updated_at'>;

function toColumns(s: Omit<CampaignSettings, 'id' | 'listIds'>): CampaignColumns {
  return {
    name: s.name,
    status: s.status,
    purpose: s.purpose,
    seller: s.seller,
    subject: s.subject,
    dial_mode: s.dialMode,
    pacing_policy: s.pacingPolicy,
    abandon_target: s.abandonTarget,
    regime: s.regime,
    caller_id: s.callerId,
    script_template: s.scriptTemplate,
    dispositions_json: toJson(s.dispositions),
    retry_rules_json: toJson(s.retryRules),
    max_attempts: s.maxAttempts,
    calling_window_json: s.callingWindow === null ? null : toJson(s.callingWindow),
    abandon_message_prompt_id: s.abandonMessagePromptId,
    ring_timeout_seconds: s.ringTimeoutSeconds,
    amd: toFlag(s.amd),
    prerecorded: toFlag(s.prerecorded),
    training: toFlag(s.training),
    filter: s.filter,
  };
}

function toSettings(row: CampaignRow, listIds: string[]): CampaignSettings {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    purpose: row.purpose as CampaignSettings['purpose'],
    seller: row.seller,
    subject: row.subject,
    dialMode: row.dial_mode as CampaignSettings['dialMode'],
    pacingPolicy: row.pacing_policy,
    abandonTarget: row.abandon_target,
    regime: row.regime as CampaignSettings['regime'],
    callerId: row.caller_id,
    scriptTemplate: row.script_template,
    dispositions: fromJson<DispositionDef[]>(row.dispositions_json, []),
    retryRules: fromJson<RetryRule[]>(row.retry_rules_json, []),
    maxAttempts: row.max_attempts,
    callingWindow: fromNullableJson<CallingWindow | null>(row.calling_window_json, null),
    abandonMessagePromptId: row.abandon_message_prompt_id,
    ringTimeoutSeconds: row.ring_timeout_seconds,
    amd: fromFlag(row.amd),
    prerecorded: fromFlag(row.prerecorded),
    training: fromFlag(row.training),
    filter: row.filter,
    listIds,
  };
}

function writeError(error: unknown, name: string): { ok: false; error: CampaignWriteError; message: string } {
  const kind = constraintKind(error);
  if (kind === 'unique') return fail('duplicate_name', `a campaign named "${name}" (or with this id) exists`);
  if (kind === 'foreign_key') return fail('unknown_list', 'one of the list ids does not exist');
  throw error;
}

export class CampaignsRepository {
  constructor(private readonly db: Db) {}

  /** Creates the campaign and attaches its lists in one transaction: an unknown list leaves nothing behind. */
  async create(input: NewCampaign): Promise<StoreResult<CampaignSettings, CampaignWriteError>> {
    const { now, listIds, id: givenId, status, ...settings } = input;
    const id = givenId ?? randomUUID();
    const uniqueListIds = [...new Set(listIds)];
    try {
      await atomically(this.db, async (trx) => {
        await trx.insertInto('campaigns').values({
          id, ...toColumns({ ...settings, status: status ?? 'draft' }),
          owner_node: null, lease_expires_at: null, created_at: now, updated_at: now,
        }).execute();
        if (uniqueListIds.length > 0) {
          await trx.insertInto('campaign_lists').values(uniqueListIds.map((list_id) => ({ campaign_id: id, list_id }))).execute();
        }
      });
    } catch (error) {
      return writeError(error, input.name);
    }
    const created = await this.get(id);
    if (!created) throw new Error(`campaign ${id} vanished after insert`);
    return ok(created);
  }

  /** Changes the given settings; `listIds`, when given, replaces the attached lists. */
  async update(id: string, patch: CampaignPatch, now: number): Promise<StoreResult<CampaignSettings, CampaignWriteError | 'not_found'>> {
    const current = await this.get(id);
    if (!current) return fail('not_found', `no campaign ${id}`);
    const { listIds, ...rest } = patch;
    const next = { ...current, ...rest };
    try {
      await atomically(this.db, async (trx) => {
        await trx.updateTable('campaigns').set({ ...toColumns(next), updated_at: now }).where('id', '=', id).execute();
        if (listIds !== undefined) await replaceLists(trx, id, listIds);
      });
    } catch (error) {
      return writeError(error, next.name);
    }
    const updated = await this.get(id);
    return updated ? ok(updated) : fail('not_found', `no campaign ${id}`);
  }

  async setStatus(id: string, status: CampaignStatus, now: number): Promise<boolean> {
    const result = await this.db.updateTable('campaigns').set({ status, updated_at: now }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async get(id: string): Promise<CampaignSettings | undefined> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return toSettings(row, await this.listIdsOf(id));
  }

  async findByName(name: string): Promise<CampaignSettings | undefined> {
    const row = await this.db.selectFrom('campaigns').select('id').where('name', '=', name).executeTakeFirst();
    return row ? this.get(row.id) : undefined;
  }

  /** Every campaign (optionally only those in the given statuses), oldest first. */
  async list(filter: { statuses?: readonly CampaignStatus[] } = {}): Promise<CampaignSettings[]> {
    let query = this.db.selectFrom('campaigns').selectAll();
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return [];
      query = query.where('status', 'in', filter.statuses);
    }
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return this.withListIds(rows);
  }

  /** Campaigns the user is assigned to as an agent, oldest first. */
  async listForAgent(userId: string): Promise<CampaignSettings[]> {
    const rows = await this.db.selectFrom('campaigns')
      .innerJoin('campaign_agents', 'campaign_agents.campaign_id', 'campaigns.id')
      .selectAll('campaigns')
      .where('campaign_agents.user_id', '=', userId)
      .orderBy('campaigns.created_at').orderBy('campaigns.id')
      .execute();
    return this.withListIds(rows);
  }

  async attachList(campaignId: string, listId: string): Promise<StoreResult<true, 'unknown_campaign_or_list'>> {
    try {
      await guarded(this.db, (db) => db.insertInto('campaign_lists').values({ campaign_id: campaignId, list_id: listId })
        .onConflict((oc) => oc.doNothing()).execute());
    } catch (error) {
      if (constraintKind(error) === 'foreign_key') return fail('unknown_campaign_or_list', `campaign ${campaignId} or list ${listId} does not exist`);
      throw error;
    }
    return ok(true);
  }

  async detachList(campaignId: string, listId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('campaign_lists')
      .where('campaign_id', '=', campaignId).where('list_id', '=', listId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async assignAgent(campaignId: string, userId: string): Promise<StoreResult<true, 'unknown_campaign_or_user'>> {
    try {
      await guarded(this.db, (db) => db.insertInto('campaign_agents').values({ campaign_id: campaignId, user_id: userId })
        .onConflict((oc) => oc.doNothing()).execute());
    } catch (error) {
      if (constraintKind(error) === 'foreign_key') return fail('unknown_campaign_or_user', `campaign ${campaignId} or user ${userId} does not exist`);
      throw error;
    }
    return ok(true);
  }

  async unassignAgent(campaignId: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('campaign_agents')
      .where('campaign_id', '=', campaignId).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** User ids of the agents assigned to the campaign. */
  async agentIds(campaignId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('campaign_agents').select('user_id')
      .where('campaign_id', '=', campaignId).orderBy('user_id').execute();
    return rows.map((r) => r.user_id);
  }

  /**
   * Takes the campaign's lease for `nodeId` if nobody holds it, the holder's lease has expired, or `nodeId` holds it
   * already (then it is extended). One conditional UPDATE, so two nodes racing cannot both win.
   */
  async acquireLease(campaignId: string, nodeId: string, now: number, ttlMs: number): Promise<LeaseResult> {
    const expiresAt = now + ttlMs;
    const result = await this.db.updateTable('campaigns')
      .set({ owner_node: nodeId, lease_expires_at: expiresAt })
      .where('id', '=', campaignId)
      .where((eb) => eb.or([
        eb('owner_node', 'is', null),
        eb('lease_expires_at', 'is', null),
        eb('lease_expires_at', '<=', now),
        eb('owner_node', '=', nodeId),
      ]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return { acquired: true, expiresAt };
    return this.refusal(campaignId);
  }

  /** Extends a lease `nodeId` still holds (even if just expired, as long as nobody else took it). */
  async renewLease(campaignId: string, nodeId: string, now: number, ttlMs: number): Promise<LeaseResult> {
    const expiresAt = now + ttlMs;
    const result = await this.db.updateTable('campaigns')
      .set({ lease_expires_at: expiresAt })
      .where('id', '=', campaignId)
      .where('owner_node', '=', nodeId)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return { acquired: true, expiresAt };
    return this.refusal(campaignId);
  }

  /** Gives the lease up (a clean stop), so another node may take the campaign at once. */
  async releaseLease(campaignId: string, nodeId: string): Promise<boolean> {
    const result = await this.db.updateTable('campaigns')
      .set({ owner_node: null, lease_expires_at: null })
      .where('id', '=', campaignId)
      .where('owner_node', '=', nodeId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async leaseOf(campaignId: string): Promise<CampaignLease | undefined> {
    const row = await this.db.selectFrom('campaigns').select(['owner_node', 'lease_expires_at'])
      .where('id', '=', campaignId).executeTakeFirst();
    return row && { ownerNode: row.owner_node, expiresAt: row.lease_expires_at };
  }

  private async refusal(campaignId: string): Promise<LeaseResult> {
    const lease = await this.leaseOf(campaignId);
    if (!lease) return { acquired: false, reason: 'not_found' };
    return { acquired: false, reason: 'held', ownerNode: lease.ownerNode ?? '', expiresAt: lease.expiresAt ?? 0 };
  }

  private async listIdsOf(campaignId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('campaign_lists').select('list_id')
      .where('campaign_id', '=', campaignId).orderBy('list_id').execute();
    return rows.map((r) => r.list_id);
  }

  private async withListIds(rows: CampaignRow[]): Promise<CampaignSettings[]> {
    if (rows.length === 0) return [];
    const links = await this.db.selectFrom('campaign_lists').select(['campaign_id', 'list_id'])
      .where('campaign_id', 'in', rows.map((r) => r.id)).orderBy('list_id').execute();
    const byCampaign = new Map<string, string[]>();
    for (const link of links) {
      const ids = byCampaign.get(link.campaign_id) ?? [];
      ids.push(link.list_id);
      byCampaign.set(link.campaign_id, ids);
    }
    return rows.map((row) => toSettings(row, byCampaign.get(row.id) ?? []));
  }
}

async function replaceLists(trx: Db, campaignId: string, listIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('campaign_lists').where('campaign_id', '=', campaignId).execute();
  const unique = [...new Set(listIds)];
  if (unique.length > 0) {
    await trx.insertInto('campaign_lists').values(unique.map((list_id) => ({ campaign_id: campaignId, list_id }))).execute();
  }
}
