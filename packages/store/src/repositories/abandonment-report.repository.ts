import { sql } from 'kysely';
import type { ComplianceRecord } from '@outdial/core/compliance/compliance-export';
import { tsrDisposition } from '@outdial/core/compliance/compliance-export';
import type { HourCounts } from '@outdial/core/compliance/abandonment-periods';
import type { Db } from '../database.ts';
import { fromJson } from '../json-column.ts';

/**
 * What a regulator counts for abandonment, and the TSR 310.5 per-call records. Training attempts and training
 * campaigns are left out. Hour buckets are whole UTC hours; the period arithmetic (30-day periods, UK calendar
 * days) is in @outdial/core/compliance/abandonment-periods.
 */
export interface CampaignRef {
  id: string;
  name: string;
  regime: string;
  seller: string;
}

export interface ComplianceExportFilter {
  campaignId?: string;
  /** dialed_at >= from */
  from?: number;
  /** dialed_at < to */
  to?: number;
  /** The telemarketer's name for the records (the operator of this Outdial). */
  telemarketer: string;
}

const HOUR_MS = 3_600_000;
const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export class AbandonmentReportRepository {
  constructor(private readonly db: Db) {}

  async campaignByName(name: string): Promise<CampaignRef | undefined> {
    return this.db.selectFrom('campaigns').select(['id', 'name', 'regime', 'seller']).where('name', '=', name).executeTakeFirst();
  }

  /** The campaign's first real (non-training) dial, or null before any. */
  async firstCallAt(campaignId: string): Promise<number | null> {
    const row = await this.db.selectFrom('attempts').select((eb) => eb.fn.min('dialed_at').as('first'))
      .where('campaign_id', '=', campaignId).where('training', '=', 0).executeTakeFirst();
    return row?.first === null || row?.first === undefined ? null : n(row.first);
  }

  /**
   * Live answers (a person answered: outcome answered or abandoned, or flagged abandoned), abandoned calls and
   * AMD machine classifications per UTC hour of dialing, over [from, to).
   */
  async hourCounts(campaignId: string, from: number, to: number): Promise<HourCounts[]> {
    // A constant from this file, inlined so PostgreSQL sees the same expression in SELECT and GROUP BY.
    const hour = sql<number>`(a.dialed_at - (a.dialed_at % ${sql.lit(HOUR_MS)})) / ${sql.lit(HOUR_MS)}`;
    const rows = await this.db.selectFrom('attempts as a')
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .where('a.campaign_id', '=', campaignId)
      .where('a.training', '=', 0)
      .where('c.training', '=', 0)
      .where('a.dialed_at', '>=', from)
      .where('a.dialed_at', '<', to)
      .select([
        hour.as('hour'),
        sql<number>`sum(case when a.outcome in ('answered', 'abandoned') or a.abandoned = 1 then 1 else 0 end)`.as('liveAnswers'),
        sql<number>`sum(case when a.abandoned = 1 or a.outcome = 'abandoned' then 1 else 0 end)`.as('abandoned'),
        sql<number>`sum(case when a.outcome in ('machine', 'amd_hangup') then 1 else 0 end)`.as('amdMachine'),
      ])
      .groupBy(hour)
      .orderBy(hour)
      .execute();
    return rows.map((row) => ({ hourStart: n(row.hour) * HOUR_MS, liveAnswers: n(row.liveAnswers), abandoned: n(row.abandoned), amdMachine: n(row.amdMachine) }));
  }

  /** TSR 310.5 records, oldest first, paged by (dialed_at, id) so an export of millions streams. */
  async *complianceRecords(filter: ComplianceExportFilter, pageSize = 2000): AsyncGenerator<ComplianceRecord> {
    let after: { at: number; id: string } | null = null;
    for (;;) {
      let query = this.db.selectFrom('attempts as a')
        .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
        .where('a.training', '=', 0)
        .where('c.training', '=', 0)
        .select([
          'a.id', 'a.phone', 'a.dialed_at', 'a.answered_at', 'a.connected_at', 'a.ended_at', 'a.outcome', 'a.abandoned',
          'a.agent_id', 'a.decision_verdict', 'a.decision_json', 'c.id as campaign_id', 'c.name as campaign_name', 'c.seller',
          'c.subject', 'c.purpose', 'c.prerecorded', 'c.caller_id', 'c.script_template', 'c.dial_mode',
          (eb) => eb.selectFrom('dispositions as d').select('d.code').whereRef('d.attempt_id', '=', 'a.id')
            .orderBy('d.created_at', 'desc').limit(1).as('disposition_code'),
        ]);
      if (filter.campaignId !== undefined) query = query.where('a.campaign_id', '=', filter.campaignId);
      if (filter.from !== undefined) query = query.where('a.dialed_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('a.dialed_at', '<', filter.to);
      if (after !== null) {
        const { at, id } = after;
        query = query.where((eb) => eb.or([eb('a.dialed_at', '>', at), eb.and([eb('a.dialed_at', '=', at), eb('a.id', '>', id)])]));
      }
      const rows = await query.orderBy('a.dialed_at').orderBy('a.id').limit(pageSize).execute();
      for (const row of rows) {
        const decision = fromJson<{ evidence?: { rulesVersion?: unknown } }>(row.decision_json, {});
        const answered = row.answered_at === null ? null : n(row.answered_at);
        const ended = row.ended_at === null ? null : n(row.ended_at);
        yield {
          attemptId: row.id,
          telemarketer: filter.telemarketer,
          seller: row.seller,
          goodOrService: row.subject,
          purpose: row.purpose,
          audience: 'consumer',
          outbound: true,
          prerecorded: n(row.prerecorded) === 1,
          callingNumber: row.caller_id,
          callerIdName: row.seller,
          calledNumber: row.phone,
          dialedAt: iso(n(row.dialed_at)) ?? '',
          answeredAt: iso(answered),
          durationSeconds: answered !== null && ended !== null ? Math.max(0, Math.round((ended - answered) / 1000)) : 0,
          script: row.script_template,
          disposition: tsrDisposition(row.outcome, n(row.abandoned) === 1, row.connected_at !== null),
          agentDisposition: row.disposition_code ?? null,
          agentId: row.agent_id,
          dialMode: row.dial_mode,
          decisionVerdict: row.decision_verdict,
          rulesVersion: typeof decision.evidence?.rulesVersion === 'string' ? decision.evidence.rulesVersion : null,
          campaignId: row.campaign_id,
          campaignName: row.campaign_name,
        };
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = { at: n(last.dialed_at), id: last.id };
    }
  }
}
