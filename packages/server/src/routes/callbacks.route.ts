import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CallbacksRepository } from '@outdial/store/repositories/callbacks.repository';
import type { CallbackListing } from '@outdial/store/repositories/callbacks.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { AuditRecorder } from '../audit.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const CallbackSchema = Type.Object({
  id: Type.String(),
  contactId: Type.String(),
  campaignId: Type.String(),
  campaignName: Type.String(),
  /** null = any agent of the campaign. */
  agentId: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
  dueAt: Type.Number(),
  createdAt: Type.Number(),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  phone: Type.String(),
  timezone: Nullable(Type.String()),
});
const AgentOptionSchema = Type.Object({ id: Type.String(), name: Type.String() });

/**
 * Callbacks: an agent's own ("my callbacks"), and for supervisors every pending one with the control to give a
 * personal callback to another agent of the campaign or to the whole campaign. The dialer routes each due personal
 * callback to its owner only (store hopper + engine); reassigning here is picked up on the hopper's next refill.
 */
const callbackRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const callbacks = new CallbacksRepository(deps.store.db);
  const campaigns = new CampaignsRepository(deps.store.db);
  const users = new UsersRepository(deps.store.db);
  const audit = new AuditRecorder(deps);

  const names = async (): Promise<Map<string, string>> => new Map((await users.list({ includeDisabled: true })).map((u) => [u.id, u.displayName || u.username]));
  const view = (c: CallbackListing, campaignNames: Map<string, string>, userNames: Map<string, string>) => ({
    id: c.id, contactId: c.contactId, campaignId: c.campaignId, campaignName: campaignNames.get(c.campaignId) ?? c.campaignId,
    agentId: c.agentId, agentName: c.agentId === null ? null : (userNames.get(c.agentId) ?? c.agentId),
    dueAt: c.dueAt, createdAt: c.createdAt, firstName: c.firstName, lastName: c.lastName, phone: c.phone, timezone: c.timezones[0] ?? null,
  });

  app.get('/api/v1/callbacks/mine', {
    config: { roles: ['agent'] },
    schema: {
      tags: ['callbacks'], summary: "The signed-in agent's pending personal callbacks (assigned campaigns only), earliest due first",
      response: { 200: Type.Array(CallbackSchema) },
    },
  }, async (request) => {
    const me = request.user;
    if (!me) throw new OutdialError('OUTDIAL_ERR_AUTH_REQUIRED');
    const assigned = await campaigns.listForAgent(me.id);
    const campaignNames = new Map(assigned.map((c) => [c.id, c.name]));
    const mine = await callbacks.listPending({ campaignIds: [...campaignNames.keys()], agentId: me.id });
    return mine.map((c) => view(c, campaignNames, new Map([[me.id, me.displayName || me.username]])));
  });

  app.get<{ Querystring: { campaignId?: string } }>('/api/v1/callbacks', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['callbacks'], summary: 'Pending callbacks (personal and campaign-wide) with the agents each may be given to',
      querystring: Type.Object({ campaignId: Type.Optional(Type.String()) }),
      response: {
        200: Type.Object({ callbacks: Type.Array(CallbackSchema), agents: Type.Record(Type.String(), Type.Array(AgentOptionSchema)) }),
      },
    },
  }, async (request) => {
    const all = await campaigns.list();
    const chosen = request.query.campaignId === undefined ? all : all.filter((c) => c.id === request.query.campaignId);
    const campaignNames = new Map(chosen.map((c) => [c.id, c.name]));
    const userNames = await names();
    const pending = await callbacks.listPending({ campaignIds: [...campaignNames.keys()], limit: 500 });
    const agents: Record<string, Array<{ id: string; name: string }>> = {};
    for (const c of chosen) {
      agents[c.id] = (await campaigns.agentIds(c.id)).map((id) => ({ id, name: userNames.get(id) ?? id }));
    }
    return { callbacks: pending.map((c) => view(c, campaignNames, userNames)), agents };
  });

  app.patch<{ Params: { id: string }; Body: { agentId: string | null } }>('/api/v1/callbacks/:id', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['callbacks'], summary: 'Give a pending callback to an agent of its campaign, or to the whole campaign (agentId null)',
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({ agentId: Nullable(Type.String({ minLength: 1 })) }),
      response: { 200: CallbackSchema },
    },
  }, async (request) => {
    const found = await callbacks.get(request.params.id);
    if (!found) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `callback ${request.params.id}`);
    if (found.status !== 'pending') throw new OutdialError('OUTDIAL_ERR_CONFLICT', `the callback is ${found.status}, not pending`);
    const agentId = request.body.agentId;
    if (agentId !== null && !(await campaigns.agentIds(found.campaignId)).includes(agentId)) {
      throw new OutdialError('OUTDIAL_ERR_VALIDATION', `agentId: ${agentId} is not an agent of the callback's campaign`);
    }
    if (!(await callbacks.reassign(found.id, agentId))) throw new OutdialError('OUTDIAL_ERR_CONFLICT', 'the callback is no longer pending');
    await audit.record(request.user?.id, 'callback.reassign', found.id, { from: found.agentId, to: agentId, campaignId: found.campaignId });
    // Both agents' "my callbacks" follow (an agent's stream carries only events naming them).
    for (const who of new Set([found.agentId, agentId])) {
      if (who !== null) await deps.events.publish('callback.updated', { callbackId: found.id, agentId: who, ownerAgentId: agentId }, found.campaignId);
    }
    const campaign = await campaigns.get(found.campaignId);
    const listing = (await callbacks.listPending({ campaignIds: [found.campaignId], limit: 500 })).find((c) => c.id === found.id);
    if (!listing) throw new OutdialError('OUTDIAL_ERR_CONFLICT', 'the callback is no longer pending');
    return view(listing, new Map([[found.campaignId, campaign?.name ?? found.campaignId]]), await names());
  });
};

export default callbackRoutes;
