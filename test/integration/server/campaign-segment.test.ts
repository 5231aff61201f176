import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@outdial/server/server';
import { signIn, startDemoServer } from './server-harness.ts';

describe('a campaign dials only its segment', () => {
  let server: RunningServer;
  let headers: Record<string, string>;
  let campaignId: string;
  beforeAll(async () => {
    server = await startDemoServer({ fast: true });
    const admin = await signIn(server, 'admin');
    headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const campaigns = (await server.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers })).json() as Array<{ id: string; name: string }>;
    campaignId = campaigns.find((c) => c.name === 'Demo campaign')?.id ?? '';
  });
  afterAll(async () => { await server?.close(); });

  it('refuses a filter that does not type-check, naming the column', async () => {
    const bad = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${campaignId}`, headers, payload: { filter: 'income >= "lots"' } });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { message: string } }).error.message).toMatch(/filter, column \d+/);
  });

  it('after a filter is saved, every new dial is a contact the filter selects', async () => {
    const saved = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${campaignId}`, headers, payload: { filter: 'homeOwner = true and region in ("TX", "FL", "CA", "NY")' } });
    expect(saved.statusCode).toBe(200);
    const since = Date.now() + 1000;
    const deadline = Date.now() + 60_000;
    let rows: Array<{ region: string | null; attributes_json: string }> = [];
    while (rows.length < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      rows = await server.store.db.selectFrom('attempts').innerJoin('contacts', 'contacts.id', 'attempts.contact_id')
        .select(['contacts.region', 'contacts.attributes_json']).where('attempts.campaign_id', '=', campaignId)
        .where('attempts.dialed_at', '>', since).execute();
    }
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect(['TX', 'FL', 'CA', 'NY']).toContain(row.region);
      expect((JSON.parse(row.attributes_json) as { homeOwner: boolean }).homeOwner).toBe(true);
    }
  });
});
