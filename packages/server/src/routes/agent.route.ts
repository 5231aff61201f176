import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import type { AgentCommand, AgentView, CommandResult } from '../runtime/dialer-runtime.ts';
import { AgentViewSchema } from '../schemas/floor.schema.ts';

export const PAUSE_REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Technical problem', 'Personal'] as const;

const AgentCampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  dialMode: Type.String(),
  scriptTemplate: Type.String(),
  training: Type.Boolean(),
  dispositions: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), action: Type.String() })),
});
const MeSchema = Type.Intersect([
  AgentViewSchema,
  Type.Object({ campaigns: Type.Array(AgentCampaignSchema), pauseReasons: Type.Array(Type.String()) }),
]);

function unwrap(result: CommandResult): AgentView {
  if (result.ok) return result.view;
  switch (result.code) {
    case 'agent_state': throw new OutdialError('OUTDIAL_ERR_AGENT_STATE', result.message);
    case 'not_found': throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', result.message);
    case 'compliance_refused': throw new OutdialError('OUTDIAL_ERR_COMPLIANCE_REFUSED', result.message, result.detail);
    case 'invalid': throw new OutdialError('OUTDIAL_ERR_VALIDATION', result.message, result.detail);
    case 'conflict': throw new OutdialError('OUTDIAL_ERR_CONFLICT', result.message, result.detail);
  }
}

/** The agent desktop's API: every call is about the signed-in agent only. */
const agentRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const campaigns = new CampaignsRepository(deps.store.db);
  const opts = { config: { roles: ['agent' as const] } };
  const me = (request: FastifyRequest): string => {
    if (!request.user) throw new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED');
    return request.user.id;
  };
  const run = async (request: FastifyRequest, command: AgentCommand): Promise<AgentView> => unwrap(await deps.runtime.agentCommand(me(request), command));

  app.get('/api/v1/agent/me', { ...opts, schema: { tags: ['agent'], summary: "The agent's state, current call and campaigns", response: { 200: MeSchema } } }, async (request) => {
    const view = await deps.runtime.agentView(me(request));
    const assigned = await campaigns.listForAgent(me(request));
    return {
      ...view,
      campaigns: assigned.map((c) => ({ id: c.id, name: c.name, dialMode: c.dialMode, scriptTemplate: c.scriptTemplate, training: c.training, dispositions: c.dispositions })),
      pauseReasons: [...PAUSE_REASONS],
    };
  });

  const simple: Array<[string, string, AgentCommand]> = [
    ['ready', 'Ready for calls', { type: 'ready' }],
    ['sign-out', 'Leave the floor', { type: 'sign-out' }],
    ['hangup', 'Hang up the current call', { type: 'hangup' }],
    ['do-not-call', 'The person asked not to be called again: never dial them again', { type: 'do-not-call' }],
    ['preview/next', 'Preview mode: the next contact', { type: 'preview-next' }],
    ['preview/dial', 'Preview mode: dial the previewed contact', { type: 'preview-dial' }],
    ['preview/skip', 'Preview mode: skip the previewed contact', { type: 'preview-skip' }],
  ];
  for (const [path, summary, command] of simple) {
    app.post(`/api/v1/agent/${path}`, { ...opts, schema: { tags: ['agent'], summary, response: { 200: AgentViewSchema } } }, async (request) => run(request, command));
  }

  app.post<{ Body: { reason: string } }>('/api/v1/agent/pause', {
    ...opts,
    schema: { tags: ['agent'], summary: 'Pause with a reason', body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 200: AgentViewSchema } },
  }, async (request) => run(request, { type: 'pause', reason: request.body.reason }));

  app.post<{ Body: { code: string; notes?: string; callbackAt?: string; callbackScope?: 'personal' | 'campaign' } }>('/api/v1/agent/disposition', {
    ...opts,
    schema: {
      tags: ['agent'],
      summary: 'Wrap-up: the disposition of the last call (stored before this returns)',
      body: Type.Object({
        code: Type.String({ minLength: 1 }),
        notes: Type.Optional(Type.String({ maxLength: 4000 })),
        callbackAt: Type.Optional(Type.String({ format: 'date-time' })),
        callbackScope: Type.Optional(Type.Union([Type.Literal('personal'), Type.Literal('campaign')])),
      }),
      response: { 200: AgentViewSchema },
    },
  }, async (request) => {
    const { code, notes, callbackAt, callbackScope } = request.body;
    return run(request, {
      type: 'disposition', code,
      ...(notes === undefined ? {} : { notes }),
      ...(callbackAt === undefined ? {} : { callbackAt: Date.parse(callbackAt) }),
      ...(callbackScope === undefined ? {} : { callbackScope }),
    });
  });

  app.post<{ Body: { phone: string } }>('/api/v1/agent/dial', {
    ...opts,
    schema: { tags: ['agent'], summary: 'Manual dial, through the compliance gate', body: Type.Object({ phone: Type.String({ minLength: 3, maxLength: 32 }) }), response: { 200: AgentViewSchema } },
  }, async (request) => run(request, { type: 'manual-dial', phone: request.body.phone }));
};

export default agentRoutes;
