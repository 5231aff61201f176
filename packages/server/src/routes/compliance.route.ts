import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { complianceCsvHeader, complianceCsvRow } from '@outdial/core/compliance/compliance-export';
import { decide } from '@outdial/core/compliance/decide';
import { checkRequestShape } from '@outdial/core/compliance/request-shape';
import { AbandonmentReportRepository } from '@outdial/store/repositories/abandonment-report.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

/** Same decision as the dialer's gate and `outdial compliance check`: one implementation, decide(). */
const DecisionSchema = Type.Object({
  id: Type.String(),
  verdict: Type.Union([Type.Literal('allow'), Type.Literal('defer'), Type.Literal('block')]),
  notBefore: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.Array(Type.Object({ category: Type.String(), rule: Type.String(), jurisdiction: Type.String(), detail: Type.Optional(Type.Unknown()) })),
  evaluated: Type.Array(Type.Object({ rule: Type.String(), outcome: Type.String(), detail: Type.Optional(Type.Unknown()) })),
  evidence: Type.Record(Type.String(), Type.Unknown()),
});
const LineErrorSchema = Type.Object({ id: Type.Unknown(), error: Type.Object({ code: Type.String(), message: Type.String() }) });
const MAX_BATCH = 10_000;

const complianceRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.post<{ Body: unknown }>('/api/v1/compliance/check', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['compliance'],
      summary: 'Could this dial be placed now, and why not? One request object (→ one decision) or an array (→ one result each, in order)',
      description: 'Request and decision as in docs/compliance.md. In an array, an element that misses "id", "at" or "phone" gets {"id", "error": {"code", "message"}} and the others are still decided.',
      body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown(), { maxItems: MAX_BATCH })]),
      response: { 200: Type.Union([DecisionSchema, Type.Array(Type.Union([DecisionSchema, LineErrorSchema]))]) },
    },
  }, async (request) => {
    if (Array.isArray(request.body)) {
      return request.body.map((item, index) => {
        const shape = checkRequestShape(item);
        return shape.ok ? decide(shape.request) : { id: shape.id, error: { code: shape.error.code, message: `[${index}]: ${shape.error.message}` } };
      });
    }
    const shape = checkRequestShape(request.body);
    if (!shape.ok) throw new OutdialError('OUTDIAL_ERR_VALIDATION', shape.error.message, { code: shape.error.code });
    return decide(shape.request);
  });

  app.get<{ Querystring: { campaignId?: string; from?: number; to?: number; telemarketer?: string } }>('/api/v1/compliance/export', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['compliance'],
      summary: 'TSR 16 CFR 310.5 call records as CSV (one row per dial, with the decision\'s rules version); training calls left out',
      querystring: Type.Object({
        campaignId: Type.Optional(Type.String({ minLength: 1 })),
        from: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms, inclusive' })),
        to: Type.Optional(Type.Integer({ minimum: 0, description: 'epoch ms, exclusive' })),
        telemarketer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the telemarketer named in every record' })),
      }),
    },
  }, async (request, reply) => {
    const repository = new AbandonmentReportRepository(deps.store.db);
    const { campaignId, from, to, telemarketer } = request.query;
    const records = repository.complianceRecords({
      telemarketer: telemarketer ?? 'Outdial operator',
      ...(campaignId === undefined ? {} : { campaignId }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
    async function* csv(): AsyncGenerator<string> {
      yield complianceCsvHeader();
      for await (const record of records) yield complianceCsvRow(record);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="outdial-tsr-310-5-records.csv"')
      .send(Readable.from(csv()));
  });
};

export default complianceRoutes;
