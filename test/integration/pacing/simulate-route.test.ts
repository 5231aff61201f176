import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from '../server/server-harness.ts';

describe('POST /api/v1/campaigns/:id/simulate', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reports expected occupancy and abandonment per policy for the campaign, with given figures', async () => {
    const s = server as RunningServer;
    const admin = await signIn(s, 'admin');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const list = (await s.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers })).json() as Array<{ id: string; name: string }>;
    const demo = list.find((c) => c.name === 'Demo campaign');
    expect(demo).toBeDefined();
    const response = await s.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${demo?.id}/simulate`,
      headers,
      payload: { agents: 5, hours: 1, liveRate: 0.2, talkSeconds: 120, seeds: 1, policies: ['progressive', 'outdial'] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as {
      sources: Record<string, string>;
      policies: Record<string, { occupancy: number; abandonRate: number }>;
      recommended: string | null;
    };
    expect(body.sources['liveRate']).toBe('given');
    expect(Object.keys(body.policies).sort()).toEqual(['outdial', 'progressive']);
    for (const f of Object.values(body.policies)) {
      expect(f.occupancy).toBeGreaterThan(0.1);
      expect(f.occupancy).toBeLessThan(1);
    }
    expect(body.policies['progressive']?.abandonRate).toBeLessThan(0.03);
  });

  it('refuses an unknown policy and an unknown campaign, and agents', async () => {
    const s = server as RunningServer;
    const admin = await signIn(s, 'admin');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const list = (await s.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers })).json() as Array<{ id: string }>;
    const id = list[0]?.id ?? 'x';
    const bad = await s.app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/simulate`, headers, payload: { policies: ['nope'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'OUTDIAL_ERR_VALIDATION' } });
    const missing = await s.app.inject({ method: 'POST', url: '/api/v1/campaigns/no-such/simulate', headers, payload: {} });
    expect(missing.statusCode).toBe(404);
    const agent = await signIn(s, 'agent1');
    const refused = await s.app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/simulate`, headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf }, payload: {} });
    expect(refused.statusCode).toBe(403);
  });
});
