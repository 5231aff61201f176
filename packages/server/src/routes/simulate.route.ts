import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { createPacingPolicy } from '@outdial/core/pacing/policy-registry';
import { DEFAULT_SIMULATION_POLICIES, simulateCampaign } from '@outdial/bench/pacing/campaign-simulation';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ReportsRepository } from '@outdial/store/repositories/reports.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

/**
 * Simulate before you dial: runs the campaign's own settings with its observed answer rate and talk time (or the
 * values given) for one day on the real dialer engine and the sim driver, for each pacing policy, and reports the
 * expected occupancy and abandonment. Runs on worker threads, so the server keeps serving meanwhile.
 */
const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const SimulateBody = Type.Object(
  {
    agents: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'default: agents assigned to the campaign, at least 1' })),
    hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 12, description: 'length of the day, default 8' })),
    liveRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.9, description: 'fraction of dials reaching a person; default observed' })),
    talkSeconds: Type.Optional(Type.Number({ minimum: 5, maximum: 7200, description: 'mean talk time; default observed' })),
    wrapSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 1800, description: 'mean wrap-up; default 30' })),
    seeds: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'replications, default 3' })),
    policies: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 8 })),
  },
  { additionalProperties: false },
);
type SimulateBodyT = Static<typeof SimulateBody>;

const Forecast = Type.Object({
  occupancy: Type.Number(),
  occupancyCi95: Type.Tuple([Type.Number(), Type.Number()]),
  abandonRate: Type.Number(),
  maxWindowAbandonRate: Type.Number(),
  connectsPerAgentHour: Type.Number(),
});
const SimulateResponse = Type.Object({
  campaignId: Type.String(),
  regime: Type.Union([Type.Literal('us30d'), Type.Literal('uk24h')]),
  inputs: Type.Object({
    agents: Type.Integer(),
    hours: Type.Number(),
    liveRate: Type.Number(),
    talkSeconds: Type.Number(),
    wrapSeconds: Type.Number(),
    amd: Type.Boolean(),
    seeds: Type.Integer(),
    policies: Type.Array(Type.String()),
  }),
  sources: Type.Record(Type.String(), Type.Union([Type.Literal('given'), Type.Literal('observed'), Type.Literal('default')])),
  policies: Type.Record(Type.String(), Forecast),
  recommended: Type.Union([Type.String(), Type.Null()]),
});

/** Observed figures need this many dials / connects before they replace the defaults. */
const MIN_DIALS = 200;
const MIN_CONNECTS = 30;

const simulateRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const campaigns = new CampaignsRepository(deps.store.db);
  const reports = new ReportsRepository(deps.store.db);

  app.post<{ Params: { id: string }; Body: SimulateBodyT }>('/api/v1/campaigns/:id/simulate', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['campaigns'],
      summary: 'Expected occupancy and abandonment of each pacing policy for this campaign (one simulated day)',
      params: IdParams,
      body: SimulateBody,
      response: { 200: SimulateResponse },
    },
  }, async (request) => {
    const campaign = await campaigns.get(request.params.id);
    if (!campaign) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `campaign ${request.params.id}`);
    const body = request.body ?? {};
    const policies = body.policies ?? [...DEFAULT_SIMULATION_POLICIES];
    for (const p of policies) {
      const made = createPacingPolicy(p);
      if (!made.ok) throw new OutdialError('OUTDIAL_ERR_VALIDATION', `policies: ${made.error}`);
    }
    const sources: Record<string, 'given' | 'observed' | 'default'> = {};
    const hourly = await reports.hourly({ campaignId: campaign.id });
    const dialed = hourly.reduce((a, h) => a + h.dialed, 0);
    const reached = hourly.reduce((a, h) => a + h.connected + h.abandoned, 0);
    const calls = await reports.agentCallStats({ campaignId: campaign.id });
    const connects = calls.reduce((a, c) => a + c.calls, 0);
    const talkMs = calls.reduce((a, c) => a + c.talkMs, 0);
    const pick = (key: string, given: number | undefined, observed: number | undefined, fallback: number): number => {
      if (given !== undefined) return (sources[key] = 'given'), given;
      if (observed !== undefined) return (sources[key] = 'observed'), observed;
      return (sources[key] = 'default'), fallback;
    };
    const assigned = (await campaigns.agentIds(campaign.id)).length;
    const inputs = {
      agents: pick('agents', body.agents, assigned > 0 ? Math.min(assigned, 200) : undefined, 10),
      hours: pick('hours', body.hours, undefined, 8),
      liveRate: pick('liveRate', body.liveRate, dialed >= MIN_DIALS ? reached / dialed : undefined, 0.15),
      talkSeconds: pick('talkSeconds', body.talkSeconds, connects >= MIN_CONNECTS ? talkMs / connects / 1000 : undefined, 180),
      wrapSeconds: pick('wrapSeconds', body.wrapSeconds, undefined, 30),
      amd: campaign.amd,
      seeds: body.seeds ?? 3,
      policies,
    };
    const result = await simulateCampaign(campaign, inputs);
    return { campaignId: campaign.id, regime: result.regime, inputs, sources, policies: result.policies, recommended: result.recommended };
  });
};

export default simulateRoutes;
