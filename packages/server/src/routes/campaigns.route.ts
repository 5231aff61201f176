import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import type { CampaignPatch } from '@outdial/store/repositories/campaigns.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { CampaignInputSchema, CampaignPatchSchema, CampaignSchema } from '../schemas/campaign.schema.ts';
import { assertCampaignValid } from '../campaign-validation.ts';
import { AuditRecorder } from '../audit.ts';
import { campaignSegment } from '../runtime/campaign-segment.ts';

type CampaignInput = Omit<CampaignSettings, 'id' | 'status'>;
const IdParams = Type.Object({ id: Type.String() });
const MANAGERS = ['admin', 'supervisor'] as const;

const campaignRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const campaigns = new CampaignsRepository(deps.store.db);
  const audit = new AuditRecorder(deps);

  async function assertSegmentValid(campaign: Pick<CampaignSettings, 'filter' | 'listIds'>): Promise<void> {
    const segment = await campaignSegment(deps.store.db, campaign, deps.clock.now());
    if (!segment.ok) throw new OutdialError('OUTDIAL_ERR_CAMPAIGN_INVALID', segment.message, { issues: [{ field: 'filter', severity: 'error', message: segment.message }] });
  }

  async function load(id: string): Promise<CampaignSettings> {
    const found = await campaigns.get(id);
    if (!found) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `campaign ${id}`);
    return found;
  }

  async function changed(campaign: CampaignSettings, userId: string | undefined, action: string): Promise<CampaignSettings> {
    await deps.runtime.campaignChanged(campaign.id);
    await deps.events.publish('campaign.updated', { campaignId: campaign.id, status: campaign.status, dialMode: campaign.dialMode, abandonTarget: campaign.abandonTarget }, campaign.id);
    await audit.record(userId, action, `campaign:${campaign.id}`, { name: campaign.name });
    return campaign;
  }

  app.get('/api/v1/campaigns', {
    schema: { tags: ['campaigns'], summary: 'Campaigns (agents see only those assigned to them)', response: { 200: Type.Array(CampaignSchema) } },
  }, async (request) => {
    const user = request.user;
    if (user?.role === 'agent') return campaigns.listForAgent(user.id);
    return campaigns.list();
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id', {
    schema: { tags: ['campaigns'], params: IdParams, response: { 200: CampaignSchema } },
  }, async (request) => {
    const campaign = await load(request.params.id);
    const user = request.user;
    if (user?.role === 'agent' && !(await campaigns.listForAgent(user.id)).some((c) => c.id === campaign.id)) {
      throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `campaign ${request.params.id}`);
    }
    return campaign;
  });

  app.post<{ Body: CampaignInput }>('/api/v1/campaigns', {
    config: { roles: ['admin'] },
    schema: { tags: ['campaigns'], summary: 'Create a campaign (validated by the compliance engine)', body: CampaignInputSchema, response: { 200: CampaignSchema } },
  }, async (request) => {
    assertCampaignValid({ ...request.body, id: 'new', status: 'draft' });
    await assertSegmentValid(request.body);
    const created = await campaigns.create({ ...request.body, now: deps.clock.now() });
    if (!created.ok) throw new OutdialError('OUTDIAL_ERR_CONFLICT', created.message);
    return changed(created.value, request.user?.id, 'campaign.create');
  });

  async function update(id: string, patch: CampaignPatch, userId: string | undefined, action: string): Promise<CampaignSettings> {
    const current = await load(id);
    assertCampaignValid({ ...current, ...patch });
    await assertSegmentValid({ ...current, ...patch });
    const updated = await campaigns.update(id, patch, deps.clock.now());
    if (!updated.ok) {
      if (updated.error === 'not_found') throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `campaign ${id}`);
      throw new OutdialError('OUTDIAL_ERR_CONFLICT', updated.message);
    }
    return changed(updated.value, userId, action);
  }

  app.put<{ Params: { id: string }; Body: CampaignInput }>('/api/v1/campaigns/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['campaigns'], summary: 'Replace every setting of a campaign', params: IdParams, body: CampaignInputSchema, response: { 200: CampaignSchema } },
  }, async (request) => update(request.params.id, request.body, request.user?.id, 'campaign.update'));

  app.patch<{ Params: { id: string }; Body: CampaignPatch }>('/api/v1/campaigns/:id', {
    config: { roles: [...MANAGERS] },
    schema: { tags: ['campaigns'], summary: 'Change some settings (dial mode, abandonment target, ...)', params: IdParams, body: CampaignPatchSchema, response: { 200: CampaignSchema } },
  }, async (request) => update(request.params.id, request.body, request.user?.id, 'campaign.patch'));

  for (const [verb, status] of [['pause', 'paused'], ['resume', 'running'], ['stop', 'stopped']] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/campaigns/:id/${verb}`, {
      config: { roles: [...MANAGERS] },
      schema: { tags: ['campaigns'], summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} a campaign`, params: IdParams, response: { 200: CampaignSchema } },
    }, async (request) => {
      const current = await load(request.params.id);
      if (status === 'running') assertCampaignValid({ ...current, status });
      await campaigns.setStatus(current.id, status, deps.clock.now());
      return changed(await load(current.id), request.user?.id, `campaign.${verb}`);
    });
  }
};

export default campaignRoutes;
