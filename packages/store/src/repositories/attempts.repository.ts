import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AttemptOutcome } from '@outdial/core/campaign/types';
import type { Verdict } from '@outdial/core/compliance/types';
import type { Db } from '../database.ts';
import type { AttemptsTable } from '../schema.ts';
import { constraintKind } from '../constraint-error.ts';
import { fromFlag, fromJson, toFlag, toJson } from '../json-column.ts';
import { fail, ok } from '../store-result.ts';
import type { StoreResult } from '../store-result.ts';
import { guarded } from '../transaction.ts';

/** One dial: who, when each phase happened, how it ended, and the compliance decision that allowed it. */
export interface Attempt {
  id: string;
  campaignId: string;
  contactId: string;
  phone: string;
  attemptNo: number;
  nodeId: string | null;
  dialedAt: number;
  answeredAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  sipCode: number | null;
  q850: number | null;
  amdVerdict: string | null;
  amdMs: number | null;
  agentId: string | null;
  abandoned: boolean;
  abandonMessagePlayed: boolean;
  decisionVerdict: Verdict;
  /** The compliance decision with its evidence, as stored (a ComplianceDecision for real dials). */
  decision: unknown;
  training: boolean;
  createdAt: number;
  /** The call's recording, once saved: where the file is and how long it lasts. */
  recordingPath: string | null;
  recordingMs: number | null;
}

export interface NewAttempt {
  id?: string;
  campaignId: string;
  contactId: string;
  phone: string;
  attemptNo: number;
  nodeId?: string | null;
  dialedAt: number;
  decisionVerdict: Verdict;
  decision: unknown;
  training?: boolean;
}

export interface AttemptEnd {
  at: number;
  outcome: AttemptOutcome;
  sipCode?: number | null;
  q850?: number | null;
  amdVerdict?: string | null;
  amdMs?: number | null;
  agentId?: string | null;
  abandoned?: boolean;
  abandonMessagePlayed?: boolean;
}

/** An earlier attempt to a phone, with the campaign facts compliance rules look at (seller, subject, mode). */
export interface PhoneHistoryEntry {
  attemptId: string;
  campaignId: string;
  contactId: string;
  dialedAt: number;
  answeredAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  abandoned: boolean;
  seller: string;
  subject: string;
  dialMode: string;
  prerecorded: boolean;
  purpose: string;
}

/** Counts over [from, to) for the abandonment-rate rules, with the attempts counted (the evidence). */
export interface WindowCounts {
  liveAnswers: number;
  abandoned: number;
  liveAnswerIds: string[];
  abandonedIds: string[];
}

export interface AttemptFilter {
  campaignId?: string;
  contactId?: string;
  /** dialed_at >= since */
  since?: number;
  limit?: number;
}

/** Outcomes that mean a person answered (an abandoned call was answered live, then dropped). */
export const LIVE_ANSWER_OUTCOMES: readonly AttemptOutcome[] = ['answered', 'abandoned'];

function toAttempt(row: Selectable<AttemptsTable>): Attempt {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    phone: row.phone,
    attemptNo: row.attempt_no,
    nodeId: row.node_id,
    dialedAt: row.dialed_at,
    answeredAt: row.answered_at,
    connectedAt: row.connected_at,
    endedAt: row.ended_at,
    outcome: row.outcome as AttemptOutcome | null,
    sipCode: row.sip_code,
    q850: row.q850,
    amdVerdict: row.amd_verdict,
    amdMs: row.amd_ms,
    agentId: row.agent_id,
    abandoned: fromFlag(row.abandoned),
    abandonMessagePlayed: fromFlag(row.abandon_message_played),
    decisionVerdict: row.decision_verdict as Verdict,
    decision: fromJson<unknown>(row.decision_json, null),
    training: fromFlag(row.training),
    createdAt: row.created_at,
    recordingPath: row.recording_path,
    recordingMs: row.recording_ms,
  };
}

export class AttemptsRepository {
  constructor(private readonly db: Db) {}

  async insert(input: NewAttempt): Promise<StoreResult<Attempt, 'unknown_campaign' | 'duplicate'>> {
    const row: Selectable<AttemptsTable> = {
      id: input.id ?? randomUUID(),
      campaign_id: input.campaignId,
      contact_id: input.contactId,
      phone: input.phone,
      attempt_no: input.attemptNo,
      node_id: input.nodeId ?? null,
      dialed_at: input.dialedAt,
      answered_at: null,
      connected_at: null,
      ended_at: null,
      outcome: null,
      sip_code: null,
      q850: null,
      amd_verdict: null,
      amd_ms: null,
      agent_id: null,
      abandoned: 0,
      abandon_message_played: 0,
      decision_verdict: input.decisionVerdict,
      decision_json: toJson(input.decision),
      training: toFlag(input.training ?? false),
      created_at: input.dialedAt,
      recording_path: null,
      recording_ms: null,
    };
    try {
      await guarded(this.db, (db) => db.insertInto('attempts').values(row).execute());
    } catch (error) {
      const kind = constraintKind(error);
      if (kind === 'foreign_key') return fail('unknown_campaign', `no campaign ${input.campaignId}`);
      if (kind === 'unique') return fail('duplicate', `attempt ${row.id} exists already`);
      throw error;
    }
    return ok(toAttempt(row));
  }

  async get(id: string): Promise<Attempt | undefined> {
    const row = await this.db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAttempt(row);
  }

  /**
   * The far end answered, and/or the AMD verdict arrived. The first answer time is kept (a later call with only
   * the AMD verdict does not move it); AMD fields are written when given. False if unknown or already ended.
   */
  async markAnswered(id: string, at: number, amd: { verdict?: string | null; ms?: number | null } = {}): Promise<boolean> {
    const result = await this.db.updateTable('attempts')
      .set((eb) => ({
        answered_at: eb.fn.coalesce('answered_at', eb.val(at)),
        ...(amd.verdict !== undefined ? { amd_verdict: amd.verdict } : {}),
        ...(amd.ms !== undefined ? { amd_ms: amd.ms } : {}),
      }))
      .where('id', '=', id).where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The call was bridged to an agent. */
  async markConnected(id: string, at: number, agentId: string): Promise<boolean> {
    const result = await this.db.updateTable('attempts')
      .set({ connected_at: at, agent_id: agentId })
      .where('id', '=', id).where('connected_at', 'is', null).where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The call's recording was saved (it may come just before or after the attempt's end). False if unknown. */
  async setRecording(id: string, path: string, durationMs: number): Promise<boolean> {
    const result = await this.db.updateTable('attempts')
      .set({ recording_path: path, recording_ms: Math.round(durationMs) })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * The agent who took an answered call heard an answering machine: it is no live answer (abandonment rates count
   * people only). False when the attempt is unknown, not ended as answered, or abandoned.
   */
  async markMachineByAgent(id: string): Promise<boolean> {
    const result = await this.db.updateTable('attempts').set({ outcome: 'machine' })
      .where('id', '=', id).where('outcome', '=', 'answered').where('abandoned', '=', 0)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends the attempt. Only the first end counts: false when unknown or already ended (e.g. reconciled). */
  async markEnded(id: string, end: AttemptEnd): Promise<boolean> {
    const set: Partial<Selectable<AttemptsTable>> = { ended_at: end.at, outcome: end.outcome };
    if (end.sipCode !== undefined) set.sip_code = end.sipCode;
    if (end.q850 !== undefined) set.q850 = end.q850;
    if (end.amdVerdict !== undefined) set.amd_verdict = end.amdVerdict;
    if (end.amdMs !== undefined) set.amd_ms = end.amdMs;
    if (end.agentId !== undefined) set.agent_id = end.agentId;
    if (end.abandoned !== undefined) set.abandoned = toFlag(end.abandoned);
    if (end.abandonMessagePlayed !== undefined) set.abandon_message_played = toFlag(end.abandonMessagePlayed);
    const result = await this.db.updateTable('attempts').set(set)
      .where('id', '=', id).where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * At start after a crash: every attempt still open (of `nodeId`, or of every node) is ended now with outcome
   * 'interrupted'. Returns the ids it closed.
   */
  async reconcileOpen(options: { nodeId?: string; now: number }): Promise<string[]> {
    let query = this.db.updateTable('attempts')
      .set({ ended_at: options.now, outcome: 'interrupted' })
      .where('ended_at', 'is', null);
    if (options.nodeId !== undefined) query = query.where('node_id', '=', options.nodeId);
    const rows = await query.returning('id').execute();
    return rows.map((r) => r.id).sort();
  }

  /** Attempts still in progress (of a campaign, or all), oldest first. */
  async listOpen(campaignId?: string): Promise<Attempt[]> {
    let query = this.db.selectFrom('attempts').selectAll().where('ended_at', 'is', null);
    if (campaignId !== undefined) query = query.where('campaign_id', '=', campaignId);
    const rows = await query.orderBy('dialed_at').orderBy('id').execute();
    return rows.map(toAttempt);
  }

  /**
   * Earlier attempts to the same phone dialed at or after `since`, newest first, with their campaign's seller,
   * subject and mode: the history a compliance request carries. Training attempts are left out.
   */
  async historyForPhone(phone: string, since: number, limit = 500): Promise<PhoneHistoryEntry[]> {
    const rows = await this.db.selectFrom('attempts')
      .innerJoin('campaigns', 'campaigns.id', 'attempts.campaign_id')
      .select([
        'attempts.id', 'attempts.campaign_id', 'attempts.contact_id', 'attempts.dialed_at', 'attempts.answered_at',
        'attempts.connected_at', 'attempts.ended_at', 'attempts.outcome', 'attempts.abandoned',
        'campaigns.seller', 'campaigns.subject', 'campaigns.dial_mode', 'campaigns.prerecorded', 'campaigns.purpose',
      ])
      .where('attempts.phone', '=', phone)
      .where('attempts.dialed_at', '>=', since)
      .where('attempts.training', '=', 0)
      .orderBy('attempts.dialed_at', 'desc').orderBy('attempts.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      attemptId: r.id,
      campaignId: r.campaign_id,
      contactId: r.contact_id,
      dialedAt: r.dialed_at,
      answeredAt: r.answered_at,
      connectedAt: r.connected_at,
      endedAt: r.ended_at,
      outcome: r.outcome as AttemptOutcome | null,
      abandoned: fromFlag(r.abandoned),
      seller: r.seller,
      subject: r.subject,
      dialMode: r.dial_mode,
      prerecorded: fromFlag(r.prerecorded),
      purpose: r.purpose,
    }));
  }

  /**
   * Live answers and abandoned calls of a campaign answered in [from, to), training attempts excluded. A live
   * answer is an ended attempt with outcome 'answered' or 'abandoned'; abandoned ones also have abandoned = 1.
   */
  async windowCounts(campaignId: string, from: number, to: number): Promise<WindowCounts> {
    const rows = await this.db.selectFrom('attempts')
      .select(['id', 'outcome', 'abandoned'])
      .where('campaign_id', '=', campaignId)
      .where('training', '=', 0)
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
      .where((eb) => eb.or([eb('outcome', 'in', LIVE_ANSWER_OUTCOMES), eb('abandoned', '=', 1)]))
      .orderBy('answered_at').orderBy('id')
      .execute();
    const liveAnswerIds = rows.map((r) => r.id);
    const abandonedIds = rows.filter((r) => r.abandoned === 1).map((r) => r.id);
    return { liveAnswers: liveAnswerIds.length, abandoned: abandonedIds.length, liveAnswerIds, abandonedIds };
  }

  /** Attempts for the API, newest first (default limit 100). */
  async list(filter: AttemptFilter = {}): Promise<Attempt[]> {
    let query = this.db.selectFrom('attempts').selectAll();
    if (filter.campaignId !== undefined) query = query.where('campaign_id', '=', filter.campaignId);
    if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
    if (filter.since !== undefined) query = query.where('dialed_at', '>=', filter.since);
    const rows = await query.orderBy('dialed_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(toAttempt);
  }
}
