import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Report queries. Every one leaves training out: practice attempts (attempts.training = 1) and practice campaigns
 * (campaigns.training = 1) never reach a report. Times are epoch ms; buckets are whole UTC hours or windows.
 */
export interface ReportFilter {
  campaignId?: string;
  /** dialed_at (or created_at for dispositions) >= from */
  from?: number;
  /** ... < to */
  to?: number;
}

export interface DispositionCount {
  campaignId: string;
  code: string;
  count: number;
}

export interface AgentCallStats {
  agentId: string;
  username: string;
  displayName: string;
  calls: number;
  talkMs: number;
}

export interface AgentDispositionCount {
  agentId: string;
  campaignId: string;
  code: string;
  count: number;
}

export interface HourBucket {
  hourStart: number;
  dialed: number;
  answered: number;
  connected: number;
  abandoned: number;
}

export interface AbandonWindow {
  campaignId: string;
  windowStart: number;
  liveAnswers: number;
  abandoned: number;
}

export interface ListQuality {
  listId: string;
  listName: string;
  vendor: string | null;
  costCents: number | null;
  contacts: number;
  dncContacts: number;
  invalidContacts: number;
  dialed: number;
  liveAnswers: number;
  connected: number;
}

export interface ListDispositionCount {
  listId: string;
  campaignId: string;
  code: string;
  count: number;
}

export const HOUR_MS = 3_600_000;
/** Abandonment windows a report may use: an hour, a day (UK rolling 24 h), a week, 30 days (US). */
export const ABANDON_WINDOWS_MS = [HOUR_MS, 24 * HOUR_MS, 7 * 24 * HOUR_MS, 30 * 24 * HOUR_MS] as const;

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

export class ReportsRepository {
  constructor(private readonly db: Db) {}

  /** Attempts of real (non-training) campaigns inside the filter. */
  private attempts(filter: ReportFilter) {
    let query = this.db.selectFrom('attempts as a')
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .where('a.training', '=', 0)
      .where('c.training', '=', 0);
    if (filter.campaignId !== undefined) query = query.where('a.campaign_id', '=', filter.campaignId);
    if (filter.from !== undefined) query = query.where('a.dialed_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('a.dialed_at', '<', filter.to);
    return query;
  }

  /** Dispositions, excluding those of training attempts and training campaigns. */
  private dispositions(filter: ReportFilter) {
    let query = this.db.selectFrom('dispositions as d')
      .innerJoin('campaigns as c', 'c.id', 'd.campaign_id')
      .leftJoin('attempts as a', 'a.id', 'd.attempt_id')
      .where('c.training', '=', 0)
      .where((eb) => eb.or([eb('a.training', '=', 0), eb('a.id', 'is', null)]));
    if (filter.campaignId !== undefined) query = query.where('d.campaign_id', '=', filter.campaignId);
    if (filter.from !== undefined) query = query.where('d.created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('d.created_at', '<', filter.to);
    return query;
  }

  async dispositionCounts(filter: ReportFilter = {}): Promise<DispositionCount[]> {
    const rows = await this.dispositions(filter)
      .select(['d.campaign_id as campaignId', 'd.code as code', (eb) => eb.fn.countAll().as('count')])
      .groupBy(['d.campaign_id', 'd.code'])
      .orderBy('d.campaign_id').orderBy('d.code')
      .execute();
    return rows.map((r) => ({ campaignId: r.campaignId, code: r.code, count: n(r.count) }));
  }

  /** Calls that reached each agent and their talk time (connect to end). */
  async agentCallStats(filter: ReportFilter = {}): Promise<AgentCallStats[]> {
    const rows = await this.attempts(filter)
      .innerJoin('users as u', 'u.id', 'a.agent_id')
      .where('a.connected_at', 'is not', null)
      .select([
        'u.id as agentId', 'u.username as username', 'u.display_name as displayName',
        (eb) => eb.fn.countAll().as('calls'),
        sql<number>`sum(case when a.ended_at is not null then a.ended_at - a.connected_at else 0 end)`.as('talkMs'),
      ])
      .groupBy(['u.id', 'u.username', 'u.display_name'])
      .orderBy('u.username')
      .execute();
    return rows.map((r) => ({ agentId: r.agentId, username: r.username, displayName: r.displayName, calls: n(r.calls), talkMs: n(r.talkMs) }));
  }

  async agentDispositionCounts(filter: ReportFilter = {}): Promise<AgentDispositionCount[]> {
    const rows = await this.dispositions(filter)
      .where('d.agent_id', 'is not', null)
      .select(['d.agent_id as agentId', 'd.campaign_id as campaignId', 'd.code as code', (eb) => eb.fn.countAll().as('count')])
      .groupBy(['d.agent_id', 'd.campaign_id', 'd.code'])
      .execute();
    return rows.map((r) => ({ agentId: r.agentId ?? '', campaignId: r.campaignId, code: r.code, count: n(r.count) }));
  }

  /** Dials per UTC hour, with how many were answered, reached an agent, or were abandoned. */
  async hourly(filter: ReportFilter = {}): Promise<HourBucket[]> {
    const bucket = sql<number>`(a.dialed_at / ${sql.lit(HOUR_MS)})`;
    const rows = await this.attempts(filter)
      .select([
        bucket.as('hour'),
        (eb) => eb.fn.countAll().as('dialed'),
        sql<number>`sum(case when a.answered_at is not null then 1 else 0 end)`.as('answered'),
        sql<number>`sum(case when a.connected_at is not null then 1 else 0 end)`.as('connected'),
        sql<number>`sum(a.abandoned)`.as('abandoned'),
      ])
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
    return rows.map((r) => ({ hourStart: Math.floor(n(r.hour)) * HOUR_MS, dialed: n(r.dialed), answered: n(r.answered), connected: n(r.connected), abandoned: n(r.abandoned) }));
  }

  /**
   * Abandonment per window and campaign: live answers (a person answered: outcome answered or abandoned) and
   * abandoned calls, bucketed by answer time. `windowMs` must be one of ABANDON_WINDOWS_MS.
   */
  async abandonmentWindows(windowMs: (typeof ABANDON_WINDOWS_MS)[number], filter: ReportFilter = {}): Promise<AbandonWindow[]> {
    if (!ABANDON_WINDOWS_MS.includes(windowMs)) throw new Error(`unsupported window ${windowMs}`);
    const bucket = sql<number>`(a.answered_at / ${sql.lit(windowMs)})`;
    const rows = await this.attempts(filter)
      .where('a.answered_at', 'is not', null)
      .where((eb) => eb.or([eb('a.outcome', 'in', ['answered', 'abandoned']), eb('a.abandoned', '=', 1)]))
      .select([
        'a.campaign_id as campaignId',
        bucket.as('bucket'),
        (eb) => eb.fn.countAll().as('liveAnswers'),
        sql<number>`sum(a.abandoned)`.as('abandoned'),
      ])
      .groupBy(['a.campaign_id', bucket])
      .orderBy('a.campaign_id').orderBy(bucket)
      .execute();
    return rows.map((r) => ({ campaignId: r.campaignId, windowStart: Math.floor(n(r.bucket)) * windowMs, liveAnswers: n(r.liveAnswers), abandoned: n(r.abandoned) }));
  }

  /** Per list: what the vendor delivered (contacts, DNC hits, invalid numbers) and how it dialed. */
  async listQuality(filter: ReportFilter = {}): Promise<ListQuality[]> {
    const lists = await this.db.selectFrom('lists as l')
      .leftJoin('contacts as k', 'k.list_id', 'l.id')
      .select([
        'l.id as listId', 'l.name as listName', 'l.vendor as vendor', 'l.cost_cents as costCents',
        sql<number>`count(k.id)`.as('contacts'),
        sql<number>`sum(case when k.status = 'dnc' or k.dnc_flag = 1 then 1 else 0 end)`.as('dncContacts'),
        sql<number>`sum(case when k.status = 'invalid' then 1 else 0 end)`.as('invalidContacts'),
      ])
      .groupBy(['l.id', 'l.name', 'l.vendor', 'l.cost_cents'])
      .orderBy('l.name')
      .execute();
    const dials = await this.attempts(filter)
      .innerJoin('contacts as k', 'k.id', 'a.contact_id')
      .select([
        'k.list_id as listId',
        (eb) => eb.fn.countAll().as('dialed'),
        sql<number>`sum(case when a.outcome in ('answered', 'abandoned') or a.abandoned = 1 then 1 else 0 end)`.as('liveAnswers'),
        sql<number>`sum(case when a.connected_at is not null then 1 else 0 end)`.as('connected'),
      ])
      .groupBy('k.list_id')
      .execute();
    const byList = new Map(dials.map((d) => [d.listId, d]));
    return lists.map((l) => {
      const d = byList.get(l.listId);
      return {
        listId: l.listId, listName: l.listName, vendor: l.vendor, costCents: l.costCents === null ? null : n(l.costCents),
        contacts: n(l.contacts), dncContacts: n(l.dncContacts), invalidContacts: n(l.invalidContacts),
        dialed: n(d?.dialed), liveAnswers: n(d?.liveAnswers), connected: n(d?.connected),
      };
    });
  }

  async listDispositionCounts(filter: ReportFilter = {}): Promise<ListDispositionCount[]> {
    const rows = await this.dispositions(filter)
      .innerJoin('contacts as k', 'k.id', 'd.contact_id')
      .select(['k.list_id as listId', 'd.campaign_id as campaignId', 'd.code as code', (eb) => eb.fn.countAll().as('count')])
      .groupBy(['k.list_id', 'd.campaign_id', 'd.code'])
      .execute();
    return rows.map((r) => ({ listId: r.listId, campaignId: r.campaignId, code: r.code, count: n(r.count) }));
  }
}
