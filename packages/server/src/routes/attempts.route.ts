import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

const AttemptSchema = Type.Object({
  id: Type.String(),
  campaignId: Type.String(),
  contactId: Type.String(),
  phone: Type.String(),
  attemptNo: Type.Integer(),
  nodeId: Type.Union([Type.String(), Type.Null()]),
  dialedAt: Type.Number(),
  answeredAt: Type.Union([Type.Number(), Type.Null()]),
  connectedAt: Type.Union([Type.Number(), Type.Null()]),
  endedAt: Type.Union([Type.Number(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  sipCode: Type.Union([Type.Integer(), Type.Null()]),
  q850: Type.Union([Type.Integer(), Type.Null()]),
  amdVerdict: Type.Union([Type.String(), Type.Null()]),
  agentId: Type.Union([Type.String(), Type.Null()]),
  abandoned: Type.Boolean(),
  abandonMessagePlayed: Type.Boolean(),
  decisionVerdict: Type.String(),
  decision: Type.Unknown(),
  training: Type.Boolean(),
  /** The call's stereo WAV recording once saved, and its length (ms); null when not recorded. */
  recordingPath: Type.Union([Type.String(), Type.Null()]),
  recordingMs: Type.Union([Type.Integer(), Type.Null()]),
});

const attemptRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const attempts = new AttemptsRepository(deps.store.db);

  app.get<{ Querystring: { campaignId?: string; contactId?: string; since?: number; limit?: number } }>('/api/v1/attempts', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['attempts'],
      summary: 'Dial attempts, newest first, each with the compliance decision that allowed it',
      querystring: Type.Object({
        campaignId: Type.Optional(Type.String()),
        contactId: Type.Optional(Type.String()),
        since: Type.Optional(Type.Number()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
      }),
      response: { 200: Type.Array(AttemptSchema) },
    },
  }, async (request) => attempts.list(request.query));

  app.get<{ Params: { id: string } }>('/api/v1/attempts/:id', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['attempts'], params: Type.Object({ id: Type.String() }), response: { 200: AttemptSchema } },
  }, async (request) => {
    const attempt = await attempts.get(request.params.id);
    if (!attempt) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `attempt ${request.params.id}`);
    return attempt;
  });
};

export default attemptRoutes;
