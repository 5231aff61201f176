import { describe, expect, it } from 'vitest';
import { openStore } from '@outdial/store/database';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { forEachDialect, sampleCampaign, uniqueName } from '../../support/store-fixtures.ts';

const NOW = 1_700_000_000_000;

forEachDialect('campaigns repository', (getStore) => {
  async function newList(): Promise<string> {
    const result = await new ListsRepository(getStore().db).create({ name: uniqueName('list'), now: NOW });
    if (!result.ok) throw new Error(result.message);
    return result.value.id;
  }

  it('round-trips every setting, JSON and boolean columns included', async () => {
    const campaigns = new CampaignsRepository(getStore().db);
    const listId = await newList();
    const input = sampleCampaign({
      name: uniqueName('round-trip'),
      listIds: [listId],
      amd: true,
      training: true,
      callingWindow: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] },
      abandonMessagePromptId: 'prompt-1',
      filter: 'region = "TX"',
      abandonTarget: 0.025,
    });
    const created = await campaigns.create(input);
    if (!created.ok) throw new Error(created.message);
    const { now: _now, ...settings } = input;
    expect(created.value).toEqual({ ...settings, id: created.value.id, status: 'draft' });
    expect(await campaigns.get(created.value.id)).toEqual(created.value);
    expect((await campaigns.findByName(input.name))?.id).toBe(created.value.id);
  });

  it('refuses a duplicate name with a typed error', async () => {
    const campaigns = new CampaignsRepository(getStore().db);
    const name = uniqueName('dup');
    expect((await campaigns.create(sampleCampaign({ name }))).ok).toBe(true);
    const again = await campaigns.create(sampleCampaign({ name }));
    expect(again).toMatchObject({ ok: false, error: 'duplicate_name' });
  });

  it('refuses an unknown list and writes nothing', async () => {
    const campaigns = new CampaignsRepository(getStore().db);
    const name = uniqueName('bad-list');
    const listId = await newList();
    const result = await campaigns.create(sampleCampaign({ name, listIds: [listId, 'no-such-list'] }));
    expect(result).toMatchObject({ ok: false, error: 'unknown_list' });
    expect(await campaigns.findByName(name)).toBeUndefined();
  });

  it('updates settings and replaces lists; unknown campaign is not_found', async () => {
    const campaigns = new CampaignsRepository(getStore().db);
    const [a, b] = [await newList(), await newList()];
    const created = await campaigns.create(sampleCampaign({ name: uniqueName('upd'), listIds: [a] }));
    if (!created.ok) throw new Error(created.message);
    const updated = await campaigns.update(created.value.id, { maxAttempts: 7, listIds: [b], amd: true }, NOW + 1);
    expect(updated).toMatchObject({ ok: true, value: { maxAttempts: 7, listIds: [b], amd: true } });
    const bad = await campaigns.update(created.value.id, { listIds: ['nope'] }, NOW + 2);
    expect(bad).toMatchObject({ ok: false, error: 'unknown_list' });
    expect((await campaigns.get(created.value.id))?.listIds).toEqual([b]);
    expect(await campaigns.update('no-such-campaign', { maxAttempts: 1 }, NOW)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await campaigns.setStatus(created.value.id, 'running', NOW + 3)).toBe(true);
    const running = await campaigns.list({ statuses: ['running'] });
    expect(running.map((c) => c.id)).toContain(created.value.id);
  });

  it('assigns agents and lists the campaigns of an agent', async () => {
    const db = getStore().db;
    const campaigns = new CampaignsRepository(db);
    const users = new UsersRepository(db, { cost: 1024 });
    const agent = await users.create({ username: uniqueName('agent'), displayName: 'Agent', role: 'agent', password: 'pw-123456', now: NOW });
    if (!agent.ok) throw new Error(agent.message);
    const one = await campaigns.create(sampleCampaign({ name: uniqueName('assigned') }));
    const two = await campaigns.create(sampleCampaign({ name: uniqueName('other') }));
    if (!one.ok || !two.ok) throw new Error('create failed');
    expect(await campaigns.assignAgent(one.value.id, agent.value.id)).toEqual({ ok: true, value: true });
    expect(await campaigns.assignAgent(one.value.id, agent.value.id)).toEqual({ ok: true, value: true });
    expect(await campaigns.assignAgent(one.value.id, 'ghost')).toMatchObject({ ok: false, error: 'unknown_campaign_or_user' });
    expect((await campaigns.listForAgent(agent.value.id)).map((c) => c.id)).toEqual([one.value.id]);
    expect(await campaigns.agentIds(one.value.id)).toEqual([agent.value.id]);
    expect(await campaigns.unassignAgent(one.value.id, agent.value.id)).toBe(true);
    expect(await campaigns.listForAgent(agent.value.id)).toEqual([]);
  });

  it('attaches and detaches lists', async () => {
    const campaigns = new CampaignsRepository(getStore().db);
    const listId = await newList();
    const created = await campaigns.create(sampleCampaign({ name: uniqueName('attach') }));
    if (!created.ok) throw new Error(created.message);
    expect(await campaigns.attachList(created.value.id, listId)).toEqual({ ok: true, value: true });
    expect(await campaigns.attachList(created.value.id, 'nope')).toMatchObject({ ok: false, error: 'unknown_campaign_or_list' });
    expect((await campaigns.get(created.value.id))?.listIds).toEqual([listId]);
    expect(await campaigns.detachList(created.value.id, listId)).toBe(true);
    expect((await campaigns.get(created.value.id))?.listIds).toEqual([]);
  });

  describe('leases', () => {
    it('one node holds a campaign until its lease expires, then another takes over', async () => {
      const campaigns = new CampaignsRepository(getStore().db);
      const created = await campaigns.create(sampleCampaign({ name: uniqueName('lease') }));
      if (!created.ok) throw new Error(created.message);
      const id = created.value.id;
      const ttl = 10_000;

      expect(await campaigns.acquireLease(id, 'node-a', NOW, ttl)).toEqual({ acquired: true, expiresAt: NOW + ttl });
      expect(await campaigns.acquireLease(id, 'node-b', NOW + 1_000, ttl))
        .toEqual({ acquired: false, reason: 'held', ownerNode: 'node-a', expiresAt: NOW + ttl });
      // Re-acquiring our own lease extends it.
      expect(await campaigns.acquireLease(id, 'node-a', NOW + 2_000, ttl)).toEqual({ acquired: true, expiresAt: NOW + 12_000 });
      expect(await campaigns.renewLease(id, 'node-a', NOW + 5_000, ttl)).toEqual({ acquired: true, expiresAt: NOW + 15_000 });
      expect(await campaigns.renewLease(id, 'node-b', NOW + 5_000, ttl)).toMatchObject({ acquired: false, reason: 'held', ownerNode: 'node-a' });
      // Still held one millisecond before expiry, taken over at expiry.
      expect(await campaigns.acquireLease(id, 'node-b', NOW + 14_999, ttl)).toMatchObject({ acquired: false });
      expect(await campaigns.acquireLease(id, 'node-b', NOW + 15_000, ttl)).toEqual({ acquired: true, expiresAt: NOW + 25_000 });
      // The old owner can no longer renew or release.
      expect(await campaigns.renewLease(id, 'node-a', NOW + 16_000, ttl)).toMatchObject({ acquired: false, ownerNode: 'node-b' });
      expect(await campaigns.releaseLease(id, 'node-a')).toBe(false);
      expect(await campaigns.releaseLease(id, 'node-b')).toBe(true);
      expect(await campaigns.leaseOf(id)).toEqual({ ownerNode: null, expiresAt: null });
      expect(await campaigns.acquireLease(id, 'node-a', NOW + 17_000, ttl)).toMatchObject({ acquired: true });
      expect(await campaigns.acquireLease('no-such-campaign', 'node-a', NOW, ttl)).toEqual({ acquired: false, reason: 'not_found' });
    });

    it('two nodes racing for a free campaign on separate connections: exactly one wins', async () => {
      const store = getStore();
      const created = await new CampaignsRepository(store.db).create(sampleCampaign({ name: uniqueName('race') }));
      if (!created.ok) throw new Error(created.message);
      const other = store.kind === 'sqlite-memory' ? undefined : await openStore(store.url);
      try {
        const mine = new CampaignsRepository(store.db);
        const theirs = new CampaignsRepository(other?.db ?? store.db);
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? mine : theirs).acquireLease(created.value.id, `node-${i}`, NOW, 10_000)));
        const winners = results.filter((r) => r.acquired);
        expect(winners).toHaveLength(1);
        const winner = `node-${results.findIndex((r) => r.acquired)}`;
        expect(await mine.leaseOf(created.value.id)).toEqual({ ownerNode: winner, expiresAt: NOW + 10_000 });
        for (const loser of results.filter((r) => !r.acquired)) expect(loser).toMatchObject({ reason: 'held', ownerNode: winner });
      } finally {
        await other?.close();
      }
    });
  });
});
