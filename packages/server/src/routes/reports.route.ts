import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ABANDON_WINDOWS_MS, HOUR_MS, ReportsRepository } from '@outdial/store/repositories/reports.repository';
import type { ReportFilter } from '@outdial/store/repositories/reports.repository';
import type { RouteDeps } from '../deps.ts';

/**
 * Reports for supervisors and admins: dispositions, agent performance, hourly activity, abandonment per window and
 * list-vendor quality. JSON by default, CSV with `format=csv`. Training attempts and campaigns are never counted.
 */
const ReportQuery = Type.Object({
  campaignId: Type.Optional(Type.String({ minLength: 1 })),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms, inclusive' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms, exclusive' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
});
type ReportQueryT = Static<typeof ReportQuery>;

const WINDOWS = { hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS, '30d': 30 * 24 * HOUR_MS } as const;
const AbandonQuery = Type.Intersect([
  ReportQuery,
  Type.Object({ window: Type.Optional(Type.Union(Object.keys(WINDOWS).map((k) => Type.Literal(k)))) }),
]);

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

/** RFC 4180 CSV; text cells that a spreadsheet would run as a formula get a leading apostrophe. */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const cell = (value: Cell): string => {
    if (value === null) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? null)).join(','))].join('\r\n') + '\r\n';
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function filterOf(q: ReportQueryT): ReportFilter {
  return {
    ...(q.campaignId === undefined ? {} : { campaignId: q.campaignId }),
    ...(q.from === undefined ? {} : { from: q.from }),
    ...(q.to === undefined ? {} : { to: q.to }),
  };
}

function send(reply: FastifyReply, q: ReportQueryT, name: string, columns: readonly string[], rows: Row[]): unknown {
  if (q.format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="outdial-${name}.csv"`)
      .send(toCsv(columns, rows));
  }
  return { columns, rows };
}

const ReportSchema = Type.Object({
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]))),
});

const reportRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const reports = new ReportsRepository(deps.store.db);
  const campaigns = new CampaignsRepository(deps.store.db);
  const base = { config: { roles: ['admin' as const, 'supervisor' as const] } };
  const schema = (summary: string, querystring: typeof ReportQuery | typeof AbandonQuery = ReportQuery) => ({
    tags: ['reports'], summary, querystring, response: { 200: ReportSchema },
  });

  async function campaignIndex(): Promise<Map<string, CampaignSettings>> {
    return new Map((await campaigns.list()).map((c) => [c.id, c]));
  }
  const saleCodes = (c: CampaignSettings | undefined): Set<string> => new Set((c?.dispositions ?? []).filter((d) => d.sale === true).map((d) => d.code));

  app.get<{ Querystring: ReportQueryT }>('/api/v1/reports/dispositions', { ...base, schema: schema('Dispositions per campaign and code') }, async (request, reply) => {
    const index = await campaignIndex();
    const counts = await reports.dispositionCounts(filterOf(request.query));
    const totals = new Map<string, number>();
    for (const c of counts) totals.set(c.campaignId, (totals.get(c.campaignId) ?? 0) + c.count);
    const rows: Row[] = counts.map((c) => {
      const campaign = index.get(c.campaignId);
      const def = campaign?.dispositions.find((d) => d.code === c.code);
      return {
        campaign: campaign?.name ?? c.campaignId, code: c.code, label: def?.label ?? c.code, action: def?.action ?? null,
        sale: def?.sale === true, count: c.count, share: ratio(c.count, totals.get(c.campaignId) ?? 0),
      };
    });
    return send(reply, request.query, 'dispositions', ['campaign', 'code', 'label', 'action', 'sale', 'count', 'share'], rows);
  });

  app.get<{ Querystring: ReportQueryT }>('/api/v1/reports/agents', { ...base, schema: schema('Agent performance: calls, talk time, dispositions, sales') }, async (request, reply) => {
    const filter = filterOf(request.query);
    const index = await campaignIndex();
    const [calls, dispositions] = await Promise.all([reports.agentCallStats(filter), reports.agentDispositionCounts(filter)]);
    const rows: Row[] = calls.map((a) => {
      const mine = dispositions.filter((d) => d.agentId === a.agentId);
      const disposed = mine.reduce((sum, d) => sum + d.count, 0);
      const sales = mine.filter((d) => saleCodes(index.get(d.campaignId)).has(d.code)).reduce((sum, d) => sum + d.count, 0);
      return {
        agent: a.displayName, username: a.username, calls: a.calls, talkSeconds: Math.round(a.talkMs / 1000),
        avgTalkSeconds: a.calls === 0 ? 0 : Math.round(a.talkMs / a.calls / 1000), dispositions: disposed, sales, conversion: ratio(sales, a.calls),
      };
    });
    return send(reply, request.query, 'agents', ['agent', 'username', 'calls', 'talkSeconds', 'avgTalkSeconds', 'dispositions', 'sales', 'conversion'], rows);
  });

  app.get<{ Querystring: ReportQueryT }>('/api/v1/reports/hourly', { ...base, schema: schema('Dials per hour (UTC hour buckets)') }, async (request, reply) => {
    const buckets = await reports.hourly(filterOf(request.query));
    const rows: Row[] = buckets.map((b) => ({
      hourStart: new Date(b.hourStart).toISOString(), dialed: b.dialed, answered: b.answered, connected: b.connected, abandoned: b.abandoned,
      abandonRate: ratio(b.abandoned, b.connected + b.abandoned),
    }));
    return send(reply, request.query, 'hourly', ['hourStart', 'dialed', 'answered', 'connected', 'abandoned', 'abandonRate'], rows);
  });

  app.get<{ Querystring: Static<typeof AbandonQuery> }>('/api/v1/reports/abandonment', {
    ...base, schema: schema('Abandonment rate per window (hour, day, week or 30 days) against the campaign target', AbandonQuery),
  }, async (request, reply) => {
    const windowMs = WINDOWS[(request.query.window ?? 'day') as keyof typeof WINDOWS];
    if (!(ABANDON_WINDOWS_MS as readonly number[]).includes(windowMs)) throw new Error('window table out of sync');
    const index = await campaignIndex();
    const windows = await reports.abandonmentWindows(windowMs as (typeof ABANDON_WINDOWS_MS)[number], filterOf(request.query));
    const rows: Row[] = windows.map((w) => {
      const campaign = index.get(w.campaignId);
      const rate = ratio(w.abandoned, w.liveAnswers);
      const target = campaign?.abandonTarget ?? 0.03;
      return {
        campaign: campaign?.name ?? w.campaignId, windowStart: new Date(w.windowStart).toISOString(), liveAnswers: w.liveAnswers,
        abandoned: w.abandoned, rate, target, overTarget: rate > target,
      };
    });
    return send(reply, request.query, 'abandonment', ['campaign', 'windowStart', 'liveAnswers', 'abandoned', 'rate', 'target', 'overTarget'], rows);
  });

  app.get<{ Querystring: ReportQueryT }>('/api/v1/reports/list-vendors', { ...base, schema: schema('List-vendor quality: DNC hits, invalid numbers, contact rate, sales, cost per sale') }, async (request, reply) => {
    const filter = filterOf(request.query);
    const index = await campaignIndex();
    const [lists, dispositions] = await Promise.all([reports.listQuality(filter), reports.listDispositionCounts(filter)]);
    const rows: Row[] = lists.map((l) => {
      const sales = dispositions.filter((d) => d.listId === l.listId && saleCodes(index.get(d.campaignId)).has(d.code)).reduce((s, d) => s + d.count, 0);
      return {
        list: l.listName, vendor: l.vendor, contacts: l.contacts, dncContacts: l.dncContacts, dncRate: ratio(l.dncContacts, l.contacts),
        invalidContacts: l.invalidContacts, dialed: l.dialed, liveAnswers: l.liveAnswers, contactRate: ratio(l.liveAnswers, l.dialed),
        connected: l.connected, sales, costCents: l.costCents, costPerSaleCents: l.costCents === null || sales === 0 ? null : Math.round(l.costCents / sales),
      };
    });
    return send(reply, request.query, 'list-vendors',
      ['list', 'vendor', 'contacts', 'dncContacts', 'dncRate', 'invalidContacts', 'dialed', 'liveAnswers', 'contactRate', 'connected', 'sales', 'costCents', 'costPerSaleCents'], rows);
  });
};

export default reportRoutes;
